"""Fill a built batch-record.pdf the way a PDF reader would (pypdf), and write measurement CSVs."""

from __future__ import annotations

import csv
from pathlib import Path


def fill_pdf(blank: Path, out: Path, values: dict[str, str]) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(blank))
    by_page: dict[int, dict[str, str]] = {}
    for n, page in enumerate(writer.pages):
        names = {str(a.get_object().get("/T")) for a in page.get("/Annots") or []}
        mine = {k: v for k, v in values.items() if k in names}
        if mine:
            by_page[n] = mine
    missing = set(values) - {k for d in by_page.values() for k in d}
    assert not missing, f"no such fields: {sorted(missing)[:5]}"
    for n, mine in by_page.items():
        writer.update_page_form_field_values(writer.pages[n], mine, auto_regenerate=False)
    with out.open("wb") as f:
        writer.write(f)
    return out


def header(batch: str, qty: int, start: str = "2026-03-10", end: str = "2026-03-20", lots: str = "LOT-A",
           heat: str = "H-1", cert: str = "CERT-1", machine: str = "mill-5ax", operator: str = "ana") -> dict[str, str]:
    return {"batch/id": batch, "batch/po": "PO-77", "batch/quantity-started": str(qty),
            "batch/quantity-good": str(qty), "batch/start-date": start, "batch/end-date": end,
            "stage/material-receipt/start": start, "stage/material-receipt/end": start,
            "stage/material-receipt/operator": "bob",
            "stage/milling/start": start, "stage/milling/end": end, "stage/milling/equipment": machine,
            "stage/milling/operator": operator,
            "material/al6061/lot": lots, "material/al6061/heat": heat, "material/al6061/cert": cert}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    cols = ["product", "revision", "batch", "serial", "subject", "stage", "unit", "value", "lower_limit",
            "upper_limit", "measured_at", "machine", "operator", "lot"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def fill_pdftk(blank: Path, out: Path, values: dict[str, str]) -> Path:
    """Fill with pdftk (pdftk-java) from an XFDF file, as a pdftk-style tool does."""
    import subprocess
    from xml.sax.saxutils import escape

    xfdf = out.with_suffix(".xfdf")
    body = "".join(f'<field name="{escape(k, {chr(34): "&quot;"})}"><value>{escape(v)}</value></field>'
                   for k, v in values.items())
    xfdf.write_text('<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/" '
                    f'xml:space="preserve"><fields>{body}</fields></xfdf>', encoding="utf-8")
    subprocess.run(["pdftk", str(blank), "fill_form", str(xfdf), "output", str(out)], check=True,
                   capture_output=True, timeout=300)
    return out

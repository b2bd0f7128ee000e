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


def checks(pack: Path, lot: int = 300, start: str = "2026-03-10") -> dict[str, str]:
    """Consistent in-line QC, FRI and gate fields for ``pack``'s batch record (a conforming lot of ``lot``):
    every in-line row with first and last piece at mid-limits and 10 checks passed, every FRI class inspected
    at the plan's n (or the whole lot at 100 %) with nothing nonconforming, every gate signed."""
    import re

    text = (pack / "inspection" / "plan.csv").read_text(encoding="utf-8-sig")
    values: dict[str, str] = {}
    classes: dict[tuple[str, str], int] = {}
    seen = set()
    for r in csv.DictReader(text.splitlines()):
        if r["subject"] in seen:
            continue
        seen.add(r["subject"])
        base = f"{r['part']}/{r['id'].replace('.', ':')}"
        if r["stage_inline"]:
            lo, hi = r["lower_limit"], r["upper_limit"]
            if lo and hi:
                mid = f"{(float(lo) + float(hi)) / 2:.4f}"
            elif hi:
                mid = f"{float(hi) / 2:.4f}"
            else:
                mid = lo or "OK"
            values.update({f"inline/{base}/first": mid, f"inline/{base}/last": mid, f"inline/{base}/checks": "10",
                           f"inline/{base}/failed": "0"})
        m = re.match(r"^(?:n=(\d+)|100%) Ac \d+$", r["stage_fri"])
        if m:
            classes[(r["part"], r["classification"])] = int(m[1]) if m[1] else lot
    for (part, cls), n in classes.items():
        values.update({f"fri/{part}/{cls}/inspected": str(n), f"fri/{part}/{cls}/accepted": str(n),
                       f"fri/{part}/{cls}/found": "0", f"fri/{part}/{cls}/accept": "/on"})
    values.update({"gate/pp/approved": "/on", "gate/pp/by": "qa", "gate/pp/date": start,
                   "gate/fai/passed": "/on", "gate/fai/fair": "FAIR-1", "gate/fai/by": "qa", "gate/fai/date": start,
                   "gate/fri/accept": "/on", "gate/fri/by": "qa", "gate/fri/date": "2026-03-20",
                   "gate/release/by": "qa", "gate/release/date": "2026-03-20"})
    return values

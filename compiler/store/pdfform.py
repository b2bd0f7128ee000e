"""Read a filled ``batch-record.pdf`` (the AcroForm ``build`` writes) into a :class:`~.record.Record`.

Refused before any value is read: files over 50 MB, encrypted PDFs, malformed
PDFs (a broken cross-reference table is not repaired: a repaired file may not
say what the operator wrote), PDFs carrying JavaScript, and forms without fields
(flattened or scanned).  The form names its product, revision and spec hash in
the page-1 header; field names are those of :mod:`techpack.quality.batchrecord`.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from ..quality.fields import parse as parse_field
from .errors import StoreError
from .record import MAX_BYTES, LotEntry, Reading, Record, Value

_PRODUCT = re.compile(r"Product / revision\s+(?P<product>\S+) rev (?P<rev>\S+)")
_SHA = re.compile(r"spec (?:sha256|SHA-256)\s+(?P<sha>(?:[0-9a-f]\s*){64})")
_JS_KEYS = ("/JS", "/JavaScript")


def _is_js(action) -> bool:
    """An action dictionary (or a chain of them via /Next) that runs JavaScript."""
    for _ in range(50):
        if action is None:
            return False
        action = action.get_object()
        if not hasattr(action, "get"):
            return False
        if action.get("/S") == "/JavaScript" or "/JS" in action:
            return True
        nxt = action.get("/Next")
        if isinstance(nxt, list):
            return any(_is_js(a) for a in nxt)
        action = nxt
    return True


def _has_javascript(reader) -> bool:
    """Where a PDF can run scripts: document open action and actions, the JavaScript name tree, page,
    annotation and field actions."""
    root = reader.trailer["/Root"].get_object()
    if "/JavaScript" in (root.get("/Names") or {}):
        return True
    if _is_js(root.get("/OpenAction")) or any(_is_js(a) for a in (root.get("/AA") or {}).values()):
        return True
    for page in reader.pages:
        if any(_is_js(a) for a in (page.get("/AA") or {}).values()):
            return True
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if _is_js(annot.get("/A")) or any(_is_js(a) for a in (annot.get("/AA") or {}).values()):
                return True
    for f in (root.get("/AcroForm") or {}).get("/Fields") or []:
        f = f.get_object()
        if any(_is_js(a) for a in (f.get("/AA") or {}).values()):
            return True
    return False


def _open(path: Path, data: bytes):
    from pypdf import PdfReader  # noqa: PLC0415
    from pypdf.errors import PdfReadError  # noqa: PLC0415

    where = str(path)
    if not data.startswith(b"%PDF-"):
        raise StoreError("not a PDF file", where)
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise StoreError("encrypted PDF: save an unencrypted copy of the filled form and import that", where)
        reader.trailer["/Root"]  # noqa: B018 - forces the catalogue to be read
        _ = len(reader.pages)
    except StoreError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AssertionError, IndexError, RecursionError) as exc:
        raise StoreError(f"malformed PDF ({type(exc).__name__}: {str(exc)[:120]})", where) from None
    return reader


def read_pdf(path: Path) -> Record:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise StoreError(f"file is {size / 1e6:.0f} MB, over the 50 MB limit for a batch record", where)
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read ({exc.strerror})", where) from None
    reader = _open(path, data)
    if _has_javascript(reader):
        raise StoreError("the PDF carries JavaScript; refused (re-save the filled form without scripts)", where)
    try:
        text = reader.pages[0].extract_text() or ""
    except Exception:  # noqa: BLE001 - a content stream pypdf cannot parse is malformed input
        text = ""
    m, h = _PRODUCT.search(text), _SHA.search(text)
    if not m or not h or "Batch record" not in text:
        raise StoreError("page 1 does not name a techpack spec (no 'Batch record' title with product, revision and "
                         "spec SHA-256): not a batch record "
                         "that `techpack build` wrote", f"{where}:page 1")
    rec = Record(where, "pdf", hashlib.sha256(data).hexdigest(), m["product"], m["rev"],
                 re.sub(r"\s+", "", h["sha"]))
    values, pages = _fields(reader)
    if not values:
        raise StoreError("the form has no fillable fields (flattened or scanned); import the fillable PDF, or "
                         "type the values into a measurement CSV", where)
    _collect(rec, values, pages)
    return rec


def _fields(reader) -> tuple[dict[str, str], dict[str, int]]:
    """Field name → value text, and field name → page number (1-based)."""
    fields = reader.get_fields() or {}
    values = {}
    for name, f in fields.items():
        v = f.get("/V")
        if v is None:
            v = ""
        v = str(v)
        if v.startswith("/"):  # check box / choice states are names
            v = v[1:]
        values[name] = v.strip()
    pages: dict[str, int] = {}
    for n, page in enumerate(reader.pages, 1):
        for a in page.get("/Annots") or []:
            a = a.get_object()
            t = a.get("/T")
            if t is None and "/Parent" in a:
                t = a["/Parent"].get_object().get("/T")
            if t is not None:
                pages.setdefault(str(t), n)
    return values, pages


def _collect(rec: Record, values: dict[str, str], pages: dict[str, int]) -> None:
    def at(name: str) -> str:
        return f"{rec.path}:page {pages.get(name, '?')}:{name}"

    def val(name: str) -> Value:
        return Value(values.get(name, ""), at(name))

    for key in ("id", "po", "quantity-started", "quantity-good", "start-date", "end-date"):
        rec.batch[key] = val(f"batch/{key}")
    stage_names: list[str] = []
    for name in values:
        parts = parse_field(name)
        if parts[0] == "stage" and len(parts) == 3 and parts[1] not in stage_names:
            stage_names.append(parts[1])
    for s in stage_names:
        row = {k: val(f"stage/{s}/{k}") for k in ("start", "end", "equipment", "operator", "signoff")}
        row["stage"] = s
        rec.stages.append(row)
    _lots(rec, values, at)
    for name in values:
        parts = parse_field(name)
        if parts[0] == "param" and len(parts) == 3 and parts[2] == "actual":
            rec.params.append((parts[1], val(name), val(name[: -len("actual")] + "by")))
        elif parts[0] == "result" and len(parts) == 5 and values[name]:
            _stage, part, char, n = parts[1], parts[2], parts[3], parts[4]
            rec.readings.append(Reading(f"{part}/{char}", _stage, val(name), piece=int(n)))
        elif parts[0] == "inline" and len(parts) == 4:
            rec.inline.setdefault(f"{parts[1]}/{parts[2]}", {})[parts[3]] = val(name)
        elif parts[0] == "fri" and len(parts) == 4 and parts[3] == "nonconforming":
            rec.fri_counts[f"{parts[1]}/{parts[2]}"] = val(name)
        elif parts[0] == "fri" and len(parts) == 4:
            rec.fri.setdefault((parts[1], parts[2]), {})[parts[3]] = val(name)
        elif parts[0] == "gate" and len(parts) == 3:
            rec.gates.setdefault(parts[1], {})[parts[2]] = val(name)
        elif parts[0] == "ncr" and len(parts) == 3 and parts[2] == "number":
            base = name[: -len("number")]
            row = {k: val(base + k) for k in ("number", "characteristic", "description", "disposition")}
            if any(v.text for v in row.values()):
                rec.ncrs.append(row)


def _lots(rec: Record, values: dict[str, str], at) -> None:
    from .record import parse_lots  # noqa: PLC0415

    for name in values:
        parts = parse_field(name)
        if parts[0] not in ("material", "purchased") or len(parts) != 3 or parts[2] != "lot":
            continue
        kind, item = parts[0], parts[1]
        base = name[: -len("lot")]
        code_text = values[name]
        if not code_text:
            if kind == "material":
                rec.problem(at(name), "required: the material lot used")
            continue
        lots = parse_lots(code_text)
        if lots is None:
            rec.problem(at(name), f"cannot read lots {code_text!r}: write `LOT` or `LOT-A [1-150]; LOT-B [151-300]`")
            continue
        heats = [h.strip() for h in values.get(base + "heat", "").split(";")]
        certs = [c.strip() for c in values.get(base + "cert", "").split(";")]
        for i, (code, rng) in enumerate(lots):
            heat = heats[i] if len(heats) == len(lots) else ";".join(heats)
            cert = certs[i] if len(certs) == len(lots) else ";".join(certs)
            rec.lots.append(LotEntry(kind, item, code, heat, cert, rng, at(name)))

"""Read QIF 3.0 measurement results (``Results/MeasurementResultsSet``) into a :class:`~.record.Record`.

The document must name its techpack plan (the ``techpack:product``, ``techpack:revision`` and
``techpack:spec-sha256`` attributes of the QIF plan ``build`` writes, kept by the inspection software).
Each ``*CharacteristicMeasurement`` binds to a characteristic through ``CharacteristicItemId`` → the
item's ``Name`` (its part/ID); the unit through ``ActualComponentId`` (or the results'
``ActualComponentIds``) → ``ActualComponent/SerialNumber``, and the batch through
``Traceability/LotNumber``.  The ``Status`` written in the file is ignored: pass/fail is recomputed.
When ``TECHPACK_QIF_XSD`` names ``QIFDocument.xsd`` (an offline copy: no network) the file is first
validated against the QIF 3.0 schemas.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from .errors import StoreError
from .record import MAX_BYTES, Reading, Record, Value

NS = "{http://qifstandards.org/xsd/qif3}"
STAGE = "production"
QIF_UNITS = {"inch": "in", "millimeter": "mm", "millimetre": "mm"}
"""QIF unit names as the plan's unit column writes them (an inch plan's QIF says ``inch``)."""


@functools.lru_cache(maxsize=2)
def _schema(xsd: str):
    from lxml import etree  # noqa: PLC0415

    return etree.XMLSchema(etree.parse(xsd))


def _text(el, path: str) -> str:
    found = el.find(path.replace("q:", NS)) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def read_qif(path: Path) -> Record:
    from lxml import etree  # noqa: PLC0415

    where = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise StoreError("file is over the 50 MB limit", where)
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read ({exc.strerror})", where) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise StoreError(f"not well-formed XML: {exc.msg}", f"{where}:{exc.lineno}") from None
    if root.tag != NS + "QIFDocument":
        raise StoreError("not a QIF 3.0 document (root is not qif3 QIFDocument)", f"{where}:{root.sourceline}")
    xsd = os.environ.get("TECHPACK_QIF_XSD")
    if xsd:
        schema = _schema(xsd)
        if not schema.validate(root):
            e = schema.error_log[0]
            raise StoreError(f"not valid QIF 3.0: {e.message}", f"{where}:{e.line}")
    attrs = {a.get("name"): a.get("value") for a in root.findall(f"{NS}Attributes/{NS}AttributeStr")}
    rec = Record(where, "qif", hashlib.sha256(data).hexdigest(), attrs.get("techpack:product", ""),
                 attrs.get("techpack:revision", ""), attrs.get("techpack:spec-sha256", ""))
    if not rec.product or not rec.revision:
        raise StoreError("the QIF document does not name its techpack plan (techpack:product and techpack:revision "
                         "attributes of the plan `build` wrote)", f"{where}:{root.sourceline}")
    unit_name = _text(root, "q:FileUnits/q:PrimaryUnits/q:LinearUnit/q:UnitName") or "m"
    items = {}
    for item in root.iterfind(f"{NS}Characteristics/{NS}CharacteristicItems/*"):
        subject = next((a.get("value") for a in item.iterfind(f"{NS}Attributes/{NS}AttributeStr")
                        if a.get("name") == "techpack:subject"), None) or _text(item, "q:Name")
        items[item.get("id")] = subject
    components = {}
    for comp in root.iterfind(f"{NS}Results/{NS}ActualComponentSets/{NS}ActualComponentSet/{NS}ActualComponent"):
        components[comp.get("id")] = (_text(comp, "q:SerialNumber"), _text(comp, "q:Traceability/q:LotNumber"),
                                      _text(comp, "q:Traceability/q:InspectionStart"), comp.sourceline)
    results = root.findall(f"{NS}Results/{NS}MeasurementResultsSet/{NS}MeasurementResults")
    if not results:
        raise StoreError("no MeasurementResults in Results/MeasurementResultsSet", f"{where}:{root.sourceline}")
    for res in results:
        default_ids = [i.text.strip() for i in res.iterfind(f"{NS}ActualComponentIds/{NS}Id")]
        for m in res.iterfind(f"{NS}MeasuredCharacteristics/{NS}CharacteristicMeasurements/*"):
            at = f"{where}:{m.sourceline} (measurement id {m.get('id')})"
            item_id = _text(m, "q:CharacteristicItemId")
            if item_id not in items:
                rec.problem(at, f"CharacteristicItemId {item_id or '(none)'} names no characteristic item in the file")
                continue
            comp_id = _text(m, "q:ActualComponentId") or (default_ids[0] if len(default_ids) == 1 else "")
            if comp_id not in components:
                rec.problem(at, "no unit: give ActualComponentId (or one ActualComponentIds/Id) naming an "
                                "ActualComponent with a SerialNumber")
                continue
            serial, lot, start, line = components[comp_id]
            if not serial or not lot:
                rec.problem(f"{where}:{line}", f"ActualComponent {comp_id} needs SerialNumber and "
                                               "Traceability/LotNumber (the batch ID)")
                continue
            value = m.find(f"{NS}Value")
            if value is None:
                rec.problem(at, "no Value (attribute results are not read from QIF)")
                continue
            rec.batch.setdefault("id", Value(lot, at))
            if rec.batch["id"].text != lot:
                rec.problem(at, f"one batch per file: {lot} after {rec.batch['id'].text}")
                continue
            unit = value.get("linearUnit") or unit_name
            r = Reading(items[item_id], STAGE, Value((value.text or "").strip(), at), unit=unit, serial=serial,
                        measured_at=_text(m, "q:TimeStamp") or start, measured_where=at)
            rec.readings.append(r)
    if not rec.readings and not rec.problems:
        raise StoreError("no characteristic measurements", where)
    return rec

"""QIF 3.0 measurement results: made from the plan QIF that `build` writes, validated against the QIF schemas."""

from __future__ import annotations


import pytest
from conftest import ROOT
from lxml import etree
from sqlalchemy import select

from techpack.store import tables as t
from techpack.store.errors import RecordRefused, StoreError
from techpack.store.ingest import import_file

Q = "{http://qifstandards.org/xsd/qif3}"
XSD = ROOT.parent / "shared" / "qif" / "QIF3.0" / "QIFApplications" / "QIFDocument.offline.xsd"


def results_qif(plan_qif, out, serials: dict[str, dict[str, str]], lot="Q-1", unit=None):
    """The plan QIF plus Results: one MeasurementResults per unit (serial → {subject: value})."""
    root = etree.parse(str(plan_qif)).getroot()
    ids = {}
    for item in root.iterfind(f"{Q}Characteristics/{Q}CharacteristicItems/*"):
        ids[item.findtext(f"{Q}Name")] = item.get("id")
    next_id = int(root.get("idMax")) + 1

    def sub(parent, tag, text=None, **attrs):
        el = etree.SubElement(parent, Q + tag, **attrs)
        if text is not None:
            el.text = text
        return el

    results = etree.Element(Q + "Results")
    mset = sub(results, "MeasurementResultsSet", n=str(len(serials)))
    comps = []
    for serial, values in serials.items():
        comp_id = str(next_id)
        next_id += 1
        mr = sub(mset, "MeasurementResults", id=str(next_id))
        next_id += 1
        chars = sub(sub(mr, "MeasuredCharacteristics"), "CharacteristicMeasurements", n=str(len(values)))
        for subject, value in values.items():
            m = sub(chars, "DiameterCharacteristicMeasurement" if subject.endswith("bore.size")
                    else "LengthCharacteristicMeasurement", id=str(next_id))
            next_id += 1
            sub(sub(m, "Status"), "CharacteristicStatusEnum", "PASS")  # a lie the importer must ignore
            sub(m, "CharacteristicItemId", ids[subject])
            v = sub(m, "Value", value)
            if unit:
                v.set("linearUnit", unit)
        sub(sub(mr, "InspectionStatus"), "InspectionStatusEnum", "PASS")
        sub(sub(mr, "ActualComponentIds", n="1"), "Id", comp_id)
        comps.append((comp_id, serial))
    cset = sub(sub(results, "ActualComponentSets", n="1"), "ActualComponentSet", n=str(len(comps)))
    for comp_id, serial in comps:
        c = sub(cset, "ActualComponent", id=comp_id)
        sub(c, "SerialNumber", serial)
        sub(sub(c, "Status"), "InspectionStatusEnum", "PASS")
        trace = sub(c, "Traceability")
        sub(trace, "LotNumber", lot)
        sub(trace, "InspectionStart", "2026-03-12T09:00:00Z")
    root.find(f"{Q}Plan").addnext(results)
    root.set("idMax", str(next_id))
    out.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return out


@pytest.fixture
def plan_qif(bracket_pack):
    return bracket_pack / "inspection" / "TP-1001.qif"


def test_qif_results_validate_and_import(registered, plan_qif, tmp_path, monkeypatch):
    if not XSD.is_file():
        pytest.skip(f"QIF 3.0 schemas not found at {XSD}")
    monkeypatch.setenv("TECHPACK_QIF_XSD", str(XSD))
    path = results_qif(plan_qif, tmp_path / "r.qif", {
        "Q-1-01": {"TP-1001-01/bore.size": "12.004", "TP-1001-01/length": "80.02"},
        "Q-1-02": {"TP-1001-01/bore.size": "12.031", "TP-1001-01/length": "80.00"}})
    r = import_file(registered, path)
    assert (r.batch, r.units, r.measurements, r.failed) == ("Q-1", 2, 4, 1)
    with registered.connect() as conn:
        rows = conn.execute(select(t.unit.c.serial, t.measurement.c.value_text, t.measurement.c.status,
                                   t.measurement.c.measured_at).join(t.unit).order_by(t.measurement.c.id)).all()
    assert ("Q-1-02", "12.031", "fail", "2026-03-12T09:00:00") in [tuple(x) for x in rows]
    assert import_file(registered, path).already


def test_qif_invalid_against_schema(registered, plan_qif, tmp_path, monkeypatch):
    if not XSD.is_file():
        pytest.skip(f"QIF 3.0 schemas not found at {XSD}")
    monkeypatch.setenv("TECHPACK_QIF_XSD", str(XSD))
    path = results_qif(plan_qif, tmp_path / "r.qif", {"Q-2-01": {"TP-1001-01/bore.size": "12.004"}})
    root = etree.parse(str(path)).getroot()
    status = root.find(f".//{Q}MeasurementResults/{Q}InspectionStatus")
    status.getparent().remove(status)  # required by the schema
    path.write_bytes(etree.tostring(root))
    with pytest.raises(StoreError, match=r"r.qif:\d+: not valid QIF 3.0"):
        import_file(registered, path)


def test_qif_wrong_unit_is_refused(registered, plan_qif, tmp_path):
    path = results_qif(plan_qif, tmp_path / "r.qif", {"Q-3-01": {"TP-1001-01/length": "3.15"}}, unit="inch")
    with pytest.raises(RecordRefused, match=r"r.qif:\d+ \(measurement id \d+\): unit inch given where "
                                            r"TP-1001-01/length is measured in mm"):
        import_file(registered, path)

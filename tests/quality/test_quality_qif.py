"""QIF 3.0: every example's document validates against the official schema and carries the plan."""

from __future__ import annotations

import uuid

import pytest
from lxml import etree

from techpack.quality.qif import UUID_NS, write_qif

EXAMPLE_NAMES = ("bracket", "shaft", "enclosure")
Q = "{http://qifstandards.org/xsd/qif3}"


def _doc(built, name: str, plan_of):
    path = built(name) / "inspection" / f"{plan_of(name).spec.product.number}.qif"
    return etree.parse(str(path))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_qif_validates(name, built, plan_of, qif_schema):
    doc = _doc(built, name, plan_of)
    assert qif_schema.validate(doc), "\n".join(f"{e.line}: {e.message}" for e in qif_schema.error_log)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_items_nominals_and_definitions_cover_every_characteristic(name, built, plan_of):
    plan = plan_of(name)
    root = _doc(built, name, plan_of).getroot()
    subjects = [i.subject for i in plan.all_items()]
    items = root.find(f"{Q}Characteristics/{Q}CharacteristicItems")
    names = [el.findtext(f"{Q}Name") for el in items]
    assert names == subjects
    assert int(items.get("n")) == len(subjects)
    for tag in ("CharacteristicDefinitions", "CharacteristicNominals"):
        group = root.find(f"{Q}Characteristics/{Q}{tag}")
        assert [el.findtext(f"{Q}Name") for el in group] == subjects
    for el, item in zip(items, plan.all_items()):
        des = el.find(f"{Q}CharacteristicDesignator")
        assert des.findtext(f"{Q}Designator") == item.id
        assert des.findtext(f"{Q}UUID") == str(uuid.uuid5(UUID_NS, f"characteristic/{item.subject}"))
        assert des.findtext(f"{Q}Criticality/{Q}LevelEnum") == item.classification.upper()


def test_nominals_and_tolerances_are_the_specs(built, plan_of):
    root = _doc(built, "bracket", plan_of).getroot()
    defs = {el.findtext(f"{Q}Name"): el for el in root.find(f"{Q}Characteristics/{Q}CharacteristicDefinitions")}
    noms = {el.findtext(f"{Q}Name"): el for el in root.find(f"{Q}Characteristics/{Q}CharacteristicNominals")}
    bore = defs["TP-1001-01/bore.size"]
    assert etree.QName(bore).localname == "DiameterCharacteristicDefinition"
    assert (bore.findtext(f"{Q}Tolerance/{Q}MaxValue"), bore.findtext(f"{Q}Tolerance/{Q}MinValue")) == ("0.018", "0")
    assert noms["TP-1001-01/bore.size"].findtext(f"{Q}TargetValue") == "12"
    pos = defs["TP-1001-01/mount-holes.position"]
    assert pos.findtext(f"{Q}ToleranceValue") == "0.2" and pos.findtext(f"{Q}MaterialCondition") == "MAXIMUM"
    assert pos.find(f"{Q}ZoneShape/{Q}DiametricalZone") is not None
    assert etree.QName(defs["TP-1001-01/upright-threads.thread"]).localname == "ThreadCharacteristicDefinition"
    assert defs["TP-1001-01/base.ra"].findtext(f"{Q}RoughnessAverage") == "0.0016"  # 1.6 µm in mm
    assert "EN 10204 3.1" in defs["TP-1001-01/material"].findtext(f"{Q}WhatToMeasure")
    x = noms["TP-1001-01/upright-threads.x.2"]
    assert (x.findtext(f"{Q}TargetValue"), x.findtext(f"{Q}Direction")) == ("55", "XAXIS")


def test_measurement_plan_has_every_stage_in_order(built, plan_of):
    plan = plan_of("shaft")
    root = _doc(built, "shaft", plan_of).getroot()
    steps = root.find(f"{Q}Plan/{Q}OrderedPlanRoot/{Q}Steps")
    stages = [s.find(f"{Q}UnorderedActionGroup/{Q}Attributes/{Q}AttributeStr").get("value") for s in steps]
    assert stages == ["sample", "pp", "fai", "top", "setup", "inline", "fri"]
    item_ids = {el.get("id"): el.findtext(f"{Q}Name") for el in root.find(f"{Q}Characteristics/{Q}CharacteristicItems")}
    for step, stage in zip(steps, stages):
        covered = [item_ids[i.text] for a in step.iter(f"{Q}MeasureEvaluateSpecified") for i in a.iter(f"{Q}Id")]
        assert sorted(covered) == sorted(r.item.subject for r in plan.rows_of(stage))
    inline = steps[5]
    attrs = {a.get("name"): a.get("value") for act in inline.iter(f"{Q}MeasureEvaluateSpecified")
             for a in act.iter(f"{Q}AttributeStr") if a.get("name") == "techpack:frequency"}
    assert attrs


def test_qif_ids_are_unique_and_below_idmax(built, plan_of):
    root = _doc(built, "enclosure", plan_of).getroot()
    ids = [int(el.get("id")) for el in root.iter() if el.get("id") is not None]
    assert len(ids) == len(set(ids)) and max(ids) == int(root.get("idMax"))


def test_qif_is_deterministic_and_names_the_spec(plan_of):
    plan = plan_of("enclosure")
    a, b = write_qif(plan), write_qif(plan)
    assert a == b
    root = etree.fromstring(a)
    assert root.findtext(f"{Q}QPId") == str(uuid.uuid5(UUID_NS, f"document/EX-3001/A/{plan.sha256}"))
    attrs = {x.get("name"): x.get("value") for x in root.find(f"{Q}Attributes")}
    assert attrs["techpack:spec-sha256"] == plan.sha256
    assembly = root.find(f"{Q}Product/{Q}AssemblySet/{Q}Assembly")
    assert assembly.findtext(f"{Q}ModelNumber") == "EX-3001"
    parts = [p.findtext(f"{Q}ModelNumber") for p in root.find(f"{Q}Product/{Q}PartSet")]
    assert parts == ["TP-3001-01", "TP-3001-02", "TP-3001-03"]

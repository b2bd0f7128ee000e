"""QIF Features: every characteristic and datum links to a feature nominal placed from the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from techpack.quality.qif import write_qif

Q = "{http://qifstandards.org/xsd/qif3}"
EXAMPLE_NAMES = ("bracket", "shaft", "enclosure")


def _doc(built, name):
    return etree.parse(str(built(name) / "inspection" / f"{_product(name)}.qif")).getroot()


def _product(name):
    return {"bracket": "TP-1001", "shaft": "TP-2001", "enclosure": "EX-3001"}[name]


def _nominals(root) -> dict[str, etree._Element]:
    return {el.get("id"): el for el in root.find(f"{Q}Features/{Q}FeatureNominals")}


def _feature_names(root, el, noms) -> list[str]:
    return [noms[i.text].findtext(f"{Q}Name") for i in el.findall(f"{Q}FeatureNominalIds/{Q}Id")]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_qif_with_features_validates_against_both_schemas(name, built, qif_schema, qif_keyref_schema):
    doc = etree.parse(str(built(name) / "inspection" / f"{_product(name)}.qif"))
    for schema in (qif_schema, qif_keyref_schema):
        assert schema.validate(doc), "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_characteristic_links_to_a_feature_nominal(name, built, plan_of):
    root = _doc(built, name)
    noms = _nominals(root)
    chars = root.find(f"{Q}Characteristics/{Q}CharacteristicNominals")
    assert len(chars) == len(plan_of(name).all_items())
    for el in chars:
        ids = [i.text for i in el.findall(f"{Q}FeatureNominalIds/{Q}Id")]
        assert ids and all(i in noms for i in ids), el.findtext(f"{Q}Name")


def test_bracket_features_are_where_the_spec_puts_them(built, plan_of):
    root = _doc(built, "bracket")
    noms = _nominals(root)
    by_name = {el.findtext(f"{Q}Name"): el for el in noms.values()}
    part = plan_of("bracket").spec.parts[0]
    for f in part.features:
        if not f.locations:
            continue
        instances = [by_name[f"TP-1001-01/{f.id}"]] if len(f.locations) == 1 else \
            [by_name[f"TP-1001-01/{f.id}[{n}]"] for n in range(1, len(f.locations) + 1)]
        for el, loc in zip(instances, f.locations, strict=True):
            assert etree.QName(el).localname == "CylinderFeatureNominal"
            point = [float(v) for v in el.findtext(f"{Q}Axis/{Q}AxisPoint").split()]
            direction = [abs(float(v)) for v in el.findtext(f"{Q}Axis/{Q}Direction").split()]
            axis = "xyz".index(f.axis.value if hasattr(f.axis, "value") else f.axis)
            assert direction[axis] == 1
            for k, c in enumerate("xyz"):
                given = getattr(loc, c)
                if given is not None:
                    assert point[k] == pytest.approx(float(given.nominal_mm)), (f.id, c)
        if len(f.locations) > 1:  # a pattern: a group of its instances
            group = by_name[f"TP-1001-01/{f.id}"]
            assert etree.QName(group).localname == "GroupFeatureNominal"
            assert [noms[i.text] for i in group.findall(f"{Q}FeatureNominalIds/{Q}Id")] == instances
    # characteristics point at their own instances
    chars = {el.findtext(f"{Q}Name"): el for el in root.find(f"{Q}Characteristics/{Q}CharacteristicNominals")}
    assert _feature_names(root, chars["TP-1001-01/bore.position"], noms) == ["TP-1001-01/bore"]
    assert _feature_names(root, chars["TP-1001-01/mount-holes.position"], noms) == \
        [f"TP-1001-01/mount-holes[{n}]" for n in range(1, 5)]
    assert _feature_names(root, chars["TP-1001-01/upright-threads.x.2"], noms) == ["TP-1001-01/upright-threads[2]"]
    base = by_name["TP-1001-01/base"]
    assert etree.QName(base).localname == "PlaneFeatureNominal"
    assert base.findtext(f"{Q}Normal") == "0 0 -1" and float(base.findtext(f"{Q}Location").split()[2]) == 0


def test_datums_are_nominal_and_name_their_feature(built):
    root = _doc(built, "bracket")
    noms = _nominals(root)
    labels = {el.findtext(f"{Q}DatumLabel"): _feature_names(root, el, noms)
              for el in root.find(f"{Q}DatumDefinitions")}
    assert labels == {"A": ["TP-1001-01/base"], "B": ["TP-1001-01/front"], "C": ["TP-1001-01/left"]}
    refs = {el.text for el in root.iter(f"{Q}ReferencedComponent")}
    assert refs == {"NOMINAL"}


def test_step_model_and_devices(built):
    root = _doc(built, "bracket")
    model = root.find(f".//{Q}Part/{Q}DefinitionExternal/{Q}DigitalModel")
    assert model.findtext(f"{Q}File/{Q}Name") == "models/TP-1001-01.step"
    devices = {el.findtext(f"{Q}Name"): etree.QName(el).localname
               for el in root.find(f"{Q}MeasurementResources/{Q}MeasurementDevices")}
    assert devices["caliper"] == "Caliper" and devices["CMM"] == "CMM"
    assert "visual" not in devices and "certificate review" not in devices


def test_without_geometry_every_characteristic_still_links_and_validates(qif_keyref_schema):
    from techpack.engine import Options, compile_spec
    from techpack.quality import build_plan

    root_dir = Path(__file__).resolve().parents[2]
    plan = build_plan(compile_spec(root_dir / "examples" / "bracket", Options(geometry=False)))
    doc = etree.fromstring(write_qif(plan, refs={"TP-1001-01/bore.size": ("1", "C4")}))
    assert qif_keyref_schema.validate(doc), qif_keyref_schema.error_log
    noms = _nominals(doc)
    assert {etree.QName(el).localname for el in noms.values()} == {"OtherNonShapeFeatureNominal"}
    for el in doc.find(f"{Q}Characteristics/{Q}CharacteristicNominals"):
        assert el.find(f"{Q}FeatureNominalIds") is not None
    item = next(el for el in doc.find(f"{Q}Characteristics/{Q}CharacteristicItems")
                if el.findtext(f"{Q}Name") == "TP-1001-01/bore.size")
    assert (item.findtext(f"{Q}LocationOnDrawing/{Q}SheetNumber"),
            item.findtext(f"{Q}LocationOnDrawing/{Q}DrawingZone")) == ("1", "C4")

"""Capability findings change with the shop, and the Cpk model gives the documented numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from decimal import Decimal

from techpack.engine import Options, compile_spec
from techpack.diagnostics import Severity

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ROOT = Path(__file__).resolve().parents[1]

STRICT = ROOT / "specs" / "capability" / "basic-3axis-shop.yaml"


def run(path: Path, *caps: Path):
    return compile_spec(path, Options(capability=list(caps), geometry=False))


def test_bracket_is_clean_on_the_default_shop():
    result = run(EXAMPLES / "bracket")
    assert [d for d in result.diagnostics if d.severity is not Severity.INFO] == []
    # milling, then drilling and tapping: the machining centres do all three, the pillar drill the holes
    assert result.context.machines_by_part["TP-1001-01"] == ["mill-3ax", "mill-5ax", "drill-pillar"]
    assert [op for op, _ in result.context.supplier_results[0].routes["TP-1001-01"]] == [
        "milling-3axis", "drilling", "tapping"]


def test_a_stricter_shop_cannot_hold_the_bore():
    result = run(EXAMPLES / "bracket", STRICT)
    errors = {d.subject: d.message for d in result.diagnostics if d.code == "TP301"}
    # H7 at 12 mm = 18 um needs IT7; the mill holds IT9 (43 um) at Cp 1.33 with a 0.5 sigma mean shift:
    # Cpk = 1.33 * 18 / 43 - 0.5 / 3 = 0.390
    assert errors["TP-1001-01/bore.size"] == (
        "Ø12 H7 sensor bore (+0.018/0) needs IT7; mill-3ax holds IT9 at 10-18 mm (Cpk 0.39 < 1.67)")
    assert "TP-1001-01/bore.position" in errors
    assert any(d.code == "TP302" and d.subject == "TP-1001-01/bore.ra" for d in result.diagnostics)
    assert result.context.machines_by_part["TP-1001-01"] == ["mill-3ax"]


def test_predicted_cpk_figures(tmp_path):
    result = run(EXAMPLES / "bracket")
    rows = {r.subject: r for r in result.context.capability_rows}
    bore = rows["TP-1001-01/bore.size"]
    # mill-5ax holds bores at IT6 (11 um at 10-18 mm): Cpk = 1.33 * 18 / 11
    assert bore.machine == "mill-5ax"
    assert bore.cpk == Decimal("2.176364")  # 1.33 * 18 / 11 = 2.1763636…
    assert bore.cp == bore.cpk and bore.cpk_text == "2.18" and bore.margin_text == "+30%"
    assert bore.required == "IT7" and bore.held == "IT6 at 10-18 mm" and bore.cpk_min == Decimal("1.67")
    assert bore.operations == ("milling-3axis",)
    position = rows["TP-1001-01/bore.position"]
    assert position.cpk == Decimal("3.325") and position.cpk_text == "3.32"  # 1.33 * 0.05 / 0.02, half-even


def test_key_characteristics_need_the_higher_cpk(example):
    folder = example("bracket")
    spec = folder / "techpack.yaml"
    cap = tmp_cap(folder, grade=7)
    keyed = spec.read_text()
    plain = keyed.replace("        roughness: {ra: 0.8 um}\n        key: true\n", "        roughness: {ra: 0.8 um}\n")
    assert plain != keyed
    # Ø12 H7 on a machine holding bores at IT7 is Cpk 1.33 exactly: enough for a plain characteristic
    # (and no thin-margin warning: the tolerance is exactly what the shop states it holds), not for a key one.
    spec.write_text(plain)
    result = run(folder, cap)
    bore = [d.code for d in result.diagnostics if d.subject == "TP-1001-01/bore.size"]
    assert "TP301" not in bore and "TP308" not in bore
    spec.write_text(keyed)
    result = run(folder, cap)
    assert [d.message for d in result.diagnostics if d.code == "TP301" and d.subject == "TP-1001-01/bore.size"] == [
        "Ø12 H7 sensor bore (+0.018/0) needs IT7; mill holds IT7 at 10-18 mm (Cpk 1.33 < 1.67)"]


def tmp_cap(folder: Path, grade: int) -> Path:
    path = folder / "cap.yaml"
    path.write_text(f"""capability: "1"
shop: {{name: test, source: test}}
machines:
  - id: mill
    name: mill
    process: milling-3axis
    envelope: {{x: 500, y: 500, z: 500}}
    materials: [aluminium]
    features: [face, hole, bore, thread]
    it_grade: 12
    feature_grades: {{bore: {grade}}}
    ra_min: 0.4 um
    gdt: {{flatness: 0.01, perpendicularity: 0.01, position: 0.01}}
""")
    return path


def test_envelope_material_and_mass_rule_out_machines(example):
    folder = example("bracket")
    text = (folder / "techpack.yaml").read_text()
    (folder / "techpack.yaml").write_text(text.replace("    general_tolerance: ISO 2768-mK",
                                                        "    envelope: 900 x 800 x 700\n    general_tolerance: ISO 2768-mK"))
    result = run(folder)
    assert [d.code for d in result.diagnostics if d.severity is Severity.ERROR] == ["TP303"]
    (folder / "techpack.yaml").write_text(text.replace("family: aluminium", "family: nickel-alloy"))
    assert "TP304" in run(folder).diagnostics.codes()
    (folder / "techpack.yaml").write_text(text.replace("    general_tolerance: ISO 2768-mK",
                                                        "    mass: 900 kg\n    general_tolerance: ISO 2768-mK"))
    assert "TP307" in run(folder).diagnostics.codes()


def test_waived_finding_is_reported_but_does_not_count(example):
    folder = example("bracket")
    with open(folder / "techpack.yaml", "a") as fh:
        fh.write("""
waivers:
  - code: TP301
    target: TP-1001-01/bore
    reason: bore is reamed on a separate fixture at the supplier
    owner: R. Okafor
""")
    result = run(folder, STRICT)
    waived = [d for d in result.diagnostics if d.waived]
    assert {d.subject for d in waived} == {"TP-1001-01/bore.size", "TP-1001-01/bore.position",
                                          "TP-1001-01/bore.perpendicularity"}
    assert all(d.waiver.owner == "R. Okafor" for d in waived)
    # only the roughness finding (TP302, not waived) still counts
    assert [d.code for d in result.diagnostics.counting(Severity.ERROR)] == ["TP302"]

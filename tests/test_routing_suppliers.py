"""Routing (which operation makes each characteristic), suppliers side by side, and exact Cpk thresholds."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from techpack.cli import main
from techpack.diagnostics import Severity
from techpack.engine import Options, compile_spec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TYPICAL = ROOT / "specs" / "capability" / "typical-cnc-job-shop.yaml"
BASIC = ROOT / "specs" / "capability" / "basic-3axis-shop.yaml"
VALID = Path(__file__).parent / "cases" / "_valid"


def run(path: Path, *caps: Path, supplier: str | None = None):
    return compile_spec(path, Options(capability=list(caps), geometry=False, supplier=supplier))


def routed(result) -> dict[str, tuple[tuple[str, ...], str | None, str]]:
    return {r.subject: (r.operations, r.machine, r.model) for r in result.context.capability_rows}


GRIND = ("grinding-cylindrical",)
SHAFT = {
    # the ground bearing seats and journal, and the shoulders ground with them (runout to A-B)
    **{f"TP-2001-01/{c}": (GRIND, "grind-cyl", "single") for c in (
        "seat-a.size", "seat-a.length", "seat-a.cylindricity", "shoulder-a.circular-runout",
        "shoulder-b.circular-runout", "seat-b.size", "seat-b.length", "seat-b.cylindricity", "journal.size",
        "journal.circular-runout", "bearing-span")},
    **{f"TP-2001-01/{c}": (GRIND, "grind-cyl", "") for c in (
        "seat-a.ra", "shoulder-a.ra", "shoulder-b.ra", "seat-b.ra", "journal.ra")},
    # Ø25 h11 and the overall length are turned, not ground
    "TP-2001-01/body.size": (("turning",), "lathe-cnc", "single"),
    "TP-2001-01/body.ra": (("turning",), "lathe-cnc", ""),
    "TP-2001-01/overall-length": (("turning",), "lathe-cnc", "single"),
    # the turned body's runout to the ground seats: lathe runout stacked with re-fixturing on the grinder
    "TP-2001-01/body.circular-runout": (("turning", "grinding-cylindrical"), "lathe-cnc", "RSS"),
    # the keyway is milled on the 5-axis mill, never judged against the grinder
    **{f"TP-2001-01/keyway.{a}": (("milling-5axis",), "mill-5ax", m)
       for a, m in (("size", "single"), ("depth", "single"), ("length", "single"), ("ra", ""))},
    "TP-2001-01/keyway.symmetry": (("grinding-cylindrical", "milling-5axis"), "mill-5ax", "RSS"),
    # turned shoulder to milled keyway: two set-ups
    "TP-2001-01/keyway-start": (("turning", "milling-5axis"), "lathe-cnc + mill-5ax", "RSS"),
}


def test_shaft_routing_characteristic_by_characteristic():
    result = run(EXAMPLES / "shaft")
    assert routed(result) == SHAFT
    assert [op for op, _ in result.context.supplier_results[0].routes["TP-2001-01"]] == [
        "turning", "grinding-cylindrical", "milling-5axis"]
    rows = {r.subject: r for r in result.context.capability_rows}
    start = rows["TP-2001-01/keyway-start"]
    assert start.held == ("lathe-cnc IT8 at 3-6 mm ⊕ mill-5ax IT9 at 3-6 mm ⊕ re-fixturing ±0.005 mm (RSS)")
    # σ = 18/(6·1.33) = 2.256, 30/(6·1.33) = 3.759, 5/(3·1.33) = 1.253 µm; RSS 4.560; Cpk = 200 / (3 · 4.560)
    assert start.cpk_text == "14.62" and start.ok
    assert not result.diagnostics.has_errors


BODY, LID, STANDOFF = "TP-3001-01", "TP-3001-02", "TP-3001-03"
LASER, BEND = ("laser-cutting",), ("bending",)
ENCLOSURE = {
    f"{BODY}/base.flatness": (BEND, "brake-press", "single"),
    f"{BODY}/wall-back.parallelism": (BEND, "brake-press", "single"),
    f"{BODY}/mount-holes.size": (LASER, "laser-fiber", "single"),
    **{f"{BODY}/mount-holes.x.{i}": (LASER, "laser-fiber", "single") for i in range(1, 5)},
    # Y positions run across the bends (the bend lines run along X): the brake's ±0.2 across a bend
    **{f"{BODY}/mount-holes.y.{i}": (LASER + BEND, "brake-press", "bend") for i in range(1, 5)},
    f"{BODY}/length": (LASER, "laser-fiber", "single"),
    f"{BODY}/outer-width": (BEND, "brake-press", "single"),
    # from the underside of the base to the laser-cut top edge of the wall: across the bend
    f"{BODY}/wall-height": (LASER + BEND, "brake-press", "bend"),
    f"{BODY}/bend-angle-front": (BEND, "brake-press", "single"),
    f"{BODY}/bend-angle-back": (BEND, "brake-press", "single"),
    # the hole pitches close a chain with the hole locations: reference dimensions, not inspected
    **{f"{LID}/{c}": (("milling-3axis",), "mill-5ax", "" if c.endswith(".ra") else "single") for c in (
        "bottom.flatness", "bottom.ra", "top.parallelism", "top.ra", "edge-front.perpendicularity",
        "edge-left.perpendicularity", "mount-holes.size", "mount-holes.position", "window.size", "window.length",
        "window.x", "window.y", "length", "width", "thickness")},
    **{f"{STANDOFF}/{c}": (("turning",), "lathe-cnc", "" if c.endswith(".ra") else "single") for c in (
        "end-a.flatness", "end-a.ra", "end-b.parallelism", "end-b.ra", "outside.size", "length")},
}


def test_enclosure_routing_characteristic_by_characteristic():
    result = run(EXAMPLES / "enclosure")
    assert routed(result) == ENCLOSURE
    rows = {r.subject: r for r in result.context.capability_rows}
    assert rows[f"{BODY}/mount-holes.y.1"].held == "±0.2 mm"
    # flange to flange: across both bends, ±0.2 mm + 0.1 mm for the second; Cpk = ±0.5 / ±0.3 × 1.33 = 2.2167
    assert rows[f"{BODY}/outer-width"].held == "±0.3 mm across 2 bends (±0.2 mm + 1 × 0.1 mm)"
    assert rows[f"{BODY}/outer-width"].cpk_text == "2.22" and rows[f"{BODY}/outer-width"].ok
    assert rows[f"{BODY}/wall-height"].held == "±0.2 mm" and rows[f"{BODY}/length"].held == "±0.1 mm"
    # ±0.1 on the laser is exactly the shop's stated capability: Cpk 1.33, no thin-margin warning
    assert rows[f"{BODY}/mount-holes.size"].cpk_text == "1.33"
    assert [d for d in result.diagnostics if d.severity is not Severity.INFO] == []


def test_made_by_overrides_the_rules(example):
    folder = example("enclosure")
    body = folder / "parts" / "body.yaml"
    text = body.read_text()
    body.write_text(text.replace("{id: hole-pitch-y, value: 50 ±0.15, description: mount-hole pitch along Y, "
                                 "reference: true}",
                                 "{id: hole-pitch-y, made_by: [laser-cutting, bending], value: 50 ±0.15}")
                    .replace("        description: M4 clearance holes for the standoff screws\n",
                             "        description: M4 clearance holes for the standoff screws\n"
                             "        made_by: [bending]\n"))
    result = run(folder)
    rows = routed(result)
    assert rows[f"{BODY}/hole-pitch-y"] == (LASER + BEND, "brake-press", "bend")
    assert rows[f"{BODY}/mount-holes.x.1"][0] == BEND
    # the brake does not list holes among its features: the hole size has no machine
    assert any(d.code == "TP309" and d.subject == f"{BODY}/mount-holes.size" for d in result.diagnostics)


def test_stock_sets_the_sheet_thickness(example):
    folder = example("enclosure")
    body = folder / "parts" / "body.yaml"
    body.write_text(body.read_text().replace(
        "      - {id: hole-pitch-x,",
        "      - {id: thickness, value: 1.5 ±0.05, made_by: [stock]}\n      - {id: hole-pitch-x,"))
    result = run(folder)
    assert f"{BODY}/thickness" not in routed(result)
    assert not result.diagnostics.has_errors


# ------------------------------------------------------------------ suppliers


def test_two_suppliers_side_by_side():
    result = run(EXAMPLES / "enclosure", TYPICAL, BASIC)
    typical, basic = result.context.supplier_results
    assert typical.can_make == {BODY: True, LID: True, STANDOFF: True}
    assert basic.can_make == {BODY: False, LID: False, STANDOFF: True}
    assert basic.blocking[BODY].startswith("TP306: no machine in the capability data can make TP-3001-01: none "
                                           "performs laser-cutting, bending")
    assert basic.blocking[LID].startswith("TP302: Ra 0.8 um top face")
    assert basic.worst[STANDOFF].subject == f"{STANDOFF}/length"
    # findings are the addressed supplier's (the first); the other gives a summary
    assert not result.diagnostics.has_errors
    summaries = {d.subject: d.message for d in result.diagnostics if d.code == "TP313"}
    assert summaries["supplier/Basic 3-axis shop (example of a less capable supplier)"].startswith(
        "supplier 'Basic 3-axis shop (example of a less capable supplier)': can make 1 of 3 parts (TP-3001-03); "
        "cannot make TP-3001-01 (TP306")
    # machine IDs repeat across the two files (mill-3ax): one supplier each, no TP312
    assert "TP312" not in result.diagnostics.codes()


def test_supplier_option_addresses_the_findings():
    result = run(EXAMPLES / "enclosure", TYPICAL, BASIC, supplier="Basic 3-axis shop (example of a less capable supplier)")
    assert result.context.capability.shop.name.startswith("Basic")
    errors = {d.code for d in result.diagnostics if d.severity is Severity.ERROR}
    assert errors == {"TP306", "TP302"}
    result = run(EXAMPLES / "enclosure", TYPICAL, BASIC, supplier="Nobody")
    assert "TP314" in result.diagnostics.codes()


def test_check_prints_the_matrix_in_text_and_json():
    runner = CliRunner()
    args = ["check", str(EXAMPLES / "enclosure"), "--no-geometry", "--capability", str(TYPICAL),
            "--capability", str(BASIC)]
    text = runner.invoke(main, args).output
    matrix = text[text.index("supplier matrix"):].splitlines()
    assert matrix[1].split() [:1] == ["part"]
    assert matrix[2].startswith("TP-3001-01") and "can (worst Cpk 1.33)" in matrix[2] and "cannot: TP306" in matrix[2]
    assert matrix[4].startswith("TP-3001-03") and matrix[4].count("can (worst Cpk") == 2
    doc = json.loads(runner.invoke(main, [*args, "--format", "json"]).output)
    cap = doc["capability"]
    assert [s["name"] for s in cap["suppliers"]] == [
        "Typical CNC job shop (techpack default profile)", "Basic 3-axis shop (example of a less capable supplier)"]
    assert cap["suppliers"][0]["addressed"] and cap["suppliers"][0]["certifications"] == ["ISO 9001"]
    row = next(r for r in cap["suppliers"][0]["characteristics"] if r["characteristic"] == f"{BODY}/mount-holes.y.1")
    assert row == {"characteristic": f"{BODY}/mount-holes.y.1", "operations": ["laser-cutting", "bending"],
                   "machine": "brake-press", "model": "bend", "required": "IT13", "held": "±0.2 mm", "cp": "1.33",
                   "cpk": "1.33", "cpk_min": "1.33", "margin": "+0%", "ok": True, "thin": False}
    assert cap["matrix"][0]["suppliers"][1] == {
        "supplier": "Basic 3-axis shop (example of a less capable supplier)", "can_make": False, "worst": None,
        "worst_cpk": None, "blocking": cap["matrix"][0]["suppliers"][1]["blocking"]}


def test_duplicate_machine_ids_only_within_a_file(tmp_path):
    twice = tmp_path / "twice.yaml"
    text = TYPICAL.read_text()
    twice.write_text(text.replace("  - id: mill-5ax\n", "  - id: mill-3ax\n"))
    result = run(EXAMPLES / "bracket", twice, BASIC)
    assert [d.message for d in result.diagnostics if d.code == "TP312"] == [
        "machine ID 'mill-3ax' appears twice (first at twice.yaml:33:9)".replace("twice.yaml", str(twice))]


# ------------------------------------------------------------------ turn-mill: round and prismatic features


TURN_MILL = """capability: "1"
shop: {name: Turn-mill shop, source: test}
machines:
  - id: tm
    name: turn-mill centre
    process: turn-mill
    envelope: {diameter: 300 mm, length: 500 mm}
    materials: [aluminium]
    features: [face, bore, hole, shaft, boss, slot, pocket, keyway, thread]
    it_grade: 8
    feature_grades: {bore: 7}
    ra_min: 0.8 um
    gdt: {flatness: 0.01, perpendicularity: 0.01, position: 0.02}
"""


def test_a_turn_mill_makes_a_bore_only_part(tmp_path):
    folder = tmp_path / "p"
    shutil.copytree(VALID, folder)
    cap = tmp_path / "tm.yaml"
    cap.write_text(TURN_MILL)
    result = run(folder, cap)
    assert "TP306" not in result.diagnostics.codes()
    assert result.context.supplier_results[0].routes["TP-2001-01"] == [("milling-3axis", ["tm"])]
    rows = routed(result)
    assert rows["TP-2001-01/bore.size"] == (("milling-3axis",), "tm", "single")
    # and a turned part: the shaft is turned on it, a keyway milled on it, in one set-up
    spec = folder / "techpack.yaml"
    spec.write_text(spec.read_text().replace(
        "      - id: bore\n", "      - {id: pin, type: shaft, size: Ø20 h8, axis: z}\n"
        "      - {id: key, type: keyway, size: 6 N9, axis: z}\n      - id: bore\n"))
    result = run(folder, cap)
    rows = routed(result)
    assert rows["TP-2001-01/pin.size"] == (("turning",), "tm", "single")
    assert rows["TP-2001-01/key.size"] == (("milling-3axis",), "tm", "single")
    assert not result.diagnostics.has_errors


# ------------------------------------------------------------------ exact thresholds


def _threshold_case(tmp_path: Path, value: str, machine: str, key: bool = False, feature: str | None = None):
    folder = tmp_path / "p"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(VALID, folder)
    spec = folder / "techpack.yaml"
    text = spec.read_text()
    if feature:
        text = text.replace("        size: Ø10 H8\n", f"        size: {feature}\n" + ("        key: true\n" if key else ""))
    else:
        text = text.replace("{id: thickness, value: 10 ±0.05}",
                            f"{{id: thickness, value: {value}" + (", key: true}" if key else "}"))
    spec.write_text(text.replace("    general_tolerance: ISO 2768-mK", "    envelope: 60 x 40 x 10\n"
                                 "    general_tolerance: ISO 2768-mK"))
    cap = tmp_path / "cap.yaml"
    cap.write_text(f"""capability: "1"
shop: {{name: Threshold shop, source: test}}
machines:
  - id: mill
    name: mill
    process: milling-3axis
    envelope: {{x: 500, y: 500, z: 500}}
    materials: [aluminium]
    features: [face, hole, bore, thread]
{machine}
    ra_min: 0.4 um
    gdt: {{flatness: 0.001, perpendicularity: 0.001, position: 0.001}}
""")
    result = run(folder, cap)
    subject = "TP-2001-01/" + ("bore.size" if feature else "thickness")
    row = next(r for r in result.context.capability_rows if r.subject == subject)
    msgs = {d.code: d.message for d in result.diagnostics if d.subject == subject}
    plan = result.context.quality_plan
    inline = next((r for r in plan.rows_of("inline") if r.item.subject == subject), None)
    return row, msgs, inline


SIGMA = "    size_bands: [{upto: 50 mm, sigma: 0.001 mm}]"
SHIFTED = SIGMA + "\n    mean_shift: 0.03"


@pytest.mark.parametrize(("value", "machine", "key", "feature", "cpk", "interval"), [
    ("10 ±0.00399", SIGMA, False, None, "1.33", "1 piece in 5"),  # σ-based: 0.00798 / 0.006 = 1.33
    ("40 ±0.008", "    it_grade: 6", False, None, "1.33", "1 piece in 5"),  # IT6 at 40 = 16 µm, at Cp 1.33
    ("10 ±0.00402", SHIFTED, False, None, "1.33", "1 piece in 5"),  # Cp 1.34, mean shift 0.03 σ: Cpk 1.33
    (None, "    it_grade: 12\n    feature_grades: {bore: 7}\n    cp_at_grade: 1.67", True, "Ø40 H7", "1.67",
     "1 piece in 2"),  # a key Ø40 H7 held at Cp 1.67
    ("10 ±0.00501", SIGMA, True, None, "1.67", "1 piece in 2"),  # key, σ-based: 0.01002 / 0.006 = 1.67
])
def test_exactly_at_the_minimum_passes(tmp_path, value, machine, key, feature, cpk, interval):
    row, msgs, inline = _threshold_case(tmp_path, value, machine, key, feature)
    assert row.ok and row.cpk_text == cpk and row.margin_text == "+0%"
    assert "TP301" not in msgs
    assert inline is not None and inline.frequency == interval
    assert "margin +0%" in inline.basis


@pytest.mark.parametrize(("value", "machine", "key", "feature", "message"), [
    ("10 ±0.00398", SIGMA, False, None, "(Cpk 1.327 < 1.33)"),
    ("40 ±0.00799", "    it_grade: 6", False, None, "(Cpk 1.328 < 1.33)"),
    ("10 ±0.00401", SHIFTED, False, None, "(Cpk 1.327 < 1.33)"),
    (None, "    it_grade: 12\n    feature_grades: {bore: 7}\n    cp_at_grade: 1.669", True, "Ø40 H7",
     "(Cpk 1.669 < 1.67)"),
    ("10 ±0.005", SIGMA, True, None, "(Cpk 1.667 < 1.67)"),
])
def test_just_below_the_minimum_fails_and_says_so(tmp_path, value, machine, key, feature, message):
    row, msgs, inline = _threshold_case(tmp_path, value, machine, key, feature)
    assert not row.ok and msgs["TP301"].endswith(message)
    assert row.margin_text == "-0%" or row.margin_text.startswith("-")
    assert inline is not None and inline.frequency == "every piece"


def test_thin_margin_warning_is_configurable(tmp_path):
    # σ-based (measured) data at 1.40 against 1.33: 5 % above the minimum
    row, msgs, _ = _threshold_case(tmp_path, "10 ±0.0042", SIGMA)
    assert row.cpk_text == "1.40" and row.thin and msgs["TP308"] == (
        "10 ±0.0042 thickness: Cpk 1.40 on mill is less than 10% above 1.33")
    spec = tmp_path / "p" / "techpack.yaml"
    spec.write_text(spec.read_text().replace("  production_quantity:", "  cpk_thin_margin: 0.05\n  production_quantity:"))
    result = run(tmp_path / "p", tmp_path / "cap.yaml")
    assert not [d for d in result.diagnostics if d.code == "TP308"]
    assert Decimal("0.05") == result.loaded.spec.production.cpk_thin_margin


GRIND_AND_EDM = """capability: "1"
shop: {name: Grind and EDM shop, source: test}
machines:
  - id: surf
    name: surface grinder
    process: grinding-surface
    envelope: {x: 600, y: 300, z: 300}
    materials: [aluminium]
    features: [face, width]
    it_grade: 6
    gdt: {flatness: 0.003, perpendicularity: 0.005}
  - id: wire
    name: wire EDM
    process: edm-wire
    envelope: {x: 400, y: 300, z: 200}
    materials: [aluminium]
    features: [bore, hole, profile]
    linear_pm: 0.01 mm
    ra_min: 1.6 um
    gdt: {position: 0.01}
"""


def test_no_process_given_means_any_machine_that_makes_each_feature(tmp_path):
    folder = tmp_path / "p"
    shutil.copytree(VALID, folder)
    cap = tmp_path / "ge.yaml"
    cap.write_text(GRIND_AND_EDM)
    result = run(folder, cap)
    assert "TP306" not in result.diagnostics.codes()
    assert [op for op, _ in result.context.supplier_results[0].routes["TP-2001-01"]] == [
        "grinding-surface", "edm-wire"]
    rows = routed(result)
    assert rows["TP-2001-01/bore.size"] == (("edm-wire",), "wire", "single")
    assert rows["TP-2001-01/base.flatness"] == (("grinding-surface",), "surf", "single")
    # the bore's position from datums A and B (ground faces): the EDM's zone, no re-fixturing figure in the data
    pos = next(r for r in result.context.capability_rows if r.subject == "TP-2001-01/bore.position")
    assert pos.operations == ("grinding-surface", "edm-wire") and pos.model == "RSS"
    assert pos.held == "wire position 0.01 (no re-fixturing figure) (RSS)"


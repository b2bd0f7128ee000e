"""Issue 13: a linear characteristic across several bends grows by the press brake's ``per_bend_pm`` per further
bend, and a part cut to length from stock gets its length from the saw when no later operation faces it.

Each case is a small spec built on tests/cases/_valid; the expected Cpk values are worked out by hand in exact
decimals from the shipped default profile (brake: ±0.2 mm across one bend + 0.1 mm per further bend; laser
±0.1 mm; saw ±0.5 mm; all at Cp 1.33, no mean shift), so Cpk = (tolerance / held) × 1.33.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from techpack.engine import Options, compile_spec
from techpack.routing import route

VALID = Path(__file__).parent / "cases" / "_valid"
BASE = (VALID / "techpack.yaml").read_text(encoding="utf-8")

MATERIALS = """
  - id: al5052
    designation: EN AW-5052-H32
    standard: EN 485-2
    grade: "5052"
    temper: H32
    family: aluminium
    form: sheet
    density: 2.68 g/cm3
  - id: al6060-profile
    designation: EN AW-6060-T66
    standard: EN 755-2
    grade: "6060"
    temper: T66
    family: aluminium
    form: extrusion
    density: 2.70 g/cm3
  - id: al6082-bar
    designation: EN AW-6082-T6
    standard: EN 755-2
    grade: "6082"
    temper: T6
    family: aluminium
    form: bar
    density: 2.71 g/cm3
"""


def spec(tmp_path: Path, part: str) -> Path:
    """The valid base spec with its one part replaced by ``part`` (YAML under ``parts:``)."""
    head, rest = BASE.split("parts:\n", 1)
    _, tail = rest.split("\nbom:", 1)
    head = head.replace("    certificate: EN 10204 3.1\n", "    certificate: EN 10204 3.1\n" + MATERIALS.lstrip("\n"), 1)
    folder = tmp_path / "product"
    folder.mkdir()
    shutil.copy(VALID / "part.py", folder / "part.py")
    (folder / "techpack.yaml").write_text(head + "parts:\n" + part + "\nbom:" + tail, encoding="utf-8")
    return folder


def rows_of(folder: Path):
    result = compile_spec(folder, Options(geometry=False))
    return result, {r.subject.split("/", 1)[1]: r for r in result.context.capability_rows}


# ------------------------------------------------------------------ bends


HAT = """  - number: TP-2001-01
    name: Hat channel
    revision: A
    material: al5052
    finish: anodise-clear
    geometry: {cadquery: part.py}
    general_tolerance: ISO 2768-mK
    sheet_metal: {thickness: 1.5 mm, bend_radius: 1.5 mm}
    datums:
      - {label: A, feature: base}
    features:
      - {id: base, type: face}
      - {id: edge-a, type: edge, description: laser-cut edge at X0}
      - {id: flange-a, type: flange, description: first flange}
      - {id: flange-b, type: flange, description: last flange}
      # three bend lines along Y, at X 20, 50 and 80 from the datum origin
      - {id: b1, type: bend, axis: y, locations: [{x: 20 basic}]}
      - {id: b2, type: bend, axis: y, locations: [{x: 50 basic}]}
      - {id: b3, type: bend, axis: y, locations: [{x: 80 basic}]}
      - {id: h0, type: hole, size: Ø5 ±0.2, depth: through, axis: z, locations: [{x: 10 ±0.3, y: 10 basic}]}
      - {id: h1, type: hole, size: Ø5 ±0.2, depth: through, axis: z, locations: [{x: 35 ±0.3, y: 10 basic}]}
      - {id: h2, type: hole, size: Ø5 ±0.2, depth: through, axis: z, locations: [{x: 65 ±0.3, y: 10 basic}]}
      - {id: h3, type: hole, size: Ø5 ±0.2, depth: through, axis: z, locations: [{x: 95 ±0.45, y: 10 ±0.3}]}
      - {id: h4, type: hole, size: Ø5 ±0.2, depth: through, axis: z, locations: [{x: 95 ±0.3, y: 10 basic}]}
    dimensions:
      - {id: edge-to-flange, value: 30 ±0.3, between: [edge-a, flange-a]}
      - {id: flange-span, value: 100 ±0.3, between: [flange-a, flange-b]}
"""


def test_locations_across_none_one_two_three_bends(tmp_path: Path) -> None:
    result, rows = rows_of(spec(tmp_path, HAT))
    # X 10: before the first bend line: the laser alone
    assert (rows["h0.x"].operations, rows["h0.x"].held) == (("laser-cutting",), "±0.1 mm")
    assert rows["h0.x"].cpk == Decimal("3.990000")  # 0.3 / 0.1 × 1.33
    # X 35: across b1
    assert (rows["h1.x"].operations, rows["h1.x"].model, rows["h1.x"].held) == (
        ("laser-cutting", "bending"), "bend", "±0.2 mm")
    assert rows["h1.x"].cpk == Decimal("1.995000")  # 0.3 / 0.2 × 1.33
    # X 65: across b1 and b2
    assert rows["h2.x"].held == "±0.3 mm across 2 bends (±0.2 mm + 1 × 0.1 mm)"
    assert rows["h2.x"].cpk == Decimal("1.330000") and rows["h2.x"].ok  # exactly the minimum
    # X 95: across all three
    assert rows["h3.x"].held == "±0.4 mm across 3 bends (±0.2 mm + 2 × 0.1 mm)"
    assert rows["h3.x"].cpk == Decimal("1.496250") and rows["h3.x"].ok  # 0.45 / 0.4 × 1.33
    # the same hole at ±0.3 across three bends: 0.3 / 0.4 × 1.33 = 0.9975
    assert rows["h4.x"].cpk == Decimal("0.997500") and not rows["h4.x"].ok
    found = [d for d in result.diagnostics if d.code == "TP301" and d.subject == "TP-2001-01/h4.x"]
    assert len(found) == 1 and "±0.4 mm across 3 bends" in found[0].message
    # Y runs along the bend lines: it crosses none
    assert (rows["h3.y"].operations, rows["h3.y"].held) == (("laser-cutting",), "±0.1 mm")


def test_dimensions_across_one_and_two_bends(tmp_path: Path) -> None:
    _, rows = rows_of(spec(tmp_path, HAT))
    # a laser-cut edge to a flange: one bend
    assert (rows["edge-to-flange"].model, rows["edge-to-flange"].held) == ("bend", "±0.2 mm")
    assert rows["edge-to-flange"].cpk == Decimal("1.995000")
    # flange to flange: one bend each
    assert (rows["flange-span"].operations, rows["flange-span"].held) == (
        ("bending",), "±0.3 mm across 2 bends (±0.2 mm + 1 × 0.1 mm)")
    assert rows["flange-span"].cpk == Decimal("1.330000")


def test_a_brake_without_a_per_bend_figure_says_so(tmp_path: Path) -> None:
    folder = spec(tmp_path, HAT)
    cap = (Path(__file__).parents[1] / "specs" / "capability" / "typical-cnc-job-shop.yaml").read_text()
    assert cap.count("    per_bend_pm: 0.1 mm\n") == 1
    (folder / "shop.yaml").write_text(cap.replace("    per_bend_pm: 0.1 mm\n", ""), encoding="utf-8")
    result = compile_spec(folder, Options(geometry=False, capability=[folder / "shop.yaml"]))
    rows = {r.subject.split("/", 1)[1]: r for r in result.context.capability_rows}
    assert rows["h2.x"].held == "±0.2 mm across 2 bends (no per_bend_pm figure: one bend's)"


def test_a_negative_per_bend_figure_is_refused(tmp_path: Path) -> None:
    folder = spec(tmp_path, HAT)
    cap = (Path(__file__).parents[1] / "specs" / "capability" / "typical-cnc-job-shop.yaml").read_text()
    (folder / "shop.yaml").write_text(cap.replace("    per_bend_pm: 0.1 mm\n", "    per_bend_pm: -0.1 mm\n"),
                                      encoding="utf-8")
    result = compile_spec(folder, Options(geometry=False, capability=[folder / "shop.yaml"]))
    assert any(d.code in ("TP312", "TP013") and "per_bend_pm" in (d.message + str(d.location))
               for d in result.diagnostics)
    assert result.diagnostics.has_errors


# ------------------------------------------------------------------ sawing


def part(material: str, features: str, dimensions: str, extra: str = "") -> str:
    return f"""  - number: TP-2001-01
    name: Rail
    revision: A
    material: {material}
    finish: anodise-clear
    geometry: {{cadquery: part.py}}
    general_tolerance: ISO 2768-mK
{extra}    features:
{features}    dimensions:
{dimensions}"""


HOLES = ("      - {id: holes, type: hole, size: Ø6.6 ±0.2, depth: through, axis: z, count: 2}\n"
         "      - {id: threads, type: thread, thread: M5x0.8-6H, depth: through, axis: y, count: 2}\n")
LENGTH = "      - {id: length, value: 500 ±1, description: cut length}\n"


def test_the_saw_makes_the_length_of_a_drilled_profile(tmp_path: Path) -> None:
    result, rows = rows_of(spec(tmp_path, part("al6060-profile", HOLES, LENGTH)))
    routes = result.context.supplier_results[0].routes["TP-2001-01"]
    assert [op for op, _ in routes] == ["sawing", "drilling", "tapping"]
    assert dict(routes)["sawing"] == ["saw-band"]
    got = {k: (r.operations, r.model) for k, r in rows.items()}
    assert got == {"length": (("sawing",), "single"), "holes.size": (("drilling",), "single")}
    assert rows["length"].machine == "saw-band"
    assert rows["length"].held == "±0.5 mm" and rows["length"].cpk == Decimal("2.660000")  # 1 / 0.5 × 1.33


def test_turning_faces_the_length_of_a_bar_part(tmp_path: Path) -> None:
    shaft = "      - {id: od, type: shaft, size: Ø20 ±0.1, axis: z}\n"
    result, rows = rows_of(spec(tmp_path, part("al6082-bar", shaft, "      - {id: length, value: 50 ±0.2}\n")))
    assert [op for op, _ in result.context.supplier_results[0].routes["TP-2001-01"]] == ["turning"]
    assert {k: (r.operations, r.machine) for k, r in rows.items()} == {
        "od.size": (("turning",), "lathe-cnc"), "length": (("turning",), "lathe-cnc")}


def test_a_milled_end_face_faces_the_length(tmp_path: Path) -> None:
    faces = HOLES + "      - {id: end, type: face, gdt: [{characteristic: flatness, tolerance: 0.1}]}\n"
    result, rows = rows_of(spec(tmp_path, part("al6060-profile", faces, LENGTH)))
    ops = [op for op, _ in result.context.supplier_results[0].routes["TP-2001-01"]]
    assert "sawing" not in ops
    assert rows["length"].operations == ("milling-3axis",)


def test_a_sawn_face_to_a_milled_face_is_a_stack(tmp_path: Path) -> None:
    faces = (HOLES + "      - {id: cut-end, type: face, roughness: {ra: 25 um, process: sawn}}\n"
             "      - {id: end, type: face, gdt: [{characteristic: flatness, tolerance: 0.1}]}\n")
    dims = "      - {id: cut-to-end, value: 300 ±1, between: [cut-end, end]}\n"
    result, rows = rows_of(spec(tmp_path, part("al6060-profile", faces, dims)))
    assert result.context.routings["TP-2001-01"].feature_op["cut-end"] == "sawing"
    row = rows["cut-to-end"]
    assert (row.operations, row.model) == (("sawing", "milling-3axis"), "RSS")
    assert row.held.startswith("saw-band ±0.5 mm ⊕ mill-")


def test_an_explicit_process_with_the_saw(tmp_path: Path) -> None:
    result, rows = rows_of(spec(tmp_path, part("al6060-profile", HOLES, LENGTH,
                                               "    process: [sawing, drilling]\n")))
    assert rows["length"].operations == ("sawing",)
    assert rows["holes.size"].operations == ("drilling",)


@pytest.mark.parametrize("form, kind_ops", [("plate", ["drilling", "tapping"]), ("bar", ["sawing", "drilling", "tapping"])])
def test_only_stock_cut_to_length_is_sawn(tmp_path: Path, form: str, kind_ops: list[str]) -> None:
    folder = spec(tmp_path, part("al6082-bar", HOLES, LENGTH))
    text = (folder / "techpack.yaml").read_text()
    (folder / "techpack.yaml").write_text(text.replace("    form: bar\n", f"    form: {form}\n"))
    result = compile_spec(folder, Options(geometry=False))
    p = result.loaded.spec.parts[0]
    assert route(p, result.context.material(p)).ops == kind_ops

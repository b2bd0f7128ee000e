"""Characteristic IDs are stable; general tolerances resolve from ISO 2768-1."""

from __future__ import annotations

from pathlib import Path

from decimal import Decimal as D

from techpack.engine import Options, compile_spec

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def ids(result, part):
    return [c.id for c in result.context.characteristics[part]]


def test_bracket_characteristics():
    result = compile_spec(EXAMPLES / "bracket", Options(geometry=False))
    got = ids(result, "TP-1001-01")
    assert got[:4] == ["base.flatness", "base.ra", "front.perpendicularity", "left.perpendicularity"]
    for expected in ["bore.size", "bore.position", "bore.perpendicularity", "bore.ra", "mount-holes.size",
                     "mount-holes.position", "upright-threads.x.1", "upright-threads.z.2", "upright-threads.thread",
                     "length", "width", "base-thickness", "note.1", "note.2"]:
        assert expected in got
    assert len(got) == len(set(got))


def test_removing_a_feature_keeps_every_other_id(example):
    folder = example("bracket")
    spec = folder / "techpack.yaml"
    before = ids(compile_spec(folder, Options(geometry=False)), "TP-1001-01")
    text = spec.read_text()
    start = text.index("      - id: mount-holes")
    end = text.index("      - id: upright-threads")
    spec.write_text(text[:start] + text[end:])
    after = ids(compile_spec(folder, Options(geometry=False)), "TP-1001-01")
    assert [i for i in before if not i.startswith("mount-holes.")] == after


def test_general_tolerance_fills_untoleranced_dimensions():
    result = compile_spec(EXAMPLES / "bracket", Options(geometry=False))
    chars = {c.id: c for c in result.context.characteristics["TP-1001-01"]}
    width = chars["width"]  # "50" under ISO 2768-m: 30-120 mm -> ±0.3
    assert width.general and width.dim.plus == D("0.3") and width.dim.minus == D("-0.3")
    thickness = chars["upright-thickness"]  # "8": 6-30 mm -> ±0.2
    assert thickness.dim.plus == D("0.2")


def test_a_chamfer_and_a_fillet_take_the_broken_edge_table(example):
    """ISO 2768-1 Table 2 (external radii, chamfer heights), not Table 1, for a chamfer's and a fillet's size."""
    folder = example("bracket")
    spec = folder / "techpack.yaml"
    text = spec.read_text()
    anchor = "      - id: upright-threads\n"
    assert anchor in text
    added = ("      - {id: edge-chamfer, type: chamfer, size: \"1\"}\n"  # m, 0.5-3: ±0.2 (Table 1: ±0.1)
             "      - {id: corner-fillet, type: fillet, size: \"4\"}\n"  # m, 3-6: ±0.5 (Table 1: ±0.1)
             "      - {id: big-chamfer, type: chamfer, size: \"8\"}\n"  # m, >6: ±1 (Table 1: ±0.2)
             "      - {id: tab, type: width, size: \"1\"}\n")  # a linear size: Table 1, 0.5-3: ±0.1
    spec.write_text(text.replace(anchor, added + anchor, 1))
    result = compile_spec(folder, Options(geometry=False))
    chars = {c.id: c for c in result.context.characteristics["TP-1001-01"]}
    for cid, pm in (("edge-chamfer.size", "0.2"), ("corner-fillet.size", "0.5"), ("big-chamfer.size", "1"),
                    ("tab.size", "0.1")):
        dim = chars[cid].dim
        assert chars[cid].general and (dim.plus, dim.minus) == (D(pm), -D(pm)), (cid, dim.plus, dim.minus)


def test_no_general_class_means_untoleranced(example):
    folder = example("bracket")
    spec = folder / "techpack.yaml"
    text = spec.read_text().replace("    general_tolerance: ISO 2768-mK\n", "")
    spec.write_text(text)
    lines = text.splitlines()

    def at(fragment, value):
        """(line, column) of ``value`` on the line holding ``fragment``, 1-based."""
        i, line = next((i, line) for i, line in enumerate(lines, 1) if fragment in line)
        return i, line.index(value) + 1

    result = compile_spec(folder, Options(geometry=False))
    found = {(d.subject, d.location.line, d.location.column) for d in result.diagnostics if d.code == "TP401"}
    assert found == {
        ("TP-1001-01/width", *at("{id: width,", '"50"')),
        ("TP-1001-01/upright-thickness", *at("{id: upright-thickness,", '"8"')),
    }

"""Spec vs model (TP120, TP121): the drawing says one thing, the model another."""

from __future__ import annotations

from techpack.engine import compile_spec


def _codes(comp, code):
    return [d for d in comp.diagnostics if d.code == code]


def test_the_examples_agree_with_their_models(compiled):
    for comp in compiled.values():
        assert not _codes(comp, "TP120") and not _codes(comp, "TP121")


def test_a_hole_moved_in_the_model_is_found_and_located(copy_example):
    folder = copy_example("bracket")
    model = folder / "geometry" / "bracket.py"
    text = model.read_text(encoding="utf-8")
    moved = text.replace("((10, 10), (70, 10), (10, 32), (70, 32))", "((10, 10), (70, 10), (10, 32), (72, 32))")
    assert moved != text
    model.write_text(moved, encoding="utf-8")
    comp = compile_spec(folder)
    found = _codes(comp, "TP120")
    assert len(found) == 1, [str(d) for d in comp.diagnostics]
    d = found[0]
    assert d.severity.value == "error"
    assert d.subject == "TP-1001-01/mount-holes"
    assert d.message == ("mount-holes at X 70, Y 32: no Ø6.6 ±0.1 hole along Z there in the model; "
                         "the nearest is at X 72, Y 32 (2 mm away)")
    # located at the fourth location of the mount-holes in the spec
    spec_lines = (folder / "techpack.yaml").read_text(encoding="utf-8").splitlines()
    assert d.location.file.endswith("techpack.yaml")
    assert "{x: 70 basic, y: 32 basic}" in spec_lines[d.location.line - 1]
    assert comp.diagnostics.has_errors


def test_a_hole_of_the_wrong_size_is_found(copy_example):
    folder = copy_example("bracket")
    model = folder / "geometry" / "bracket.py"
    model.write_text(model.read_text(encoding="utf-8").replace("z_hole(40, 21, 12.0)", "z_hole(40, 21, 12.5)"),
                     encoding="utf-8")
    comp = compile_spec(folder)
    (d,) = _codes(comp, "TP120")
    assert d.message == "bore at X 40, Y 21: the model's hole there is Ø12.5, the spec says Ø12 H7 bore"
    assert d.subject == "TP-1001-01/bore"


def test_a_slot_and_a_dimension_the_model_lacks(copy_example):
    folder = copy_example("enclosure")
    lid = folder / "parts" / "lid.yaml"
    text = lid.read_text(encoding="utf-8")
    text = text.replace("size: 15 ±0.1", "size: 16 ±0.1").replace("value: 4 ±0.05", "value: 4.5 ±0.05")
    lid.write_text(text, encoding="utf-8")
    comp = compile_spec(folder)
    (slot,) = _codes(comp, "TP120")
    assert slot.subject == "TP-3001-02/window" and "no slot 16 ±0.1 across Z at X 60, Y 40" in slot.message
    # the thickness names its faces (between: [bottom, top]): the finding says how far apart they are
    (dim,) = _codes(comp, "TP131")
    assert dim.subject == "TP-3001-02/thickness" and dim.severity.value == "error"
    assert "bottom and top lie 4 along Z apart in the model" in dim.message
    assert dim.location.file.endswith("lid.yaml")

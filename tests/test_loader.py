"""Specs spread over several files: sections merge, and every location names its own file."""

from __future__ import annotations

from techpack.engine import Options, compile_spec


def test_locations_stay_exact_across_included_files(example):
    folder = example("enclosure")
    lid = folder / "parts" / "lid.yaml"
    text = lid.read_text()
    lid.write_text(text.replace("material: al6061", "material: al6061x", 1))
    result = compile_spec(folder, Options(geometry=False))
    [d] = [d for d in result.diagnostics if d.code == "TP102"]
    lines = lid.read_text().splitlines()
    line = next(i for i, s in enumerate(lines, 1) if "material: al6061x" in s)
    assert d.location.file.endswith("parts/lid.yaml")
    assert (d.location.line, d.location.column) == (line, lines[line - 1].index("al6061x") + 1)


def test_included_parts_merge_in_file_order(example):
    result = compile_spec(example("enclosure"), Options(geometry=False))
    assert [p.number for p in result.loaded.spec.parts] == ["TP-3001-01", "TP-3001-02", "TP-3001-03"]
    names = [f.path.name for f in result.loaded.files]
    assert names == ["techpack.yaml", "body.yaml", "lid.yaml", "standoff.yaml"]


def test_spec_hash_changes_with_any_file(example):
    folder = example("enclosure")
    before = compile_spec(folder, Options(geometry=False)).loaded.sha256
    standoff = folder / "parts" / "standoff.yaml"
    standoff.write_text(standoff.read_text() + "\n# a comment\n")
    assert compile_spec(folder, Options(geometry=False)).loaded.sha256 != before

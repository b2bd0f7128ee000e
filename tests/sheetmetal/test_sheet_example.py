"""The sheet-metal example: clean on the default profile; its pack holds the flat pattern, in the PDF too."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf

from techpack.build import build
from techpack.engine import Options, compile_spec
from techpack.renderers import RENDERERS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def test_example_checks_clean_on_the_default_profile():
    comp = compile_spec(EXAMPLES / "sheet-bracket", Options())
    assert comp.ok
    assert [str(d) for d in comp.diagnostics if d.severity.value != "info"] == []
    flat = comp.context.flat_patterns["TP-4001-01"]
    assert flat.k == 0.325  # the spec's DIN k 0.65, halved
    assert [(b.angle, b.radius, b.direction) for b in flat.bends] == [(90.0, 2.0, "up")]


def test_every_sheet_metal_part_of_every_example_unfolds():
    for name in ("enclosure", "sheet-bracket"):
        comp = compile_spec(EXAMPLES / name, Options())
        sheet_parts = {p.number for p in comp.loaded.spec.parts if p.sheet_metal is not None}
        assert sheet_parts and sheet_parts == set(comp.context.flat_patterns)


def test_pack_lists_and_attaches_the_flat_pattern(tmp_path):
    out = tmp_path / "pack"
    renderers = {k: RENDERERS[k] for k in ("flat", "techpack-pdf")}
    result = build(EXAMPLES / "sheet-bracket", out, renderers=renderers)
    assert result.written, [str(d) for d in result.diagnostics]
    kinds = {f["path"]: f["kind"] for f in json.loads((out / "manifest.json").read_bytes())["files"]}
    assert kinds["flat/TP-4001-01.dxf"] == "flat-pattern-dxf"
    assert kinds["flat/TP-4001-01.svg"] == "flat-pattern-svg"
    reader = pypdf.PdfReader(out / "techpack.pdf")
    assert reader.attachments["flat/TP-4001-01.dxf"] == [(out / "flat/TP-4001-01.dxf").read_bytes()]
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "flat/TP-4001-01.dxf: developed from the 3D model, 1:1 in mm" in text
    assert "Shown here 1:1." in text

"""A sheet-metal part's drawing has a second sheet: its flat pattern, at true size in the DXF's model space."""

from __future__ import annotations

import ezdxf
import pytest
from ezdxf import bbox
from ezdxf.tools.text import plain_mtext

from drawing_helpers import EXAMPLES, compile_example


@pytest.fixture(scope="module")
def sheet_metal(tmp_path_factory):
    """Part number -> (flat pattern, sheet 1, sheet 2, sheet 2 DXF path) for the sheet-metal examples."""
    from techpack.drawings import make_sheet
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.flat_sheet import flat_sheet

    folder = tmp_path_factory.mktemp("flat-sheet")
    out = {}
    for name in ("enclosure", "sheet-bracket"):
        comp = compile_example(EXAMPLES / name)
        for part in comp.loaded.spec.parts:
            two = flat_sheet(comp, part)
            flat = comp.context.flat_patterns.get(part.number)
            assert (two is None) == (flat is None or bool(flat.not_sheet)), part.number
            if two is None:
                continue
            path = folder / f"{part.number}-flat.dxf"
            path.write_bytes(write_dxf(two, comp.date))
            out[part.number] = (flat, make_sheet(comp, part), two, path)
    return out


def test_the_sheet_metal_parts_have_a_flat_sheet(sheet_metal):
    assert set(sheet_metal) == {"TP-3001-01", "TP-4001-01"}  # the enclosure body and the bent bracket


def test_the_flat_sheet_measures_the_developed_pattern_at_true_size(sheet_metal):
    for pn, (flat, _one, two, path) in sheet_metal.items():
        msp = ezdxf.readfile(path).modelspace()
        ext = bbox.extents(msp.query('*[layer=="VISIBLE"]'))
        assert (round(ext.size.x, 3), round(ext.size.y, 3)) == pytest.approx(flat.size, abs=1e-3), pn
        bends = list(msp.query('LINE[layer=="BEND"]'))
        assert len(bends) == len(flat.bends) >= 1
        holes = sorted(round(c.dxf.radius, 4) for c in msp.query('CIRCLE[layer=="VISIBLE"]'))
        assert holes == sorted(round(r, 4) for _c, r in flat.holes)
        texts = {plain_mtext(m.text) for m in msp.query("MTEXT")}
        assert "2 / 2" in texts and f"{two.scale[0]}:{two.scale[1]}" in texts
        for b in flat.bends:
            assert any(t.startswith(f"{b.id} {b.direction.upper()} {b.angle:g}°") for t in texts)
        # the developed length and width as reference dimensions, measuring the model at true size
        sizes = sorted((d.dxf.text, round(d.dxf.actual_measurement, 3)) for d in msp.query("DIMENSION"))
        w, h = flat.size
        assert sizes == sorted([(f"({w:.2f})", round(w, 3)), (f"({h:.2f})", round(h, 3))])
        # and it fits: the view inside the frame, above the title block
        assert two.view_boxes["flat"].y0 > two.reserved["title block"].y1


def test_sheet_one_says_it_is_one_of_two(sheet_metal):
    from techpack.drawings.model import Text

    for _pn, (_flat, one, _two, _path) in sheet_metal.items():
        assert any(isinstance(p, Text) and p.text == "1 / 2" for p in one.primitives)


def test_the_drawings_renderer_lists_sheet_two():
    from techpack.renderers.drawings import RENDERER

    comp = compile_example(EXAMPLES / "sheet-bracket")
    paths = {t.path: t.kind for t in RENDERER.targets(comp)}
    assert paths["drawings/TP-4001-01-flat.dxf"] == "drawing-dxf"
    assert paths["drawings/TP-4001-01-flat.svg"] == "drawing-svg"
    bracket = {t.path for t in RENDERER.targets(compile_example(EXAMPLES / "bracket"))}
    assert not any(p.endswith("-flat.dxf") for p in bracket)

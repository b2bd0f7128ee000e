"""Every sheet of every example, printed by LibreCAD from the DXF, shows what our SVG shows.

LibreCAD redraws every DIMENSION from its definition points and prints model space at the
header's scale on the header's paper (``dxf2pdf`` without fit-to-page).  Our SVG goes through
techpack's PDF path (WeasyPrint).  Both are rasterised at 100 dpi (0.25 mm a pixel).

Thresholds (a 2 mm strip at the paper's edge is left out: neither prints there):

* within 0.5 mm: at least 95 % of LibreCAD's ink lies near ours, and 88 % of ours near LibreCAD's;
* within 1.0 mm: at least 95 % each way.

The asymmetry is the lettering: LibreCAD draws its own single-stroke font, about 4 % narrower
than DejaVu Sans, so the ends of long note lines drift by up to 2–3 mm, and our filled letters
have more ink than its strokes.  A misplaced dimension value, a detached callout or a missing view
is a block of unmatched ink several millimetres across and fails the 1.0 mm figures.  On
failure the test writes an image (LibreCAD-only ink red, SVG-only ink blue) and names it.
"""

from __future__ import annotations

import pytest

import ink
from drawing_helpers import EXAMPLES, compile_example

ALL_EXAMPLES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "techpack.yaml").is_file())
EDGE_MM = 2.0


@pytest.fixture(scope="module")
def every_sheet(tmp_path_factory):
    """(example, part number) -> (dxf path, svg path, sheet), for every part of every example."""
    from techpack.drawings import make_sheet
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.flat_sheet import flat_sheet
    from techpack.drawings.svg import write_svg

    folder = tmp_path_factory.mktemp("every-sheet")
    out = {}
    for name in ALL_EXAMPLES:
        comp = compile_example(EXAMPLES / name)
        for part in comp.loaded.spec.parts:
            sheet = make_sheet(comp, part)
            dxf, svg = folder / f"{part.number}.dxf", folder / f"{part.number}.svg"
            dxf.write_bytes(write_dxf(sheet, comp.date))
            svg.write_bytes(write_svg(sheet))
            out[(name, part.number)] = (dxf, svg, sheet)
            flat = flat_sheet(comp, part)  # sheet 2 of a sheet-metal part: its flat pattern
            if flat is not None:
                dxf, svg = folder / f"{part.number}-flat.dxf", folder / f"{part.number}-flat.svg"
                dxf.write_bytes(write_dxf(flat, comp.date))
                svg.write_bytes(write_svg(flat))
                out[(name, f"{part.number}-flat")] = (dxf, svg, flat)
    return out


def test_every_example_is_compared(every_sheet):
    assert {"bracket", "shaft", "enclosure", "sheet-bracket"} <= set(ALL_EXAMPLES)
    assert {"TP-3001-01-flat", "TP-4001-01-flat"} <= {pn for _name, pn in every_sheet}  # flat patterns' sheets


@pytest.mark.skipif(not ink.have_tools(), reason="LibreCAD or pdftoppm is not installed")
def test_librecad_prints_every_sheet_as_the_svg_draws_it(every_sheet, tmp_path):
    failures = []
    for (name, pn), (dxf, svg, sheet) in sorted(every_sheet.items()):
        lc = ink.librecad_ink(dxf, tmp_path)
        ours = ink.svg_ink(svg, sheet.width, sheet.height, tmp_path)
        edge = round(EDGE_MM / 25.4 * ink.DPI)
        for img in (lc, ours):
            img[:edge, :] = img[-edge:, :] = img[:, :edge] = img[:, -edge:] = False
        assert lc.sum() > 10000 and ours.sum() > 10000, (pn, "a blank print")
        near = ink.compare(lc, ours, 0.5)
        wide = ink.compare(lc, ours, 1.0)
        ok = near.a_in_b >= 0.95 and near.b_in_a >= 0.88 and wide.a_in_b >= 0.95 and wide.b_in_a >= 0.95
        if not ok:
            image = ink.failure_image(near, tmp_path / f"{pn}-librecad-vs-svg.png")
            failures.append(f"{name} {pn}: within 0.5 mm {near.a_in_b:.3f} of LibreCAD's ink near ours, "
                            f"{near.b_in_a:.3f} of ours near LibreCAD's; within 1 mm {wide.a_in_b:.3f}, "
                            f"{wide.b_in_a:.3f}; see {image}")
    assert not failures, "\n".join(failures)


def test_a_misplaced_value_fails_the_comparison(every_sheet, tmp_path):
    """The measure sees a dimension value moved by 15 mm (the kind of fault LibreCAD showed before)."""
    import numpy as np

    if not ink.have_tools():
        pytest.skip("LibreCAD or pdftoppm is not installed")
    dxf, svg, sheet = every_sheet[("shaft", "TP-2001-01")]
    ours = ink.svg_ink(svg, sheet.width, sheet.height, tmp_path)
    moved = np.zeros_like(ours)
    shift = round(15 / 25.4 * ink.DPI)
    moved[:-shift, :] = ours[shift:, :]  # everything 15 mm up
    m = ink.compare(moved, ours, 1.0)
    assert m.a_in_b < 0.95 and m.b_in_a < 0.95
    path = ink.failure_image(m, tmp_path / "moved.png")
    assert path.is_file() and path.stat().st_size > 1000

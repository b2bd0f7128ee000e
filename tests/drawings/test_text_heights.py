"""Every text on every example drawing (SVG and DXF, every sheet) is set at an ISO 3098 height: 2.5, 3.5, 5 or 7
mm (the larger steps 10, 14, 20 are allowed, 1.8 is not: the issue asks for 2.5 as the smallest)."""

from __future__ import annotations

import re

import ezdxf
import pytest

from drawing_helpers import EXAMPLES, compile_example

SERIES = (2.5, 3.5, 5.0, 7.0, 10.0, 14.0, 20.0)


def _in_series(h: float) -> bool:
    return any(abs(h - s) < 1e-3 for s in SERIES)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """(name, svg bytes, dxf path, sheet) for every sheet of every example."""
    from techpack.drawings import make_sheet
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.flat_sheet import flat_sheet
    from techpack.drawings.svg import write_svg

    folder = tmp_path_factory.mktemp("heights")
    out = []
    for name in ("bracket", "shaft", "enclosure", "sheet-bracket"):
        comp = compile_example(EXAMPLES / name)
        for part in comp.loaded.spec.parts:
            for k, sheet in enumerate(s for s in (make_sheet(comp, part), flat_sheet(comp, part)) if s is not None):
                path = folder / f"{part.number}-{k}.dxf"
                path.write_bytes(write_dxf(sheet, comp.date))
                out.append((f"{part.number} sheet {k + 1}", write_svg(sheet), path, sheet))
    assert len(out) >= 7  # six parts, two of them sheet metal with a flat-pattern sheet
    return out


def test_every_svg_text_is_an_iso_3098_height(drawn):
    from techpack.drawings.text import CAP

    bad = []
    for name, svg, _dxf, _sheet in drawn:
        sizes = [float(s) for s in re.findall(rb'<text [^>]*font-size="([0-9.]+)"', svg)]
        assert len(sizes) > 50, name  # the title block alone has more texts than that
        bad += [(name, round(s * CAP, 3)) for s in sizes if not _in_series(s * CAP)]
    assert not bad, bad


def test_every_dxf_text_is_an_iso_3098_height_on_paper(drawn):
    bad = []
    for name, _svg, path, sheet in drawn:
        doc = ezdxf.readfile(path)
        paper_per_model = sheet.scale[0] / sheet.scale[1]
        count = 0
        layouts = [doc.modelspace()] + [b for b in doc.blocks if b.name.startswith("*D")]
        for layout in layouts:
            for e in layout.query("MTEXT TEXT"):
                h = (e.dxf.char_height if e.dxftype() == "MTEXT" else e.dxf.height) * paper_per_model
                count += 1
                if not _in_series(h):
                    bad.append((name, e.dxftype(), e.plain_text() if e.dxftype() == "MTEXT" else e.dxf.text, h))
        for style in doc.dimstyles:  # the height a reader uses when it regenerates a dimension's text
            h = style.dxf.dimtxt
            if not _in_series(h):
                bad.append((name, "DIMSTYLE", style.dxf.name, h))
        assert count > 50, name
    assert not bad, bad


def test_balloons_and_revision_marks_use_the_series():
    """The smallest texts: a balloon's ID and a revision triangle's letter, and the revision table's labels."""
    from techpack.drawings.model import Text
    from techpack.drawings.revmarks import RevisionMark, RevisionRow, table_for
    from techpack.drawings.symbols import balloon

    texts = [p for p in balloon("mount-holes.x.1", 0.0, 0.0)[0] if isinstance(p, Text)]
    texts += [p for p in RevisionMark("c", "B", 0.0, 0.0).primitives() if isinstance(p, Text)]
    table = table_for([RevisionRow("A", "first issue", "2026-01-01", "R. O."), RevisionRow("B", "x" * 300, "2026-02-01", "R. O.")])
    texts += [p for p in table.primitives() if isinstance(p, Text)]
    assert len(texts) > 8
    assert {p.height for p in texts} <= set(SERIES), sorted({p.height for p in texts})

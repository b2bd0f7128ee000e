"""Cut-outs against bends on the flat (TP709's geometry) and bend labels clear of the cuts (a reader's U-bracket)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from techpack.drawings.text import text_width
from techpack.sheetmetal.dxf import TEXT_H, bend_label, write_flat_dxf
from techpack.sheetmetal.flat import load_flat
from techpack.sheetmetal.labels import crossings, cut_segments, place
from techpack.checks.sheetmetal_cuts import intrusion

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
K = 0.4


def _flat(path: Path, tmp_path: Path):
    return load_flat(path, "cadquery", K, cache_dir=tmp_path / "cache")


def test_a_hole_that_runs_into_a_bend_is_a_cut_out_in_its_zone(tmp_path: Path) -> None:
    flat = _flat(HERE / "ubracket" / "ubracket_z4.py", tmp_path)
    cuts = flat.cutouts()
    # 3 round holes (2 in the base, the right flange's), the slot and the straddling left flange hole
    assert sum(c.centre is not None for c in cuts) == 3 and sum(c.centre is None for c in cuts) == 2
    hits = [(c, b, intrusion(c, b)) for c in cuts for b in flat.bends if intrusion(c, b) is not None]
    assert len(hits) == 1
    cut, bend, into = hits[0]
    assert 0.5 < into.depth < into.width
    # its centre on the model is the spec's hole: Y30 Z4 on the left flange
    ys = [p[1] for p in cut.points3]
    zs = [p[2] for p in cut.points3]
    assert abs((min(ys) + max(ys)) / 2 - 30) < 0.01 and abs((min(zs) + max(zs)) / 2 - 4) < 0.01
    assert abs(min(zs) - 1.9) < 0.01  # it reaches Z 1.9, below the tangent line at Z 3


def test_a_hole_near_a_bend_is_not_in_its_zone(tmp_path: Path) -> None:
    flat = _flat(HERE / "ubracket" / "ubracket_z6.py", tmp_path)
    assert not [1 for c in flat.cutouts() for b in flat.bends if intrusion(c, b) is not None]


def _label_boxes_clear(flat) -> None:
    texts = [bend_label(b, flat.k) for b in flat.bends]
    for zone in (False, True):
        spots = place(flat, [(text_width(t, TEXT_H), TEXT_H) for t in texts], zone=zone)
        segs = cut_segments(flat)
        for text, spot in zip(texts, spots):
            assert crossings(spot.corners, segs) == 0, (text, spot)
        if zone:  # and clear of the bend zones' edges
            edges = [t for b in flat.bends for t in b.tangents]
            assert all(crossings(spot.corners, edges) == 0 for spot in spots)


@pytest.mark.parametrize("model", ["ubracket_z4.py", "ubracket_z6.py"])
def test_bend_labels_cross_no_cut_on_the_readers_ubracket(model: str, tmp_path: Path) -> None:
    flat = _flat(HERE / "ubracket" / model, tmp_path)
    # at the middle of its bend line, as before, the left bend's label crosses the flange hole (as the reader saw)
    texts = [bend_label(b, flat.k) for b in flat.bends]
    middle = place(flat, [(text_width(t, TEXT_H), TEXT_H) for t in texts], gap=1.0)
    assert any(crossings(p.corners, cut_segments(flat)) for p in _at_middle(flat, texts)), "the case is not hard"
    assert middle
    _label_boxes_clear(flat)


def _at_middle(flat, texts):
    """The old place: beside the middle of the bend line, on the left of a vertical line."""
    from techpack.sheetmetal.labels import Placed, _box, _frame  # noqa: PLC0415

    out = []
    for b, t in zip(flat.bends, texts):
        o, d, n, length, ang = _frame(b)
        w = text_width(t, TEXT_H)
        out.append(Placed((0, 0), ang, _box(o, d, n, length / 2 - w / 2, length / 2 + w / 2, 1.0, 1.0 + TEXT_H)))
    return out


def test_bend_labels_cross_no_cut_on_the_example_and_in_the_dxf(tmp_path: Path) -> None:
    ezdxf = pytest.importorskip("ezdxf")
    flat = _flat(ROOT / "examples" / "sheet-bracket" / "geometry" / "bracket.py", tmp_path)
    _label_boxes_clear(flat)
    z6 = _flat(HERE / "ubracket" / "ubracket_z6.py", tmp_path)
    data = write_flat_dxf(z6, "RD-3001-01", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    path = tmp_path / "flat.dxf"
    path.write_bytes(data)
    doc = ezdxf.readfile(path)
    from ezdxf import bbox  # noqa: PLC0415

    cut = [e for e in doc.modelspace() if e.dxf.layer == "CUT"]
    wanted = {bend_label(b, z6.k) for b in z6.bends}
    labels = [e for e in doc.modelspace() if e.dxftype() == "TEXT" and e.dxf.text in wanted]
    assert len(labels) == len(z6.bends)
    for t in labels:
        tb = bbox.extents([t], fast=False)
        for e in cut:
            eb = bbox.extents([e])
            if e.dxftype() == "CIRCLE":
                c, r = e.dxf.center, e.dxf.radius
                nx = min(max(c.x, tb.extmin.x), tb.extmax.x)
                ny = min(max(c.y, tb.extmin.y), tb.extmax.y)
                assert (nx - c.x) ** 2 + (ny - c.y) ** 2 > r * r, (t.dxf.text, "circle")
            else:
                pts = [tuple(p)[:2] for p in e.get_points()]
                segs = list(zip(pts, pts[1:] + pts[:1]))
                corners = ((tb.extmin.x, tb.extmin.y), (tb.extmax.x, tb.extmin.y), (tb.extmax.x, tb.extmax.y),
                           (tb.extmin.x, tb.extmax.y))
                assert eb is not None and crossings(corners, segs) == 0, t.dxf.text

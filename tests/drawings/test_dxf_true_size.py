"""The DXF's model space is the part at true size; the header says how to print it at the sheet's scale."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import ezdxf
import pytest
from ezdxf import bbox

from drawing_helpers import PARTS


def _inside(b, box, k) -> bool:
    return (b.has_data and box.x0 * k - 1e-6 <= b.extmin.x and b.extmax.x <= box.x1 * k + 1e-6
            and box.y0 * k - 1e-6 <= b.extmin.y and b.extmax.y <= box.y1 * k + 1e-6)


@pytest.mark.parametrize("pn", PARTS)
def test_every_view_measures_the_part_at_true_size(written, sheets, pn):
    comp, part, sheet = sheets[pn]
    size = comp.context.geometry[part.number].size
    pairs = {tuple(sorted((round(a, 3), round(b, 3)))) for a, b in itertools.combinations(size, 2)}
    k = sheet.scale[1] / sheet.scale[0]
    msp = ezdxf.readfile(written[pn][0]).modelspace()
    visible = list(msp.query('*[layer=="VISIBLE"]'))
    measured = {}
    for view in ("front", "top", "side", "left", "right"):
        if view not in sheet.view_boxes:
            continue
        ents = [e for e in visible if _inside(bbox.extents([e]), sheet.view_boxes[view], k)]
        ext = bbox.extents(ents)
        measured[view] = (round(ext.size.x, 3), round(ext.size.y, 3))
        assert tuple(sorted(measured[view])) in pairs, (view, measured[view], size)
    assert "front" in measured
    if pn == "TP-3001-03":  # the standoff, drawn at 5:1: its 20 mm length is 20 long in the model
        assert sheet.scale == (5, 1) and 20.0 in measured["front"]


@dataclass
class _Header:
    doc: object

    def __getitem__(self, name):
        return self.doc.header[name]


@pytest.mark.parametrize("pn", PARTS)
def test_the_header_prints_the_model_at_the_sheet_scale(written, sheets, pn):
    _comp, _part, sheet = sheets[pn]
    doc = ezdxf.readfile(written[pn][0])
    h = _Header(doc)
    s = sheet.scale[0] / sheet.scale[1]
    assert h["$PSVPSCALE"] == pytest.approx(s)  # LibreCAD prints model space at this scale
    assert tuple(h["$PLIMMIN"]) == (0.0, 0.0) and tuple(h["$PLIMMAX"]) == (sheet.width, sheet.height)
    assert tuple(h["$LIMMAX"]) == pytest.approx((sheet.width / s, sheet.height / s))
    assert h["$LTSCALE"] == pytest.approx(1 / s) and h["$PSLTSCALE"] == 0  # dashes at paper size
    assert h["$DIMSCALE"] == pytest.approx(1 / s) and h["$DIMLFAC"] == 1.0
    assert doc.dimstyles.get("TECHPACK").dxf.dimscale == pytest.approx(1 / s)
    # the extents hold every entity (readers zoom to them; without them a print is blank)
    lo, hi = h["$EXTMIN"], h["$EXTMAX"]
    # (ezdxf's estimate of an MTEXT without a wrap width stacks its words: its insertion point is checked)
    ext = bbox.extents(e for e in doc.modelspace() if e.dxftype() != "MTEXT")
    ext.extend(m.dxf.insert for m in doc.modelspace().query("MTEXT"))
    assert lo[0] <= ext.extmin.x + 1e-3 and lo[1] <= ext.extmin.y + 1e-3
    assert hi[0] >= ext.extmax.x - 1e-3 and hi[1] >= ext.extmax.y - 1e-3
    assert hi[0] - lo[0] < 1.5 * sheet.width / s  # and are not a placeholder
    assert tuple(h["$PEXTMAX"])[:2] == (sheet.width, sheet.height)
    # the paper-space layout: the sheet's paper and one viewport on the whole sheet at its scale
    layout = doc.layouts.get("Sheet")
    vps = [v for v in layout.query("VIEWPORT") if v.dxf.status != 1 or len(layout.query("VIEWPORT")) == 1]
    assert len(vps) == 1
    vp = vps[0]
    assert vp.dxf.height / vp.dxf.view_height == pytest.approx(s)
    assert (vp.dxf.width, vp.dxf.height) == (sheet.width, sheet.height)
    assert tuple(vp.dxf.view_center_point)[:2] == pytest.approx((sheet.width / 2 / s, sheet.height / 2 / s))

"""Surface texture symbols (ISO 1302) stand on a leader that ends on the surface; none hangs under a frame."""

from __future__ import annotations

import math

import pytest

from techpack.drawings.model import Arc, Line
from techpack.drawings.symbols import H

from drawing_helpers import PARTS

TOL = 1e-3


def _on_segment(p: Line, x: float, y: float) -> bool:
    dx, dy = p.x2 - p.x1, p.y2 - p.y1
    n = math.hypot(dx, dy)
    if n < 1e-9:
        return math.hypot(x - p.x1, y - p.y1) < TOL
    t = ((x - p.x1) * dx + (y - p.y1) * dy) / (n * n)
    return abs((x - p.x1) * dy - (y - p.y1) * dx) / n < TOL and -TOL <= t <= 1 + TOL


def _on_outline(sheet, x: float, y: float) -> bool:
    for p in sheet.primitives:
        if getattr(p, "layer", None) != "VISIBLE":
            continue
        if isinstance(p, Line) and _on_segment(p, x, y):
            return True
        if isinstance(p, Arc) and abs(math.hypot(x - p.cx, y - p.cy) - p.r) < TOL:
            return True
    return False


@pytest.mark.parametrize("pn", PARTS)
def test_every_surface_symbol_stands_on_a_leader_to_the_surface(sheets, pn):
    _comp, part, sheet = sheets[pn]
    symbols = [lb for lb in sheet.labels if lb.kind == "roughness"]
    on_views = [f for f in part.features if f.roughness is not None]
    assert len(symbols) <= len(on_views)
    leaders = [p for p in sheet.primitives if isinstance(p, Line) and p.layer == "ANNOTATION"]
    for lb in symbols:
        vx, vy = lb.box.x0 + 1.4 * H / math.sqrt(3.0), lb.box.y0  # the symbol's vertex
        ref = [p for p in leaders if p.y1 == p.y2 and abs(p.y1 - vy) < TOL
               and (math.hypot(p.x1 - vx, p.y1 - vy) < TOL or math.hypot(p.x2 - vx, p.y2 - vy) < TOL)]
        assert ref, lb.owner  # the reference line runs to the vertex
        knee = next((x, y) for x, y in ((ref[0].x1, ref[0].y1), (ref[0].x2, ref[0].y2))
                    if math.hypot(x - vx, y - vy) > TOL)
        slant = [p for p in leaders if p is not ref[0] and (math.hypot(p.x1 - knee[0], p.y1 - knee[1]) < TOL
                                                            or math.hypot(p.x2 - knee[0], p.y2 - knee[1]) < TOL)]
        assert slant, lb.owner
        tip = next((x, y) for x, y in ((slant[0].x1, slant[0].y1), (slant[0].x2, slant[0].y2))
                   if math.hypot(x - knee[0], y - knee[1]) > TOL)
        assert _on_outline(sheet, *tip), lb.owner  # the arrow ends on the surface


def test_the_bracket_symbols_are_on_the_drawing(sheets):
    _comp, _part, sheet = sheets["TP-1001-01"]
    owners = sorted(lb.owner for lb in sheet.labels if lb.kind == "roughness")
    assert owners == ["rough:base", "rough:bore"]

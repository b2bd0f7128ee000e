"""Leader callouts land exactly where the plain one-by-one search puts them.

:mod:`techpack.drawings.callout_search` finds a callout's place without pricing and testing each of its
~3,600 candidate positions in Python.  The reference here is the search as it was written first: every
candidate priced, all sorted, the first 700 tested in order.  Both must give the same bytes: the same
label position, leader and crossings choice, for every example part and for crowded made-up views (some
with every candidate blocked, so the 700-candidate limit decides).
"""

from __future__ import annotations

import math
import pickle
import random

import pytest

from techpack.drawings.blocks import Block, Row, balloon_piece, text_piece
from techpack.drawings.model import Box
from techpack.drawings.place_leaders import _mirrored
from techpack.drawings.placer import CalloutReq, Placer
from techpack.drawings.placing import CLEAR, _seg_hits_box, _segs_cross, _side_dir

from drawing_helpers import PARTS

LIMIT = 700  # candidates the search tests at most


def reference_callout(self, r: CalloutReq) -> bool:
    """The callout search, one candidate at a time (deliberately simple: the reference)."""
    from techpack.drawings.model import Line
    from techpack.drawings.symbols import H, arrowhead, extent_symbol

    bw, bh = r.block.width, r.block.height
    first_h = r.block.rows[0].height
    g = self.geom
    ax, ay = r.anchor if r.circle is None else (r.circle[0], r.circle[1])
    cands = []
    step = 2.5
    for k in range(10):
        off = CLEAR + 4.0 + k * 5.0
        for side in ("top", "bottom", "left", "right"):
            if r.outward is not None and _side_dir(side) != r.outward and k < 2:
                continue
            if side in ("top", "bottom"):
                by = g.y1 + off if side == "top" else g.y0 - off - bh
                for i in range(int((g.w + 2 * 60) / step) + 1):
                    cands.append((g.x0 - 60 - bw / 2 + i * step, by))
            else:
                bx = g.x1 + off if side == "right" else g.x0 - off - bw
                for i in range(int((g.h + 2 * 40) / step) + 1):
                    cands.append((bx, g.y0 - 40 + i * step))
    mirrored = _mirrored(r.block)
    first_w = r.block.rows[0].width
    rough = next((p for p in r.block.rows[0].pieces if p.kind == "roughness"), None)
    sx = 1.4 * H / math.sqrt(3.0)

    def leader_for(bx, by):
        ky = by + bh - first_h / 2
        left = abs(bx - ax) <= abs(bx + bw - ax)
        kx = bx - 0.8 if left else bx + first_w + 0.8
        knee = (kx - 3.0, ky) if left else (kx + 3.0, ky)
        if rough is not None:
            ky = by + bh - first_h
            vx = bx + sx if left else bx + first_w - rough.width + sx
            knee = (bx - 3.8, ky) if left else (bx + first_w + 3.8, ky)
            kx = vx
        if r.circle is not None:
            cx, cy, rad = r.circle
            dx, dy = knee[0] - cx, knee[1] - cy
            n = math.hypot(dx, dy) or 1.0
            start = (cx + rad * dx / n, cy + rad * dy / n)
        else:
            start = (ax, ay)
            if r.alternative is not None:
                alt = r.alternative
                if math.hypot(knee[0] - alt[0], knee[1] - alt[1]) < math.hypot(knee[0] - ax, knee[1] - ay):
                    start = alt
        return start, knee, (kx, ky)

    def cost(c):
        start, knee, _end = leader_for(*c)
        length = math.hypot(knee[0] - start[0], knee[1] - start[1])
        slope = abs(knee[1] - start[1]) / (abs(knee[0] - start[0]) + 1e-6)
        return length + (8.0 if slope < 0.25 or slope > 6 else 0.0)

    scored = sorted((round(cost(c), 3), c) for c in cands)
    costs = dict((c, k) for k, c in scored)
    boundary = r.outward is not None and r.circle is None and (
        abs(ax - g.x0) < 1e-3 or abs(ax - g.x1) < 1e-3 or abs(ay - g.y0) < 1e-3 or abs(ay - g.y1) < 1e-3)
    best = None
    found = 0
    for bx, by in [c for _k, c in scored][:LIMIT]:
        box = Box(bx, by, bx + bw, by + bh)
        start, knee, end = leader_for(bx, by)
        leader = [(start[0], start[1], knee[0], knee[1]), (knee[0], knee[1], end[0], end[1])]
        if boundary and _seg_hits_box(leader[0], g, -0.3):
            continue
        if not self._free(r.owner, [box], [], leader):
            continue
        crossings = sum(1 for t in self.geometry if _segs_cross(leader[0], t))
        crossings += sum(1 for _o, t in self.segs if _segs_cross(leader[0], t) or _segs_cross(leader[1], t))
        score = costs[(bx, by)] + 6.0 * crossings
        if best is None or score < best[0] - 1e-9:
            best = (score, bx, by, start, knee, leader)
        found += 1
        if found >= 12:
            break
    if best is None:
        self.out.failed.append(r.owner)
        return False
    _score, bx, by, start, knee, leader = best
    on_right = not abs(bx - ax) <= abs(bx + bw - ax)
    prims, boxes, balloons = self._draw_block(mirrored if on_right else r.block, bx, by)
    dx, dy = start[0] - knee[0], start[1] - knee[1]
    marks = [Line("ANNOTATION", *leader[0]), Line("ANNOTATION", *leader[1]),
             arrowhead(start[0], start[1], dx, dy, "ANNOTATION")]
    if r.extent is not None:
        marks += extent_symbol(knee[0], knee[1], r.extent)
    dim = None
    if r.dimension is not None:
        dim, prims = self._leader_dimension(r, prims, marks, start)
    else:
        prims += marks
    self._commit(r.owner, boxes, [], leader, prims, dim, balloons)
    return True


class Reference(Placer):
    callout = reference_callout


def _drawn(comp, sheet) -> bytes:
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.svg import write_svg

    return repr(sheet).encode() + write_svg(sheet) + write_dxf(sheet, comp.date)


@pytest.mark.parametrize("pn", PARTS)
def test_example_sheets_are_the_reference_searchs(compiled, pn, monkeypatch):
    from techpack.drawings import layout, layout_cache, make_sheet

    comp = next(c for c in compiled.values() if any(p.number == pn for p in c.loaded.spec.parts))
    part = next(p for p in comp.loaded.spec.parts if p.number == pn)
    monkeypatch.setattr(layout_cache, "get", lambda root, key: None)  # lay out, both times
    monkeypatch.setattr(layout_cache, "put", lambda root, key, sheet: None)
    searched = make_sheet(comp, part)
    monkeypatch.setattr(layout, "Placer", Reference)
    assert _drawn(comp, make_sheet(comp, part)) == _drawn(comp, searched)


def _crowded_view(rng: random.Random, placer: Placer, n_boxes: int, n_segs: int, n_leaders: int) -> None:
    g = placer.geom
    for k in range(n_boxes):
        x, y = rng.uniform(g.x0 - 70, g.x1 + 60), rng.uniform(g.y0 - 60, g.y1 + 50)
        placer._commit(f"b{k}", [("callout", Box(x, y, x + rng.uniform(2, 25), y + rng.uniform(2, 8)))], [], [], [], None, {})
    for k in range(n_segs):
        x, y = rng.uniform(g.x0 - 70, g.x1 + 70), rng.uniform(g.y0 - 60, g.y1 + 60)
        kind = rng.random()
        seg = ((x, y, x, y + rng.uniform(-40, 40)) if kind < 0.4 else (x, y, x + rng.uniform(-40, 40), y) if kind < 0.8
               else (x, y, x + rng.uniform(-40, 40), y + rng.uniform(-40, 40)))
        placer._commit(f"s{k}", [], [seg], [], [], None, {})
    for k in range(n_leaders):
        x, y = rng.uniform(g.x0, g.x1), rng.uniform(g.y0, g.y1)
        placer._commit(f"l{k}", [], [], [(x, y, x + rng.uniform(-80, 80), y + rng.uniform(-60, 60))], [], None, {})
    placer.geometry = [(rng.uniform(g.x0, g.x1), rng.uniform(g.y0, g.y1), rng.uniform(g.x0, g.x1),
                        rng.uniform(g.y0, g.y1)) for _ in range(rng.randint(0, 30))]


def _request(rng: random.Random, k: int, g: Box) -> CalloutReq:
    rows = [Row([text_piece(rng.choice(["Ø6 H7", "4× M5 - 6H ↧10", "R2", "Ra 1.6"])), balloon_piece(f"C{k}")])]
    if rng.random() < 0.3:
        rows.append(Row([text_piece("⌴ Ø11 ↧6")]))
    anchor = (rng.choice([g.x0, g.x1, rng.uniform(g.x0, g.x1)]), rng.choice([g.y0, g.y1, rng.uniform(g.y0, g.y1)]))
    kind = rng.random()
    return CalloutReq(
        f"c{k}", Block(rows), anchor=anchor,
        circle=(anchor[0], anchor[1], rng.uniform(1, 8)) if kind < 0.3 else None,
        outward=rng.choice([None, (0, 1), (0, -1), (1, 0), (-1, 0)]),
        alternative=(rng.uniform(g.x0, g.x1), anchor[1]) if 0.3 <= kind < 0.5 else None)


@pytest.mark.parametrize("seed", range(24))
def test_crowded_views_place_callouts_as_the_reference(seed):
    rng = random.Random(seed)
    w, h = rng.uniform(10, 160), rng.uniform(10, 120)
    crowd = [rng.randint(0, 60), rng.randint(0, 60), rng.randint(0, 12)]
    if seed % 6 == 0:
        crowd = [400, 200, 30]  # hardly a free place: the 700-candidate limit decides
    out = []
    for cls in (Placer, Reference):
        placer = cls(w, h)
        _crowded_view(random.Random(seed + 1000), placer, *crowd)
        reqs = random.Random(seed + 2000)
        for k in range(6):
            placer.callout(_request(reqs, k, placer.geom))
        out.append(pickle.dumps(placer.out))
    assert out[0] == out[1]


def _banded(placer: Placer, seed: int, width: float, dx: float, dy: float) -> None:
    """Small boxes on a grid in a band around the view: the near places are taken, far ones free."""
    rng = random.Random(seed)
    g = placer.geom
    k = 0
    x = g.x0 - width
    while x < g.x1 + width:
        y = g.y0 - width
        while y < g.y1 + width:
            if not (g.x0 - 2 < x < g.x1 + 2 and g.y0 - 2 < y < g.y1 + 2) and rng.random() < 0.9:
                placer._commit(f"b{k}", [("callout", Box(x, y, x + 1.0, y + 1.0))], [], [], [], None, {})
                k += 1
            y += dy
        x += dx


@pytest.mark.parametrize("seed", [27, 59, 63, 86, 101])  # views where the 700-candidate limit decides
def test_the_candidate_limit_counts_as_in_the_reference(seed):
    global LIMIT
    rng = random.Random(seed)
    w, h = rng.uniform(10, 100), rng.uniform(10, 80)
    band = rng.uniform(10, 50), rng.uniform(6, 14), rng.uniform(5, 10)
    out = {}
    try:
        for name, cls, limit in (("new", Placer, 700), ("reference", Reference, 700), ("fewer", Reference, 650),
                                 ("more", Reference, 750)):
            LIMIT = limit
            placer = cls(w, h)
            _banded(placer, seed, *band)
            reqs = random.Random(seed + 2000)
            for k in range(3):
                placer.callout(_request(reqs, k, placer.geom))
            out[name] = pickle.dumps(placer.out)
    finally:
        LIMIT = 700
    assert out["new"] == out["reference"]
    assert out["fewer"] != out["reference"] or out["more"] != out["reference"]  # the limit mattered here

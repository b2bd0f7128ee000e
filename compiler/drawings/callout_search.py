"""The candidate positions of a leader callout, cheapest first, without pricing and testing each in Python.

:meth:`~techpack.drawings.place_leaders.CalloutMixin.callout` wants its candidate label positions in the order
of their rounded leader cost (ties by position), and tests them one by one until a dozen are free.  There are
some 3,600 candidates and it rarely looks at more than a few hundred, so this module

* prices every candidate at once with numpy, as a *lower bound* of the exact cost (the exact price is the
  callout's own Python function: a numpy price differs from it in the last bits, and the +8 slope penalty
  turns those into jumps, so a bound is all numpy is trusted with);
* yields candidates in the exact order by pricing exactly only those whose bound could still place them
  next (:func:`search`), and pricing a candidate certainly not free only when its place decides anything;
* rules out, a chunk at a time and with numpy, candidates whose box certainly meets a placed box or line or
  whose leader certainly meets a placed box or crosses a placed leader (:class:`Blocked`).  "Certainly": the
  test uses margins a micrometre smaller than the exact one, far beyond any rounding, so a candidate it rules
  out is one the exact test refuses too; every candidate it lets through gets the exact test.

So the callout lands where the one-by-one search puts it, bit for bit (``tests/drawings/test_callout_search.py``
compares the two).
"""

from __future__ import annotations

import bisect
import heapq
import math
from typing import Callable, Iterator


class _NumPy:
    """numpy, imported on its first use here: a process that lays out no drawing (the render host, a PDF job)
    never imports it (50 ms of the host's start). The first attribute read replaces ``np`` with the module."""

    def __getattr__(self, name: str):
        import numpy  # noqa: PLC0415

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _NumPy()

SLACK = 1e-6  # mm: the certain tests use margins this much smaller than the exact ones
TOL = 1e-7  # mm: how far a numpy length may be from the exact one (far more than rounding)


class Grid:
    """The candidate label positions (lower-left corners): rows above and below the view, columns beside it.

    ``lines``: (horizontal, fixed coordinate, first, step, count); candidate ``i`` of a horizontal line is
    (first + i * step, fixed), of a vertical one (fixed, first + i * step), computed as the search wrote it.
    """

    def __init__(self, lines: list[tuple[bool, float, float, float, int]]):
        self.lines = lines
        self.starts = []
        n = 0
        for line in lines:
            self.starts.append(n)
            n += line[4]
        xs, ys = [], []
        # consecutive lines of one direction with the same run (as the callout makes them) in one go
        k = 0
        while k < len(lines):
            horizontal, _fixed, first, step, count = lines[k]
            j = k
            while j < len(lines) and lines[j][0] == horizontal and lines[j][2:] == (first, step, count):
                j += 1
            run = first + np.arange(count, dtype=np.float64) * step
            fixed = np.repeat(np.array([line[1] for line in lines[k:j]], dtype=np.float64), count)
            along = np.empty((j - k, count))
            along[:] = run
            along = along.ravel()
            xs.append(along if horizontal else fixed)
            ys.append(fixed if horizontal else along)
            k = j
        self.x = np.concatenate(xs) if xs else np.zeros(0)
        self.y = np.concatenate(ys) if ys else np.zeros(0)

    def __len__(self) -> int:
        return len(self.x)

    def at(self, index: int) -> tuple[float, float]:
        """Candidate ``index`` in exact Python arithmetic."""
        k = _line_of(self.starts, index)
        horizontal, fixed, first, step, _count = self.lines[k]
        i = index - self.starts[k]
        return (first + i * step, fixed) if horizontal else (fixed, first + i * step)


def _line_of(starts: list[int], index: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= index:
            lo = mid
        else:
            hi = mid - 1
    return lo


def by_bound(low: np.ndarray, high: np.ndarray) -> tuple[list[int], list[float], list[float]]:
    """Candidate indices by ascending lower bound, with their lower and upper bounds of the rounded cost."""
    order = np.argsort(low)  # ties in any order: the exact keys decide
    # a cost rounded to the thousandth is within 0.0005 of the cost
    return order.tolist(), (low[order] - 0.0006).tolist(), (high[order] + 0.0006).tolist()


def search(order: list[int], lows: list[float], highs: list[float], exact: Callable[[int], tuple],
           blocked: "Blocked", limit: int) -> Iterator[tuple[tuple, int]]:
    """The candidates the exact test must look at, in the one-by-one search's order: the first ``limit`` by
    key (cost rounded to the thousandth, then position), without those certainly not free.

    ``order``, ``lows``, ``highs``: from :func:`by_bound`; ``exact(i)``: candidate i's key; ``blocked``: which
    candidates are certainly not free.  Once the next lower bound exceeds the best key priced so far, no
    candidate left unpriced comes before it.  A blocked candidate is priced only when its bounds cannot tell
    whether it comes before a free one that may be the ``limit``-th.
    """
    n = len(order)
    heap: list[tuple[tuple, int]] = []
    blocked_lows: list[float] = []  # ascending: candidates are met in the order of their lower bounds
    blocked_highs: list[float] = []
    blocked_met: list[int] = []  # their places in ``order``
    priced: dict[int, tuple] = {}
    p = 0
    passed = 0  # candidates yielded so far
    while True:
        while p < n and (not heap or lows[p] <= heap[0][0][0]):
            q = blocked.work_from(p)  # a chunk of candidates from place p on, in ``order``
            for at in range(p, q):
                if blocked.blocked_at[at]:
                    blocked_met.append(at)
                else:
                    i = order[at]
                    heapq.heappush(heap, (exact(i), i))
            blocked_lows = [lows[at] for at in blocked_met]
            p = q
        if not heap:
            return
        key, i = heapq.heappop(heap)
        cost = key[0]
        maybe = bisect.bisect_right(blocked_lows, cost)  # blocked candidates that may come first
        if passed + maybe >= limit:
            if len(blocked_highs) != len(blocked_met):
                blocked_highs = sorted(highs[at] for at in blocked_met)
            surely = bisect.bisect_left(blocked_highs, cost)  # and those that do
            before = surely
            if passed + surely < limit:
                for at in blocked_met[:maybe]:
                    if highs[at] >= cost:
                        b = order[at]
                        if b not in priced:
                            priced[b] = exact(b)
                        before += priced[b] < key
            if passed + before >= limit:
                return
        yield key, i
        passed += 1


def cost_bounds(grid: Grid, bw: float, bh: float, first_h: float, first_w: float, anchor: tuple[float, float],
                rough_width: float | None, sx: float, circle: tuple[float, float, float] | None,
                alternative: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray, dict]:
    """Lower and upper bounds of every candidate's leader cost (``leader_for`` and ``cost`` in the callout), the
    leaders as numpy computes them (``None`` entries where a choice the leader makes is too close to call)."""
    x, y = grid.x, grid.y
    ax, ay = anchor
    d = np.abs(x - ax) - np.abs(x + bw - ax)
    left = d <= 0
    unsure = np.abs(d) < 1e-9
    if rough_width is None:
        ky = y + bh - first_h / 2
        kx = np.where(left, x - 0.8, x + first_w + 0.8)
        knee_x = np.where(left, kx - 3.0, kx + 3.0)
    else:
        ky = y + bh - first_h
        kx = np.where(left, x + sx, x + first_w - rough_width + sx)
        knee_x = np.where(left, x - 3.8, x + first_w + 3.8)
    knee_y = ky
    if circle is not None:
        cx, cy, rad = circle
        dx, dy = knee_x - cx, knee_y - cy
        norm = np.hypot(dx, dy)
        norm = np.where(norm == 0.0, 1.0, norm)
        sx_, sy_ = cx + rad * dx / norm, cy + rad * dy / norm
    else:
        sx_, sy_ = np.full_like(x, ax), np.full_like(x, ay)
        if alternative is not None:
            d_alt = np.hypot(knee_x - alternative[0], knee_y - alternative[1])
            d_a = np.hypot(knee_x - ax, knee_y - ay)
            use = d_alt < d_a
            unsure |= np.abs(d_alt - d_a) < 1e-9
            sx_, sy_ = np.where(use, alternative[0], sx_), np.where(use, alternative[1], sy_)
    ddx, ddy = knee_x - sx_, knee_y - sy_
    length = np.hypot(ddx, ddy)
    slope = np.abs(ddy) / (np.abs(ddx) + 1e-6)
    penalised = (slope < 0.25 - 1e-9) | (slope > 6 + 1e-8)
    maybe_penalised = (slope < 0.25 + 1e-9) | (slope > 6 - 1e-8)
    low = length - TOL - 1e-12 * length + np.where(penalised, 8.0, 0.0)
    high = length + TOL + 1e-12 * length + np.where(maybe_penalised, 8.0, 0.0)
    low = np.where(unsure, -math.inf, low)
    high = np.where(unsure, math.inf, high)
    leaders = {"sx": sx_, "sy": sy_, "kx": knee_x, "ky": knee_y, "ex": kx, "ey": ky, "unsure": unsure}
    return low, high, leaders


def _hits(seg: tuple, box: tuple) -> np.ndarray:
    """Segments certainly meeting boxes, pair by pair (1-d arrays; the boxes already carry the reduced margin).
    Liang–Barsky as :func:`~techpack.drawings.placing._seg_hits_box`; a segment nearly but not exactly parallel
    to an axis is never certain."""
    x1, y1, x2, y2 = seg
    bx0, by0, bx1, by1 = box
    out = ~((np.maximum(x1, x2) < bx0) | (np.minimum(x1, x2) > bx1) | (np.maximum(y1, y2) < by0)
            | (np.minimum(y1, y2) > by1))
    dx, dy = x2 - x1, y2 - y1
    t0 = np.zeros(out.shape)
    t1 = np.ones(out.shape)
    for p, q in ((-dx, x1 - bx0), (dx, bx1 - x1), (-dy, y1 - by0), (dy, by1 - y1)):
        zero = p == 0.0
        out &= ~(zero & (q < 0)) & ~((np.abs(p) < 1e-9) & ~zero)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = q / np.where(zero, 1.0, p)
        t0 = np.where(~zero & (p < 0), np.maximum(t0, t), t0)
        t1 = np.where(~zero & (p > 0), np.minimum(t1, t), t1)
    return out & (t0 <= t1)


def _crosses(a: tuple, b: tuple) -> np.ndarray:
    """Segments a certainly crossing segments b properly, pair by pair, as :func:`placing._segs_cross` with
    its 1e-9 orientation threshold raised well past rounding."""
    ax1, ay1, ax2, ay2 = a
    bx1, by1, bx2, by2 = b

    def orient(px, py, qx, qy, rx, ry):
        v = (qx - px) * (ry - py) - (qy - py) * (rx - px)
        return np.where(v > 1e-6, 1, np.where(v < -1e-6, -1, 0))

    o1 = orient(ax1, ay1, ax2, ay2, bx1, by1)
    o2 = orient(ax1, ay1, ax2, ay2, bx2, by2)
    o3 = orient(bx1, by1, bx2, by2, ax1, ay1)
    o4 = orient(bx1, by1, bx2, by2, ax2, ay2)
    return (o1 * o2 < 0) & (o3 * o4 < 0)


def _bbox(seg: tuple) -> tuple:
    x1, y1, x2, y2 = seg
    return np.minimum(x1, x2), np.minimum(y1, y2), np.maximum(x1, x2), np.maximum(y1, y2)


def _rows(rows: list) -> tuple[np.ndarray, ...]:
    a = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    return tuple(a[:, j] for j in range(4))


class Blocked:
    """Which candidates the exact test would certainly refuse: their box meets a placed box (0.8 clear) or
    line (0.4), or their leader meets a placed box (0.2) or crosses a placed leader.  Worked out a chunk of
    candidates at a time, in the order of their cost bounds (the order they are asked for)."""

    def __init__(self, grid: Grid, order: list[int], bw: float, bh: float, leaders: dict, boxes: list,
                 segs: list, others: list):
        self.grid, self.order, self.bw, self.bh, self.leaders = grid, order, bw, bh, leaders
        self.boxes = _rows([(b.x0, b.y0, b.x1, b.y1) for b in boxes])
        self.segs = _rows(segs)
        self.seg_boxes = _bbox(self.segs)
        self.others = _rows(others)
        self.other_boxes = _bbox(self.others)
        self.blocked_at: list[bool] = []  # by place in ``order``
        self.chunk = 128

    def work_from(self, p: int) -> int:
        """Work out the candidates from place ``p`` in ``order`` on (a chunk, growing); returns where it ends."""
        if p < len(self.blocked_at):
            return len(self.blocked_at)
        q = min(len(self.order), p + self.chunk)
        self.chunk = min(self.chunk * 4, 1024)
        self.blocked_at += self._work(np.asarray(self.order[p:q], dtype=np.intp)).tolist()
        return q

    def _work(self, idx: np.ndarray) -> np.ndarray:
        n = len(idx)
        x0 = self.grid.x[idx]
        y0 = self.grid.y[idx]
        x1, y1 = x0 + self.bw, y0 + self.bh
        bad = np.zeros(n, dtype=bool)
        if self.boxes[0].size:  # the box on a placed box: Box.overlaps with the gap 0.8 (less the slack)
            g = 0.8 - SLACK
            ox0, oy0, ox1, oy1 = self.boxes
            bad = ((x0[:, None] < ox1 + g) & (ox0 < x1[:, None] + g) & (y0[:, None] < oy1 + g)
                   & (oy0 < y1[:, None] + g)).any(axis=1)
        # segments against boxes, in one go: placed lines through the box (0.4 around it), and the leader
        # (both its segments) through a placed box (0.2 around that)
        lead = self.leaders
        sure = ~lead["unsure"][idx]
        seg_parts, box_parts, owner_parts = [], [], []
        live = np.flatnonzero(~bad)
        if self.segs[0].size and live.size:
            m = 0.4 - SLACK
            c = (x0[live] - m, y0[live] - m, x1[live] + m, y1[live] + m)
            sb = self.seg_boxes
            i, j = np.nonzero((c[0][:, None] <= sb[2]) & (sb[0] <= c[2][:, None]) & (c[1][:, None] <= sb[3])
                              & (sb[1] <= c[3][:, None]))
            if i.size:
                seg_parts.append(tuple(v[j] for v in self.segs))
                box_parts.append(tuple(v[i] for v in c))
                owner_parts.append(live[i])
        live = np.flatnonzero(~bad & sure)
        if live.size:
            leaders = (np.concatenate([lead["sx"][idx[live]], lead["kx"][idx[live]]]),
                       np.concatenate([lead["sy"][idx[live]], lead["ky"][idx[live]]]),
                       np.concatenate([lead["kx"][idx[live]], lead["ex"][idx[live]]]),
                       np.concatenate([lead["ky"][idx[live]], lead["ey"][idx[live]]]))
            whose = np.concatenate([live, live])
            lb = _bbox(leaders)
            if self.boxes[0].size:
                m = 0.2 - SLACK
                grown = (self.boxes[0] - m, self.boxes[1] - m, self.boxes[2] + m, self.boxes[3] + m)
                i, j = np.nonzero((lb[0][:, None] <= grown[2]) & (grown[0] <= lb[2][:, None])
                                  & (lb[1][:, None] <= grown[3]) & (grown[1] <= lb[3][:, None]))
                if i.size:
                    seg_parts.append(tuple(v[i] for v in leaders))
                    box_parts.append(tuple(v[j] for v in grown))
                    owner_parts.append(whose[i])
            if self.others[0].size:  # the leader across a placed leader
                ob = self.other_boxes
                i, j = np.nonzero((lb[0][:, None] <= ob[2]) & (ob[0] <= lb[2][:, None])
                                  & (lb[1][:, None] <= ob[3]) & (ob[1] <= lb[3][:, None]))
                if i.size:
                    hit = _crosses(tuple(v[i] for v in leaders), tuple(v[j] for v in self.others))
                    bad[whose[i[hit]]] = True
        if seg_parts:
            segs = tuple(np.concatenate([p[k] for p in seg_parts]) for k in range(4))
            boxes = tuple(np.concatenate([p[k] for p in box_parts]) for k in range(4))
            hit = _hits(segs, boxes)
            bad[np.concatenate(owner_parts)[hit]] = True
        return bad

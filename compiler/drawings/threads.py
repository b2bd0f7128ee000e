"""Screw threads drawn by convention: ISO 6410-1, or the ASME Y14.6 simplified form on ASME drawings.

The model holds a thread as a plain cylinder: the tap drill of an internal thread
(its minor diameter, the crest), the major diameter of an external one.  This adds
what the convention draws besides (``../shared/standards/iso6410_thread_representation.md``):

ISO 6410-1
    end view: the root as a *narrow* circle of about ¾ of the circumference, open at
    the upper right (internal thread: at the major Ø; external: at the minor Ø); the
    crest stays the model's thick full circle.  Side view: a narrow line at the root
    along the threaded length and a thread limit line across to the major Ø
    (continuous thick when visible); a hidden thread has both as narrow dashed lines.
ASME Y14.6 simplified
    no ¾ circle: the root is a hidden (dashed) full circle in the end view and hidden
    lines along the threaded length in the side view.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..geometry.facts import Cylinder
from ..geometry.match import INTERNAL_ROUND
from ..schema.spec import Feature
from .model import Arc, Line
from .views import SheetView

#: ISO 261 coarse pitches (mm) by nominal diameter, for designations without a pitch (``M5``).
COARSE_PITCH = {1.6: 0.35, 2.0: 0.4, 2.5: 0.45, 3.0: 0.5, 3.5: 0.6, 4.0: 0.7, 5.0: 0.8, 6.0: 1.0, 8.0: 1.25,
                10.0: 1.5, 12.0: 1.75, 14.0: 2.0, 16.0: 2.0, 18.0: 2.5, 20.0: 2.5, 22.0: 2.5, 24.0: 3.0}
ROOT_DEPTH = 1.226869  # ISO 68-1: d3 = d − 1.226869·P (external thread minor diameter)
ARC_START, ARC_END = 90.0, 360.0  # the ¾ circle, open in the upper right quadrant
THICK = 0.5  # mm, the VISIBLE layer's width
MIN_GAP = max(2 * THICK, 0.7)
"""ISO 6410-1: crest and root lines at least 2 × the thick line's width and 0.7 mm apart on paper; a finer
thread is drawn with this gap (its true depth would merge the two lines)."""

_METRIC = re.compile(r"^\s*M\s*(\d+(?:\.\d+)?)(?:\s*[x×X]\s*(\d+(?:\.\d+)?))?", re.IGNORECASE)
_UNIFIED = re.compile(r"^\s*(#?\d+(?:/\d+)?(?:\.\d+)?)\s*-\s*(\d+)\s*UN", re.IGNORECASE)
_FRACTION = re.compile(r"^(?:(\d+)\s+)?(\d+)/(\d+)$")


@dataclass(frozen=True)
class ThreadSize:
    major: float  # mm
    pitch: float | None  # mm

    @property
    def minor_external(self) -> float | None:
        """d3 of an external thread (mm), when the pitch is known."""
        return None if self.pitch is None else self.major - ROOT_DEPTH * self.pitch


def thread_size(designation: str) -> ThreadSize | None:
    """Major diameter and pitch of ``M5x0.8-6H``, ``M4``, ``1/4-20 UNC-2A`` or ``#10-32 UNF``; None if unknown."""
    m = _METRIC.match(designation)
    if m:
        major = float(m.group(1))
        pitch = float(m.group(2)) if m.group(2) else COARSE_PITCH.get(major)
        return ThreadSize(major, pitch)
    m = _UNIFIED.match(designation)
    if m:
        size, tpi = m.group(1), int(m.group(2))
        if size.startswith("#"):
            inches = 0.060 + 0.013 * int(size[1:])
        elif "/" in size:
            f = _FRACTION.match(size)
            if not f:
                return None
            inches = int(f.group(1) or 0) + int(f.group(2)) / int(f.group(3))
        else:
            inches = float(size)
        return ThreadSize(inches * 25.4, 25.4 / tpi) if tpi else None
    return None


@dataclass(frozen=True)
class ThreadRun:
    """One threaded length of a cylinder: from ``t0`` to ``t1`` along its axis (model units from its origin)."""

    cylinder: Cylinder
    internal: bool
    crest: float  # radius
    root: float  # radius
    t0: float
    t1: float


def thread_runs(feature: Feature, cylinders: list[Cylinder | None], bbox=None) -> list[ThreadRun]:
    """Where ``feature``'s thread is on its matched cylinders (one run per threaded length).

    A thread shorter than its bore starts at the bore's open end: the one on the part's
    bounding box ``bbox`` (min, max), else the bore's origin."""
    if not feature.thread:
        return []
    size = thread_size(feature.thread)
    if size is None:
        return []
    internal = feature.type in INTERNAL_ROUND
    found = [c for c in cylinders if c is not None]
    distinct = list(dict.fromkeys(found))
    out: list[ThreadRun] = []
    for c in distinct:
        if internal:
            crest, root = c.radius, size.major / 2
        else:
            minor = size.minor_external
            if minor is None:
                continue
            crest, root = c.radius, minor / 2
        if internal != (root > crest) or abs(root - crest) < 1e-6:
            continue  # the model's cylinder is not this thread's crest
        depth = _depth(feature)
        # the same bore threaded from both ends (``count: 2`` on one through bore)
        both_ends = found.count(c) >= 2 or (len(distinct) == 1 and feature.count >= 2)
        if depth is None or depth >= c.length - 1e-6 or (both_ends and 2 * depth >= c.length - 1e-6):
            out.append(ThreadRun(c, internal, crest, root, 0.0, c.length))
            continue
        if not both_ends and _opens_at_end(c, bbox):
            out.append(ThreadRun(c, internal, crest, root, c.length - depth, c.length))
            continue
        out.append(ThreadRun(c, internal, crest, root, 0.0, depth))
        if both_ends:
            out.append(ThreadRun(c, internal, crest, root, c.length - depth, c.length))
    return out


def _opens_at_end(c: Cylinder, bbox) -> bool:
    """Whether the bore's far end (not its origin) is the one on the part's outside."""
    if bbox is None:
        return False
    i = max(range(3), key=lambda k: abs(c.axis_dir[k]))
    lo, hi = bbox[0][i], bbox[1][i]
    start, end = c.axis_origin[i], c.axis_end[i]
    on = lambda v: min(abs(v - lo), abs(v - hi)) < 1e-3  # noqa: E731
    return on(end) and not on(start)


def _depth(feature: Feature) -> float | None:
    d = feature.depth if feature.depth is not None else getattr(feature, "length", None)
    if d is None or isinstance(d, str):
        return None
    try:
        return float(d.nominal_mm)
    except (AttributeError, TypeError, ValueError):
        return None


def paper_root(run: ThreadRun, scale: float) -> float:
    """The root's radius on paper: the true one, or :data:`MIN_GAP` from the crest when that is closer."""
    crest, root = scale * run.crest, scale * run.root
    gap = max(abs(root - crest), MIN_GAP)
    return crest + gap if run.internal else max(crest - gap, 0.5 * crest)


def _point(c: Cylinder, t: float) -> tuple[float, float, float]:
    o, d = c.axis_origin, c.axis_dir
    return (o[0] + d[0] * t, o[1] + d[1] * t, o[2] + d[2] * t)


def _crest_circle(v: SheetView, cx: float, cy: float, r: float) -> str | None:
    """The layer of the model's full circle at (cx, cy) of radius r in this view, if it is there."""
    for p in v.primitives:
        if isinstance(p, Arc) and p.full and abs(p.cx - cx) < 1e-3 and abs(p.cy - cy) < 1e-3 and abs(p.r - r) < 1e-3:
            if p.layer in ("VISIBLE", "HIDDEN"):
                return p.layer
    return None


def _silhouette_visible(v: SheetView, a: tuple[float, float], b: tuple[float, float], off: tuple[float, float]) -> bool:
    """Whether the model shows the crest line (the cylinder's silhouette) as a visible edge."""
    for sgn in (1, -1):
        x1, y1 = a[0] + sgn * off[0], a[1] + sgn * off[1]
        x2, y2 = b[0] + sgn * off[0], b[1] + sgn * off[1]
        for p in v.primitives:
            if isinstance(p, Line) and p.layer == "VISIBLE":
                if (_on_segment(p, x1, y1) or _on_segment(p, x2, y2)) and _parallel(p, x2 - x1, y2 - y1):
                    return True
    return False


def _on_segment(p: Line, x: float, y: float) -> bool:
    dx, dy = p.x2 - p.x1, p.y2 - p.y1
    n = math.hypot(dx, dy)
    if n < 1e-9:
        return False
    cross = abs((x - p.x1) * dy - (y - p.y1) * dx) / n
    t = ((x - p.x1) * dx + (y - p.y1) * dy) / (n * n)
    return cross < 1e-3 and -1e-3 <= t <= 1 + 1e-3


def _parallel(p: Line, dx: float, dy: float) -> bool:
    ex, ey = p.x2 - p.x1, p.y2 - p.y1
    n = math.hypot(ex, ey) * math.hypot(dx, dy)
    return n > 0 and abs(ex * dy - ey * dx) / n < 1e-6


def thread_primitives(v: SheetView, run: ThreadRun, asme: bool) -> list:
    """What the convention adds to view ``v`` for one threaded length."""
    c = run.cylinder
    n = v.projection.normal
    along = abs(sum(c.axis_dir[i] * n[i] for i in range(3)))
    s = v.scale
    out: list = []
    if along > 0.999:  # end view
        cx, cy = v.model(c.axis_origin)
        crest = _crest_circle(v, cx, cy, s * run.crest)
        if crest is None:
            return []
        # the end nearer the viewer must be threaded for the thread to show there
        near = max((0.0, c.length), key=lambda t: sum(_point(c, t)[i] * n[i] for i in range(3)))
        if crest == "VISIBLE" and not (run.t0 - 1e-6 <= near <= run.t1 + 1e-6):
            return []
        root = paper_root(run, s)
        if asme:
            out.append(Arc("HIDDEN", cx, cy, root))
        else:
            out.append(Arc("THIN" if crest == "VISIBLE" else "HIDDEN", cx, cy, root, ARC_START, ARC_END))
        return out
    if along > 1e-6:
        return []  # oblique: not drawn by this convention
    a, b = v.model(_point(c, run.t0)), v.model(_point(c, run.t1))
    dx, dy = b[0] - a[0], b[1] - a[1]
    ln = math.hypot(dx, dy)
    if ln < 1e-9:
        return []
    px, py = -dy / ln, dx / ln
    crest_off = (px * s * run.crest, py * s * run.crest)
    whole_a, whole_b = v.model(c.axis_origin), v.model(c.axis_end)
    visible = _silhouette_visible(v, whole_a, whole_b, crest_off)
    root_layer = ("HIDDEN" if asme else "THIN") if visible else "HIDDEN"
    r = paper_root(run, s)
    for sgn in (1, -1):
        out.append(Line(root_layer, a[0] + sgn * px * r, a[1] + sgn * py * r, b[0] + sgn * px * r, b[1] + sgn * py * r))
    # thread limit lines where the thread ends inside the cylinder, across to the major diameter
    major = max(r, s * run.crest)
    limit_layer = "VISIBLE" if visible else "HIDDEN"
    for t, p in ((run.t0, a), (run.t1, b)):
        if 1e-6 < t < c.length - 1e-6:
            out.append(Line(limit_layer, p[0] + px * major, p[1] + py * major, p[0] - px * major, p[1] - py * major))
    return out


def add_threads(views: dict[str, SheetView], features: list[Feature], match, standard: str,
                bbox=None) -> dict[str, list]:
    """Add every thread's conventional lines to ``views`` (in place); returns them per view, for the tests."""
    added: dict[str, list] = {}
    if match is None:
        return added
    asme = standard == "ASME"
    for f in features:
        fm = match.features.get(f.id)
        if fm is None or not f.thread:
            continue
        for run in thread_runs(f, fm.cylinders, bbox):
            for name, v in views.items():
                if name == "iso":
                    continue
                prims = thread_primitives(v, run, asme)
                fresh = [p for p in prims if p not in v.primitives]
                v.primitives.extend(fresh)
                added.setdefault(name, []).extend(fresh)
    return added

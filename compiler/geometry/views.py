"""Projected views (visible and hidden edges) of a part, cached by content hash like the facts.

:func:`load_views` runs the isolated geometry worker in its ``--views`` mode
(see :mod:`techpack.geometry.hlr`) with the same time and memory limits as
:func:`~techpack.geometry.load_facts`, and caches the answer under
``<cache>/views/`` keyed by the file's bytes, its kind and the projections asked
for.  A hit is one JSON read; cadquery never enters the calling process.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .facts import KINDS, GeometryError, _run_worker, cache_basis, default_cache_dir, model_bytes, write_cache_file

__all__ = ["VIEWS_VERSION", "Edge", "ProjectedView", "Projection", "drawing_frame", "load_views",
           "standard_projections", "store_prefetched", "turned_axis"]

#: Bump when the worker's view output changes meaning; old cache entries are then ignored.
VIEWS_VERSION = 1

Vec3 = tuple[float, float, float]


@dataclass(frozen=True)
class Projection:
    """A view direction: ``normal`` points from the part towards the viewer, ``xdir`` is the view's right."""

    name: str
    normal: Vec3
    xdir: Vec3
    hidden: bool = True
    cut: Vec3 | None = None  # a section: the plane through this point square to ``normal``, viewed from its side

    @property
    def ydir(self) -> Vec3:
        """The view's up direction (``normal × xdir``)."""
        n, x = self.normal, self.xdir
        return (n[1] * x[2] - n[2] * x[1], n[2] * x[0] - n[0] * x[2], n[0] * x[1] - n[1] * x[0])

    def to_view(self, p: Vec3) -> tuple[float, float]:
        """Where a model point lands in this view (model units, view frame)."""
        x, y = self.xdir, self.ydir
        return (p[0] * x[0] + p[1] * x[1] + p[2] * x[2], p[0] * y[0] + p[1] * y[1] + p[2] * y[2])

    def to_json(self) -> dict[str, Any]:
        out = {"name": self.name, "normal": list(self.normal), "xdir": list(self.xdir), "hidden": self.hidden}
        if self.cut is not None:
            out["cut"] = list(self.cut)
        return out


@dataclass(frozen=True)
class Edge:
    """One projected edge: a line (``points`` = 2), a polyline (``points`` ≥ 2) or an arc."""

    kind: str  # line | arc | poly
    visible: bool
    points: tuple[tuple[float, float], ...] = ()
    centre: tuple[float, float] = (0.0, 0.0)
    radius: float = 0.0
    angles: tuple[float, float] = (0.0, 360.0)  # degrees, counter-clockwise from the first

    @property
    def is_circle(self) -> bool:
        return self.kind == "arc" and self.angles == (0.0, 360.0)


@dataclass(frozen=True)
class ProjectedView:
    name: str
    edges: tuple[Edge, ...]
    cut_loops: tuple[tuple[tuple[float, float], ...], ...] = ()  # a section's cut faces, closed, view frame

    def bbox(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) over every edge, or None for an empty view."""
        xs: list[float] = []
        ys: list[float] = []
        for e in self.edges:
            if e.kind == "arc":
                cx, cy = e.centre
                for x, y in _arc_extremes(cx, cy, e.radius, *e.angles):
                    xs.append(x)
                    ys.append(y)
            else:
                xs += [p[0] for p in e.points]
                ys += [p[1] for p in e.points]
        if not xs:
            return None
        return (min(xs), min(ys), max(xs), max(ys))


def _arc_extremes(cx: float, cy: float, r: float, a0: float, a1: float) -> list[tuple[float, float]]:
    """The ends of an arc and the quadrant points it passes."""
    span = (a1 - a0) % 360.0 or 360.0
    pts = [(cx + r * math.cos(math.radians(a0)), cy + r * math.sin(math.radians(a0))),
           (cx + r * math.cos(math.radians(a0 + span)), cy + r * math.sin(math.radians(a0 + span)))]
    for q in (0.0, 90.0, 180.0, 270.0):
        if (q - a0) % 360.0 <= span:
            pts.append((cx + r * math.cos(math.radians(q)), cy + r * math.sin(math.radians(q))))
    return pts


# --------------------------------------------------------------------------- the standard views

_AXES = {"x": (1.0, 0.0, 0.0), "y": (0.0, 1.0, 0.0), "z": (0.0, 0.0, 1.0)}


def _cross(a: Vec3, b: Vec3) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _neg(a: Vec3) -> Vec3:
    return (-a[0] + 0.0, -a[1] + 0.0, -a[2] + 0.0)


def turned_axis(facts: dict[str, Any]) -> str | None:
    """``x``/``y``/``z`` when the part is a turned part along that axis, else None.

    Turned: its largest outside cylinder runs along a model axis and fills the
    bounding box across it (a shaft, pin, standoff or disc).
    """
    lo, hi = facts["bbox_min"], facts["bbox_max"]
    ext = [float(hi[i]) - float(lo[i]) for i in range(3)]
    outside = [c for c in facts.get("cylinders", []) if not c["internal"]]
    if not outside:
        return None
    big = max(outside, key=lambda c: (float(c["radius"]), float(c["length"])))
    d = [abs(float(v)) for v in big["axis_dir"]]
    for i, name in enumerate("xyz"):
        if d[i] > 0.999:
            across = [ext[j] for j in range(3) if j != i]
            dia = 2 * float(big["radius"])
            if all(abs(a - dia) <= 0.02 * dia + 1e-6 for a in across):
                return name
    return None


def drawing_frame(facts: dict[str, Any]) -> tuple[Vec3, Vec3]:
    """(right, up) of the front view in model coordinates.

    A turned part lies with its axis horizontal; any other part is drawn the way
    it is modelled (X to the right, Z up).
    """
    axis = turned_axis(facts)
    if axis == "z":
        return _AXES["z"], _AXES["y"]
    if axis == "y":
        return _AXES["y"], _AXES["z"]
    return _AXES["x"], _AXES["z"]


def standard_projections(facts: dict[str, Any]) -> list[Projection]:
    """Front, top, left, right and isometric views for a part, from its facts (JSON form).

    ``left`` is the view from the left (placed right of the front view in
    first-angle projection), ``right`` the view from the right (third-angle).
    """
    r, u = drawing_frame(facts)
    f = _cross(u, r)  # away from the viewer of the front view
    s3, s2 = 1 / math.sqrt(3.0), 1 / math.sqrt(2.0)
    iso_n = tuple(round((r[i] - f[i] + u[i]) * s3, 12) + 0.0 for i in range(3))
    iso_x = tuple(round((r[i] + f[i]) * s2, 12) + 0.0 for i in range(3))
    return [
        Projection("front", _neg(f), r),
        Projection("top", u, r),
        Projection("left", _neg(r), _neg(f)),
        Projection("right", r, f),
        Projection("iso", iso_n, iso_x, hidden=False),  # type: ignore[arg-type]
    ]


def store_prefetched(basis: bytes, kind: str, facts: dict[str, Any], views: Any, cache_dir: Path) -> None:
    """Cache the views a facts run projected (see the worker), as :func:`load_views` would."""
    try:
        projections = standard_projections(facts)
        _parse(views)
    except (KeyError, TypeError, ValueError, IndexError):
        return  # malformed: the drawing will ask the worker again
    key = _key(basis, kind, projections)
    _write(Path(cache_dir) / "views" / f"{key}.json", {"views_version": VIEWS_VERSION, "key": key, "views": views})


# --------------------------------------------------------------------------- loading


def _edge(d: dict[str, Any]) -> Edge:
    vis = bool(d["v"])
    if d["t"] == "a":
        a0, a1 = (float(v) for v in d["a"])
        return Edge("arc", vis, centre=(float(d["c"][0]), float(d["c"][1])), radius=float(d["r"]), angles=(a0, a1))
    p = [float(v) for v in d["p"]]
    if len(p) < 4 or len(p) % 2:
        raise ValueError("an edge needs at least two points")
    pts = tuple((p[i], p[i + 1]) for i in range(0, len(p), 2))
    if not all(math.isfinite(v) for v in p):
        raise ValueError("non-finite coordinate")
    return Edge("line" if d["t"] == "l" else "poly", vis, points=pts)


MAX_EDGES = 500_000
MAX_COORD = 1e6


def _parse(doc: Any) -> dict[str, ProjectedView]:
    """Views from the worker's (untrusted) answer; ValueError on anything out of range."""
    views = {}
    count = 0
    for v in doc:
        edges = tuple(_edge(e) for e in v["edges"])
        count += len(edges)
        if count > MAX_EDGES:
            raise ValueError("too many edges")
        for e in edges:
            values = [c for p in e.points for c in p] + [*e.centre, e.radius, *e.angles]
            if not all(math.isfinite(c) and abs(c) <= MAX_COORD for c in values) or e.radius < 0:
                raise ValueError("an edge lies out of range")
        loops = []
        for flat in v.get("cut") or ():
            pts = [float(c) for c in flat]
            if len(pts) < 6 or len(pts) % 2 or not all(math.isfinite(c) and abs(c) <= MAX_COORD for c in pts):
                raise ValueError("a cut face's boundary is malformed")
            loops.append(tuple((pts[i], pts[i + 1]) for i in range(0, len(pts), 2)))
        views[str(v["name"])[:64]] = ProjectedView(str(v["name"])[:64], edges, tuple(loops))
    return views


def _key(basis: bytes, kind: str, projections: list[Projection]) -> str:
    h = hashlib.sha256(basis)
    h.update(f"\0techpack-views\0{kind}\0v{VIEWS_VERSION}\0".encode())
    h.update(json.dumps([p.to_json() for p in projections], sort_keys=True).encode())
    return h.hexdigest()


def load_views(path: Path, kind: str, projections: list[Projection], *, timeout: float = 60.0,
               memory_mb: int = 2048, cache_dir: Path | None = None,
               data: bytes | None = None, basis: bytes | None = None) -> dict[str, ProjectedView]:
    """The projected views of a STEP file or cadquery model, by projection name.

    Cached by the file's bytes and the projections; a miss runs the isolated worker
    (time and memory limited).  Raises :class:`GeometryError` with a sentence for
    the user on any failure.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    path = Path(path).resolve()
    data = model_bytes(path, data)
    key = _key(cache_basis(path, kind, data) if basis is None else basis, kind, projections)
    cache_file = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "views" / f"{key}.json"
    try:
        doc = json.loads(cache_file.read_bytes())
        if doc.get("views_version") == VIEWS_VERSION and doc.get("key") == key:
            return _parse(doc["views"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    arg = json.dumps([p.to_json() for p in projections], sort_keys=True)
    raw = _run_worker(path, kind, timeout, memory_mb, extra=("--views", arg), answer="views", data=data)
    try:
        views = _parse(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise GeometryError(f"geometry worker returned malformed views ({exc})") from None
    _write(cache_file, {"views_version": VIEWS_VERSION, "key": key, "views": raw})
    return views


def _write(path: Path, doc: dict[str, Any]) -> None:
    """Atomic write; a read-only or full cache is not an error."""
    write_cache_file(path, doc)

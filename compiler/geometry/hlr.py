"""Projected views of a shape (hidden-line removal), for the geometry worker only.

:func:`project` runs OCCT's exact hidden-line removal (``HLRBRep_Algo``) once per
requested projection and returns each view's edges as plain data in the view's
own 2D frame (x along the projection's ``xdir``, y along ``normal × xdir``), in
model units:

    {"name": "front", "edges": [
        {"t": "l", "v": 1, "p": [x1, y1, x2, y2]},                       line
        {"t": "a", "v": 0, "c": [cx, cy], "r": r, "a": [a0, a1]},        arc, degrees, CCW
        {"t": "p", "v": 1, "p": [x1, y1, x2, y2, ...]},                  polyline
    ]}

``v`` is 1 for a visible edge, 0 for a hidden one.  Edges are rounded, merged
(a hidden edge lying on a visible one is dropped; collinear duplicates go) and
sorted, so the same shape always gives the same bytes.

Imported by :mod:`techpack.geometry.worker` after cadquery/OCP are loaded;
nothing here runs in the main process.
"""

from __future__ import annotations

import math
from typing import Any

ROUND = 4
EPS = 1e-4
DEFLECTION = 0.02  # mm chordal deviation for curves that are neither lines nor circles
MAX_PREFETCH_FACES = 2000  # larger shapes get their views on demand, not with every facts run


def _r(x: float) -> float:
    v = round(float(x), ROUND) + 0.0
    if not math.isfinite(v):
        raise ValueError("non-finite coordinate in a projected view")
    return v


def project(shape, projections: list[dict[str, Any]], hidden: bool = True) -> list[dict[str, Any]]:
    """Visible (and hidden) edges of ``shape`` for each projection ``{name, normal, xdir, hidden}``.

    A projection with ``cut`` (a point) is a section: the material between the viewer and the plane through
    that point square to ``normal`` is taken away, the rest projected, and the cut faces' boundaries are
    returned as closed loops under ``"cut"`` (view frame, model units) for the hatching."""
    views = []
    for p in projections:
        normal, xdir = tuple(p["normal"]), tuple(p["xdir"])
        view: dict[str, Any] = {"name": str(p["name"])}
        target = shape
        if p.get("cut") is not None:
            cut = tuple(float(v) for v in p["cut"])
            target = _cut_away(shape, cut, normal, xdir)
            view["cut"] = _cut_loops(target, cut, normal, xdir)
        view["edges"] = _hlr(target, normal, xdir, bool(p.get("hidden", hidden)))
        views.append(view)
    return views


def _cut_away(shape, cut, normal, xdir):
    """``shape`` without what lies on the viewer's side of the plane through ``cut`` square to ``normal``."""
    import cadquery as cq
    from OCP.BRepPrimAPI import BRepPrimAPI_MakeBox
    from OCP.gp import gp_Ax2, gp_Dir, gp_Pnt

    bb = shape.BoundingBox()
    size = 4.0 * bb.DiagonalLength + 10.0
    n, x = normal, xdir
    y = (n[1] * x[2] - n[2] * x[1], n[2] * x[0] - n[0] * x[2], n[0] * x[1] - n[1] * x[0])
    corner = tuple(cut[i] - (x[i] + y[i]) * size / 2 for i in range(3))
    box = BRepPrimAPI_MakeBox(gp_Ax2(gp_Pnt(*corner), gp_Dir(*n), gp_Dir(*x)), size, size, size).Shape()
    return shape.cut(cq.Shape.cast(box))


def _cut_loops(shape, cut, normal, xdir) -> list[list[float]]:
    """The boundaries of the faces of ``shape`` lying in the cutting plane, as closed point loops in the view."""
    from OCP.BRepAdaptor import BRepAdaptor_Curve
    from OCP.BRepTools import BRepTools_WireExplorer
    from OCP.TopAbs import TopAbs_REVERSED

    n, x = normal, xdir
    y = (n[1] * x[2] - n[2] * x[1], n[2] * x[0] - n[0] * x[2], n[0] * x[1] - n[1] * x[0])
    loops = []
    for face in shape.Faces():
        if face.geomType() != "PLANE":
            continue
        fn = face.normalAt().toTuple()
        c = face.Center().toTuple()
        if abs(abs(sum(fn[i] * n[i] for i in range(3))) - 1) > 1e-6 or abs(sum((c[i] - cut[i]) * n[i] for i in range(3))) > 1e-4:
            continue
        for wire in face.Wires():
            pts: list[tuple[float, float]] = []
            ex = BRepTools_WireExplorer(wire.wrapped)
            while ex.More():
                edge = ex.Current()
                curve = BRepAdaptor_Curve(edge)
                flat = _sample(curve)
                seq = [(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)]
                if edge.Orientation() == TopAbs_REVERSED:
                    seq.reverse()
                for p in seq[:-1]:
                    pts.append((sum(p[i] * x[i] for i in range(3)), sum(p[i] * y[i] for i in range(3))))
                ex.Next()
            if len(pts) >= 3:
                loops.append([_r(v) for pt in pts for v in pt])
    return sorted(loops)


def _sample(curve) -> list[float]:
    """Points along an edge in 3D (x, y, z flattened): its ends for a line, else by chordal deflection."""
    from OCP.GCPnts import GCPnts_QuasiUniformDeflection
    from OCP.GeomAbs import GeomAbs_Line

    t0, t1 = curve.FirstParameter(), curve.LastParameter()
    if curve.GetType() == GeomAbs_Line:
        return [*curve.Value(t0).Coord(), *curve.Value(t1).Coord()]
    d = GCPnts_QuasiUniformDeflection(curve, DEFLECTION)
    if d.IsDone() and d.NbPoints() >= 2:
        return [c for i in range(1, d.NbPoints() + 1) for c in d.Value(i).Coord()]
    return [c for i in range(33) for c in curve.Value(t0 + (t1 - t0) * i / 32).Coord()]


def _hlr(shape, normal, xdir, with_hidden: bool) -> list[dict[str, Any]]:
    from OCP.gp import gp_Ax2, gp_Dir, gp_Pnt
    from OCP.HLRAlgo import HLRAlgo_Projector
    from OCP.HLRBRep import HLRBRep_Algo, HLRBRep_HLRToShape

    algo = HLRBRep_Algo()
    algo.Add(shape.wrapped)
    algo.Projector(HLRAlgo_Projector(gp_Ax2(gp_Pnt(0, 0, 0), gp_Dir(*normal), gp_Dir(*xdir))))
    algo.Update()
    algo.Hide()
    out = HLRBRep_HLRToShape(algo)
    visible, hidden = [], []
    for comp in (out.VCompound(), out.OutLineVCompound()):
        visible += _edges(comp)
    if with_hidden:
        for comp in (out.HCompound(), out.OutLineHCompound()):
            hidden += _edges(comp)
    return _clean(visible, hidden)


def _edges(compound) -> list[dict[str, Any]]:
    from OCP.BRepAdaptor import BRepAdaptor_Curve
    from OCP.BRepLib import BRepLib
    from OCP.GeomAbs import GeomAbs_Circle, GeomAbs_Line
    from OCP.TopAbs import TopAbs_EDGE
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopoDS import TopoDS

    if compound is None or compound.IsNull():
        return []
    BRepLib.BuildCurves3d_s(compound, 1e-6)
    found = []
    ex = TopExp_Explorer(compound, TopAbs_EDGE)
    while ex.More():
        edge = TopoDS.Edge_s(ex.Current())
        ex.Next()
        try:
            curve = BRepAdaptor_Curve(edge)
        except Exception:  # noqa: BLE001 - an edge without a curve contributes nothing
            continue
        t0, t1 = curve.FirstParameter(), curve.LastParameter()
        kind = curve.GetType()
        if kind == GeomAbs_Line:
            a, b = curve.Value(t0).Coord(), curve.Value(t1).Coord()
            found.append(("l", [a[0], a[1], b[0], b[1]]))
        elif kind == GeomAbs_Circle:
            circ = curve.Circle()
            c = circ.Location().Coord()
            z = circ.Axis().Direction().Coord()[2]
            p0, p1 = curve.Value(t0).Coord(), curve.Value(t1).Coord()
            a0 = math.degrees(math.atan2(p0[1] - c[1], p0[0] - c[0]))
            a1 = math.degrees(math.atan2(p1[1] - c[1], p1[0] - c[0]))
            if z < 0:  # clockwise in the view: swap so the arc runs counter-clockwise
                a0, a1 = a1, a0
            if abs(t1 - t0) >= 2 * math.pi - 1e-9:
                a0, a1 = 0.0, 360.0
            found.append(("a", [c[0], c[1], circ.Radius(), a0, a1]))
        else:
            found.append(("p", _discretise(curve)))
    return found


def _discretise(curve) -> list[float]:
    from OCP.GCPnts import GCPnts_QuasiUniformDeflection

    pts = []
    d = GCPnts_QuasiUniformDeflection(curve, DEFLECTION)
    if d.IsDone() and d.NbPoints() >= 2:
        for i in range(1, d.NbPoints() + 1):
            x, y, _ = d.Value(i).Coord()
            pts += [x, y]
    else:
        for i in range(33):
            x, y, _ = curve.Value(curve.FirstParameter() + (curve.LastParameter() - curve.FirstParameter()) * i / 32).Coord()
            pts += [x, y]
    return pts


# --------------------------------------------------------------------------- clean-up


def _as_line(pts: list[float]) -> list[float] | None:
    """A polyline whose points all lie on the segment between its ends, as that segment."""
    x1, y1, x2, y2 = pts[0], pts[1], pts[-2], pts[-1]
    dx, dy = x2 - x1, y2 - y1
    n = math.hypot(dx, dy)
    xs, ys = pts[0::2], pts[1::2]
    if n < EPS:
        # degenerate (a circle seen edge-on folds back on itself): its extreme points
        if max(xs) - min(xs) < EPS and max(ys) - min(ys) < EPS:
            return None
        i = max(range(len(xs)), key=lambda k: (xs[k] - x1) ** 2 + (ys[k] - y1) ** 2)
        x2, y2 = xs[i], ys[i]
        dx, dy = x2 - x1, y2 - y1
        n = math.hypot(dx, dy)
    for x, y in zip(xs, ys):
        if abs((x - x1) * dy - (y - y1) * dx) / n > 1e-3:
            return None
    # the extreme points along the line (a folded edge-on circle spans beyond its ends)
    ts = [((x - x1) * dx + (y - y1) * dy) / n for x, y in zip(xs, ys)]
    lo, hi = min(ts), max(ts)
    ux, uy = dx / n, dy / n
    return [x1 + ux * lo, y1 + uy * lo, x1 + ux * hi, y1 + uy * hi]


def _norm_line(p: list[float]) -> list[float]:
    a, b = (_r(p[0]), _r(p[1])), (_r(p[2]), _r(p[3]))
    if b < a:
        a, b = b, a
    return [a[0], a[1], b[0], b[1]]


def _covered(line: list[float], by: list[list[float]]) -> bool:
    """Whether segment ``line`` lies within the union of collinear segments ``by``."""
    x1, y1, x2, y2 = line
    dx, dy = x2 - x1, y2 - y1
    n = math.hypot(dx, dy)
    if n < EPS:
        return True
    spans = []
    for q in by:
        d1 = abs((q[0] - x1) * dy - (q[1] - y1) * dx) / n
        d2 = abs((q[2] - x1) * dy - (q[3] - y1) * dx) / n
        if d1 > 1e-3 or d2 > 1e-3:
            continue
        t1 = ((q[0] - x1) * dx + (q[1] - y1) * dy) / n
        t2 = ((q[2] - x1) * dx + (q[3] - y1) * dy) / n
        spans.append((min(t1, t2), max(t1, t2)))
    reach = 0.0
    for lo, hi in sorted(spans):
        if lo > reach + 1e-3:
            return False
        reach = max(reach, hi)
        if reach >= n - 1e-3:
            return True
    return reach >= n - 1e-3


def _clean(visible: list, hidden: list) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    vis_lines: list[list[float]] = []
    vis_arcs: set[tuple] = set()

    def add(kind: str, vis: int, data: list[float]) -> None:
        if kind == "p":
            line = _as_line(data)
            if line is None:
                pts = [_r(v) for v in data]
                e = {"t": "p", "v": vis, "p": pts}
            else:
                kind, data = "l", line
        if kind == "l":
            p = _norm_line(data)
            if abs(p[0] - p[2]) < EPS and abs(p[1] - p[3]) < EPS:
                return
            if vis:
                vis_lines.append(p)
            elif _covered(p, vis_lines) or _covered(p, [q["p"] for q in out.values() if q["t"] == "l" and not q["v"]]):
                return
            e = {"t": "l", "v": vis, "p": p}
        elif kind == "a":
            cx, cy, r, a0, a1 = data
            a0, a1 = _r(a0 % 360.0), _r(a1 % 360.0)
            if abs(abs(data[4] - data[3]) - 360.0) < 1e-6 or (a0 == a1 and abs(data[4] - data[3]) > 1):
                a0, a1 = 0.0, 360.0
            key = (_r(cx), _r(cy), _r(r), a0, a1)
            if not vis and key in vis_arcs:
                return
            if vis:
                vis_arcs.add(key)
            e = {"t": "a", "v": vis, "c": [key[0], key[1]], "r": key[2], "a": [a0, a1]}
        k = repr(sorted(e.items()))
        if k in out:
            return
        out[k] = e

    for kind, data in visible:
        add(kind, 1, data)
    # longest hidden edges first, so shorter pieces lying on them are dropped
    for kind, data in sorted(hidden, key=lambda kd: -_length(kd)):
        add(kind, 0, data)
    return [out[k] for k in sorted(out, key=lambda k: _sort_key(out[k]))]


def _length(kd) -> float:
    kind, d = kd
    if kind == "l":
        return math.hypot(d[2] - d[0], d[3] - d[1])
    if kind == "a":
        return d[2]
    return sum(math.hypot(d[i + 2] - d[i], d[i + 3] - d[i + 1]) for i in range(0, len(d) - 2, 2))


def _sort_key(e: dict[str, Any]) -> tuple:
    if e["t"] == "a":
        return (-e["v"], e["t"], e["c"], e["r"], e["a"])
    return (-e["v"], e["t"], e["p"], 0, [])

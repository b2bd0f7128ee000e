"""Sheet metal inside the geometry worker: thickness, bends and the flat pattern of a bent part.

Runs in the worker process (cadquery/OCP loaded), mode ``--flat JSON`` with
``{"k": K}`` (the CAD/ANSI K-factor, neutral fibre at r + K·t).

The model is read as a sheet: the *skin* is the set of faces reached from the
largest planar face by walking across tangent (smooth) edges, so it holds that
face's side of every flat and bend; the faces on the other side form the
*opposite skin*; every other face is an *edge face* (laser-cut edges, hole and
slot walls) and must touch both skins.  Each skin face gets a map into the flat:
the starting face by its own plane frame, a bend (a cylinder between two planes)
by its arc developed to the bend allowance BA = π/180·θ·(r + K·t), the next
flat by the rigid turn about the bend's tangent line followed by BA.  Flat
segments are measured on the skin between the tangent lines, which lie at the
same place on both skins, so the developed length is Σ flats + Σ BA exactly.

The skin is taken on the side the bends turn towards (the inside of the first
bend), so the flat is seen with the flanges coming up at the viewer; a bend that
turns away is ``down``.

Returned (JSON): thickness, the flat outline (polylines and circles, mm, the
flat's lower left corner at 0,0; each with its points or centre on the model, ``points3`` /
``centre3``, so a check can name the spec feature a cut-out is), the bends (angle, inside radius, direction,
length, bend line and tangent lines in the flat, flange lengths, relief
findings), the holes' distances to each bend, and every face where the sheet is
not ``thickness`` thick.
"""

from __future__ import annotations

import math
from typing import Any

TOL = 1e-4
ANG_TOL = 1e-6


def _v(p) -> tuple[float, float, float]:
    return (p.X(), p.Y(), p.Z())


def _sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _add(a, b):
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _mul(a, s):
    return (a[0] * s, a[1] * s, a[2] * s)


def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _norm(a):
    return math.sqrt(_dot(a, a))


def _unit(a):
    n = _norm(a)
    return _mul(a, 1.0 / n) if n > 0 else a


class NotSheet(Exception):
    """The model cannot be read as a bent sheet (message says why)."""


# --------------------------------------------------------------------------- topology


class _Topo:
    def __init__(self, shape):
        from OCP.TopAbs import TopAbs_EDGE, TopAbs_FACE
        from OCP.TopExp import TopExp
        from OCP.TopoDS import TopoDS
        from OCP.TopTools import TopTools_IndexedDataMapOfShapeListOfShape, TopTools_IndexedMapOfShape

        self.shape = shape
        fm = TopTools_IndexedMapOfShape()
        TopExp.MapShapes_s(shape, TopAbs_FACE, fm)
        self.faces = [TopoDS.Face_s(fm.FindKey(i)) for i in range(1, fm.Extent() + 1)]
        self._fmap = fm
        em = TopTools_IndexedDataMapOfShapeListOfShape()
        TopExp.MapShapesAndAncestors_s(shape, TopAbs_EDGE, TopAbs_FACE, em)
        self.edges = []
        self.edge_faces: list[list[int]] = []
        for i in range(1, em.Extent() + 1):
            edge = TopoDS.Edge_s(em.FindKey(i))
            owners = sorted({fm.FindIndex(f) - 1 for f in em.FindFromIndex(i)})
            self.edges.append(edge)
            self.edge_faces.append(owners)
        self._emap = em
        self.face_edges: list[list[int]] = [[] for _ in self.faces]
        for ei, owners in enumerate(self.edge_faces):
            for fi in owners:
                self.face_edges[fi].append(ei)

    def outer_edges(self, fi: int) -> set[int]:
        """The edges of the face's outer wire (the rest bound its holes)."""
        from OCP.BRepTools import BRepTools
        from OCP.TopAbs import TopAbs_EDGE
        from OCP.TopExp import TopExp_Explorer

        out = set()
        ex = TopExp_Explorer(BRepTools.OuterWire_s(self.faces[fi]), TopAbs_EDGE)
        while ex.More():
            out.add(self._emap.FindIndex(ex.Current()) - 1)
            ex.Next()
        return out

    def neighbours(self, fi: int):
        for ei in self.face_edges[fi]:
            for other in self.edge_faces[ei]:
                if other != fi:
                    yield ei, other


def _surface(face):
    from OCP.BRepAdaptor import BRepAdaptor_Surface

    return BRepAdaptor_Surface(face)


def _kind(face) -> str:
    from OCP.GeomAbs import GeomAbs_Cylinder, GeomAbs_Plane

    t = _surface(face).GetType()
    return "plane" if t == GeomAbs_Plane else "cylinder" if t == GeomAbs_Cylinder else "other"


def _normal_at(face, u: float, v: float):
    """The point at (u, v) and the face's outward unit normal there (planes and cylinders exactly)."""
    from OCP.gp import gp_Pnt, gp_Vec
    from OCP.TopAbs import TopAbs_REVERSED

    ad = _surface(face)
    p = _v(ad.Value(u, v))
    kind = _kind(face)
    if kind == "plane":
        ax = ad.Plane().Position()
        n = _v(ax.Direction())
        if not ax.Direct():
            n = _mul(n, -1.0)
    elif kind == "cylinder":
        cyl = ad.Cylinder()
        o, a = _v(cyl.Axis().Location()), _unit(_v(cyl.Axis().Direction()))
        foot = _add(o, _mul(a, _dot(_sub(p, o), a)))
        n = _unit(_sub(p, foot))
        if not cyl.Position().Direct():
            n = _mul(n, -1.0)
    else:
        pp, du, dv = gp_Pnt(), gp_Vec(), gp_Vec()
        ad.D1(u, v, pp, du, dv)
        n = _unit(_cross(_v(du), _v(dv)))
    if face.Orientation() == TopAbs_REVERSED:
        n = _mul(n, -1.0)
    return p, n


def _inside_points(face, n: int = 6):
    """Points inside ``face`` on an n×n grid of its parameter box (with the outward normal at each)."""
    from OCP.BRepTools import BRepTools
    from OCP.BRepTopAdaptor import BRepTopAdaptor_FClass2d
    from OCP.gp import gp_Pnt2d
    from OCP.TopAbs import TopAbs_IN

    umin, umax, vmin, vmax = BRepTools.UVBounds_s(face)
    cls = BRepTopAdaptor_FClass2d(face, 1e-7)
    out = []
    for i in range(1, n):
        for j in range(1, n):
            u = umin + (umax - umin) * i / n
            v = vmin + (vmax - vmin) * j / n
            if cls.Perform(gp_Pnt2d(u, v)) == TopAbs_IN:
                out.append(_normal_at(face, u, v))
    return out


def _inside_point(face):
    """A point inside ``face`` (not on a hole) and the outward normal there."""
    from OCP.BRepTools import BRepTools
    from OCP.BRepTopAdaptor import BRepTopAdaptor_FClass2d
    from OCP.gp import gp_Pnt2d
    from OCP.TopAbs import TopAbs_IN

    umin, umax, vmin, vmax = BRepTools.UVBounds_s(face)
    cls = BRepTopAdaptor_FClass2d(face, 1e-7)
    for n in (2, 4, 8, 16):
        for i in range(1, n):
            for j in range(1, n):
                u = umin + (umax - umin) * i / n
                v = vmin + (vmax - vmin) * j / n
                if cls.Perform(gp_Pnt2d(u, v)) == TopAbs_IN:
                    return _normal_at(face, u, v)
    u, v = 0.5 * (umin + umax), 0.5 * (vmin + vmax)
    return _normal_at(face, u, v)


def _edge_line(edge):
    """(point, unit direction) of a straight edge, else None."""
    from OCP.BRepAdaptor import BRepAdaptor_Curve
    from OCP.GeomAbs import GeomAbs_Line

    c = BRepAdaptor_Curve(edge)
    if c.GetType() != GeomAbs_Line:
        return None
    line = c.Line()
    return _v(line.Location()), _v(line.Direction())


def _edge_points(edge) -> tuple[str, Any]:
    """("circle", (centre, normal, radius)) for a whole circle, else ("poly", [points])."""
    from OCP.BRepAdaptor import BRepAdaptor_Curve
    from OCP.GCPnts import GCPnts_QuasiUniformDeflection
    from OCP.GeomAbs import GeomAbs_Circle, GeomAbs_Line

    c = BRepAdaptor_Curve(edge)
    t0, t1 = c.FirstParameter(), c.LastParameter()
    if c.GetType() == GeomAbs_Circle and abs((t1 - t0) - 2 * math.pi) < 1e-9:
        circ = c.Circle()
        return "circle", (_v(circ.Location()), _v(circ.Axis().Direction()), circ.Radius())
    if c.GetType() == GeomAbs_Line:
        return "poly", [_v(c.Value(t0)), _v(c.Value(t1))]
    d = GCPnts_QuasiUniformDeflection(c, 0.005, t0, t1)
    pts = [_v(d.Value(i)) for i in range(1, d.NbPoints() + 1)] if d.IsDone() else []
    if len(pts) < 2:
        pts = [_v(c.Value(t0 + (t1 - t0) * i / 16)) for i in range(17)]
    return "poly", pts


def _ray_thickness(shape, p, n) -> float | None:
    """Distance from ``p`` into the material along ``-n`` to where the ray leaves it."""
    from OCP.gp import gp_Dir, gp_Lin, gp_Pnt
    from OCP.IntCurvesFace import IntCurvesFace_ShapeIntersector

    inter = IntCurvesFace_ShapeIntersector()
    inter.Load(shape, 1e-7)
    d = _mul(n, -1.0)
    inter.Perform(gp_Lin(gp_Pnt(*p), gp_Dir(*d)), 1e-5, 1e6)
    if not inter.IsDone() or inter.NbPnt() == 0:
        return None
    return min(inter.WParameter(i) for i in range(1, inter.NbPnt() + 1))


def _tangent(topo: _Topo, ei: int, fa: int, fb: int) -> bool:
    """Faces ``fa`` and ``fb`` meet smoothly (same normal) along edge ``ei``."""
    from OCP.BRep import BRep_Tool
    from OCP.BRepAdaptor import BRepAdaptor_Curve
    from OCP.GeomAPI import GeomAPI_ProjectPointOnSurf
    from OCP.gp import gp_Pnt

    c = BRepAdaptor_Curve(topo.edges[ei])
    mid = c.Value(0.5 * (c.FirstParameter() + c.LastParameter()))
    normals = []
    for fi in (fa, fb):
        face = topo.faces[fi]
        proj = GeomAPI_ProjectPointOnSurf(gp_Pnt(mid.X(), mid.Y(), mid.Z()), BRep_Tool.Surface_s(face))
        if proj.NbPoints() == 0:
            return False
        u, v = proj.LowerDistanceParameters()
        normals.append(_normal_at(face, u, v)[1])
    return _dot(normals[0], normals[1]) > 1.0 - 1e-6


# --------------------------------------------------------------------------- maps into the flat


class _PlaneMap:
    """q ↦ o2 + ((q−o3)·e1)·d1 + ((q−o3)·e2)·d2."""

    def __init__(self, o3, e1, e2, o2, d1, d2):
        self.o3, self.e1, self.e2, self.o2, self.d1, self.d2 = o3, e1, e2, o2, d1, d2

    def __call__(self, q):
        r = _sub(q, self.o3)
        a, b = _dot(r, self.e1), _dot(r, self.e2)
        return (self.o2[0] + a * self.d1[0] + b * self.d2[0], self.o2[1] + a * self.d1[1] + b * self.d2[1])

    def direction(self, v):
        a, b = _dot(v, self.e1), _dot(v, self.e2)
        return (a * self.d1[0] + b * self.d2[0], a * self.d1[1] + b * self.d2[1])


class _BendMap:
    """A point on the bend's skin ↦ the parent's tangent line + BA·φ/θ across the bend zone."""

    def __init__(self, parent: _PlaneMap, t0, axis_o, axis, rho0, rho1, theta, ba, udir2):
        self.parent, self.t0, self.o, self.a = parent, t0, axis_o, axis
        self.rho0, self.rho1, self.theta, self.ba, self.u2 = rho0, rho1, theta, ba, udir2

    def __call__(self, q):
        w = _dot(_sub(q, self.t0), self.a)
        foot = _add(self.o, _mul(self.a, _dot(_sub(q, self.o), self.a)))
        rho = _unit(_sub(q, foot))
        # angle from rho0 towards rho1, in [0, theta]
        phi = math.atan2(_dot(_cross(self.rho0, rho), _unit(_cross(self.rho0, self.rho1))), _dot(self.rho0, rho))
        phi = min(max(phi, 0.0), self.theta)
        base = self.parent(_add(self.t0, _mul(self.a, w)))
        s = self.ba * (phi / self.theta if self.theta > 0 else 0.0)
        return (base[0] + s * self.u2[0], base[1] + s * self.u2[1])


def _frame(n):
    """e1, e2 in the plane with normal n, e1 × e2 = n; e1 as close to global X as can be."""
    for g in ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)):
        e1 = _sub(g, _mul(n, _dot(g, n)))
        if _norm(e1) > 1e-6:
            e1 = _unit(e1)
            return e1, _cross(n, e1)
    raise NotSheet("degenerate plane")


# --------------------------------------------------------------------------- unfolding


def _walk(topo: _Topo, start: int):
    """The skin: faces reached from ``start`` across smooth edges (planes and cylinders only)."""
    seen = {start}
    todo = [start]
    while todo:
        fi = todo.pop()
        for ei, other in topo.neighbours(fi):
            if other in seen or _kind(topo.faces[other]) not in ("plane", "cylinder"):
                continue
            if _tangent(topo, ei, fi, other):
                seen.add(other)
                todo.append(other)
    return seen


def _unfold(topo: _Topo, start: int, skin: set[int], t: float, k: float):
    """Maps for every skin face and the bends, by a walk plane → bend → plane from ``start``."""
    face0 = topo.faces[start]
    p0, n0 = _inside_point(face0)
    e1, e2 = _frame(n0)
    maps: dict[int, Any] = {start: _PlaneMap(p0, e1, e2, (0.0, 0.0), (1.0, 0.0), (0.0, 1.0))}
    normals = {start: n0}
    bends: list[dict[str, Any]] = []
    todo = [start]
    while todo:
        pi = todo.pop(0)
        pmap = maps[pi]
        for ei, ci in topo.neighbours(pi):
            if ci not in skin or ci in maps or _kind(topo.faces[ci]) != "cylinder":
                continue
            line = _edge_line(topo.edges[ei])
            if line is None:
                continue
            # the bend's other side: a plane of the skin across a straight edge
            nxt = [(ej, fj) for ej, fj in topo.neighbours(ci)
                   if fj != pi and fj in skin and _kind(topo.faces[fj]) == "plane" and fj not in maps
                   and _edge_line(topo.edges[ej]) is not None]
            if not nxt:
                continue
            ej, fj = nxt[0]
            cyl = _surface(topo.faces[ci]).Cylinder()
            ax_o, ax = _v(cyl.Axis().Location()), _unit(_v(cyl.Axis().Direction()))
            radius = cyl.Radius()
            t0 = line[0]
            t1 = _edge_line(topo.edges[ej])[0]

            def foot(q):
                return _add(ax_o, _mul(ax, _dot(_sub(q, ax_o), ax)))

            rho0, rho1 = _unit(_sub(t0, foot(t0))), _unit(_sub(t1, foot(t1)))
            theta = math.acos(max(-1.0, min(1.0, _dot(rho0, rho1))))
            n_p = normals[pi]
            # the skin lies inside the bend when the bend's axis is on the skin's outward side
            inside = _dot(_sub(ax_o, t0), n_p) > 0
            r_in = radius if inside else radius - t
            ba = theta * (r_in + k * t)
            # in-plane direction of the parent, perpendicular to the axis, towards the bend
            cpt, _cn = _inside_point(topo.faces[ci])
            u3 = _unit(_cross(ax, n_p))
            if _dot(u3, _sub(cpt, t0)) < 0:
                u3 = _mul(u3, -1.0)
            u2 = pmap.direction(u3)
            fpt, fn = _inside_point(topo.faces[fj])
            uf = _unit(_cross(ax, fn))
            if _dot(uf, _sub(fpt, t1)) < 0:
                uf = _mul(uf, -1.0)
            t1a = _add(foot(t1), _mul(_sub(t1, foot(t1)), 1.0))
            # align t1 axially with t0 so both maps share the axial coordinate
            t1a = _add(t1a, _mul(ax, _dot(_sub(t0, t1a), ax)))
            d1 = pmap.direction(ax)
            base = pmap(t0)
            fmap = _PlaneMap(t1a, ax, uf, (base[0] + ba * u2[0], base[1] + ba * u2[1]), d1, u2)
            maps[ci] = _BendMap(pmap, t0, ax_o, ax, rho0, rho1, theta, ba, u2)
            maps[fj] = fmap
            normals[fj] = fn
            direction = "up" if _dot(uf, n_p) > 0 else "down"
            # axial extent of the bend: its skin face's vertices
            ws = [_dot(_sub(q, t0), ax) for q in _face_vertices(topo.faces[ci])]
            wlo, whi = min(ws), max(ws)
            bends.append({
                "parent": pi, "cylinder": ci, "child": fj, "t0": t0, "t1": t1a, "axis": ax, "u3": u3, "uf": uf,
                "theta": theta, "radius": r_in, "ba": ba, "direction": direction, "wlo": wlo, "whi": whi,
                "u2": u2, "base2": base, "d1": d1,
            })
            todo.append(fj)
    return maps, bends


def _face_vertices(face):
    from OCP.BRep import BRep_Tool
    from OCP.TopAbs import TopAbs_VERTEX
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopoDS import TopoDS

    out = []
    ex = TopExp_Explorer(face, TopAbs_VERTEX)
    while ex.More():
        out.append(_v(BRep_Tool.Pnt_s(TopoDS.Vertex_s(ex.Current()))))
        ex.Next()
    return out


def _contains(face, q) -> bool:
    """``q`` (on the face's surface) lies inside the face."""
    from OCP.BRepClass import BRepClass_FaceClassifier
    from OCP.gp import gp_Pnt
    from OCP.TopAbs import TopAbs_IN

    ad = _surface(face)
    kind = _kind(face)
    if kind == "plane":
        pl = ad.Plane()
        if abs(_dot(_sub(q, _v(pl.Location())), _v(pl.Axis().Direction()))) > 1e-4:
            return False  # the classifier projects onto the surface: a point off the face's plane is not on it
    elif kind == "cylinder":
        cyl = ad.Cylinder()
        o, a = _v(cyl.Axis().Location()), _unit(_v(cyl.Axis().Direction()))
        foot = _add(o, _mul(a, _dot(_sub(q, o), a)))
        if abs(_norm(_sub(q, foot)) - cyl.Radius()) > 1e-4:
            return False
    return BRepClass_FaceClassifier(face, gp_Pnt(*q), 1e-6).State() == TopAbs_IN


def flat_pattern(shape, k: float) -> dict[str, Any]:
    """Everything the sheet-metal checks and the flat DXF need; raises :class:`NotSheet`."""
    from OCP.BRepGProp import BRepGProp
    from OCP.GProp import GProp_GProps

    topo = _Topo(shape.wrapped)
    planes = [i for i, f in enumerate(topo.faces) if _kind(f) == "plane"]
    if not planes:
        raise NotSheet("the model has no planar face")

    def area(i):
        props = GProp_GProps()
        BRepGProp.SurfaceProperties_s(topo.faces[i], props)
        return props.Mass()

    biggest = max(planes, key=lambda i: (round(area(i), 6), -i))
    # the sheet's thickness: the most common depth under the largest face (a pad or pocket is local)
    depths: dict[float, list] = {}
    for p, n in _inside_points(topo.faces[biggest]):
        d = _ray_thickness(topo.shape, p, n)
        if d is not None and d > TOL:
            depths.setdefault(round(d, 4), []).append((p, n))
    if not depths:
        raise NotSheet("no material behind the largest flat face")
    t, spots = max(depths.items(), key=lambda kv: (len(kv[1]), -kv[0]))
    p, n = spots[0]
    # the opposite face: where that ray leaves the material
    opposite = None
    q = _add(p, _mul(n, -t))
    for i in planes:
        f = topo.faces[i]
        if i != biggest and _contains(f, q):
            opposite = i
            break
    candidates = [biggest] + ([opposite] if opposite is not None else [])
    best = None
    for start in candidates:
        skin = _walk(topo, start)
        maps, bends = _unfold(topo, start, skin, t, k)
        ups = sum(1 for b in bends if b["direction"] == "up")
        score = (ups, -len(bends) + ups)
        if best is None or score > best[0]:
            best = (score, start, skin, maps, bends)
    _score, start, skin, maps, bends = best
    back = [c for c in candidates if c != start]
    other = _walk(topo, back[0]) if back else set()

    problems = []
    normals0 = _inside_point(topo.faces[start])[1]
    # every skin face is `t` thick (a ray from inside it straight into the material)
    for fi in sorted(skin):
        if fi not in maps:
            pt, _n = _inside_point(topo.faces[fi])
            problems.append({"face": _describe(topo.faces[fi], fi), "where": pt, "thickness": None,
                             "why": "not reached from the base through bends (a sharp corner or a second flat)"})
            continue
        pt, nn = _inside_point(topo.faces[fi])
        found = _ray_thickness(topo.shape, pt, nn)
        if found is None or abs(found - t) > 0.01:
            problems.append({"face": _describe(topo.faces[fi], fi), "where": pt, "thickness": found,
                             "why": "the sheet is not the same thickness here"})
    for fi in range(len(topo.faces)):
        if fi in skin or fi in other:
            continue
        touches = {o for _e, o in topo.neighbours(fi)}
        if not (touches & skin) or not (touches & other):
            pt, nn = _inside_point(topo.faces[fi])
            if _kind(topo.faces[fi]) == "plane" and abs(_dot(nn, normals0)) > 1 - 1e-6:
                found = _ray_thickness(topo.shape, pt, nn)
                why = "a step, pad or pocket face parallel to the sheet"
            else:
                found = None
                why = "a wall of a step, pad or pocket (it does not run through the sheet)"
            problems.append({"face": _describe(topo.faces[fi], fi), "where": pt, "thickness": found, "why": why})
    outline, holes = _outline(topo, skin, maps)
    # shift so the flat's lower left corner is at 0,0
    xs = [x for poly in outline for x, _ in poly["points"]] + [c["centre"][0] - c["radius"] for c in holes]
    ys = [y for poly in outline for _, y in poly["points"]] + [c["centre"][1] - c["radius"] for c in holes]
    if not xs:
        raise NotSheet("the flat pattern has no outline")
    dx, dy = -min(xs), -min(ys)

    def sh(pt):
        return [round(pt[0] + dx, 6) + 0.0, round(pt[1] + dy, 6) + 0.0]

    out_bends = []
    for i, b in enumerate(bends, 1):
        lo = b["base2"][0] + b["d1"][0] * b["wlo"], b["base2"][1] + b["d1"][1] * b["wlo"]
        hi = b["base2"][0] + b["d1"][0] * b["whi"], b["base2"][1] + b["d1"][1] * b["whi"]
        u2, ba = b["u2"], b["ba"]

        def off(pt, s, u2=u2):
            return (pt[0] + s * u2[0], pt[1] + s * u2[1])

        out_bends.append({
            "id": f"B{i}",
            "angle": round(math.degrees(b["theta"]), 6),
            "radius": round(b["radius"], 6),
            "direction": b["direction"],
            "length": round(b["whi"] - b["wlo"], 6),
            "ba": round(ba, 6),
            "line": [sh(off(lo, ba / 2)), sh(off(hi, ba / 2))],
            "tangents": [[sh(lo), sh(hi)], [sh(off(lo, ba)), sh(off(hi, ba))]],
            "flanges": [round(_extent(topo.faces[b["parent"]], b["t0"], b["u3"], inward=True), 6),
                        round(_extent(topo.faces[b["child"]], b["t1"], b["uf"]), 6)],
            "relief": _relief(topo, b, t),
            "where": [round(c, 6) for c in b["t0"]],
        })
    return {
        "thickness": round(t, 6),
        "skin_face": _describe(topo.faces[start], start),
        "bends": out_bends,
        "outline": [{"points": [sh(p) for p in poly["points"]], "inner": poly["inner"], "points3": poly["points3"]}
                    for poly in outline],
        "holes": [{"centre": sh(c["centre"]), "radius": round(c["radius"], 6), "centre3": c["centre3"]}
                  for c in holes],
        "problems": problems,
        "size": [round(max(xs) - min(xs), 6), round(max(ys) - min(ys), 6)],
    }


def _describe(face, index: int) -> str:
    from OCP.BRepGProp import BRepGProp
    from OCP.GProp import GProp_GProps

    props = GProp_GProps()
    BRepGProp.SurfaceProperties_s(face, props)
    c = props.CentreOfMass()
    kind = _kind(face)
    extra = f" R{_surface(face).Cylinder().Radius():g}" if kind == "cylinder" else ""
    return f"{kind}{extra} face #{index + 1} (area {props.Mass():.1f} mm², centre X{c.X():.2f} Y{c.Y():.2f} Z{c.Z():.2f})"


def _extent(face, t, u, inward: bool = False) -> float:
    """How far the flat ``face`` reaches from the tangent line through ``t`` (along ``-u`` when inward)."""
    s = -1.0 if inward else 1.0
    return max(0.0, max(s * _dot(_sub(q, t), u) for q in _face_vertices(face)))


def _relief(topo: _Topo, b: dict[str, Any], t: float) -> list[str]:
    """Bend ends where a flat continues past the bend without a relief cut."""
    found = []
    for side, w in (("start", b["wlo"]), ("end", b["whi"])):
        beyond = w - 0.5 * t if side == "start" else w + 0.5 * t
        for face, tline, u in ((topo.faces[b["parent"]], b["t0"], _mul(b["u3"], -1.0)),
                               (topo.faces[b["child"]], b["t1"], b["uf"])):
            q = _add(_add(tline, _mul(b["axis"], beyond)), _mul(u, 0.25 * t))
            if _contains(face, q):
                found.append(side)
                break
    return found


def _outline(topo: _Topo, skin: set[int], maps: dict[int, Any]):
    """Edges of the skin that bound one skin face only, mapped into the flat; whole circles apart."""
    polys, circles = [], []
    outer = {fi: topo.outer_edges(fi) for fi in skin}
    for ei, owners in enumerate(topo.edge_faces):
        mine = [f for f in owners if f in skin and f in maps]
        if len(mine) != 1:
            continue
        m = maps[mine[0]]
        kind, data = _edge_points(topo.edges[ei])
        if kind == "circle" and isinstance(m, _PlaneMap):
            centre, _normal, radius = data
            circles.append({"centre": m(centre), "radius": radius, "centre3": [round(c, 6) for c in centre]})
            continue
        if kind == "circle":
            from OCP.BRepAdaptor import BRepAdaptor_Curve

            c = BRepAdaptor_Curve(topo.edges[ei])
            t0, t1 = c.FirstParameter(), c.LastParameter()
            data = [_v(c.Value(t0 + (t1 - t0) * i / 64)) for i in range(65)]
        polys.append({"points": [m(q) for q in data], "inner": ei not in outer[mine[0]],
                      "points3": [[round(c, 6) for c in q] for q in data]})
    return polys, circles

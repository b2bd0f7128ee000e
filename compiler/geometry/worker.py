"""Geometry worker: ``python -m techpack.geometry.worker KIND PATH [--memory-mb N]``.

Runs in its own process (started by :func:`techpack.geometry.load_facts`), imports
cadquery, loads a STEP file or runs a cadquery script, measures the shape and writes
exactly one JSON object to stdout:

    {"ok": true, "facts": {...}}                      exit 0
    {"ok": true, "views": [...]}                      exit 0 (with --views, see hlr.py)
    {"ok": false, "error": "<sentence>"}              exit 1
    {"ok": false, "reason": "memory", "error": "..."} exit 1

Anything else the kernel or the model prints (OCCT writes to file descriptor 1) is
redirected to stderr, so stdout stays one clean JSON line.

The memory limit is an ``RLIMIT_AS`` set here, *after* cadquery is imported, at the
address space in use then plus N MiB: importing cadquery/OCP alone maps about 1 GiB,
so a limit set before the import would measure the kernel, not the model.

This module uses only the standard library at import time; cadquery/OCP are
imported inside :func:`main`.
"""

from __future__ import annotations

import json
import math
import os
import sys
import traceback
from typing import Any

ROUND = 6
TOL = 1e-6  # mm / unit-vector tolerance for merging faces into one feature


class ModelError(Exception):
    """A failure to report to the user as is."""


class OutOfMemory(Exception):
    pass


# --------------------------------------------------------------------------- small math


def _r(x: float) -> float:
    """Round to ROUND decimals; never -0.0 (so JSON is byte-stable)."""
    v = round(float(x), ROUND) + 0.0
    if not math.isfinite(v):
        raise ModelError("the shape measures as infinite or NaN (is it empty or open?)")
    return v


def _r3(v: tuple[float, float, float]) -> list[float]:
    return [_r(v[0]), _r(v[1]), _r(v[2])]


def _dot(a, b) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _add(a, b):
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _mul(a, s: float):
    return (a[0] * s, a[1] * s, a[2] * s)


def _cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _norm(a) -> float:
    return math.sqrt(_dot(a, a))


def _unit(a):
    n = _norm(a)
    return (a[0] / n, a[1] / n, a[2] / n) if n > 0 else (0.0, 0.0, 0.0)


def _canonical_dir(d):
    """Flip d so its first component that is not ~0 is positive."""
    for c in d:
        if abs(c) > 1e-9:
            return d if c > 0 else _mul(d, -1.0)
    return d


# --------------------------------------------------------------------------- loading


def _model_line(exc: BaseException, model_path: str) -> int | None:
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == model_path:
        return exc.lineno
    line = None
    for fr in traceback.extract_tb(exc.__traceback__):
        if fr.filename and os.path.abspath(fr.filename) == model_path:
            line = fr.lineno
    return line


def _exc_text(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        text = exc.msg or "invalid syntax"
    else:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def _shape_from_result(cq, result: Any):
    """A cadquery Shape from whatever the model bound to ``result``."""
    if isinstance(result, cq.Workplane):
        shapes = [v for v in result.vals() if isinstance(v, cq.Shape)]
        if not shapes:
            raise ModelError("cadquery model's `result` holds no shapes")
        return shapes[0] if len(shapes) == 1 else cq.Compound.makeCompound(shapes)
    if isinstance(result, cq.Shape):
        return result
    if isinstance(result, cq.Assembly):
        return result.toCompound()
    raise ModelError(
        "cadquery model's `result` must be a cadquery Workplane or Shape, "
        f"not {type(result).__name__}"
    )


def _load_cadquery(cq, path: str, source: bytes):
    """Run the model's ``source`` (the bytes techpack checked) as if it were the file at ``path``."""
    model_dir = os.path.dirname(path)
    if model_dir not in sys.path:
        sys.path.insert(0, model_dir)
    ns = {"__name__": "__techpack_model__", "__file__": path, "__builtins__": __builtins__,
          "show_object": lambda *a, **k: None, "debug": lambda *a, **k: None}
    try:
        exec(compile(source, path, "exec"), ns)  # noqa: S102 - confined: see techpack.geometry.sandbox
    except MemoryError:
        raise OutOfMemory() from None
    except SystemExit as exc:
        raise ModelError(f"cadquery model failed: it called exit({exc.code!r})") from None
    except BaseException as exc:  # noqa: BLE001 - everything the model does is the user's
        if isinstance(exc, KeyboardInterrupt):
            raise
        if "memory" in type(exc).__name__.lower():
            raise OutOfMemory() from None
        line = _model_line(exc, path)
        where = f" (line {line})" if line else ""
        raise ModelError(f"cadquery model failed: {_exc_text(exc)}{where}") from None
    if "result" not in ns:
        raise ModelError("cadquery model defines no `result`")
    return _shape_from_result(cq, ns["result"])


def _load_step(cq, path: str):
    try:
        wp = cq.importers.importStep(path)
    except MemoryError:
        raise OutOfMemory() from None
    except Exception as exc:  # noqa: BLE001
        msg = str(exc)
        if "could not be loaded" in msg:
            raise ModelError("STEP file could not be read: not a valid STEP file") from None
        raise ModelError(f"STEP file could not be read: {_exc_text(exc)}") from None
    shapes = [v for v in wp.vals() if isinstance(v, cq.Shape) and not v.wrapped.IsNull()]
    if not shapes:
        raise ModelError("STEP file could not be read: no shapes found")
    shape = shapes[0] if len(shapes) == 1 else cq.Compound.makeCompound(shapes)
    return shape


# --------------------------------------------------------------------------- measuring


def _faces(shape):
    """Each face once, with the orientation it has inside the shape."""
    from OCP.TopAbs import TopAbs_FACE
    from OCP.TopExp import TopExp
    from OCP.TopoDS import TopoDS
    from OCP.TopTools import TopTools_IndexedMapOfShape

    m = TopTools_IndexedMapOfShape()
    TopExp.MapShapes_s(shape.wrapped, TopAbs_FACE, m)
    return [TopoDS.Face_s(m.FindKey(i)) for i in range(1, m.Extent() + 1)]


def _surface_normal(adaptor, face, u: float, v: float):
    """Outward unit normal at (u, v), honouring the face's orientation."""
    from OCP.gp import gp_Pnt, gp_Vec
    from OCP.TopAbs import TopAbs_REVERSED

    p, du, dv = gp_Pnt(), gp_Vec(), gp_Vec()
    adaptor.D1(u, v, p, du, dv)
    n = _unit(_cross(du.Coord(), dv.Coord()))
    if face.Orientation() == TopAbs_REVERSED:
        n = _mul(n, -1.0)
    return p.Coord(), n


def _cylinder_fact(face):
    from OCP.BRepAdaptor import BRepAdaptor_Surface
    from OCP.BRepTools import BRepTools

    ad = BRepAdaptor_Surface(face)
    cyl = ad.Cylinder()
    ax = cyl.Axis()
    loc = ax.Location().Coord()
    d = ax.Direction().Coord()
    umin, umax, vmin, vmax = BRepTools.UVBounds_s(face)
    # Outward normal vs. the radial direction decides hole (normal towards the axis)
    # or boss.  The sign is the same everywhere on the surface, so any (u, v) will do.
    p, n = _surface_normal(ad, face, 0.5 * (umin + umax), 0.5 * (vmin + vmax))
    foot = _add(loc, _mul(d, _dot(_sub(p, loc), d)))
    radial = _sub(p, foot)
    internal = _dot(n, radial) < 0.0
    # v is the arc length along the axis from its location.
    e1 = _add(loc, _mul(d, vmin))
    e2 = _add(loc, _mul(d, vmax))
    dc = _canonical_dir(d)
    start = e1 if _dot(e1, dc) <= _dot(e2, dc) else e2
    return {
        "radius": cyl.Radius(),
        "origin": start,
        "dir": dc,
        "length": abs(vmax - vmin),
        "internal": internal,
    }


def _cone_fact(face) -> dict:
    """A conical face: where it starts on its axis, its length and radii there, half angle, inside or out."""
    from OCP.BRepAdaptor import BRepAdaptor_Surface
    from OCP.BRepTools import BRepTools

    ad = BRepAdaptor_Surface(face)
    cone = ad.Cone()
    ax = cone.Axis()
    loc = ax.Location().Coord()
    d = ax.Direction().Coord()
    semi = cone.SemiAngle()
    r0 = cone.RefRadius()
    umin, umax, vmin, vmax = BRepTools.UVBounds_s(face)
    p, n = _surface_normal(ad, face, 0.5 * (umin + umax), 0.5 * (vmin + vmax))
    foot = _add(loc, _mul(d, _dot(_sub(p, loc), d)))
    internal = _dot(n, _sub(p, foot)) < 0.0
    # v runs along the generatrix: axial offset v·cos(semi), radius R + v·sin(semi)
    ends = [(_add(loc, _mul(d, v * math.cos(semi))), abs(r0 + v * math.sin(semi))) for v in (vmin, vmax)]
    dc = _canonical_dir(d)
    (start, rs), (end, re_) = sorted(ends, key=lambda e: _dot(e[0], dc))
    return {"axis_origin": _r3(start), "axis_dir": _r3(dc), "length": _r(_norm(_sub(end, start))),
            "radius_start": _r(rs), "radius_end": _r(re_), "half_angle": _r(math.degrees(abs(semi))),
            "internal": bool(internal)}


def _merge_cylinders(raw: list[dict]) -> list[dict]:
    """Faces on one axis line, radius and side whose extents overlap or touch → one."""
    groups: list[dict] = []
    for c in sorted(raw, key=lambda c: (c["radius"], c["dir"], c["origin"])):
        for g in groups:
            if g["internal"] != c["internal"] or abs(g["radius"] - c["radius"]) > TOL:
                continue
            if _norm(_sub(g["dir"], c["dir"])) > TOL:
                continue
            d = g["dir"]
            off = _sub(c["origin"], g["origin"])
            t = _dot(off, d)
            if _norm(_sub(off, _mul(d, t))) > TOL:  # not on the same axis line
                continue
            lo, hi = 0.0, g["length"]
            clo, chi = t, t + c["length"]
            if clo > hi + TOL or chi < lo - TOL:
                continue  # coaxial but apart: separate features
            nlo, nhi = min(lo, clo), max(hi, chi)
            g["origin"] = _add(g["origin"], _mul(d, nlo))
            g["length"] = nhi - nlo
            break
        else:
            groups.append(dict(c))
    return groups


def measure(shape) -> dict[str, Any]:
    from OCP.Bnd import Bnd_Box
    from OCP.BRepAdaptor import BRepAdaptor_Surface
    from OCP.BRepBndLib import BRepBndLib
    from OCP.BRepGProp import BRepGProp
    from OCP.GeomAbs import GeomAbs_Cone, GeomAbs_Cylinder, GeomAbs_Plane
    from OCP.GProp import GProp_GProps
    from OCP.TopAbs import TopAbs_REVERSED

    if shape.wrapped.IsNull():
        raise ModelError("the shape is empty")
    box = Bnd_Box()
    # Optimal box on the exact geometry, without tolerance padding.
    BRepBndLib.AddOptimal_s(shape.wrapped, box, False, False)
    if box.IsVoid():
        raise ModelError("the shape is empty (no bounding box)")
    xmin, ymin, zmin, xmax, ymax, zmax = box.Get()

    cylinders, planes, cones = [], [], []
    for face in _faces(shape):
        ad = BRepAdaptor_Surface(face)
        t = ad.GetType()
        if t == GeomAbs_Cylinder:
            cylinders.append(_cylinder_fact(face))
        elif t == GeomAbs_Cone:
            cones.append(_cone_fact(face))
        elif t == GeomAbs_Plane:
            props = GProp_GProps()
            BRepGProp.SurfaceProperties_s(face, props)
            pl = ad.Plane()
            n = pl.Axis().Direction().Coord()
            if not pl.Position().Direct():  # a left-handed frame: the surface normal is -Z (chamfer faces)
                n = _mul(n, -1.0)
            if face.Orientation() == TopAbs_REVERSED:
                n = _mul(n, -1.0)
            fbox = Bnd_Box()
            BRepBndLib.AddOptimal_s(face, fbox, False, False)
            x0, y0, z0, x1, y1, z1 = fbox.Get()
            planes.append(
                {"origin": _r3(props.CentreOfMass().Coord()), "normal": _r3(n),
                 "area": _r(props.Mass()), "lo": _r3((x0, y0, z0)), "hi": _r3((x1, y1, z1))}
            )

    cyl_out = [
        {
            "radius": _r(c["radius"]),
            "axis_origin": _r3(c["origin"]),
            "axis_dir": _r3(c["dir"]),
            "length": _r(c["length"]),
            "internal": bool(c["internal"]),
        }
        for c in _merge_cylinders(cylinders)
    ]
    cyl_out.sort(key=lambda c: (c["radius"], c["axis_dir"], c["axis_origin"], c["length"],
                                c["internal"]))
    planes.sort(key=lambda p: (p["normal"], p["origin"], p["area"]))
    cones.sort(key=lambda c: (c["axis_dir"], c["axis_origin"], c["length"], c["radius_start"], c["internal"]))

    return {
        "bbox_min": _r3((xmin, ymin, zmin)),
        "bbox_max": _r3((xmax, ymax, zmax)),
        "volume_mm3": _r(shape.Volume()),
        "area_mm2": _r(shape.Area()),
        "solids": len(shape.Solids()),
        "cylinders": cyl_out,
        "planes": planes,
        "cones": cones,
    }


# --------------------------------------------------------------------------- main


def _set_memory_limit(memory_mb: int) -> None:
    """RLIMIT_AS = address space in use now (kernel loaded) + memory_mb."""
    try:
        import resource
    except ImportError:  # not POSIX
        return
    used = 0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    used = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if used <= 0:
        return  # no /proc (not Linux): the address space in use is unknown, leave it be
    limit = used + int(memory_mb) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _parse_args(argv: list[str]) -> tuple[str, str, int | None]:
    kind, path, memory_mb, _views = _parse_all(argv)
    return kind, path, memory_mb


_SOURCE: list[str | None] = [None]


def _parse_all(argv: list[str]) -> tuple[str, str, int | None, list | None]:
    """KIND PATH [--memory-mb N] [--views JSON]: JSON lists the projections to draw."""
    args = list(argv)
    memory_mb = None
    views = None
    if "--memory-mb" in args:
        i = args.index("--memory-mb")
        memory_mb = int(args[i + 1])
        del args[i : i + 2]
    if "--step" in args:  # STEP export (see stepout.py): --views JSON is reused as a marker
        args.remove("--step")
        views = "step"
    if "--flat" in args:  # sheet-metal unfold (see unfold.py): JSON {"k": K-factor}
        i = args.index("--flat")
        views = {"flat": json.loads(args[i + 1])}
        del args[i : i + 2]
    if "--source" in args:  # the bytes to run or import (a copy of what was checked), for PATH
        i = args.index("--source")
        _SOURCE[0] = args[i + 1]
        del args[i : i + 2]
    if "--views" in args:
        i = args.index("--views")
        views = json.loads(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2 or args[0] not in ("step", "cadquery"):
        raise SystemExit("usage: python -m techpack.geometry.worker {step|cadquery} PATH "
                         "[--memory-mb N] [--views JSON | --step | --flat JSON]")
    return args[0], os.path.abspath(args[1]), memory_mb, views


def main(argv: list[str] | None = None) -> int:
    kind, path, memory_mb, views = _parse_all(sys.argv[1:] if argv is None else argv)

    # Keep fd 1 for our JSON; everything else (OCCT messages, the model's prints) → stderr.
    sys.stdout.flush()
    out_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    out = os.fdopen(out_fd, "w", encoding="utf-8")

    def emit(doc: dict[str, Any], code: int) -> int:
        out.write(json.dumps(doc, sort_keys=True, allow_nan=False) + "\n")
        out.flush()
        return code

    try:
        _defer_import("vtk")
        import cadquery as cq
        from OCP.BRepBndLib import BRepBndLib  # noqa: F401 - load now, before the limit
        from OCP.BRepGProp import BRepGProp  # noqa: F401
        from OCP.BRepTools import BRepTools  # noqa: F401
    except Exception as exc:  # noqa: BLE001
        return emit({"ok": False, "error": f"geometry kernel (cadquery) could not be loaded: "
                                           f"{_exc_text(exc)}"}, 1)

    source = _SOURCE[0] or path
    try:
        with open(source, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return emit({"ok": False, "error": f"geometry input could not be read: {exc.strerror or exc}"}, 1)
    if kind == "cadquery" and os.environ.get("TECHPACK_SANDBOX_WRITE"):
        from techpack.geometry import confine

        why = confine.load_seccomp()
        if why:
            print(f"techpack geometry worker: {why}", file=sys.stderr)
        read = os.environ.get("TECHPACK_SANDBOX_READ", "").split(os.pathsep)
        confine.install_audit_hook(path, read, os.environ["TECHPACK_SANDBOX_WRITE"])
    elif os.environ.get("TECHPACK_SANDBOX_WRITE"):
        from techpack.geometry import confine

        confine.load_seccomp()

    if memory_mb is not None:
        _set_memory_limit(memory_mb)

    oom = False
    try:
        shape = _load_step(cq, source) if kind == "step" else _load_cadquery(cq, path, data)
        refused = _refused()
        if refused:
            return emit({"ok": False, "error": refused}, 1)
        if views == "step":  # the model as a STEP file (models/<part>.step)
            from techpack.geometry.stepout import write_step

            return emit({"ok": True, "step": write_step(shape), "solids": len(shape.Solids())}, 0)
        if isinstance(views, dict) and "flat" in views:  # the sheet-metal flat pattern
            from techpack.geometry.unfold import NotSheet, flat_pattern

            try:
                flat = flat_pattern(shape, float(views["flat"]["k"]))
            except NotSheet as exc:
                flat = {"not_sheet": str(exc)}
            return emit({"ok": True, "flat": flat}, 0)
        if views is not None:  # projected views for the drawings instead of the facts
            from techpack.geometry.hlr import project

            return emit({"ok": True, "views": project(shape, views)}, 0)
        facts = measure(shape)
    except OutOfMemory:
        oom = True
    except MemoryError:
        oom = True
    except ModelError as exc:
        return emit({"ok": False, "error": _refused() or str(exc)}, 1)
    except Exception as exc:  # noqa: BLE001 - a kernel failure while measuring
        if "memory" in type(exc).__name__.lower():
            oom = True
        else:
            what = "cadquery model" if kind == "cadquery" else "STEP file"
            return emit({"ok": False, "error": f"{what} could not be measured: "
                                               f"{_exc_text(exc)}"}, 1)
    if oom:
        return emit({"ok": False, "reason": "memory", "error": "out of memory"}, 1)
    doc = {"ok": True, "facts": facts}
    prefetched = _standard_views(shape, facts)
    if prefetched is not None:
        doc["views"] = prefetched
    step = _step_export(shape)
    if step is not None:
        doc["step"], doc["solids"] = step, len(shape.Solids())
    return emit(doc, 0)


def _defer_import(name: str) -> None:
    """Make ``import name`` cheap until the module is used: ``sys.modules`` holds a stand-in whose first read
    of a name the module lacks (anything but a bare module's ``__name__``, ``__doc__``, ``__spec__``...) imports
    the real module, copies its names into the stand-in and returns the one asked for; from then on
    ``import name`` gives the real module. Code that uses the module sees no difference.

    OCP's VTK bridge imports ``vtk``, all of VTK (about 160 modules, 0.4 s of the kernel's 1.5 s import), when
    cadquery is imported, but reads nothing of it; measuring, projecting and exporting a shape never use it
    (cadquery's viewers and VTK exports do, and load it then). The standard library's ``LazyLoader`` loads on
    any attribute read, and the bridge's import reads one, so it saves nothing here."""
    import importlib
    import importlib.util
    import types

    if name in sys.modules:
        return
    try:
        if importlib.util.find_spec(name) is None:
            return
    except (ImportError, ValueError):
        return

    class Deferred(types.ModuleType):
        def __getattr__(self, attr: str):
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = importlib.import_module(name)
            self.__dict__.update(real.__dict__)
            return getattr(real, attr)

    sys.modules[name] = Deferred(name)


def _refused() -> str:
    """The first operation the sandbox refused, as the finding's sentence ('' when none)."""
    mod = sys.modules.get("techpack.geometry.confine")
    refused = mod.refusals() if mod is not None else []
    if not refused:
        return ""
    what, line = refused[0]
    more = f" (and {len(refused) - 1} more refused operation(s))" if len(refused) > 1 else ""
    return (f"cadquery model was stopped by the geometry sandbox: it tried to {what}"
            f"{f' (line {line})' if line else ''}{more}; a model may only read its own folder and write "
            "a private temporary folder, without network, processes or the caller's environment")


#: A prefetched STEP text larger than this is left to the on-demand ``--step`` run.
MAX_PREFETCH_STEP = 32 * 1024 * 1024


def _step_export(shape) -> str | None:
    """``models/<part>.step`` of a small part, while it is loaded anyway (None when skipped or failed):
    the build then never starts the kernel a second time for it (a cold build paid a second
    ``import cadquery``, about 4 s, on its critical path)."""
    try:
        from techpack.geometry.hlr import MAX_PREFETCH_FACES
        from techpack.geometry.stepout import write_step

        if len(_faces(shape)) > MAX_PREFETCH_FACES:
            return None
        text = write_step(shape)
        return text if len(text) <= MAX_PREFETCH_STEP else None
    except (Exception, MemoryError):  # noqa: BLE001 - an optional extra; the facts stand
        return None


def _standard_views(shape, facts: dict[str, Any]) -> list | None:
    """The drawing views of a small part, while it is loaded anyway (None when skipped or failed).

    The caller caches them next to the facts, so a drawing never loads the model a
    second time.  Large shapes are left to an on-demand ``--views`` run.
    """
    try:
        from techpack.geometry.hlr import MAX_PREFETCH_FACES, project
        from techpack.geometry.views import standard_projections

        if len(_faces(shape)) > MAX_PREFETCH_FACES:
            return None
        return project(shape, [p.to_json() for p in standard_projections(facts)])
    except (Exception, MemoryError):  # noqa: BLE001 - an optional extra; the facts stand
        return None


def _leave(code: int) -> None:
    """Exit with ``code`` without the interpreter's teardown: the answer is written and flushed, and
    unloading the kernel (OCP, VTK: 1 GiB mapped) took 0.4 s of a cold build's critical path after it."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _leave(main())

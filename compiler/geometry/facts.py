"""Geometry facts: what a STEP file or a cadquery model measures, cached on disk.

:func:`load_facts` is the only entry point.  It hashes the file, looks for a cached
answer and, on a miss, runs :mod:`techpack.geometry.worker` in a subprocess: the
geometry kernel (cadquery/OCP, ~2 s to import and ~1 GiB of address space) never
enters the calling process, and a model that loops, allocates without bound or
crashes the kernel costs a :class:`GeometryError`, never the caller.

This module imports nothing heavy: a cache hit is a file hash and a JSON read.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import cachefile

__all__ = [
    "FACTS_VERSION",
    "KINDS",
    "Cone",
    "Cylinder",
    "GeometryError",
    "GeometryFacts",
    "Bases",
    "Plane",
    "cache_basis",
    "default_cache_dir",
    "load_facts",
]

#: Bump whenever the worker's measurements change meaning or precision: old cache
#: entries then stop matching and are recomputed.
FACTS_VERSION = 3  # 2: cones (countersinks, chamfers on round edges); 3: each plane's extent (chamfer legs)

KINDS = ("step", "cadquery")

Vec3 = tuple[float, float, float]


class GeometryError(Exception):
    """A model or STEP file could not be measured.

    ``message`` is one human sentence for the user; ``detail`` (maybe empty) is the
    worker's last stderr lines, for a debug log, never for the user's face.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


def _vec3(value: Any) -> Vec3:
    x, y, z = value
    return (float(x), float(y), float(z))


@dataclass(frozen=True)
class Cylinder:
    """A cylindrical feature: all faces on one axis and radius, merged.

    ``axis_origin`` is the point on the axis where the feature starts, ``axis_dir`` the
    unit direction (first non-zero component positive) along which it runs for
    ``length``.  ``internal`` is True for a hole or bore (material outside the
    surface), False for a boss or shaft.
    """

    radius: float
    axis_origin: Vec3
    axis_dir: Vec3
    length: float
    internal: bool

    @property
    def diameter(self) -> float:
        return round(2.0 * self.radius, 6)

    @property
    def axis_end(self) -> Vec3:
        o, d, n = self.axis_origin, self.axis_dir, self.length
        return (o[0] + d[0] * n, o[1] + d[1] * n, o[2] + d[2] * n)

    def to_json(self) -> dict[str, Any]:
        return {
            "radius": self.radius,
            "axis_origin": list(self.axis_origin),
            "axis_dir": list(self.axis_dir),
            "length": self.length,
            "internal": self.internal,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Cylinder":
        internal = d["internal"]
        if not isinstance(internal, bool):
            raise TypeError("internal must be a bool")
        return cls(
            radius=float(d["radius"]),
            axis_origin=_vec3(d["axis_origin"]),
            axis_dir=_vec3(d["axis_dir"]),
            length=float(d["length"]),
            internal=internal,
        )


@dataclass(frozen=True)
class Cone:
    """A conical face (a countersink, a chamfer on a round edge, a centre hole): one face, not merged.

    ``axis_origin`` is the point on the axis where the face starts and ``axis_dir`` the
    unit direction (first non-zero component positive) along which it runs for
    ``length``; ``radius_start``/``radius_end`` are its radii there.  ``half_angle`` in
    degrees (a 90° countersink: 45).  ``internal`` as for :class:`Cylinder`.
    """

    axis_origin: Vec3
    axis_dir: Vec3
    length: float
    radius_start: float
    radius_end: float
    half_angle: float
    internal: bool

    def to_json(self) -> dict[str, Any]:
        return {"axis_origin": list(self.axis_origin), "axis_dir": list(self.axis_dir), "length": self.length,
                "radius_start": self.radius_start, "radius_end": self.radius_end, "half_angle": self.half_angle,
                "internal": self.internal}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Cone":
        internal = d["internal"]
        if not isinstance(internal, bool):
            raise TypeError("internal must be a bool")
        return cls(axis_origin=_vec3(d["axis_origin"]), axis_dir=_vec3(d["axis_dir"]), length=float(d["length"]),
                   radius_start=float(d["radius_start"]), radius_end=float(d["radius_end"]),
                   half_angle=float(d["half_angle"]), internal=internal)


@dataclass(frozen=True)
class Plane:
    """A planar face: its centroid, outward unit normal and area; ``lo``/``hi`` its extent (exact bounding box:
    an inclined face's extent across the edge it cuts is a chamfer's two legs)."""

    origin: Vec3
    normal: Vec3
    area: float
    lo: Vec3 | None = None
    hi: Vec3 | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"origin": list(self.origin), "normal": list(self.normal), "area": self.area}
        if self.lo is not None and self.hi is not None:
            out["lo"], out["hi"] = list(self.lo), list(self.hi)
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Plane":
        lo, hi = d.get("lo"), d.get("hi")
        return cls(origin=_vec3(d["origin"]), normal=_vec3(d["normal"]), area=float(d["area"]),
                   lo=_vec3(lo) if lo is not None else None, hi=_vec3(hi) if hi is not None else None)


@dataclass(frozen=True)
class GeometryFacts:
    """What one STEP file or cadquery model measures (mm, mm², mm³)."""

    sha256: str
    kind: str
    bbox_min: Vec3
    bbox_max: Vec3
    volume_mm3: float
    area_mm2: float
    solids: int
    cylinders: tuple[Cylinder, ...]
    planes: tuple[Plane, ...]
    cones: tuple[Cone, ...] = ()

    @property
    def size(self) -> Vec3:
        """Bounding-box extents along X, Y, Z."""
        lo, hi = self.bbox_min, self.bbox_max
        return (
            round(hi[0] - lo[0], 6) + 0.0,
            round(hi[1] - lo[1], 6) + 0.0,
            round(hi[2] - lo[2], 6) + 0.0,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "kind": self.kind,
            "bbox_min": list(self.bbox_min),
            "bbox_max": list(self.bbox_max),
            "volume_mm3": self.volume_mm3,
            "area_mm2": self.area_mm2,
            "solids": self.solids,
            "cylinders": [c.to_json() for c in self.cylinders],
            "planes": [p.to_json() for p in self.planes],
            "cones": [c.to_json() for c in self.cones],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "GeometryFacts":
        """Rebuild from :meth:`to_json` output; raises KeyError/TypeError/ValueError on junk."""
        kind = d["kind"]
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        sha = d["sha256"]
        if not isinstance(sha, str):
            raise TypeError("sha256 must be a string")
        solids = d["solids"]
        if not isinstance(solids, int) or isinstance(solids, bool):
            raise TypeError("solids must be an int")
        return cls(
            sha256=sha,
            kind=kind,
            bbox_min=_vec3(d["bbox_min"]),
            bbox_max=_vec3(d["bbox_max"]),
            volume_mm3=float(d["volume_mm3"]),
            area_mm2=float(d["area_mm2"]),
            solids=solids,
            cylinders=tuple(Cylinder.from_json(c) for c in d["cylinders"]),
            planes=tuple(Plane.from_json(p) for p in d["planes"]),
            cones=tuple(Cone.from_json(c) for c in d.get("cones", [])),
        )


# --------------------------------------------------------------------------- the worker's answer is untrusted

MAX_COORD = 1e6
"""mm: no part of a tech pack is a kilometre long; larger numbers are a broken or hostile answer."""
MAX_ITEMS = 200_000


def _finite(v: float, what: str, limit: float = MAX_COORD) -> None:
    if not math.isfinite(v) or abs(v) > limit:
        raise ValueError(f"{what} {v!r} is out of range")


def check_ranges(f: GeometryFacts) -> None:
    """Raise ValueError unless every fact is finite and physically possible (the cache only holds such)."""
    for what, vec in (("bbox_min", f.bbox_min), ("bbox_max", f.bbox_max)):
        for v in vec:
            _finite(v, what)
    if any(lo > hi for lo, hi in zip(f.bbox_min, f.bbox_max)):
        raise ValueError("bbox_min lies beyond bbox_max")
    size = f.size
    _finite(f.volume_mm3, "volume", MAX_COORD ** 3)
    _finite(f.area_mm2, "area", MAX_COORD ** 2)
    if f.volume_mm3 < 0 or f.area_mm2 < 0:
        raise ValueError("negative volume or area")
    if f.volume_mm3 > size[0] * size[1] * size[2] * (1 + 1e-6) + 1e-6:
        raise ValueError("volume larger than the bounding box")
    if not 0 <= f.solids <= MAX_ITEMS or len(f.cylinders) > MAX_ITEMS or len(f.planes) > MAX_ITEMS:
        raise ValueError("too many solids or faces")
    for c in f.cylinders:
        for v in (*c.axis_origin, c.length, c.radius):
            _finite(v, "cylinder")
        if c.radius <= 0 or c.length < 0 or abs(math.hypot(*c.axis_dir) - 1) > 1e-3:
            raise ValueError("cylinder with a non-positive radius or a non-unit axis")
    if len(f.cones) > MAX_ITEMS:
        raise ValueError("too many faces")
    for k in f.cones:
        for v in (*k.axis_origin, k.length, k.radius_start, k.radius_end, k.half_angle):
            _finite(v, "cone")
        if min(k.radius_start, k.radius_end) < 0 or k.length < 0 or not 0 < k.half_angle < 90 \
                or abs(math.hypot(*k.axis_dir) - 1) > 1e-3:
            raise ValueError("cone with a negative radius or length, a flat or negative angle, or a non-unit axis")
    for p in f.planes:
        for v in (*p.origin, p.area):
            _finite(v, "plane", MAX_COORD ** 2)
        if p.area < 0 or abs(math.hypot(*p.normal) - 1) > 1e-3:
            raise ValueError("plane with a negative area or a non-unit normal")
        if (p.lo is None) != (p.hi is None):
            raise ValueError("plane with one end of its extent")
        if p.lo is not None and p.hi is not None:
            for v in (*p.lo, *p.hi):
                _finite(v, "plane extent")
            if any(a > b for a, b in zip(p.lo, p.hi)):
                raise ValueError("plane extent with its low end beyond its high end")


# --------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    """``$TECHPACK_CACHE_DIR``, else ``$XDG_CACHE_HOME/techpack``, else ``~/.cache/techpack``."""
    env = os.environ.get("TECHPACK_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "techpack"
    return Path.home() / ".cache" / "techpack"


#: Folders below a cadquery model's folder that never hold modules it imports.
_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "venv", ".venv"})


def model_modules(model: Path) -> list[Path]:
    """The Python files a cadquery model can import from its own folder (the sandbox lets it read
    that folder and nothing else of the product): every ``*.py`` below it, hidden and cache folders
    skipped, sorted. The model itself is among them."""
    return folder_modules(model.parent)


def folder_modules(folder: Path) -> list[Path]:
    """Every ``*.py`` below ``folder``, hidden and cache folders skipped, sorted (see :func:`model_modules`)."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        found += [Path(root) / f for f in files if f.endswith(".py")]
    return sorted(found)


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """What makes the worker's answers: techpack's geometry code and the geometry kernel's versions.
    A changed worker (a new release, or a developer's edit) never reads answers an older one cached."""
    from ..versions import library_versions  # noqa: PLC0415 - keep the worker's imports light

    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for folder in (here, here.parent / "sheetmetal"):
        for py in sorted(folder.glob("*.py")):
            h.update(f"{py.parent.name}/{py.name}\0".encode() + hashlib.sha256(py.read_bytes()).digest())
    libs = library_versions()
    for name in ("cadquery", "cadquery-ocp"):
        h.update(f"{name}={libs.get(name, '')}\0".encode())
    return h.digest()


def module_digests(folder: Path) -> dict[Path, str]:
    """SHA-256 of each module a cadquery model in ``folder`` could import (unreadable: a random digest,
    so that nothing stale is used)."""
    out = {}
    for py in folder_modules(Path(folder)):
        try:
            out[py] = hashlib.sha256(py.read_bytes()).hexdigest()
        except OSError:
            out[py] = os.urandom(16).hex()
    return out


def cache_basis(path: Path, kind: str, data: bytes, modules: dict[Path, str] | None = None) -> bytes:
    """The digest every geometry cache key starts from: the model's checked bytes, for a cadquery
    model also each module in its folder it could import (a changed helper is a changed model), and
    the worker's code. A module that cannot be read makes the key unique, so nothing stale is used.
    ``modules`` is :func:`module_digests` of the model's folder when the caller has it (see :class:`Bases`)."""
    h = hashlib.sha256(data)
    h.update(_code_digest())
    if kind == "cadquery":
        model = Path(path).resolve()
        digests = module_digests(model.parent) if modules is None else modules
        for py, digest in sorted(digests.items()):
            if py == model:
                continue
            h.update(f"{py.relative_to(model.parent).as_posix()}\0{digest}\0".encode())
    return h.digest()


class Bases:
    """The cache bases of one build: each model folder is walked and its modules read once, however many
    models it holds and however many caches (facts, STEP, views, flat pattern) each model is looked up in.

    Made per build (it lives on the loaded spec), never per process: an edit between two builds is seen.
    """

    def __init__(self) -> None:
        # no lock: two threads may both compute one basis (the same bytes); a lock held across a fork would hang
        self._folders: dict[Path, dict[Path, str]] = {}
        self._bases: dict[tuple[Path, str, bytes], bytes] = {}

    def get(self, path: Path, kind: str, data: bytes) -> bytes:
        model = Path(path).resolve()
        key = (model, kind, hashlib.sha256(data).digest())
        hit = self._bases.get(key)
        if hit is not None:
            return hit
        modules = None
        if kind == "cadquery":
            modules = self._folders.get(model.parent)
            if modules is None:
                modules = self._folders[model.parent] = module_digests(model.parent)
        basis = self._bases[key] = cache_basis(model, kind, data, modules)
        return basis


def _cache_key(basis: bytes, kind: str) -> str:
    """sha256 over the cache basis, the kind and FACTS_VERSION: the cache file's name."""
    h = hashlib.sha256(basis)
    h.update(f"\0techpack-geometry\0{kind}\0v{FACTS_VERSION}".encode())
    return h.hexdigest()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "geometry" / f"{key}.json"


def _read_cache(path: Path, sha: str, kind: str) -> GeometryFacts | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        doc = json.loads(raw)
        if doc.get("facts_version") != FACTS_VERSION:
            return None
        facts = GeometryFacts.from_json(doc["facts"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # corrupt or foreign: recompute and overwrite
    if facts.sha256 != sha or facts.kind != kind:
        return None
    try:
        check_ranges(facts)
    except ValueError:
        return None  # a poisoned entry: recompute
    return facts


def _dumps(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, indent=1, allow_nan=False) + "\n"


def _write_cache(path: Path, facts: GeometryFacts) -> None:
    write_cache_file(path, {"facts_version": FACTS_VERSION, "facts": facts.to_json()})


def write_cache_file(path: Path, doc: Any) -> None:
    """Atomic write of a JSON cache entry (:func:`techpack.cachefile.write`).

    A read-only or full cache, or a value JSON cannot hold, is not an error: the caller has its answer.
    """
    try:
        text = _dumps(doc)
    except ValueError:
        return
    cachefile.write(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- worker


def _fmt_seconds(s: float) -> str:
    return f"{s:g}"


def _what(kind: str) -> str:
    return "cadquery model" if kind == "cadquery" else "STEP import"


def _memory_message(kind: str, memory_mb: int) -> str:
    who = "model" if kind == "cadquery" else "STEP import"
    return f"{who} used more than {memory_mb} MiB of memory"


_MEMORY_HINTS = (
    "memoryerror",
    "bad_alloc",
    "cannot allocate memory",
    "out of memory",
    "outofmemory",
    "failed to map segment",
)


def _tail(text: str, lines: int = 5) -> str:
    kept = [ln for ln in text.splitlines() if ln.strip()]
    return "\n".join(kept[-lines:])


def model_bytes(path: Path, data: bytes | None) -> bytes:
    """The model's bytes as they were checked (``data``, read once by the loader), else read now."""
    if data is not None:
        return data
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GeometryError(f"geometry could not be read: {exc.strerror or exc}") from None


def _run_worker(path: Path, kind: str, timeout: float, memory_mb: int, *,
                extra: tuple[str, ...] = (), answer: str = "facts", doc_out: dict | None = None,
                data: bytes | None = None) -> Any:
    """Run the confined worker on ``data`` (the bytes of ``path`` that were checked; read here when None).

    Returns its ``answer`` (``facts``, or ``views`` with ``--views``); ``doc_out``, when
    given, receives the worker's whole answer (e.g. the views it projected with the facts).
    """
    from . import launch, sandbox  # noqa: PLC0415

    why = sandbox.available()
    if why and sandbox.mode() == "require":
        raise GeometryError(f"{_what(kind)} was not run: the geometry sandbox is required (--sandbox=require) "
                            f"but {why}")
    data = model_bytes(path, data)
    private = Path(tempfile.mkdtemp(prefix="techpack-geometry-"))
    try:
        (private / "in").mkdir()
        source = private / "in" / ("model.py" if kind == "cadquery" else "model.step")
        source.write_bytes(data)
        worker = ["-m", "techpack.geometry.worker", kind, str(path), "--source", str(source),
                  "--memory-mb", str(int(memory_mb)), *extra]
        how = sandbox.plan(worker, kind=kind, model=path, source=source, private=private)
        try:
            done = launch.run(how.cmd, env=how.env, cwd=how.cwd, timeout=timeout,
                              preexec=lambda: sandbox.rlimits(timeout))
        except launch.Stopped:
            raise GeometryError(f"{_what(kind)} was not loaded: techpack is stopping") from None
        except OSError as exc:
            raise GeometryError(f"geometry worker could not be started: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(private, ignore_errors=True)
    if done.stopped:
        raise GeometryError(f"{_what(kind)} was stopped: techpack is stopping")
    if done.timed_out:
        raise GeometryError(f"{_what(kind)} did not finish within {_fmt_seconds(timeout)} s")
    if done.overflow == "stderr":
        raise GeometryError(f"{_what(kind)} printed more than {launch.STDERR_LIMIT // 2**20} MiB of messages and "
                            "was stopped")
    if done.overflow == "stdout":
        raise GeometryError(f"geometry worker's answer for the {_what(kind)} is larger than "
                            f"{launch.STDOUT_LIMIT // 2**20} MiB")
    return _answer(done, kind, memory_mb, answer, doc_out)


def _answer(done, kind: str, memory_mb: int, answer: str, doc_out: dict | None) -> Any:
    stderr = done.stderr
    detail = _tail(stderr)
    doc = None
    text = done.stdout.decode("utf-8", "replace").strip()
    if text:
        try:
            doc = json.loads(text.splitlines()[-1])
        except ValueError:
            doc = None
    rc = done.returncode
    if isinstance(doc, dict):
        if doc.get("ok") is True and doc.get(answer) is not None and rc == 0:
            if doc_out is not None:
                doc_out.update(doc)
            return doc[answer]
        if doc.get("ok") is False:
            if doc.get("reason") == "memory":
                raise GeometryError(_memory_message(kind, memory_mb), detail)
            msg = doc.get("error")
            if isinstance(msg, str) and msg:
                raise GeometryError(msg, detail)

    if any(h in stderr.lower() for h in _MEMORY_HINTS):
        raise GeometryError(_memory_message(kind, memory_mb), detail)
    if rc is not None and rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = f"signal {-rc}"
        raise GeometryError(f"{_what(kind)} crashed the geometry kernel ({name})", detail)
    if rc:
        last = detail.splitlines()[-1] if detail else f"exit status {rc}"
        raise GeometryError(f"geometry worker failed: {last}", detail)
    raise GeometryError("geometry worker returned no result", detail)


# --------------------------------------------------------------------------- API


def load_facts(
    path: Path,
    kind: str,
    *,
    timeout: float = 60.0,
    memory_mb: int = 2048,
    cache_dir: Path | None = None,
    data: bytes | None = None,
    basis: bytes | None = None,
) -> GeometryFacts:
    """Measure a STEP file (``kind="step"``) or a cadquery script (``kind="cadquery"``).

    Cached by the file's bytes: a hit reads one small JSON file.  A miss runs the
    isolated worker, limited to ``timeout`` seconds of wall time (the whole process
    group is killed past it) and ``memory_mb`` MiB of memory beyond what the geometry
    kernel itself needs once loaded.  Raises :class:`GeometryError` with a sentence
    for the user on any failure.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    path = Path(path).resolve()
    what = "STEP file" if kind == "step" else "cadquery model"
    try:
        data = path.read_bytes() if data is None else data  # the caller's bytes, when it read them already
    except FileNotFoundError:
        raise GeometryError(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise GeometryError(f"{what} is a folder, not a file: {path}") from None
    except OSError as exc:
        raise GeometryError(f"{what} could not be read: {exc.strerror or exc}") from None

    sha = hashlib.sha256(data).hexdigest()
    basis = cache_basis(path, kind, data) if basis is None else basis
    cache_file = _cache_path(Path(cache_dir) if cache_dir is not None else default_cache_dir(),
                             _cache_key(basis, kind))
    hit = _read_cache(cache_file, sha, kind)
    if hit is not None:
        return hit

    if not data.strip():
        if kind == "step":
            raise GeometryError("STEP file could not be read: the file is empty")
        raise GeometryError("cadquery model defines no `result`")

    whole: dict[str, Any] = {}
    raw = _run_worker(path, kind, timeout, memory_mb, doc_out=whole, data=data)
    try:
        facts = GeometryFacts.from_json({**raw, "sha256": sha, "kind": kind})
        if facts.solids == 0:  # a sketch or a surface: its "volume" would be a perimeter or an area
            raise GeometryError(f"{what} holds no solid (a 2D sketch, a wire or open faces?): a made part needs "
                                "a closed solid to measure its volume and mass")
        check_ranges(facts)
    except (KeyError, TypeError, ValueError) as exc:
        raise GeometryError(f"geometry worker returned malformed facts ({exc})") from None
    _write_cache(cache_file, facts)
    if whole.get("views") is not None:  # the drawing views, projected while the model was loaded
        from .views import store_prefetched  # noqa: PLC0415 - views imports this module

        store_prefetched(basis, kind, raw, whole["views"], cache_file.parent.parent)
    if isinstance(whole.get("step"), str):  # models/<part>.step, exported while the model was loaded
        from .export import store_prefetched_step  # noqa: PLC0415 - export imports this module

        store_prefetched_step(basis, kind, whole["step"], whole.get("solids"), cache_file.parent.parent)
    return facts

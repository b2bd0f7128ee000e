"""The flat pattern of a sheet-metal part, unfolded by the geometry worker and cached like the views."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..geometry.facts import KINDS, GeometryError, _run_worker, cache_basis, default_cache_dir, model_bytes, write_cache_file

__all__ = ["FLAT_VERSION", "Bend", "FlatPattern", "load_flat"]

#: Bump when the worker's unfold output changes meaning.
FLAT_VERSION = 3

P2 = tuple[float, float]


@dataclass(frozen=True)
class Bend:
    id: str
    angle: float  # degrees the flange turns (90 for an L)
    radius: float  # inside radius, as modelled
    direction: str  # up | down, seen on the flat as drawn
    length: float
    ba: float
    line: tuple[P2, P2]  # the bend line: the middle of the bend zone
    tangents: tuple[tuple[P2, P2], tuple[P2, P2]]  # the bend zone's edges on the flat
    flanges: tuple[float, float]  # flat length of the flat before and after the bend, from its tangent line
    relief: tuple[str, ...]  # bend ends (start, end) where the flat continues without a relief cut
    where: tuple[float, float, float]  # a point of the bend's first tangent line in the model


@dataclass(frozen=True)
class FlatPattern:
    thickness: float
    k: float
    skin_face: str
    bends: tuple[Bend, ...]
    outline: tuple[tuple[P2, ...], ...]  # cut polylines (outer boundary and non-circular cut-outs)
    inner: tuple[bool, ...]  # per outline polyline: part of a cut-out (slot), not the outer boundary
    holes: tuple[tuple[P2, float], ...]  # round holes: centre, radius
    problems: tuple[dict, ...]  # faces where the model is not a sheet of `thickness`
    size: P2
    not_sheet: str = ""  # why the model could not be read as a sheet at all


def _p(v) -> P2:
    return (float(v[0]), float(v[1]))


def _parse(d: dict[str, Any], k: float) -> FlatPattern:
    if "not_sheet" in d:
        return FlatPattern(0.0, k, "", (), (), (), (), (), (0.0, 0.0), not_sheet=str(d["not_sheet"]))
    bends = tuple(Bend(str(b["id"]), float(b["angle"]), float(b["radius"]), str(b["direction"]), float(b["length"]),
                       float(b["ba"]), (_p(b["line"][0]), _p(b["line"][1])),
                       tuple((_p(t[0]), _p(t[1])) for t in b["tangents"]),  # type: ignore[arg-type]
                       (float(b["flanges"][0]), float(b["flanges"][1])), tuple(b["relief"]),
                       tuple(float(c) for c in b["where"]))  # type: ignore[arg-type]
                  for b in d["bends"])
    return FlatPattern(float(d["thickness"]), k, str(d["skin_face"]), bends,
                       tuple(tuple(_p(p) for p in o["points"]) for o in d["outline"]),
                       tuple(bool(o.get("inner", False)) for o in d["outline"]),
                       tuple((_p(h["centre"]), float(h["radius"])) for h in d["holes"]),
                       tuple(d["problems"]), _p(d["size"]))


def _key(basis: bytes, kind: str, k: float) -> str:
    h = hashlib.sha256(basis)
    h.update(f"\0techpack-flat\0{kind}\0v{FLAT_VERSION}\0k={k!r}".encode())
    return h.hexdigest()


def load_flat(path: Path, kind: str, k: float, *, timeout: float = 120.0, memory_mb: int = 4096,
              cache_dir: Path | None = None, data: bytes | None = None, basis: bytes | None = None) -> FlatPattern:
    """The flat pattern of the model at ``path`` for CAD K-factor ``k`` (cached by the file's bytes and k)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    path = Path(path).resolve()
    data = model_bytes(path, data)
    key = _key(cache_basis(path, kind, data) if basis is None else basis, kind, k)
    cache_file = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "flat" / f"{key}.json"
    try:
        doc = json.loads(cache_file.read_bytes())
        if doc.get("flat_version") == FLAT_VERSION and doc.get("key") == key:
            return _parse(doc["flat"], k)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    raw = _run_worker(path, kind, timeout, memory_mb, extra=("--flat", json.dumps({"k": k})), answer="flat",
                      data=data)
    try:
        flat = _parse(raw, k)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise GeometryError(f"geometry worker returned a malformed flat pattern ({exc})") from None
    write_cache_file(cache_file, {"flat_version": FLAT_VERSION, "key": key, "flat": raw})
    return flat

"""``models/<part>.step``: the part's 3D model as the supplier's CAM reads it.

Every made part is re-exported through the geometry worker, a STEP input as
well as a cadquery model.  Re-export rather than pass-through, because

* the file then carries the part number and revision (header and PRODUCT), so a
  model that travels on its own still says what it is;
* it is exactly the shape techpack measured and drew (one kernel, one reading:
  units mm, AP214), not a file whose units or schema the supplier's reader may
  take differently; and
* the bytes are reproducible (the header time is the build date).

The source STEP stays attached to the tech-pack PDF as a source file.

The worker's raw STEP text is cached by the model's bytes (like the facts); the
header is stamped here, in the calling process, so a new revision or date never
re-runs the kernel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .facts import KINDS, GeometryError, _run_worker, cache_basis, default_cache_dir, model_bytes, write_cache_file

__all__ = ["STEP_VERSION", "StepHeader", "export_step", "stamp_header", "step_string", "store_prefetched_step"]

#: Bump when the worker's STEP output changes; old cache entries are then ignored.
STEP_VERSION = 1


@dataclass(frozen=True)
class StepHeader:
    """What the STEP header and PRODUCT entity say about the part."""

    number: str
    revision: str
    name: str
    owner: str
    author: str
    date: dt.datetime
    system: str  # e.g. "techpack 0.1.0"


def step_string(text: str) -> str:
    """``text`` as a STEP (ISO 10303-21) string literal, quotes included.

    Printable ASCII stays as is (``'`` and ``\\`` doubled); anything else is
    written in the ``\\X2\\…\\X0\\`` UCS-2 escape (``\\X4\\`` beyond the BMP).
    """
    out: list[str] = []
    for ch in text:
        o = ord(ch)
        if ch == "'":
            out.append("''")
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x20 or o == 0x7F:
            out.append(" ")
        elif o <= 0xFFFF:
            out.append(f"\\X2\\{o:04X}\\X0\\")
        else:
            out.append(f"\\X4\\{o:08X}\\X0\\")
    return "'" + "".join(out) + "'"


_HEADER = re.compile(r"HEADER;.*?ENDSEC;", re.S)
_PRODUCT = re.compile(r"(#\d+\s*=\s*PRODUCT\()\s*'(?:[^']|'')*'\s*,\s*'(?:[^']|'')*'\s*,\s*'(?:[^']|'')*'")
_FORMATION = re.compile(r"(#\d+\s*=\s*PRODUCT_DEFINITION_FORMATION\()\s*'(?:[^']|'')*'\s*,\s*'(?:[^']|'')*'")


def stamp_header(raw: str, h: StepHeader) -> bytes:
    """The worker's STEP text with our header, PRODUCT and revision; the file's bytes."""
    stamp = h.date.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0).isoformat()
    header = (
        "HEADER;\n"
        f"FILE_DESCRIPTION(({step_string(f'{h.number} revision {h.revision}: {h.name}')},"
        f"{step_string('3D model, millimetres, one solid')}),'2;1');\n"
        f"FILE_NAME({step_string(h.number + '.step')},{step_string(stamp)},({step_string(h.author)}),"
        f"({step_string(h.owner)}),{step_string(h.system)},'Open CASCADE (via cadquery)',"
        f"{step_string(h.author)});\n"
        "FILE_SCHEMA(('AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }'));\n"
        "ENDSEC;"
    )
    text, n = _HEADER.subn(lambda _m: header, raw, count=1)
    if n != 1:
        raise GeometryError("the geometry kernel wrote a STEP file without a header")
    name = step_string(h.number)
    text = _PRODUCT.sub(lambda m: f"{m[1]}{name},{step_string(h.name)},''", text, count=1)
    text = _FORMATION.sub(lambda m: f"{m[1]}{step_string(h.revision)},{step_string('revision ' + h.revision)}",
                          text, count=1)
    return text.replace("\r\n", "\n").encode("latin-1")


def _key(basis: bytes, kind: str) -> str:
    h = hashlib.sha256(basis)
    h.update(f"\0techpack-step\0{kind}\0v{STEP_VERSION}".encode())
    return h.hexdigest()


def store_prefetched_step(basis: bytes, kind: str, raw: str, solids, cache_dir: Path) -> None:
    """Cache the STEP text a facts run exported (see the worker), as :func:`export_step` would."""
    if not isinstance(solids, int) or isinstance(solids, bool) or solids < 0 or not _HEADER.search(raw):
        return  # malformed: the export will ask the worker again
    key = _key(basis, kind)
    _store(Path(cache_dir) / "step" / f"{key}.json", key, raw, solids)


def _store(cache_file: Path, key: str, raw: str, solids: int) -> None:
    write_cache_file(cache_file, {"step_version": STEP_VERSION, "key": key, "step": raw, "solids": solids})


def export_step(path: Path, kind: str, header: StepHeader, *, timeout: float = 120.0, memory_mb: int = 4096,
                cache_dir: Path | None = None, data: bytes | None = None, basis: bytes | None = None) -> bytes:
    """The bytes of ``models/<part>.step`` for the model at ``path`` (cached by its bytes).

    Raises :class:`GeometryError` with a sentence for the user when the model cannot
    be exported or is not exactly one solid.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    path = Path(path).resolve()
    data = model_bytes(path, data)
    key = _key(cache_basis(path, kind, data) if basis is None else basis, kind)
    cache_file = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "step" / f"{key}.json"
    raw = solids = None
    try:
        doc = json.loads(cache_file.read_bytes())
        if doc.get("step_version") == STEP_VERSION and doc.get("key") == key:
            raw, solids = str(doc["step"]), int(doc["solids"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    if raw is None:
        whole: dict = {}
        raw = _run_worker(path, kind, timeout, memory_mb, extra=("--step",), answer="step", doc_out=whole,
                          data=data)
        if not isinstance(raw, str):
            raise GeometryError("geometry worker returned a malformed STEP export")
        solids = int(whole.get("solids", 0))
        _store(cache_file, key, raw, solids)
    if solids != 1:
        raise GeometryError(f"the model holds {solids} solids; a part's STEP model must be exactly one solid")
    return stamp_header(raw, header)

"""Laid-out sheets kept between builds, by the hash of everything the layout reads.

A part's sheet is :func:`~techpack.drawings.layout.compose` of its :class:`~techpack.drawings.layout.Inputs`
(the part's spec, characteristics, geometry facts and match, projected views and sections, title block data,
notes, revision rows), then the revision marks of ``changed`` and the sheet's title.  The key hashes all of
that, as values (:func:`encode` walks the objects themselves, so no field can be left out by a list kept by
hand), with techpack's code, its templates (the font the text widths come from) and the versions of the
libraries that shape output bytes.  An unchanged part then costs one file read on the next build.

Anything the encoder does not know (a type it was not written for) makes the part uncacheable: it is laid out
as if there were no cache.  A cache file that is damaged, unreadable or names a class outside the drawing
model is a miss, never a failure, and never a sheet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import io
import pickle
from pathlib import Path, PurePath

from .. import cachefile
from ..hashing import output_basis

MAGIC = b"techpack-layout 1\n"
_SIMPLE = (str, int, float, bool, type(None))


class Uncacheable(Exception):
    """The inputs hold something :func:`encode` cannot write down faithfully."""


def encode(value: object) -> str:
    """``value`` written down completely: equal text means equal values (objects by class and attributes; an
    object met again is a reference to its first appearance, so shared and cyclic structures are finite)."""
    out: list[str] = []
    _encode(value, out, {})
    return "".join(out)


def _encode(o: object, out: list[str], seen: dict[int, int]) -> None:  # noqa: C901, PLR0912 - one case per kind
    t = type(o)
    if t in _SIMPLE:
        out.append(f"{t.__name__[0]}{o!r};")
        return
    if t is tuple or t is list:
        if all(type(x) in _SIMPLE for x in o):
            out.append(f"{t.__name__[0]}{o!r};")
            return
        out.append(f"{t.__name__[0]}[")
        for x in o:
            if type(x) in _SIMPLE:
                out.append(f"{type(x).__name__[0]}{x!r};")
            else:
                _encode(x, out, seen)
        out.append("]")
        return
    if t is dict:
        out.append("D{")
        for k, v in o.items():
            _encode(k, out, seen)
            if type(v) in _SIMPLE:
                out.append(f"{type(v).__name__[0]}{v!r};")
            else:
                _encode(v, out, seen)
        out.append("}")
        return
    if t is set or t is frozenset:
        items = sorted(encode(x) for x in o)  # the key must not depend on the process's hash seed
        out.append(f"S{len(items)}{{" + "".join(items) + "}")
        return
    if isinstance(o, decimal.Decimal):
        out.append(f"d{o};")
        return
    if isinstance(o, enum.Enum):
        out.append(f"e{t.__module__}.{t.__qualname__}.{o.name}:")
        _encode(o.value, out, seen)
        return
    if isinstance(o, (dt.datetime, dt.date, dt.time)):
        out.append(f"t{t.__name__}{o.isoformat()}{o.tzinfo if hasattr(o, 'tzinfo') else ''};")
        return
    if isinstance(o, PurePath):
        out.append(f"p{o.as_posix()};")
        return
    if isinstance(o, tuple) and hasattr(t, "_fields"):  # a named tuple
        if all(type(x) in _SIMPLE for x in o):
            out.append(f"n{t.__module__}.{t.__qualname__}{tuple.__repr__(o)};")
            return
        out.append(f"n{t.__module__}.{t.__qualname__}[")
        for x in o:
            _encode(x, out, seen)
        out.append("]")
        return
    if isinstance(o, (str, int, float, tuple, list, dict)):
        raise Uncacheable(f"a subclass of a built-in type: {t.__qualname__}")
    ref = seen.get(id(o))
    if ref is not None:
        out.append(f"@{ref};")
        return
    module = getattr(t, "__module__", "")
    if not module.startswith("techpack.") and not _is_pydantic(o):
        raise Uncacheable(f"an object of {module}.{t.__qualname__}")
    if callable(o) and not dataclasses.is_dataclass(o):
        raise Uncacheable(f"a callable: {t.__qualname__}")
    seen[id(o)] = len(seen)
    state = getattr(o, "__dict__", None)
    if state is None:
        slots = [s for c in t.__mro__ for s in getattr(c, "__slots__", ())]
        if not slots:
            raise Uncacheable(f"an object without attributes: {t.__qualname__}")
        state = {s: getattr(o, s, None) for s in slots}
    out.append(f"o{module}.{t.__qualname__}{{")
    for k, v in state.items():
        if type(v) in _SIMPLE:
            out.append(f"{k}={type(v).__name__[0]}{v!r};")
        else:
            out.append(f"{k}=")
            _encode(v, out, seen)
    if _is_pydantic(o):
        for extra in ("__pydantic_extra__", "__pydantic_private__", "__pydantic_fields_set__"):
            out.append(f"{extra}=")
            _encode(getattr(o, extra, None), out, seen)
    out.append("}")


def _is_pydantic(o: object) -> bool:
    return hasattr(type(o), "__pydantic_fields__")


def key_of(*inputs: object) -> str | None:
    """The cache key of a layout computed from ``inputs``; None when they cannot be written down."""
    try:
        text = encode(inputs)
    except (Uncacheable, RecursionError):
        return None
    return hashlib.sha256(f"{output_basis()}\n".encode() + text.encode()).hexdigest()


class _ModelOnly(pickle.Unpickler):
    """Unpickles the drawing model's classes and plain values, nothing else."""

    def find_class(self, module: str, name: str):
        if module.startswith("techpack.drawings.") or (module, name) in {("decimal", "Decimal")}:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a drawing")


def _path(root: Path, key: str) -> Path:
    return root / "layouts" / key[:2] / f"{key}.sheet"


def get(root: Path | None, key: str | None):
    """The sheet stored under ``key``, or None (no cache, no entry, or an entry that does not check out)."""
    if root is None or key is None:
        return None
    data = cachefile.read(_path(root, key))
    head = len(MAGIC) + 65
    if data is None or not data.startswith(MAGIC) or len(data) < head:
        return None
    digest, payload = data[len(MAGIC):head - 1].decode("ascii", "replace"), data[head:]
    if hashlib.sha256(payload).hexdigest() != digest:
        return None
    try:
        return _ModelOnly(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - any damage is a miss
        return None


def put(root: Path | None, key: str | None, sheet) -> None:
    """Store ``sheet`` under ``key`` (atomically; a file-system error only means no entry)."""
    if root is None or key is None:
        return
    payload = pickle.dumps(sheet, protocol=pickle.HIGHEST_PROTOCOL)
    cachefile.write(_path(root, key), MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)

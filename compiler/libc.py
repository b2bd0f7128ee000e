"""C library functions (``prctl``, ``renameat2``) from the symbols this process already has loaded.

Never through ``ctypes.util.find_library``: on Linux it runs ``ldconfig -p`` (and ``gcc`` when that finds
nothing) each time it is called, which cost every render job a few hundredths of a second.
"""

from __future__ import annotations

import ctypes
import functools


@functools.lru_cache(maxsize=1)
def _process() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)  # dlopen(NULL): the program and every library it has loaded
    except OSError:  # pragma: no cover - a platform without dlopen
        return None


def function(name: str):
    """The C function ``name``, or None where this C library has no such function."""
    lib = _process()
    return getattr(lib, name, None) if lib is not None else None

"""The versions of everything outside techpack that shapes the bytes of a pack.

A pack is byte-identical across machines only when these agree: the manifest records them, and the
build fingerprint includes them, so upgrading a library re-renders what it could change.

Read from the installed distributions' ``*.dist-info`` / ``*.egg-info`` names (one directory listing
per ``sys.path`` entry, a few milliseconds, so the no-op build stays fast; ``importlib.metadata``
reads every metadata file and costs ten times more). The first on ``sys.path`` wins, as on import.
"""

from __future__ import annotations

import ctypes
import functools
import os
import platform
import re
import sys
import zlib

# Distributions whose code writes or lays out output bytes, by their normalised names.
OUTPUT_LIBRARIES = (
    "brotli",         # WeasyPrint's font compression
    "cadquery",       # geometry: views, facts, STEP export
    "cadquery-ocp",   # OpenCASCADE: tessellation, HLR, STEP writer
    "cssselect2",     # WeasyPrint's CSS matching
    "ezdxf",          # DXF writer
    "fonttools",      # font subsetting in PDFs
    "jinja2",         # templates
    "lxml",           # QIF and SVG writers
    "matplotlib",     # charts
    "openpyxl",       # XLSX writer
    "pikepdf",        # merging sectioned PDFs (bundles qpdf)
    "pillow",         # images in PDFs
    "pydyf",          # PDF writer under WeasyPrint
    "pyphen",         # hyphenation (line breaks)
    "pypdf",          # reading filled forms and earlier packs
    "pyyaml",         # spec reading
    "reportlab",      # a batch record's form pages (formpages)
    "segno",          # QR codes
    "tinycss2",       # CSS parsing
    "tinyhtml5",      # HTML parsing in WeasyPrint
    "weasyprint",     # PDF layout
    "zopfli",         # WeasyPrint's font compression
)

# Native libraries WeasyPrint lays text out and subsets fonts with, by the names WeasyPrint itself opens
# (weasyprint/text/ffi.py). They are system packages, not Python distributions, so they are recorded
# apart: a machine with libharfbuzz-subset subsets the embedded fonts with HarfBuzz, one without it
# with fontTools, and the PDF bytes differ although every Python distribution agrees.
NATIVE_TEXT_LIBRARIES = {
    "pango": (("libpango-1.0.so.0", "libpango-1.0-0.dylib", "libpango-1.0-0.dll"), "pango_version_string"),
    "harfbuzz": (("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"), "hb_version_string"),
    "harfbuzz-subset": (
        ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"), None),
}

_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(-py[0-9.]+)?\.(dist|egg)-info$")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _from_folders() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            m = _DIST_INFO.match(n)
            if m:
                found.setdefault(normalise(m["name"]), m["version"])
    return found


def _native_version(names: tuple[str, ...], version_function: str | None) -> str:
    """The library's version string, "present" when it has no version function, "absent" when no
    name loads (a few milliseconds: the libraries are mapped already once WeasyPrint is imported)."""
    for name in names:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        if version_function is None:
            return "present"
        func = getattr(lib, version_function)
        func.restype = ctypes.c_char_p
        return func().decode("ascii", "replace")
    return "absent"


@functools.lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """``{distribution: version}`` for every output library ("absent" when not installed), plus the
    Python and zlib that compress the bytes, and the native text libraries under WeasyPrint."""
    found = _from_folders()
    versions = {}
    for name in OUTPUT_LIBRARIES:
        versions[name] = found.get(name, "absent")
    versions["python"] = f"{platform.python_implementation()} {platform.python_version()}"
    versions["zlib"] = zlib.ZLIB_RUNTIME_VERSION
    for name, (names, version_function) in NATIVE_TEXT_LIBRARIES.items():
        versions[name] = _native_version(names, version_function)
    return versions


def fingerprint_text() -> str:
    """One line per library, for build fingerprints."""
    return "".join(f"lib {k}={v}\n" for k, v in sorted(library_versions().items()))

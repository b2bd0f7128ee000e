"""Text the pack's fonts cannot show (TP018): a CJK name or an emoji would print as empty boxes.

The PDFs and drawings embed the shipped fonts only (``templates/fonts``: DejaVu Sans and Sans Mono,
and the GD&T symbol font), so a character none of them has is named, where it is written, instead
of silently becoming a box on the supplier's copy.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from ..diagnostics import Diagnostics
from .context import Context

FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "techpack-gdt.ttf")
FOLDER = Path(str(resources.files("techpack.templates"))) / "fonts"
COVERAGE = FOLDER / "coverage.txt"
"""The code points of :data:`FONTS`, as ranges (``0020-007E``), one a line: read on every check instead of the
fonts' character maps (0.09 s of fontTools on every build); ``tests/test_glyph_coverage.py`` checks it against
the fonts, and :func:`coverage_text` writes it anew when a font changes."""


def from_fonts() -> frozenset[int]:
    """Every code point at least one shipped font draws, read from the fonts themselves."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    points: set[int] = set()
    for name in FONTS:
        points.update(TTFont(str(FOLDER / name), lazy=True).getBestCmap())
    return frozenset(points)


def coverage_text(points: frozenset[int]) -> str:
    """``points`` as the ranges of :data:`COVERAGE`."""
    lines, ordered = [], sorted(points)
    start = prev = ordered[0]
    for cp in ordered[1:] + [None]:
        if cp is not None and cp == prev + 1:
            prev = cp
            continue
        lines.append(f"{start:04X}" if start == prev else f"{start:04X}-{prev:04X}")
        if cp is not None:
            start = prev = cp
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Every code point at least one shipped font draws (:data:`COVERAGE`)."""
    points: set[int] = set()
    for line in COVERAGE.read_text(encoding="ascii").split():
        first, _, last = line.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


@functools.lru_cache(maxsize=1)
def _drawn() -> frozenset[str]:
    """The characters that are never missing: the covered ones, spaces and joiners (for set arithmetic)."""
    extra = {chr(cp) for cp in (0x200C, 0x200D, 0xFE0F)} | {chr(cp) for cp in range(0x3000 + 1) if chr(cp).isspace()}
    return frozenset(chr(cp) for cp in covered()) | frozenset(extra) | frozenset({"\u2028", "\u2029"})


def _sources_drawable(ctx: Context) -> bool:
    """Every character of every spec file is drawable, and no file holds an escape (``\\U0001F600`` in a
    quoted YAML string makes a character the text does not show): then no spec string can miss one.
    One pass of set arithmetic over the files instead of a walk over every string of the model."""
    drawn = _drawn()
    for f in ctx.loaded.files:
        try:
            text = f.data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        if not f.data or "\\" in text or not drawn.issuperset(text):
            return False
    return bool(ctx.loaded.files)


def missing(text: str) -> list[str]:
    """The characters of ``text`` no shipped font draws (spaces and joiners aside), in order, once each."""
    have = covered()
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp in have or ch.isspace() or cp in (0x200C, 0x200D, 0xFE0F) or ch in out:
            continue
        out.append(ch)
    return out


def _walk(model: BaseModel, diags: Diagnostics, subject: str) -> None:
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            if isinstance(item, BaseModel):
                _walk(item, diags, subject)
            elif isinstance(item, str):
                chars = missing(item)
                if chars:
                    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8]) + (" …" if len(chars) > 8 else "")
                    diags.add("TP018", f"{name}: the pack's fonts cannot show {shown}; they would print as empty "
                              "boxes: write them in Latin, Greek or Cyrillic letters", model.loc(name, index),
                              subject=subject)


def check(ctx: Context, diags: Diagnostics) -> None:
    if _sources_drawable(ctx):
        return
    spec = ctx.spec
    _walk(spec.product, diags, spec.product.number)
    for section in ("materials", "finishes", "bom", "assembly"):
        for item in getattr(spec, section, None) or []:
            if isinstance(item, BaseModel):
                _walk(item, diags, spec.product.number)
    for part in spec.parts:
        _walk(part, diags, part.number)
    for extra in (spec.packaging, spec.production):
        if isinstance(extra, BaseModel):
            _walk(extra, diags, spec.product.number)

"""Deterministic number formatting for the tech-pack PDF (no locale, no float noise)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

THIN_SPACE = "\u2009"


def dec(value: Decimal | int | None) -> str:
    """A decimal as written, without exponent or trailing zeros: ``12``, ``0.018``, ``-0.007``."""
    if value is None:
        return "—"
    d = Decimal(value)
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def grams(value: Decimal | None) -> str:
    """A mass in grams with one decimal and thin-space thousands: ``1 234.5``; a dash when unknown."""
    if value is None:
        return "—"
    q = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    whole, _, frac = format(q, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + THIN_SPACE.join(groups) + "." + frac


def quantity(value: Decimal | None) -> str:
    return "—" if value is None else dec(value)


def fixed(value: float | None, places: int = 2) -> str:
    """A float rounded for display; a dash when missing."""
    if value is None:
        return "—"
    text = f"{value:.{places}f}"
    return "0." + "0" * places if text in (f"-0.{'0' * places}",) else text


def percent(value: float | None) -> str:
    """A signed percentage, ``+30 %``."""
    if value is None:
        return "—"
    pct = round(value * 100)
    return f"{'+' if pct > 0 else ''}{pct} %"


def millimetres(value: float) -> str:
    """A page length for CSS: ``420mm`` (numbers only ever come from techpack, never from the spec)."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "mm"


def dec_float(value: float) -> str:
    """A float with at most one decimal and no trailing zero: ``420``, ``431.8``."""
    return f"{value:.1f}".rstrip("0").rstrip(".")

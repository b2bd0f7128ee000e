"""Limits of requirements written in words: coating thickness, tightening torque, checks with a tolerance.

The spec writes these as text (``10-15 µm``, ``1.2 N·m ±10 %``, ``… 21.5 ±0.15
above the base …``); the plan, batch record and FAI forms need numbers.  The
forms read here, exact in :class:`~decimal.Decimal`:

=====================  ==============================================
``10-15 µm``           a range (``-``, ``–``, ``..``, ``…``, ``to``)
``1.2 N·m ±10 %``      nominal ± percent of nominal
``21.5 ±0.15 mm``      nominal ± value (``+-`` and ``+/-`` read as ``±``)
``3.0 +0.1/0``         nominal with deviations
``min 60 µm``          one-sided (``min``, ``≥``, ``>=``; ``max``, ``≤``, ``<=``; or after: ``R0.4 max``)
=====================  ==============================================

A text that holds none of these has no limits (its row says so, and the
method rule treats it as a requirement in words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_NUM = r"(\d+(?:[.,]\d+)?)"
_UNIT = r"(µm|μm|um|mm|m|N·m|N\.m|Nm|N m|cN·m|°|%|g|kg|N|kN|MPa|HRC|HB|HV)?"
_PM = r"(?:±|\+-|\+/-)"
_RANGE = re.compile(rf"(?<![\w.]){_NUM}\s*{_UNIT}\s*(?:-|–|—|\.\.|…|to)\s*{_NUM}\s*{_UNIT}(?![\w.])")
_PLUSMINUS = re.compile(rf"(?<![\w.]){_NUM}\s*{_UNIT}\s*{_PM}\s*{_NUM}\s*{_UNIT}(?![\w.])")
_START = r"(?:(?<=[RØ])|(?<![\w.]))"
_DEVNUM = r"([+-]\d+(?:[.,]\d+)?|0(?:[.,]0*)?)"
_DEV = re.compile(rf"{_START}{_NUM}\s*{_UNIT}\s*{_DEVNUM}\s*/\s*{_DEVNUM}(?![\w.])")
_MAX_AFTER = re.compile(rf"{_START}{_NUM}\s*{_UNIT}\s*max\b")
_MIN_AFTER = re.compile(rf"{_START}{_NUM}\s*{_UNIT}\s*min\b")
_MIN = re.compile(rf"(?:\bmin\.?|≥|>=)\s*{_NUM}\s*{_UNIT}(?![\w.])")
_MAX = re.compile(rf"(?:\bmax\.?|≤|<=)\s*{_NUM}\s*{_UNIT}(?![\w.])")
_UNITS = {"um": "µm", "μm": "µm", "N.m": "N·m", "Nm": "N·m", "N m": "N·m"}


@dataclass(frozen=True)
class ValueLimits:
    """Numeric limits read from a requirement's text; ``None`` where the text gives none."""

    nominal: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    unit: str

    @property
    def band(self) -> Decimal | None:
        return None if self.lower is None or self.upper is None else self.upper - self.lower


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _unit(*found: str | None, default: str = "") -> str:
    for u in found:
        if u and u != "%":
            return _UNITS.get(u, u)
    return default


def read_limits(text: str, default_unit: str = "", tolerance_only: bool = False) -> ValueLimits | None:
    """The limits written in ``text``; ``tolerance_only`` reads only ``nominal ± tolerance`` (check texts)."""
    m = _PLUSMINUS.search(text)
    if m:
        nominal, tol = _dec(m[1]), _dec(m[3])
        if m[4] == "%":
            tol = nominal * tol / 100
        return ValueLimits(nominal, nominal - tol, nominal + tol, _unit(m[2], m[4], default=default_unit))
    m = _DEV.search(text)
    if m:
        nominal, up, lo = _dec(m[1]), _dec(m[3]), _dec(m[4])
        if lo < up:
            return ValueLimits(nominal, nominal + lo, nominal + up, _unit(m[2], default=default_unit))
    if tolerance_only:
        return None
    m = _RANGE.search(text)
    if m:
        lo, hi = _dec(m[1]), _dec(m[3])
        if lo <= hi:
            return ValueLimits(None, lo, hi, _unit(m[4], m[2], default=default_unit))
    lo_m, hi_m = _MIN.search(text) or _MIN_AFTER.search(text), _MAX.search(text) or _MAX_AFTER.search(text)
    if lo_m or hi_m:
        return ValueLimits(None, _dec(lo_m[1]) if lo_m else None, _dec(hi_m[1]) if hi_m else None,
                           _unit(lo_m[2] if lo_m else None, hi_m[2] if hi_m else None, default=default_unit))
    return None


def note_limits(text: str, length_unit: str) -> ValueLimits | None:
    """A note's length limits ("Break all sharp edges 0.2-0.5 mm"), in the product's length unit when the
    note names none; ``None`` for a note with no length in it. The plan and the tech-pack PDF both use
    this, so the two never disagree."""
    value = read_limits(text, length_unit)
    return value if value is not None and value.unit in ("mm", "in") else None

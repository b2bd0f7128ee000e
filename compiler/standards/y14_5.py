"""Dimension values as an ASME Y14.5 drawing writes them, exact in Decimal.

The rules are those of ASME Y14.5 on decimal inch and millimetre dimensions and
on expressing tolerances (§1.6 and §2.3 in the 2009 edition, kept in 2018); they
were written from memory of the standard, not checked against its text (no copy
is in ``shared/standards``): confidence medium.

Inch values:

* no zero before the decimal point of a value below one: ``.257``;
* the dimension and its tolerance have the same number of decimal places,
  zeros added where needed: ``.5 ±.005`` is drawn ``.500 ±.005``;
* unilateral: the nil deviation has as many places as the other and its sign:
  ``.500 +.005/-.000``;
* bilateral: both deviations with the same places: ``1.250 +.010/-.005``;
* limits: both limits with the same places, the upper over the lower;
* basic dimensions: no leading zero, the places the designer wrote (``.75``).

Millimetre values on an ASME drawing: a zero before the
decimal point below one (``0.5``), no trailing zeros on the nominal, a nil
deviation is a single ``0`` without sign (``32 0/-0.02``), both deviations with
the same places (``32 +0.25/-0.10``), both limits with the same places.

ISO drawings (ISO 129-1) keep the value as the designer wrote it, except that
limit dimensions are stacked too, the upper over the lower.

A value with more than one line (limits) is one string with ``\\n`` between
the lines, upper first; the drawing sets the lines one above the other.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..schema.quantities import Dim, limit_texts


def places(value: Decimal) -> int:
    """Decimal places as written: ``Decimal('.500')`` has 3, ``Decimal('2')`` has 0."""
    exp = value.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def _fixed(value: Decimal, n: int) -> str:
    return format(value.quantize(Decimal(1).scaleb(-n)) if n else value.quantize(Decimal(1)), "f")


def inch(value: Decimal, n: int | None = None) -> str:
    """An inch value with ``n`` places (as written when None), without a leading zero: ``.257``, ``-.5``."""
    text = _fixed(value, places(value) if n is None else n)
    if text.startswith("-"):
        return "-" + _no_lead(text[1:])
    return _no_lead(text)


def _no_lead(text: str) -> str:
    return text[1:] if text.startswith("0.") else text


def metric(value: Decimal) -> str:
    """A millimetre value as Y14.5 writes it: a leading zero below one, no trailing zeros, no exponent."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _metric_dev(value: Decimal, n: int) -> str:
    if value == 0:
        return "0"
    return ("+" if value > 0 else "-") + _fixed(abs(value), n)


def _inch_dev(value: Decimal, n: int, nil_sign: str) -> str:
    sign = nil_sign if value == 0 else ("+" if value > 0 else "-")
    return sign + inch(abs(value), n)


def _stacked(dim: Dim, pre: str, unit: str, show) -> str:
    """A limit dimension, upper limit over lower, both with the places of the longer one."""
    lo, hi = limit_texts(dim)
    n = max(places(lo), places(hi))
    return f"{pre}{show(hi, n)}{unit}\n{pre}{show(lo, n)}{unit}"


def asme_text(dim: Dim) -> str:
    """The value of ``dim`` as an ASME Y14.5 drawing writes it (see the module text)."""
    pre = "Ø" if dim.diameter else ""
    unit = "°" if dim.is_angle else ""
    if dim.kind == "limits":
        return _stacked(dim, pre, unit, inch if dim.unit == "in" else _fixed)
    if dim.unit != "in":
        return _asme_metric(dim, pre, unit)
    if dim.kind in ("general", "basic") or dim.kind == "fit":
        return f"{pre}{inch(dim.nominal)}{unit}"
    if dim.kind in ("max", "min"):
        return f"{pre}{inch(dim.nominal)}{unit} {dim.kind.upper()}"
    plus, minus = dim.plus, dim.minus
    assert plus is not None and minus is not None  # symmetric / deviation
    n = max(places(dim.nominal), places(plus), places(minus))
    nominal = inch(dim.nominal, n)
    if plus == -minus:
        return f"{pre}{nominal}{unit} ±{inch(plus, n)}{unit}"
    return f"{pre}{nominal}{unit} {_inch_dev(plus, n, '+')}/{_inch_dev(minus, n, '-')}{unit}"


def _asme_metric(dim: Dim, pre: str, unit: str) -> str:
    nominal = metric(dim.nominal)
    if dim.kind == "fit" and dim.plus is not None and dim.minus is not None:
        if dim.plus == -dim.minus:
            return f"{pre}{nominal} {dim.fit} (±{metric(dim.plus)})"
        n = max(places(dim.plus.normalize()), places(dim.minus.normalize()))
        return f"{pre}{nominal} {dim.fit} ({_metric_dev(dim.plus, n)}/{_metric_dev(dim.minus, n)})"
    if dim.kind in ("general", "basic"):
        return f"{pre}{nominal}{unit}"
    if dim.kind in ("max", "min"):
        return f"{pre}{nominal}{unit} {dim.kind.upper()}"
    plus, minus = dim.plus, dim.minus
    assert plus is not None and minus is not None
    if plus == -minus:
        return f"{pre}{nominal}{unit} ±{metric(plus)}{unit}"
    n = max(places(plus.normalize()), places(minus.normalize()))
    return f"{pre}{nominal}{unit} {_metric_dev(plus, n)}/{_metric_dev(minus, n)}{unit}"


def iso_text(dim: Dim) -> str:
    """The value of ``dim`` on an ISO drawing: as written, limits stacked (ISO 129-1), basic ones bare."""
    pre = "Ø" if dim.diameter else ""
    unit = "°" if dim.is_angle else ""
    if dim.kind == "limits":
        return _stacked(dim, pre, unit, _fixed)
    if dim.kind == "basic":
        return f"{pre}{metric(dim.nominal)}{unit}"
    text = dim.text
    if dim.kind == "fit" and "(" not in text and dim.toleranced:
        text = f"{text} ({dim.tolerance_text()})"
    return text


def drawing_text(dim: Dim, standard: str = "ISO") -> str:
    """The value of ``dim`` as a drawing to ``standard`` (``ISO`` or ``ASME``) writes it."""
    return asme_text(dim) if standard == "ASME" else iso_text(dim)


def one_line(dim: Dim, standard: str = "ISO") -> str:
    """The value on one line, for tables and labels: on ASME drawings as drawn, a limit dimension low limit
    first (``Ø.500-.504``, Y14.5's single-line form of limits); on ISO drawings and fit codes as written."""
    if standard != "ASME" or dim.kind == "fit":
        return dim.text.strip()
    if dim.kind == "limits":
        hi, lo = asme_text(dim).split("\n")
        return f"{lo}-{hi[1:] if hi.startswith('Ø') else hi}"
    return asme_text(dim)


def tolerance_text(dim: Dim, standard: str = "ISO") -> str:
    """The tolerance alone, for tables: ``±.004``, ``+.005/-.000`` (ASME inch), ``±0.05``, limits as written."""
    if dim.kind == "limits":
        return one_line(dim, standard).lstrip("Ø⌀ø")
    if standard != "ASME" or dim.unit != "in" or dim.plus is None or dim.minus is None:
        return dim.tolerance_text()
    n = max(places(dim.nominal), places(dim.plus), places(dim.minus))
    if dim.plus == -dim.minus:
        return f"±{inch(dim.plus, n)}"
    return f"{_inch_dev(dim.plus, n, '+')}/{_inch_dev(dim.minus, n, '-')}"


def value_places(dim: Dim) -> int:
    """The places an inch dimension's values are shown with on an ASME drawing."""
    if dim.kind == "limits":
        lo, hi = limit_texts(dim)
        return max(places(lo), places(hi))
    return max(places(v) for v in (dim.nominal, dim.plus, dim.minus) if v is not None)


def number_text(value: Decimal, unit: str, standard: str = "ISO", n: int | None = None) -> str:
    """One number of a form or label: inch on an ASME drawing without a leading zero, with ``n`` places
    (as written when None); otherwise a leading zero, no trailing zeros."""
    if standard == "ASME" and unit == "in":
        return inch(value, n)
    return metric(value)


MM_PER_INCH = Decimal("25.4")
_MM_TEXT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?\s*mm\b")


def mm_as_inch(value: Decimal) -> str:
    """A millimetre figure in inches for an inch reader: ÷ Decimal 25.4, shown to 0.00001 in (≈ 0.25 µm)."""
    return inch((value / MM_PER_INCH).quantize(Decimal("0.00001")).normalize())


def in_report_unit(text: str, unit: str) -> str:
    """``text`` (capability figures, in mm) for a report in ``unit``: each ``0.01 mm`` or ``10-18 mm`` gets its
    inch value beside it, ``0.01 mm (≈.00039 in)``; unchanged for a millimetre report."""
    if unit != "in":
        return text

    def one(m: re.Match) -> str:
        lo, hi = m[1], m[2]
        conv = mm_as_inch(Decimal(lo)) + (f"-{mm_as_inch(Decimal(hi))}" if hi else "")
        return f"{m[0]} (≈{conv} in)"

    return _MM_TEXT.sub(one, text)

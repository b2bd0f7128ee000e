"""Quantities with units, and dimensions with their tolerances.

A length without a unit takes the product's default unit (``product.units``),
passed in the validation context.  A dimension is written the way a drawing
shows it:

=====================  ==================================================
``12``                 nominal only: the general tolerance class applies
``12 ±0.05``           symmetric (``+-`` and ``+/-`` work too)
``12 +0.1/-0.05``      deviations (``12 +0.018/0``, ``20 -0.007/-0.020``)
``11.95..12.05``       limits
``12 H7``              ISO 286 fit code; limits from the tables
``12 H7 (+0.018/0)``   fit code with its limits stated: checked against the tables
``40 basic``           basic (theoretically exact) dimension for GD&T
``0.5 max``            one-sided limit (``min`` likewise)
``90° ±0.5°``          angle (``deg`` works too; ``±30'`` in arc-minutes)
=====================  ==================================================

Any of them may carry a unit (``12 ±0.05 mm``, ``0.472 ±0.002 in``) and a
leading ``Ø`` marks a diameter.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import BeforeValidator, PlainSerializer, ValidationInfo, WithJsonSchema

from .values import parse_decimal

_UNUM = r"(?:\d+(?:\.\d*)?|\.\d+)"
_NUM = rf"[+-]?{_UNUM}"
_DEVNUM = rf"(?:[+-]{_UNUM}|0(?:\.0*)?)"  # a deviation carries its sign, or is zero

LENGTH_UNITS = {"mm": Decimal(1), "in": Decimal("25.4"), "um": Decimal("0.001"), "µm": Decimal("0.001"),
                "μm": Decimal("0.001"), "cm": Decimal(10), "m": Decimal(1000)}
MASS_UNITS = {"g": Decimal(1), "kg": Decimal(1000), "lb": Decimal("453.59237")}
DENSITY_UNITS = {"g/cm3": Decimal(1), "g/cm³": Decimal(1), "g/cc": Decimal(1), "kg/m3": Decimal("0.001"),
                 "kg/m³": Decimal("0.001")}
ROUGHNESS_UNITS = {"um": Decimal(1), "µm": Decimal(1), "μm": Decimal(1), "uin": Decimal("0.0254"),
                   "µin": Decimal("0.0254")}
ANGLE_UNITS = {"deg": Decimal(1), "°": Decimal(1)}


class DimensionError(ValueError):
    """A dimension or tolerance that cannot be read (TP014)."""


class UnitError(ValueError):
    """A unit that is unknown or of the wrong kind (TP015)."""


@dataclass(frozen=True)
class Quantity:
    """A number with its unit; ``base`` is the value in the canonical unit (mm, g, g/cm³, µm)."""

    value: Decimal
    unit: str
    base: Decimal
    text: str

    def __str__(self) -> str:
        return self.text


def _units_of(info: Optional[ValidationInfo]) -> str:
    ctx = info.context if info is not None and info.context else {}
    return ctx.get("units", "mm")


def _quantity_parser(units: dict[str, Decimal], kind: str, default: str | None, positive: bool = True):
    unit_alt = "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))
    pattern = re.compile(rf"^\s*(?P<num>{_NUM})\s*(?P<unit>{unit_alt}|[^\s\d.+-][^\s]*)?\s*$")

    example_unit = next(iter(units)) if default in (None, "@product") else default

    def parse(value: Any, info: ValidationInfo) -> Quantity:
        if isinstance(value, Quantity):
            return value
        if not isinstance(value, str):
            raise ValueError(f"expected a {kind} such as 12 {example_unit}, got {value!r}")
        m = pattern.match(value)
        if not m:
            raise ValueError(f"expected a {kind} such as 12 {example_unit}, got {value[:40]!r}")
        num = parse_decimal(m["num"])
        unit = m["unit"]
        if unit is None:
            unit = _units_of(info) if default == "@product" else default
            if unit is None:
                raise UnitError(f"{kind} {value!r} needs a unit ({', '.join(units)})")
        if unit not in units:
            raise UnitError(f"unit {unit!r} is not a {kind} unit (use {', '.join(units)})")
        if positive and num <= 0:
            raise ValueError(f"{kind} must be greater than zero, got {value!r}")
        return Quantity(num, unit, num * units[unit], value.strip())

    return parse


def _quantity_type(units, kind, default, positive=True, example="12 mm"):
    return Annotated[
        Quantity,
        BeforeValidator(_quantity_parser(units, kind, default, positive)),
        PlainSerializer(str, return_type=str),
        WithJsonSchema({"type": ["string", "number"], "description": f"a {kind}, e.g. {example!r}"}),
    ]


Length = _quantity_type(LENGTH_UNITS, "length", "@product")
"""A length; without a unit it takes ``product.units``."""
Mass = _quantity_type(MASS_UNITS, "mass", None, example="1.2 kg")
Density = _quantity_type(DENSITY_UNITS, "density", None, example="2.70 g/cm3")
Roughness = _quantity_type(ROUGHNESS_UNITS, "roughness", "um", example="0.8 um")
"""A roughness value; micrometres unless written ``uin``."""


# --------------------------------------------------------------------------- dimensions


@dataclass(frozen=True)
class Dim:
    """A dimension as written, with its deviations resolved when the text states them.

    ``plus``/``minus`` are the upper and lower deviations from ``nominal`` in
    ``unit``; both are ``None`` for ``general`` (class tolerance, resolved by the
    checks) and ``basic``.  ``minus`` is ``None`` for ``max`` and ``plus`` for ``min``.
    """

    text: str
    kind: str  # general | symmetric | deviation | limits | fit | basic | max | min
    nominal: Decimal
    unit: str  # mm | in | deg
    plus: Decimal | None = None
    minus: Decimal | None = None
    fit: str | None = None
    diameter: bool = False

    @property
    def is_angle(self) -> bool:
        return self.unit == "deg"

    @property
    def toleranced(self) -> bool:
        return self.plus is not None or self.minus is not None

    @property
    def upper(self) -> Decimal | None:
        return None if self.plus is None else self.nominal + self.plus

    @property
    def lower(self) -> Decimal | None:
        return None if self.minus is None else self.nominal + self.minus

    @property
    def band(self) -> Decimal | None:
        if self.plus is None or self.minus is None:
            return None
        return self.plus - self.minus

    @property
    def band_mm(self) -> Decimal | None:
        """The tolerance band in mm (angles: degrees); None when a limit is open."""
        band = self.band
        return None if band is None else self.mm(band)

    def mm(self, value: Decimal) -> Decimal:
        """A value of this dimension's unit in millimetres (angles unchanged)."""
        return value * LENGTH_UNITS[self.unit] if self.unit in LENGTH_UNITS else value

    @property
    def nominal_mm(self) -> Decimal:
        return self.mm(self.nominal)

    def with_tolerance(self, plus: Decimal, minus: Decimal) -> "Dim":
        """This dimension with deviations filled in (from a general tolerance class)."""
        return Dim(self.text, self.kind, self.nominal, self.unit, plus, minus, self.fit, self.diameter)

    def tolerance_text(self) -> str:
        """The tolerance as a drawing shows it: ``±0.05``, ``+0.018/0``, ``max``…"""
        if self.kind == "basic":
            return "basic"
        if self.plus is None and self.minus is None:
            return "general"
        if self.minus is None:
            return "max"
        if self.plus is None:
            return "min"
        if self.plus == -self.minus:
            return f"±{_fmt(self.plus)}"
        return f"{_signed(self.plus)}/{_signed(self.minus)}"


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def _signed(d: Decimal) -> str:
    return "0" if d == 0 else (f"+{_fmt(d)}" if d > 0 else _fmt(d))


_UNIT = r"(?:mm|in|°|deg)"
_LIMITS = re.compile(rf"^(?P<lo>{_NUM})\s*(?P<u1>{_UNIT})?\s*\.\.\s*(?P<hi>{_NUM})\s*(?P<u2>{_UNIT})?$")
# A unit is a whole word: the "in" of "8 min" is not inches.
_NOMINAL = re.compile(rf"^(?P<nom>{_NUM})\s*(?:(?P<unit>{_UNIT})(?![A-Za-z]))?\s*(?P<rest>.*?)\s*"
                      rf"(?:(?<![A-Za-z])(?P<tunit>{_UNIT}))?$")
_SYM = re.compile(rf"^(?:±|\+-|\+/-)\s*(?P<t>{_NUM})\s*(?P<u>{_UNIT}|')?$")
_DEV = re.compile(rf"^(?P<up>{_DEVNUM})\s*(?P<u1>{_UNIT}|')?\s*/\s*(?P<lo>{_DEVNUM})\s*(?P<u2>{_UNIT}|')?$")
_FIT = re.compile(r"^(?P<code>[A-Za-z]{1,2}\d{1,2})(?:\s*\(\s*(?P<lim>[^)]*)\)\s*)?$")


def parse_dimension(text: Any, default_unit: str = "mm", signed: bool = False) -> Dim:
    """Read a dimension from its text; raises DimensionError/UnitError explaining the accepted forms.

    ``signed`` allows zero and negative nominals (coordinates); sizes must be positive.
    """
    try:
        return _parse_dimension(text, default_unit, signed)
    except (DimensionError, UnitError):
        raise
    except ValueError as exc:  # a number inside the dimension
        raise DimensionError(str(exc)) from exc


def _parse_dimension(text: Any, default_unit: str, signed: bool) -> Dim:
    if isinstance(text, str):
        return _parse_dimension_text(text, default_unit, signed)
    return _parse_dimension_uncached(text, default_unit, signed)


@functools.lru_cache(maxsize=8192)
def _parse_dimension_text(text: str, default_unit: str, signed: bool) -> Dim:
    """Dimensions repeat (``Ø6 ±0.05`` on every hole); a Dim is immutable, so one parse serves all."""
    return _parse_dimension_uncached(text, default_unit, signed)


def _parse_dimension_uncached(text: Any, default_unit: str, signed: bool) -> Dim:
    if not isinstance(text, str):
        if isinstance(text, (int, Decimal)) and not isinstance(text, bool):
            text = str(text)
        else:
            raise DimensionError(f"expected a dimension such as '12 ±0.05', got {text!r}")
    raw = text
    s = text.strip()
    diameter = False
    if s[:1] in ("Ø", "⌀", "ø"):
        diameter, s = True, s[1:].strip()
    s = s.replace("−", "-")
    m = _LIMITS.match(s)
    if m:
        unit = _one_unit(m["u1"], m["u2"], default_unit, raw)
        lo, hi = parse_decimal(m["lo"]), parse_decimal(m["hi"])
        if lo >= hi:
            raise DimensionError(f"lower limit {m['lo']} is not below upper limit {m['hi']} in {raw!r}")
        nominal = (lo + hi) / 2
        return Dim(raw, "limits", nominal, unit, hi - nominal, lo - nominal, diameter=diameter)
    if re.search(r"\d[eE][+-]?\d", s):
        raise DimensionError(f"write dimensions without exponents, e.g. 0.001 rather than 1e-3: {raw!r}")
    m = _NOMINAL.match(s)
    if not m:
        if re.match(r"[Rr]\s*[0-9.]", s):
            raise DimensionError(f"cannot read dimension {raw!r}: write the radius without its {s[0]!r} "
                                 f"({s[1:].strip()!r}); type: radius says what it is")
        if re.match(r"[Cc]\s*[0-9.]", s):
            raise DimensionError(f"cannot read dimension {raw!r}: 'C' chamfers are a chamfer feature's size "
                                 f"(type: chamfer, size: {raw.strip()}); as a dimension write the leg alone "
                                 f"({s[1:].strip()!r})")
        raise DimensionError(f"cannot read dimension {raw!r}: write e.g. '12 ±0.05', '12 +0.1/-0.05', "
                         "'12 H7', '11.95..12.05' or '12'")
    nominal = parse_decimal(m["nom"])
    rest = m["rest"]
    unit = _one_unit(m["unit"], m["tunit"], default_unit, raw)
    if nominal <= 0 and not signed:
        raise DimensionError(f"a size or angle must be greater than zero, got {raw!r}")
    if not rest:
        return Dim(raw, "general", nominal, unit, diameter=diameter)
    low = rest.lower()
    if low in ("basic", "bsc"):
        return Dim(raw, "basic", nominal, unit, diameter=diameter)
    if low == "max":
        return Dim(raw, "max", nominal, unit, plus=Decimal(0), diameter=diameter)
    if low == "min":
        return Dim(raw, "min", nominal, unit, minus=Decimal(0), diameter=diameter)
    sm = _SYM.match(rest)
    if sm:
        t = _angle_minutes(parse_decimal(sm["t"]), sm["u"], unit, raw)
        if t <= 0:
            raise DimensionError(f"a ± tolerance must be greater than zero in {raw!r}")
        return Dim(raw, "symmetric", nominal, unit, t, -t, diameter=diameter)
    dm = _DEV.match(rest)
    if dm:
        up = _angle_minutes(parse_decimal(dm["up"]), dm["u1"], unit, raw)
        lo = _angle_minutes(parse_decimal(dm["lo"]), dm["u2"], unit, raw)
        if up <= lo:
            raise DimensionError(f"upper deviation {dm['up']} must be above lower deviation {dm['lo']} in {raw!r}")
        return Dim(raw, "deviation", nominal, unit, up, lo, diameter=diameter)
    fm = _FIT.match(rest)
    if fm:
        return _fit_dimension(raw, nominal, unit, fm["code"], fm["lim"], diameter)
    raise DimensionError(f"cannot read tolerance {rest!r} in {raw!r}: write '±0.05', '+0.1/-0.05', "
                     "an ISO 286 fit code such as 'H7', 'basic', 'max' or 'min'")


def limit_texts(dim: Dim) -> tuple[Decimal, Decimal]:
    """A limit dimension's lower and upper limit exactly as written (``.500..0.504`` keeps ``.500``)."""
    s = dim.text.strip()
    if s[:1] in ("Ø", "⌀", "ø"):
        s = s[1:].strip()
    m = _LIMITS.match(s.replace("−", "-"))
    if dim.kind != "limits" or not m:
        raise DimensionError(f"{dim.text!r} is not a limit dimension")
    return parse_decimal(m["lo"]), parse_decimal(m["hi"])


def _one_unit(u1: str | None, u2: str | None, default: str, raw: str) -> str:
    units = {_norm_unit(u) for u in (u1, u2) if u}
    if len(units) > 1:
        raise UnitError(f"mixed units in {raw!r}")
    return units.pop() if units else default


def _norm_unit(u: str) -> str:
    return "deg" if u in ("°", "deg") else u


def _angle_minutes(value: Decimal, unit: str | None, dim_unit: str, raw: str) -> Decimal:
    if unit == "'":
        if dim_unit != "deg":
            raise UnitError(f"arc-minutes (') on a length in {raw!r}")
        return value / 60
    if unit and _norm_unit(unit) != dim_unit:
        raise UnitError(f"tolerance unit {unit!r} differs from the nominal's ({dim_unit}) in {raw!r}")
    return value


def _fit_dimension(raw: str, nominal: Decimal, unit: str, code: str, stated: str | None, diameter: bool) -> Dim:
    from ..standards import iso286  # lazy: tables load on first use

    if unit != "mm":
        raise UnitError(f"ISO 286 fit codes are metric: write {raw!r} in mm")
    try:
        limits = iso286.fit_limits(code, nominal)
    except iso286.StandardsError as exc:
        raise DimensionError(str(exc)) from exc
    plus = limits.upper_um / 1000
    minus = limits.lower_um / 1000
    if stated is not None:
        dm = _DEV.match(stated.strip())
        if not dm:
            raise DimensionError(f"cannot read the limits stated with {code} in {raw!r}")
        up, lo = parse_decimal(dm["up"]), parse_decimal(dm["lo"])
        if (up, lo) != (plus, minus):
            raise DimensionError(f"{nominal} {code} is {_signed(plus)}/{_signed(minus)} by ISO 286, "
                             f"not {dm['up']}/{dm['lo']} as written")
    return Dim(raw, "fit", nominal, unit, plus, minus, fit=code, diameter=diameter)


def _json_pattern(signed: bool) -> str:
    """The dimension forms as one ECMA-262 regular expression, for editors (``docs/editor-support.md``).

    It spells the canonical forms only: ``±`` (not ``+-`` or ``+/-``, which the
    reader accepts from pasted text but an editor flags), explicit deviations
    ``+0.1/-0.05``, fit codes, limits ``a..b``, ``basic``/``max``/``min``.
    """
    num = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
    nominal = rf"[+\-−]?(?:{num})" if signed else rf"\+?(?:{num})"
    unit = r"(?:mm|in|°|deg)"
    dev = rf"(?:[+\-−](?:{num})|0(?:\.0*)?)"
    words = r"[Bb][Aa][Ss][Ii][Cc]|[Bb][Ss][Cc]|[Mm][Aa][Xx]|[Mm][Ii][Nn]"
    tol = (rf"(?:{words}|±\s*(?:{num})\s*(?:{unit}|')?|{dev}\s*(?:{unit}|')?\s*/\s*{dev}\s*(?:{unit}|')?"
           rf"|[A-Za-z]{{1,2}}[0-9]{{1,2}}(?:\s*\([^)]*\))?)")
    limits = rf"[+\-−]?(?:{num})\s*{unit}?\s*\.\.\s*[+\-−]?(?:{num})\s*{unit}?"
    return rf"^\s*[Øø⌀]?\s*(?:{limits}|{nominal}\s*{unit}?\s*(?:{tol})?\s*{unit}?)\s*$"


DIMENSION_PATTERN = _json_pattern(signed=False)
COORDINATE_PATTERN = _json_pattern(signed=True)


def _dimension_validator(value: Any, info: ValidationInfo) -> Dim:
    if isinstance(value, Dim):
        return value
    return parse_dimension(value, _units_of(info))


Dimension = Annotated[
    Dim,
    BeforeValidator(_dimension_validator),
    PlainSerializer(lambda d: d.text, return_type=str),
    WithJsonSchema({"type": ["string", "number"], "pattern": DIMENSION_PATTERN,
                    "description": "a dimension: '12', '12 ±0.05', '12 +0.1/-0.05', '12 H7', "
                                   "'11.95..12.05', '40 basic', '0.5 max', '90° ±0.5°'"}),
]
"""A toleranced dimension, written as on a drawing (see the module text)."""


_CHAMFER_C = re.compile(r"^\s*C\s*(?P<leg>\d.*)$")
_CHAMFER_X = re.compile(r"^(?P<leg>.+?)\s*[x×X]\s*(?P<angle>[+]?(?:\d+(?:\.\d*)?|\.\d+).*)$")


def parse_chamfer(text: Any, default_unit: str = "mm") -> tuple[Dim, Dim] | None:
    """A chamfer written ``C1``, ``1x45°`` or ``0.5 × 30° ±1°``: (its leg, its angle), or None for a plain size.

    ``C1`` is 1 × 45° (ISO 13715 / ISO 129-1 usage).  The leg keeps the whole text as written, so that
    the plan and the drawing show the chamfer the way the spec does; its tolerance is the leg's.  The
    angle must be in degrees: a unit is never guessed across kinds.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    m = _CHAMFER_C.match(raw)
    if m:
        leg, angle = parse_dimension(m["leg"], default_unit), parse_dimension("45°", default_unit)
    else:
        m = _CHAMFER_X.match(raw.replace("−", "-"))
        if not m:
            return None
        leg, angle = parse_dimension(m["leg"], default_unit), parse_dimension(m["angle"], default_unit)
        if leg.is_angle:
            raise DimensionError(f"a chamfer is its leg, then its angle: write e.g. '1 × 45°' or 'C1', not {raw!r}")
        if not angle.is_angle:
            raise DimensionError(f"a chamfer's angle is in degrees: write {m['leg'].strip()} × "
                                 f"{m['angle'].strip()}° rather than {raw!r} (a unit is never guessed)")
    if leg.is_angle:
        raise DimensionError(f"a chamfer's leg is a length, got {raw!r}: write e.g. '1 × 45°' or 'C1'")
    if leg.diameter:
        raise DimensionError(f"a chamfer's leg is not a diameter: {raw!r}")
    if not 0 < angle.nominal < 90:
        raise DimensionError(f"a chamfer's angle lies between 0° and 90°, got {raw!r}")
    return Dim(text, leg.kind, leg.nominal, leg.unit, leg.plus, leg.minus, leg.fit), angle


CHAMFER_PATTERN = (r"^\s*(?:C\s*[0-9.]+.*|[0-9.]+.*\s*[x×]\s*[0-9.]+\s*(?:°|deg).*)$")


def _coordinate_validator(value: Any, info: ValidationInfo) -> Dim:
    if isinstance(value, Dim):
        return value
    return parse_dimension(value, _units_of(info), signed=True)


Coordinate = Annotated[
    Dim,
    BeforeValidator(_coordinate_validator),
    PlainSerializer(lambda d: d.text, return_type=str),
    WithJsonSchema({"type": ["string", "number"], "pattern": COORDINATE_PATTERN,
                    "description": "a coordinate from the datum frame, any sign: '0 basic', '-12.5 ±0.1', '40 basic'"}),
]
"""A location coordinate: like a dimension, but zero and negative values are allowed."""


@dataclass(frozen=True)
class Box:
    """A bounding size X x Y x Z, in mm, as written (``80 x 50 x 40``, ``3.1 x 2 x 1.6 in``)."""

    x: Decimal
    y: Decimal
    z: Decimal
    text: str


_BOX = re.compile(rf"^\s*({_NUM})\s*[x×]\s*({_NUM})\s*[x×]\s*({_NUM})\s*(mm|in)?\s*$")
MAX_BOX_MM = Decimal(100000)


def _box_validator(value: Any, info: ValidationInfo) -> Box:
    if isinstance(value, Box):
        return value
    if not isinstance(value, str):
        raise DimensionError(f"expected a size such as '80 x 50 x 40', got {value!r}")
    m = _BOX.match(value)
    if not m:
        raise DimensionError(f"expected a size such as '80 x 50 x 40' or '3 x 2 x 1.5 in', got {value[:60]!r}")
    unit = m[4] or _units_of(info)
    dims = []
    for text in m.groups()[:3]:
        d = parse_decimal(text) * LENGTH_UNITS[unit]
        if d <= 0 or d > MAX_BOX_MM:
            raise DimensionError(f"each size must be above 0 and at most {MAX_BOX_MM} mm, got {text!r}")
        dims.append(d)
    return Box(dims[0], dims[1], dims[2], value.strip())


BoxSize = Annotated[
    Box,
    BeforeValidator(_box_validator),
    PlainSerializer(lambda b: b.text, return_type=str),
    WithJsonSchema({"type": "string", "description": "a bounding size 'X x Y x Z', e.g. '80 x 50 x 40'"}),
]
"""A bounding size ``X x Y x Z`` in the product's unit (or ``mm``/``in`` written after it)."""

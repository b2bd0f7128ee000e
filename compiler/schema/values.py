"""Scalar value types of the spec language, read from the exact text the designer wrote.

The YAML reader hands every scalar over as text; these types decide what it
means.  Numbers are exact decimals (``0.018`` stays 0.018), booleans are only
``true``/``false``, and numbers with a leading zero, ``nan`` or ``inf`` are
refused because YAML 1.1 tools read them differently.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

_DEC_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_INT_RE = re.compile(r"^[+-]?\d+$")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_NONFINITE = {".nan", ".inf", "-.inf", "+.inf", "nan", "inf", "-inf", "+inf", "infinity", "-infinity"}


def _leading_zero(text: str) -> bool:
    digits = text.lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()


_PARSED: dict[str, Decimal] = {}
"""Texts already read as numbers (a spec repeats the same few thousand; a Decimal is immutable)."""


def parse_decimal(value: Any, what: str = "a number") -> Decimal:
    """Text → exact finite Decimal; raises ValueError with a reason the user can act on."""
    if type(value) is str:
        found = _PARSED.get(value)
        if found is not None:
            return found
        dec = _parse_text(value, what)
        if len(_PARSED) < 100_000:
            _PARSED[value] = dec
        return dec
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} must be finite")
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected {what}, got {_kind(value)}")
    return _parse_text(value, what)


def _parse_text(value: str | int, what: str) -> Decimal:
    text = str(value).strip()
    if text.lower() in _NONFINITE:
        raise ValueError(f"{text!r} is not a finite number")
    if len(text) > 60 or not _DEC_RE.match(text):
        raise ValueError(f"expected {what}, got {text[:40]!r}")
    if _leading_zero(text.split(".")[0]):
        raise ValueError(f"{text!r} has a leading zero (YAML 1.1 reads it as octal): write "
                         f"{text.lstrip('0') or '0'} or quote it")
    try:
        dec = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise ValueError(f"expected {what}, got {text!r}") from exc
    if not dec.is_finite() or abs(dec.adjusted()) > 30:
        raise ValueError(f"{text!r} is out of range")
    return dec


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


def _to_decimal(value: Any) -> Decimal:
    return parse_decimal(value)


def _to_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a whole number, got {_kind(value)}")
    text = value.strip()
    if not _INT_RE.match(text):
        raise ValueError(f"expected a whole number, got {text[:40]!r}")
    if len(text) > 18:
        raise ValueError(f"{text[:20]}… is out of range")
    if _leading_zero(text):
        raise ValueError(f"{text!r} has a leading zero (YAML 1.1 reads it as octal): write "
                         f"{text.lstrip('0') or '0'}")
    return int(text)


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value == "true":
            return True
        if value == "false":
            return False
        if value.lower() in _YAML11_BOOLS or value in ("True", "False", "TRUE", "FALSE"):
            raise ValueError(f"{value!r} is not a boolean in YAML 1.2: write true or false")
    raise ValueError(f"expected true or false, got {_kind(value)}")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


# Bidi overrides/isolates make text read other than it is stored; zero-width space, word joiner and
# byte-order mark hide inside names.  (ZWJ/ZWNJ stay allowed: scripts and emoji need them.)
_HIDDEN = re.compile(r"[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def _to_text(value: Any) -> str:
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise ValueError(f"text holds the control character U+{ord(bad.group()):04X}; remove it")
        bad = _HIDDEN.search(value)
        if bad:
            raise ValueError(f"text holds the invisible character U+{ord(bad.group()):04X} (a bidirectional "
                             "override or zero-width character that changes how the text reads); remove it")
        if value and not value.strip():
            raise ValueError("is blank (only spaces): write the text, or leave the field out")
        return value
    raise ValueError(f"expected text, got {_kind(value)}")


def _positive(v: Any) -> Any:
    if v <= 0:
        raise ValueError(f"must be greater than zero, got {v}")
    return v


def _non_negative(v: Any) -> Any:
    if v < 0:
        raise ValueError(f"must not be negative, got {v}")
    return v


_DEC_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _DEC_RE.pattern}]}

Dec = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(_DEC_SCHEMA),
]
"""An exact decimal number such as ``0.018``."""

PositiveDec = Annotated[Dec, BeforeValidator(lambda v: _positive(_to_decimal(v)))]
Int = Annotated[int, BeforeValidator(_to_int), WithJsonSchema({"type": "integer"})]
PositiveInt = Annotated[int, BeforeValidator(lambda v: _positive(_to_int(v))), WithJsonSchema({"type": "integer", "minimum": 1})]
NonNegativeInt = Annotated[int, BeforeValidator(lambda v: _non_negative(_to_int(v))), WithJsonSchema({"type": "integer", "minimum": 0})]
Bool = Annotated[bool, BeforeValidator(_to_bool), WithJsonSchema({"type": "boolean"})]
Text = Annotated[str, BeforeValidator(_to_text), Field(min_length=1)]
"""Free text, kept exactly as written (``NO`` stays ``NO``)."""

_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
Ident = Annotated[str, BeforeValidator(_to_text), Field(pattern=_ID_RE, max_length=64)]
"""An identifier: letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit."""

_PN_RE = r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$"
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                            *(f"lpt{i}" for i in range(1, 10))})


def _file_safe(value: Any) -> str:
    text = _to_text(value)
    if text.split(".")[0].lower() in RESERVED_NAMES:
        raise ValueError(f"{text!r} is a reserved device name on Windows and cannot name a file")
    return text


PartNumber = Annotated[str, BeforeValidator(_file_safe), Field(pattern=_PN_RE, max_length=64)]
"""A part or product number, used in file names: letters, digits, ``.``, ``_``, ``-``; not ending in ``.``."""

_DATE_RE = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _to_date(value: Any) -> str:
    text = _to_text(value)
    if not re.match(_DATE_RE, text):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD, e.g. 2026-03-01")
    import datetime  # noqa: PLC0415

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date") from None
    return text


RevisionText = Annotated[str, BeforeValidator(_to_text), Field(min_length=1, max_length=32)]
"""A revision as written (``B``, ``02``, ``1.10``): it goes into file titles, labels and QR codes."""

Date = Annotated[str, BeforeValidator(_to_date), Field(pattern=_DATE_RE),
                 WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_RE,
                                 "description": "a calendar date YYYY-MM-DD, e.g. 2026-11-30"})]
"""A calendar date written ``YYYY-MM-DD``."""

DatumLabel = Annotated[str, BeforeValidator(_to_text), Field(pattern=r"^[A-Z]{1,2}$")]
"""A datum letter (``A``…``Z``, or two letters such as ``AA``)."""

"""A part's general tolerance: an ISO 2768 class, or a title-block tolerance block.

An ASME drawing states its general tolerances in the title block, by the number
of decimal places an untoleranced dimension is written with::

    UNLESS OTHERWISE SPECIFIED: .XX ±.01 .XXX ±.005 ANGLES ±1°

Each entry is a pattern (``.X``, ``.XX``, ``X.XX``, ``X`` …: the count of ``X``
after the point is the number of places) and its ± tolerance, in the drawing's
unit; ``ANGLES ±1°`` (or ``±0.5°``, ``±30'``, ``±0°30'``) is the angular one.
A dimension written with a number of places the block does not list has no
general tolerance: the checks report it (TP409) rather than guess one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import iso2768
from .tables import StandardsError

_PREFIX = re.compile(r"^\s*(?:UNLESS\s+OTHERWISE\s+(?:SPECIFIED|STATED|NOTED)|TOLERANCES?)\s*[:.,]?\s*"
                     r"(?:TOLERANCES?\s*(?:ARE|:)?\s*)?", re.IGNORECASE)
_PM = r"(?:±|\+/-|\+-)"
_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PLACES = re.compile(rf"^(?P<pat>X*\.X+|X+\.?|0\.X+)\s*{_PM}\s*(?P<tol>{_NUM})$", re.IGNORECASE)
_ANGLES = re.compile(rf"^(?:ANGLES?|ANGULAR)\s*:?\s*{_PM}\s*(?:(?P<deg>{_NUM})\s*°)?\s*(?:(?P<min>\d+)\s*['′])?$",
                     re.IGNORECASE)
# Entries start where a word starts, and their runs of X are taken whole (possessive): a run of 20,000 X
# is read once, never retried from each of its characters.
_ENTRY = re.compile(rf"(?<![\w.])(?:ANGLES?|ANGULAR)\s*+:?\s*+{_PM}\s*+(?:{_NUM}\s*+°)?\s*+(?:\d++\s*+['′])?"
                    rf"|(?<![\w.])(?:X*+\.X++|X++\.?+|0\.X++)\s*+{_PM}\s*+{_NUM}", re.IGNORECASE)


@dataclass(frozen=True)
class GeneralTolerance:
    """What a part's ``general_tolerance`` says: an ISO 2768 class, or a tolerance block by decimal places."""

    text: str
    linear_class: str | None = None  # ISO 2768-1 f m c v
    geometric_class: str | None = None  # ISO 2768-2 H K L
    by_places: dict[int, Decimal] = field(default_factory=dict)  # tolerance block: places -> ± (drawing unit)
    angular: Decimal | None = None  # tolerance block: ± degrees
    unit: str = "mm"  # the drawing's unit (product.units): the block's lengths are in it

    @property
    def is_block(self) -> bool:
        return bool(self.by_places) or self.angular is not None

    @property
    def linear(self) -> bool:
        """Untoleranced lengths get a tolerance from it."""
        return self.linear_class is not None or bool(self.by_places)

    def block_pm(self, written_places: int) -> Decimal | None:
        """The ± of a length written with ``written_places`` places; None when the block lists none."""
        return self.by_places.get(written_places)

    def places_listed(self) -> str:
        return ", ".join(_pattern(n) for n in sorted(self.by_places)) or "none"


def _pattern(n: int) -> str:
    return "." + "X" * n if n else "X"


def parse_general_tolerance(text: str, unit: str = "mm") -> GeneralTolerance:
    """An ISO 2768 callout (``ISO 2768-mK``) or a tolerance block; StandardsError says what was expected."""
    if not isinstance(text, str):
        raise StandardsError(f"expected a general tolerance, got {text!r}")
    if re.search(r"2768", text):
        linear, geometric = iso2768.parse_general_class(text)
        return GeneralTolerance(text, linear, geometric, unit=unit)
    body = _PREFIX.sub("", text, count=1).strip()
    entries = [m.group(0).strip() for m in _ENTRY.finditer(body)]
    rest = _ENTRY.sub(" ", body).strip(" ,;")
    if not entries or rest:
        raise StandardsError(
            f"{text!r} is neither an ISO 2768 callout such as 'ISO 2768-mK' nor a tolerance block such as "
            "'UNLESS OTHERWISE SPECIFIED: .XX ±.01 .XXX ±.005 ANGLES ±1°'"
            + (f" (cannot read {rest!r})" if entries and rest else ""))
    by_places: dict[int, Decimal] = {}
    angular: Decimal | None = None
    for entry in entries:
        a = _ANGLES.match(entry)
        if a:
            if angular is not None:
                raise StandardsError(f"the angular tolerance is given twice in {text!r}")
            deg = Decimal(a["deg"]) if a["deg"] else Decimal(0)
            angular = deg + (Decimal(a["min"]) / 60 if a["min"] else Decimal(0))
            if angular <= 0:
                raise StandardsError(f"the angular tolerance must be greater than zero in {text!r}")
            continue
        m = _PLACES.match(entry)
        assert m is not None  # _ENTRY found it
        pat = m["pat"].upper()
        n = len(pat.split(".", 1)[1]) if "." in pat else 0
        tol = Decimal(m["tol"])
        if tol <= 0:
            raise StandardsError(f"the tolerance of {pat} must be greater than zero in {text!r}")
        if n in by_places:
            raise StandardsError(f"{_pattern(n)} is given twice in {text!r}")
        by_places[n] = tol
    return GeneralTolerance(text, by_places=by_places, angular=angular, unit=unit)

"""ISO 286-1 / 286-2: standard tolerance grades (IT) and limits of size for fit codes.

Everything is a table lookup on the packaged CSVs (copied verbatim from the shared,
cross-checked reference tables); the IT formula is never used. All values are exact
:class:`~decimal.Decimal` micrometres.

Size ranges are "over A up to and including B": a size on a boundary belongs to the
lower range (30 mm lies in 24-30). The IT table has 13 ranges, the fundamental
deviation tables 25 fine ranges; both cover 0 < D <= 500 mm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from .tables import StandardsError, cell_decimal, load_table, to_decimal

__all__ = [
    "StandardsError",
    "IT_GRADES",
    "SHAFT_LETTERS",
    "HOLE_LETTERS",
    "FitLimits",
    "it_range",
    "it_um",
    "grade_for_tolerance",
    "parse_fit_code",
    "fit_limits",
    "parse_fit",
]

IT_FILE = "iso286-1_IT_grades_um.csv"
SHAFT_FILE = "iso286_shaft_fundamental_deviations_um.csv"
HOLE_FILE = "iso286_hole_fundamental_deviations_um.csv"
DELTA_FILE = "iso286_delta_um.csv"

IT_GRADES: tuple[str, ...] = ("01", "0") + tuple(str(n) for n in range(1, 19))

SHAFT_LETTERS: tuple[str, ...] = (
    "a", "b", "c", "cd", "d", "e", "ef", "f", "fg", "g", "h", "js", "j", "k",
    "m", "n", "p", "r", "s", "t", "u", "v", "x", "y", "z", "za", "zb", "zc",
)
HOLE_LETTERS: tuple[str, ...] = tuple(letter.upper() for letter in SHAFT_LETTERS)

_MAX_SIZE = Decimal(500)
_THREE = Decimal(3)
_ONE = Decimal(1)
# ISO 286-1 special case: M6 over 250 up to and including 315 mm has ES = -9 um (not -11).
_M6_SPECIAL_RANGE = (Decimal(250), Decimal(315))
_M6_SPECIAL_ES = Decimal(-9)


def _rank(grade: str) -> int:
    """Order grades numerically: "01" -> -1, "0" -> 0, "7" -> 7."""
    return -1 if grade == "01" else int(grade)


def _normalize_grade(grade: str | int) -> str:
    """Accept 7, "7", "IT7", "01", "IT01" and return the canonical IT_GRADES string."""
    if isinstance(grade, bool):
        raise StandardsError(f"{grade!r} is not an ISO 286 tolerance grade.")
    if isinstance(grade, int):
        text = str(grade)
    elif isinstance(grade, str):
        text = grade.strip()
        if text[:2].upper() == "IT":
            text = text[2:].strip()
    else:
        raise StandardsError(f"{grade!r} is not an ISO 286 tolerance grade.")
    if text not in IT_GRADES:
        raise StandardsError(
            f"{grade!r} is not an ISO 286 tolerance grade; the grades are IT01, IT0 and IT1 to IT18."
        )
    return text


def _parse_range(label: str) -> tuple[Decimal, Decimal]:
    """Turn a header such as "<=3" or "10-18" into (over, up_to)."""
    if label.startswith("<="):
        return Decimal(0), Decimal(label[2:])
    low, high = label.split("-")
    return Decimal(low), Decimal(high)


def _find(ranges: tuple[tuple[Decimal, Decimal], ...], size: Decimal) -> int:
    for index, (low, high) in enumerate(ranges):
        if low < size <= high:
            return index
    raise StandardsError(  # unreachable for 0 < size <= 500, kept as a guard
        f"A nominal size of {size} mm is outside the ISO 286 tables (over 0 up to 500 mm)."
    )


def _size(size_mm: Decimal | int | str) -> Decimal:
    size = to_decimal(size_mm, "nominal size")
    if size <= 0 or size > _MAX_SIZE:
        raise StandardsError(
            f"A nominal size of {size} mm is outside ISO 286-1, which covers sizes over 0 up to and including 500 mm."
        )
    return size


@lru_cache(maxsize=None)
def _it_table() -> tuple[tuple[tuple[Decimal, Decimal], ...], dict[str, tuple[Decimal, ...]]]:
    table = load_table(IT_FILE)
    ranges = tuple(_parse_range(label) for label in table.header[1:])
    values: dict[str, tuple[Decimal, ...]] = {}
    for row in table.rows:
        grade = _normalize_grade(row[0])
        values[grade] = tuple(Decimal(cell) for cell in row[1:])
    return ranges, values


@dataclass(frozen=True)
class _DevRow:
    grades: str  # raw spec: "all", "5", "4-7", "1-3,8-18", "<=8", ">7"
    deviation: str
    add_delta: bool
    values: tuple[Decimal | None, ...]

    def applies_to(self, grade: str) -> bool:
        spec = self.grades
        rank = _rank(grade)
        if spec == "all":
            return True
        if spec.startswith("<="):
            return rank <= int(spec[2:])
        if spec.startswith(">"):
            return rank > int(spec[1:])
        for part in spec.split(","):
            if "-" in part:
                low, high = part.split("-")
                if int(low) <= rank <= int(high):
                    return True
            elif int(part) == rank:
                return True
        return False


@lru_cache(maxsize=None)
def _deviation_tables() -> tuple[
    tuple[tuple[Decimal, Decimal], ...],
    dict[str, tuple[_DevRow, ...]],
    dict[str, tuple[_DevRow, ...]],
    tuple[dict[str, Decimal], ...],
]:
    shaft = load_table(SHAFT_FILE)
    first = shaft.column("0-3")
    last = shaft.column("450-500")
    ranges = tuple(_parse_range(label) for label in shaft.header[first : last + 1])

    shafts: dict[str, list[_DevRow]] = {}
    for row in shaft.rows:
        letter = row[0]
        key = "j" if re.fullmatch(r"j\d", letter) else letter
        values = tuple(cell_decimal(cell) for cell in row[first : last + 1])
        shafts.setdefault(key, []).append(_DevRow(row[1], row[2], False, values))

    hole = load_table(HOLE_FILE)
    h_first = hole.column("0-3")
    h_last = hole.column("450-500")
    if tuple(_parse_range(label) for label in hole.header[h_first : h_last + 1]) != ranges:
        raise StandardsError("The hole and shaft deviation tables disagree on their size ranges.")
    holes: dict[str, list[_DevRow]] = {}
    for row in hole.rows:
        values = tuple(cell_decimal(cell) for cell in row[h_first : h_last + 1])
        holes.setdefault(row[0], []).append(_DevRow(row[1], row[2], row[3] == "1", values))

    delta = load_table(DELTA_FILE)
    grade_cols = [(name[2:], delta.column(name)) for name in delta.header if name.startswith("IT")]
    deltas: list[dict[str, Decimal]] = []
    for index, row in enumerate(delta.rows):
        if (Decimal(row[0]), Decimal(row[1])) != ranges[index]:
            raise StandardsError("The delta table does not follow the 25 fine size ranges.")
        deltas.append({grade: Decimal(row[col]) for grade, col in grade_cols})

    return (
        ranges,
        {k: tuple(v) for k, v in shafts.items()},
        {k: tuple(v) for k, v in holes.items()},
        tuple(deltas),
    )


def it_range(size_mm: Decimal) -> tuple[Decimal, Decimal]:
    """Return the IT-table size range (over, up to and including) that contains ``size_mm``.

    The first range is 0 < D <= 3 mm; a size on a boundary belongs to the lower range.
    Raises StandardsError for D <= 0 or D > 500 mm.
    """
    size = _size(size_mm)
    ranges, _ = _it_table()
    return ranges[_find(ranges, size)]


def it_um(grade: str | int, size_mm: Decimal) -> Decimal:
    """Return the standard tolerance IT<grade> in micrometres for a nominal size (table lookup).

    ``grade`` may be 7, "7", "IT7", "01" or "IT01".
    """
    canonical = _normalize_grade(grade)
    size = _size(size_mm)
    ranges, values = _it_table()
    return values[canonical][_find(ranges, size)]


@lru_cache(maxsize=8192)
def grade_for_tolerance(tol_band_um: Decimal, size_mm: Decimal) -> str | None:
    """Return the coarsest grade whose IT value fits inside a tolerance band (in micrometres).

    This is the grade a tolerance *needs*: e.g. a 25 um band at 25 mm needs IT7 (21 um).
    Returns None when the band is finer than IT01 for that size.  Answers are remembered (the
    routing, the capability check and the quality plan ask the same few band/size pairs for every
    characteristic); a refusal is not, so it is raised every time.
    """
    band = to_decimal(tol_band_um, "tolerance band")
    if band < 0:
        raise StandardsError(f"A tolerance band cannot be negative ({band} um).")
    size = _size(size_mm)
    ranges, values = _it_table()
    index = _find(ranges, size)
    for grade in reversed(IT_GRADES):
        if values[grade][index] <= band:
            return grade
    return None


@dataclass(frozen=True)
class FitLimits:
    """Limit deviations of one tolerance class at one nominal size, in micrometres."""

    code: str
    kind: Literal["hole", "shaft"]
    letter: str
    grade: str
    size_mm: Decimal
    upper_um: Decimal
    lower_um: Decimal

    @property
    def it_um(self) -> Decimal:
        """The tolerance band (upper minus lower deviation), equal to IT<grade> at this size."""
        return self.upper_um - self.lower_um


_CODE_RE = re.compile(r"([A-Za-z]{1,2})(\d{1,2})")


def parse_fit_code(code: str) -> tuple[str, str]:
    """Split a tolerance class such as "H7", "js6" or "ZC11" into (letter, grade).

    Upper case is a hole, lower case a shaft; mixed case (e.g. "Js6") and unknown
    letters or grades raise StandardsError.
    """
    if not isinstance(code, str):
        raise StandardsError(f"{code!r} is not an ISO 286 tolerance class such as H7 or g6.")
    match = _CODE_RE.fullmatch(code.strip())
    if not match:
        raise StandardsError(f"{code!r} is not an ISO 286 tolerance class such as H7 or g6.")
    letter, grade = match.groups()
    if letter not in SHAFT_LETTERS and letter not in HOLE_LETTERS:
        raise StandardsError(
            f"{code!r} is not an ISO 286 tolerance class: {letter!r} is not a fundamental deviation letter "
            "(holes use upper case A to ZC, shafts lower case a to zc)."
        )
    if grade not in IT_GRADES:
        raise StandardsError(
            f"{code!r} is not an ISO 286 tolerance class: {grade!r} is not a grade (01, 0, 1 to 18)."
        )
    return letter, grade


def _undefined(
    code: str,
    size: Decimal,
    values: tuple[Decimal | None, ...],
    ranges: tuple[tuple[Decimal, Decimal], ...],
) -> StandardsError:
    """Build the error for an empty table cell, describing where the class is defined."""
    defined = [i for i, value in enumerate(values) if value is not None]
    if not defined:
        return StandardsError(f"{code} is not defined in ISO 286-1.")
    first, last = defined[0], defined[-1]
    if first > 0 and last == len(values) - 1:
        where = f"up to and including {ranges[first][0]} mm"
    elif first == 0 and last < len(values) - 1:
        where = f"above {ranges[last][1]} mm"
    else:
        where = f"at {size} mm"
    return StandardsError(f"{code} is not defined {where} in ISO 286-1 (requested size {size} mm).")


def _row_for(rows: tuple[_DevRow, ...], grade: str, code: str) -> _DevRow:
    for row in rows:
        if row.applies_to(grade):
            return row
    raise StandardsError(f"{code} is not defined in ISO 286-1.")


def _shaft(letter: str, grade: str, code: str, size: Decimal, it: Decimal) -> tuple[Decimal, Decimal]:
    ranges, shafts, _, _ = _deviation_tables()
    index = _find(ranges, size)
    if letter in ("a", "b") and size <= _ONE:
        raise StandardsError(f"{code} is not used for sizes up to and including 1 mm in ISO 286-1.")
    if letter == "js":
        half = it / 2
        return half, -half
    if letter == "j":
        rows = tuple(row for row in shafts["j"] if row.grades == grade)
        if not rows:
            raise StandardsError(f"{code} is not defined in ISO 286-1: the only j classes are j5, j6, j7 and j8.")
        row = rows[0]
    elif letter == "k" and _rank(grade) <= 3:
        # ISO 286-1: ei(k) = 0 for IT <= 3 (the CSV row "1-3,8-18"; IT01 and IT0 follow the same rule).
        row = _row_for(shafts["k"], "3", code)
    else:
        row = _row_for(shafts[letter], grade, code)
    value = row.values[index]
    if value is None:
        raise _undefined(code, size, row.values, ranges)
    if row.deviation == "es":
        return value, value - it
    return value + it, value


def _hole(letter: str, grade: str, code: str, size: Decimal, it: Decimal) -> tuple[Decimal, Decimal]:
    ranges, _, holes, deltas = _deviation_tables()
    index = _find(ranges, size)
    if letter in ("A", "B") and size <= _ONE:
        raise StandardsError(f"{code} is not used for sizes up to and including 1 mm in ISO 286-1.")
    if letter == "JS":
        half = it / 2
        return half, -half
    if letter == "J":
        rows = tuple(row for row in holes["J"] if row.grades == grade)
        if not rows:
            raise StandardsError(f"{code} is not defined in ISO 286-1: the only J classes are J6, J7 and J8.")
        row = rows[0]
    else:
        row = _row_for(holes[letter], grade, code)
    if letter == "N" and _rank(grade) > 8 and size <= _ONE:
        raise StandardsError(f"{code} is not used for sizes up to and including 1 mm in ISO 286-1.")
    value = row.values[index]
    if value is None:
        raise _undefined(code, size, row.values, ranges)
    if row.deviation == "EI":
        return value + it, value
    upper = value
    if row.add_delta:
        if size > _THREE:
            if grade not in deltas[index]:
                raise StandardsError(
                    f"{code} is not defined above 3 mm in ISO 286-1: its deviation needs the value "
                    "delta, which is tabulated only for IT3 to IT8."
                )
            upper = value + deltas[index][grade]
        if letter == "M" and grade == "6" and _M6_SPECIAL_RANGE[0] < size <= _M6_SPECIAL_RANGE[1]:
            upper = _M6_SPECIAL_ES
    return upper, upper - it


def fit_limits(code: str, size_mm: Decimal) -> FitLimits:
    """Return the upper and lower limit deviations (um) of a tolerance class at a nominal size.

    Implements the ISO 286-1 rules of the shared ``iso286_fits.md`` exactly (shafts a..zc,
    holes A..ZC with the delta rule, J table, M6 special case, K/N above IT8). Classes or
    sizes the standard leaves undefined raise StandardsError.
    """
    letter, grade = parse_fit_code(code)
    size = _size(size_mm)
    it = it_um(grade, size)
    canonical = f"{letter}{grade}"
    if letter.islower():
        upper, lower = _shaft(letter, grade, canonical, size, it)
        kind: Literal["hole", "shaft"] = "shaft"
    else:
        upper, lower = _hole(letter, grade, canonical, size, it)
        kind = "hole"
    return FitLimits(canonical, kind, letter, grade, size, upper, lower)


_FIT_RE = re.compile(
    r"(?:[\u00d8\u00f8\u2300]|DIA\.?)?\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*([A-Za-z]{1,2}\d{1,2})",
    re.IGNORECASE,
)


def parse_fit(text: str) -> tuple[Decimal, str]:
    """Parse a size with a tolerance class: "12 H7", "Ø12H7", "12H7", "12.5 g6" -> (Decimal, code).

    A decimal comma is accepted. Raises StandardsError when the text is not of that form
    or the class is not an ISO 286 class.
    """
    if not isinstance(text, str):
        raise StandardsError(f"{text!r} is not a size with a tolerance class such as '12 H7'.")
    match = _FIT_RE.fullmatch(text.strip())
    if not match:
        raise StandardsError(f"{text!r} is not a size with a tolerance class such as '12 H7' or 'Ø12H7'.")
    size_text, code = match.groups()
    letter, grade = parse_fit_code(code)
    return to_decimal(size_text, "nominal size"), f"{letter}{grade}"

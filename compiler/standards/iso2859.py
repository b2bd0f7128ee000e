"""ISO 2859-1 (= ANSI/ASQ Z1.4, MIL-STD-105E): single sampling plans for normal inspection.

Code letters come from the lot-size table (Table 1), plans from Table 2-A. Arrow cells
are followed to the first plan below (``down``) or above (``up``), and **both** the
sample size n and Ac/Re are taken from the row landed on. When that n is at least the
lot size, the whole lot is inspected (100 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .tables import StandardsError, load_table, to_decimal

__all__ = [
    "StandardsError",
    "LEVELS",
    "SAMPLE_SIZES",
    "AQLS",
    "SamplingPlan",
    "code_letter",
    "single_normal_plan",
]

CODE_LETTER_FILE = "iso2859-1_code_letters.csv"
TABLE_2A_FILE = "iso2859-1_table2A_normal_single.csv"

LEVELS: tuple[str, ...] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

SAMPLE_SIZES: dict[str, int] = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50,
    "J": 80, "K": 125, "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000,
}

AQLS: tuple[Decimal, ...] = tuple(
    Decimal(text)
    for text in ("0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0", "1.5", "2.5", "4.0", "6.5")
)


@dataclass(frozen=True)
class SamplingPlan:
    """A single sampling plan for normal inspection.

    ``code_letter`` is the letter from the lot-size table; ``plan_letter`` the row actually
    used after following arrows. ``sample_size`` is the landed row's n, or the lot size
    when ``hundred_percent`` (n >= lot size); ``ac``/``re`` always come from the landed row.
    """

    lot_size: int
    level: str
    aql: Decimal
    code_letter: str
    plan_letter: str
    sample_size: int
    ac: int
    re: int
    hundred_percent: bool


def _normalize_level(level: str) -> str:
    if isinstance(level, str):
        text = level.strip().upper().replace(" ", "")
        if text.startswith("S") and not text.startswith("S-"):
            text = "S-" + text[1:]
        if text in LEVELS:
            return text
    raise StandardsError(
        f"{level!r} is not an ISO 2859-1 inspection level; use S-1, S-2, S-3, S-4, I, II or III."
    )


@lru_cache(maxsize=None)
def _letter_table() -> tuple[tuple[int, int | None, dict[str, str]], ...]:
    table = load_table(CODE_LETTER_FILE)
    bands = []
    for row in table.rows:
        low_text, high_text = row[0].split("-")
        letters = {level: row[table.column(level)] for level in LEVELS}
        bands.append((int(low_text), int(high_text) if high_text else None, letters))
    return tuple(bands)


@lru_cache(maxsize=None)
def _plan_table() -> tuple[tuple[str, ...], dict[Decimal, int], tuple[tuple[str, ...], ...]]:
    table = load_table(TABLE_2A_FILE)
    letters = tuple(row[0] for row in table.rows)
    for row in table.rows:
        if SAMPLE_SIZES.get(row[0]) != int(row[1]):
            raise StandardsError(f"Table 2-A gives n={row[1]} for letter {row[0]}, which contradicts ISO 2859-1.")
    columns = {Decimal(name): index for index, name in enumerate(table.header) if index >= 2}
    if tuple(columns) != AQLS:
        raise StandardsError("The AQL columns of Table 2-A do not match ISO 2859-1.")
    return letters, columns, table.rows


def code_letter(lot_size: int, level: str = "II") -> str:
    """Return the ISO 2859-1 sample-size code letter for a lot size and inspection level.

    Levels are S-1..S-4, I, II (the default) and III. Lots smaller than 2 raise
    StandardsError (inspect a lot of 1 completely).
    """
    if isinstance(lot_size, bool) or not isinstance(lot_size, int):
        raise StandardsError(f"The lot size must be a whole number, not {lot_size!r}.")
    if lot_size < 2:
        raise StandardsError(
            f"ISO 2859-1 sampling starts at lots of 2; a lot of {lot_size} must be inspected completely."
        )
    canonical = _normalize_level(level)
    for low, high, letters in _letter_table():
        if low <= lot_size and (high is None or lot_size <= high):
            return letters[canonical]
    raise StandardsError(f"No ISO 2859-1 code letter covers a lot of {lot_size}.")  # pragma: no cover


def _parse_acre(cell: str) -> tuple[int, int]:
    ac, re_ = cell.split("/")
    return int(ac), int(re_)


def single_normal_plan(lot_size: int, aql: Decimal | str, level: str = "II") -> SamplingPlan:
    """Return the single sampling plan for normal inspection (ISO 2859-1 Table 2-A).

    Arrows are followed to the first plan below (``down``) or above (``up``); the sample
    size and Ac/Re both come from the landed row. If that sample size is at least the
    lot size, the plan is 100 % inspection (sample_size = lot_size). An AQL that is not a
    column of the table raises StandardsError.
    """
    letter = code_letter(lot_size, level)
    canonical_level = _normalize_level(level)
    value = to_decimal(aql, "AQL")
    letters, columns, rows = _plan_table()
    if value not in columns:
        listed = ", ".join(str(a) for a in AQLS)
        raise StandardsError(f"An AQL of {aql} is not a column of ISO 2859-1 Table 2-A ({listed}).")
    column = columns[value]
    index = letters.index(letter)
    cell = rows[index][column]
    if cell in ("down", "up"):
        step = 1 if cell == "down" else -1
    while cell in ("down", "up"):
        index += step
        if not 0 <= index < len(rows):
            raise StandardsError(  # pragma: no cover - the table never points outside itself
                f"The arrow for letter {letter} at AQL {aql} leads outside ISO 2859-1 Table 2-A."
            )
        cell = rows[index][column]
    ac, re_ = _parse_acre(cell)
    plan_letter = letters[index]
    n = SAMPLE_SIZES[plan_letter]
    hundred = n >= lot_size
    aql_column = next(a for a in AQLS if a == value)
    return SamplingPlan(
        lot_size=lot_size,
        level=canonical_level,
        aql=aql_column,
        code_letter=letter,
        plan_letter=plan_letter,
        sample_size=lot_size if hundred else n,
        ac=ac,
        re=re_,
        hundred_percent=hundred,
    )

"""ISO 2859-1 tests: every code-letter cell and every Table 2-A cell, arrows included.

The shared CSVs and README are parsed here independently; arrows are walked in this file
by simply scanning down (or up) the column to the first Ac/Re cell.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from techpack.standards.iso2859 import (
    AQLS,
    SAMPLE_SIZES,
    SamplingPlan,
    StandardsError,
    code_letter,
    single_normal_plan,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "standards"
SKIP_REASON = f"shared reference tables not found at {SHARED}"
LEVELS = ["S-1", "S-2", "S-3", "S-4", "I", "II", "III"]
HUGE_LOT = 10_000_000


def read_csv(name: str) -> list[list[str]] | None:
    path = SHARED / name
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if row]


LETTER_ROWS = read_csv("iso2859-1_code_letters.csv")
PLAN_ROWS = read_csv("iso2859-1_table2A_normal_single.csv")
HAVE_SHARED = LETTER_ROWS is not None and PLAN_ROWS is not None
SKIP = [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON))]

if HAVE_SHARED:
    assert LETTER_ROWS[0][1:] == LEVELS
    BANDS = []  # (low, high or None, {level: letter})
    for row in LETTER_ROWS[1:]:
        low, high = row[0].split("-")
        BANDS.append((int(low), int(high) if high else None, dict(zip(LEVELS, row[1:]))))
    AQL_LABELS = PLAN_ROWS[0][2:]
    PLAN_LETTERS = [row[0] for row in PLAN_ROWS[1:]]
    PLAN_N = {row[0]: int(row[1]) for row in PLAN_ROWS[1:]}
    CELLS = [row[2:] for row in PLAN_ROWS[1:]]


def band_lots(low: int, high: int | None) -> list[int]:
    if high is None:
        return [low, low + 1, HUGE_LOT]
    return [low, (low + high) // 2, high]


def landed_row(letter: str, column: int) -> int:
    """Walk the arrow in the column the simple way: scan until a cell holds Ac/Re."""
    row = PLAN_LETTERS.index(letter)
    cell = CELLS[row][column]
    if "/" in cell:
        return row
    step = {"down": 1, "up": -1}[cell]
    row += step
    while "/" not in CELLS[row][column]:
        row += step
    return row


def expected_plan(lot: int, letter: str, column: int):
    row = landed_row(letter, column)
    ac, re_ = (int(x) for x in CELLS[row][column].split("/"))
    n = PLAN_N[PLAN_LETTERS[row]]
    hundred = n >= lot
    return PLAN_LETTERS[row], (lot if hundred else n), ac, re_, hundred


# ---------------------------------------------------------------- constants
def test_sample_sizes_match_readme_and_table():
    readme = SHARED / "README.md"
    if not readme.is_file() or not HAVE_SHARED:
        pytest.skip(SKIP_REASON)
    text = readme.read_text(encoding="utf-8")
    section = text.split("Sample sizes by letter:")[1].split("(The letters")[0]
    from_readme = {letter: int(n) for letter, n in re.findall(r"\b([A-Z])=(\d+)", section)}
    assert len(from_readme) == 16
    assert SAMPLE_SIZES == from_readme == PLAN_N
    assert "I" not in SAMPLE_SIZES and "O" not in SAMPLE_SIZES


def test_aqls_are_the_table_columns():
    if not HAVE_SHARED:
        pytest.skip(SKIP_REASON)
    assert AQLS == tuple(D(label) for label in AQL_LABELS)
    assert all(isinstance(a, D) for a in AQLS)
    assert AQLS[0] == D("0.065") and AQLS[-1] == D("6.5") and len(AQLS) == 11


# ---------------------------------------------------------------- code letters
def letter_cases():
    if not HAVE_SHARED:
        return SKIP
    return [
        pytest.param((band, level), id=f"{LETTER_ROWS[band + 1][0]}-{level}")
        for band in range(len(BANDS))
        for level in LEVELS
    ]


@pytest.mark.parametrize("case", letter_cases())
def test_code_letter_every_cell(case):
    band, level = case
    low, high, letters = BANDS[band]
    for lot in band_lots(low, high):
        assert code_letter(lot, level) == letters[level], (lot, level)
    if band + 1 < len(BANDS):  # the next lot belongs to the next band
        assert code_letter(high + 1, level) == BANDS[band + 1][2][level]


def test_code_letter_default_level_is_ii():
    assert code_letter(1000) == code_letter(1000, "II") == "J"
    assert code_letter(2) == "A" and code_letter(9) == "B"


@pytest.mark.parametrize("lot", [1, 0, -3])
def test_code_letter_rejects_lots_below_two(lot):
    with pytest.raises(StandardsError):
        code_letter(lot)
    with pytest.raises(StandardsError):
        single_normal_plan(lot, "1.0")


@pytest.mark.parametrize("level", ["IV", "S-5", "S-0", "", "2", None])
def test_code_letter_rejects_unknown_levels(level):
    with pytest.raises(StandardsError):
        code_letter(100, level)


def test_level_spellings():
    assert code_letter(100, "s-1") == code_letter(100, "S1") == code_letter(100, "S-1") == "B"
    assert code_letter(100, " ii ") == "F"


# ---------------------------------------------------------------- Table 2-A, every cell
def plan_cases():
    if not HAVE_SHARED:
        return SKIP
    return [
        pytest.param((letter, column), id=f"{letter}-{AQL_LABELS[column]}")
        for letter in PLAN_LETTERS
        for column in range(len(AQL_LABELS))
    ]


def lots_with_letter(letter: str) -> list[tuple[int, str]]:
    """Smallest and largest lot (with a level) whose code letter is ``letter``."""
    found = []
    for low, high, letters in BANDS:
        for level, value in letters.items():
            if value == letter:
                found.append((low, level))
                found.append((high if high is not None else HUGE_LOT, level))
    return [min(found), max(found)]


@pytest.mark.parametrize("case", plan_cases())
def test_table2a_every_cell_including_arrows(case):
    letter, column = case
    aql = AQL_LABELS[column]
    for lot, level in lots_with_letter(letter):
        plan = single_normal_plan(lot, aql, level)
        assert plan.code_letter == letter
        assert (plan.plan_letter, plan.sample_size, plan.ac, plan.re, plan.hundred_percent) == expected_plan(
            lot, letter, column
        ), (lot, level, aql)
        assert plan.lot_size == lot and plan.level == level and plan.aql == D(aql)


def band_level_cases():
    if not HAVE_SHARED:
        return SKIP
    return [
        pytest.param((band, level), id=f"{LETTER_ROWS[band + 1][0]}-{level}")
        for band in range(len(BANDS))
        for level in LEVELS
    ]


@pytest.mark.parametrize("case", band_level_cases())
def test_every_lot_band_level_and_aql(case):
    band, level = case
    low, high, letters = BANDS[band]
    for lot in band_lots(low, high):
        for column, aql in enumerate(AQL_LABELS):
            plan = single_normal_plan(lot, D(aql), level)
            expected = expected_plan(lot, letters[level], column)
            assert (plan.plan_letter, plan.sample_size, plan.ac, plan.re, plan.hundred_percent) == expected
            assert plan.re == plan.ac + 1
            assert plan.sample_size <= lot


# ---------------------------------------------------------------- worked examples
def test_hundred_percent_when_n_exceeds_lot():
    plan = single_normal_plan(10, D("0.065"), "II")
    assert plan == SamplingPlan(
        lot_size=10, level="II", aql=D("0.065"), code_letter="B", plan_letter="L",
        sample_size=10, ac=0, re=1, hundred_percent=True,
    )


def test_hundred_percent_when_n_equals_lot():
    plan = single_normal_plan(2, "6.5", "II")  # A, n = 2
    assert plan.hundred_percent and plan.sample_size == 2 and (plan.ac, plan.re) == (0, 1)


@pytest.mark.parametrize(
    "lot,aql,level,plan_letter,n,ac,re_",
    [
        (1000, "1.0", "II", "J", 80, 2, 3),
        (1000, "6.5", "II", "J", 80, 10, 11),
        (20000, "6.5", "II", "L", 200, 21, 22),  # M: up -> L
        (50000, "6.5", "II", "L", 200, 21, 22),  # N: up, up -> L
        (50000, "0.065", "II", "P", 800, 1, 2),  # N: down -> P
        (20000, "0.065", "II", "L", 200, 0, 1),  # M: up -> L
        (1000, "0.10", "II", "K", 125, 0, 1),  # J: down -> K
        (1000, "0.15", "II", "J", 80, 0, 1),
        (1000, "0.25", "II", "H", 50, 0, 1),  # J: up -> H
        (1000, "0.40", "II", "K", 125, 1, 2),  # J: down -> K
    ],
)
def test_arrow_examples(lot, aql, level, plan_letter, n, ac, re_):
    plan = single_normal_plan(lot, aql, level)
    assert (plan.plan_letter, plan.sample_size, plan.ac, plan.re) == (plan_letter, n, ac, re_)
    assert not plan.hundred_percent


def test_up_arrow_takes_n_from_the_landed_row():
    # letter J at AQL 0.25 is an up arrow: land on H (n = 50, 0/1), not J's n = 80
    plan = single_normal_plan(1000, "0.25", "II")
    assert plan.code_letter == "J"
    assert (plan.plan_letter, plan.sample_size, plan.ac, plan.re) == ("H", 50, 0, 1)


@pytest.mark.parametrize("aql", ["1.0", "1", D("1.00"), D("1"), "1.000"])
def test_aql_spellings(aql):
    assert single_normal_plan(1000, aql).aql == D("1.0")


@pytest.mark.parametrize("aql", ["0.5", "10", "0.01", "1.2", "abc", "", "0"])
def test_aql_not_in_table_raises(aql):
    with pytest.raises(StandardsError):
        single_normal_plan(1000, aql)


def test_plan_is_frozen():
    plan = single_normal_plan(1000, "1.0")
    with pytest.raises(AttributeError):
        plan.ac = 5

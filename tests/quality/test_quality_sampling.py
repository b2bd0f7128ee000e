"""FRI sampling against every cell of the shared ISO 2859-1 tables: arrows, 100 %, zero acceptance.

The expected plans are computed here from ``../shared/standards`` independently of
techpack: find the code letter of the lot, walk the arrow down or up the AQL column to
the first Ac/Re cell, take n from that row; 100 % when n reaches the lot.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from pathlib import Path

import pytest

from techpack.quality.stages import fri_class

TABLES = Path(__file__).resolve().parents[2].parent / "shared" / "standards"
EXAMPLE_NAMES = ("bracket", "shaft", "enclosure")
N = {"A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50, "J": 80, "K": 125, "L": 200,
     "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000}


def _rows(name: str) -> list[list[str]]:
    path = TABLES / name
    if not path.is_file():
        pytest.skip(f"shared ISO 2859-1 tables not found at {TABLES}")
    with path.open(newline="", encoding="utf-8") as fh:
        return [r for r in csv.reader(fh) if r]


def _letters():
    rows = _rows("iso2859-1_code_letters.csv")
    return rows[0][1:], [(r[0], r[1:]) for r in rows[1:]]


def _table():
    rows = _rows("iso2859-1_table2A_normal_single.csv")
    return rows[0][2:], rows[1:]


def expected(lot: int, aql: str, level: str) -> tuple[str, int, int, int, bool]:
    """(landed letter, n, Ac, Re, 100 %) from the shared tables."""
    levels, bands = _letters()
    letter = None
    for band, letters in bands:
        lo, hi = band.split("-")
        if int(lo) <= lot and (not hi or lot <= int(hi)):
            letter = letters[levels.index(level)]
    assert letter is not None
    aqls, rows = _table()
    col = aqls.index(aql) + 2
    i = [r[0] for r in rows].index(letter)
    while rows[i][col] in ("down", "up"):
        i += 1 if rows[i][col] == "down" else -1
    ac, re_ = (int(x) for x in rows[i][col].split("/"))
    n = N[rows[i][0]]
    assert int(rows[i][1]) == n
    return rows[i][0], n, ac, re_, n >= lot


def _cases():
    """Every (band endpoint, level, AQL): every cell of Table 2-A, including every arrow cell."""
    levels, bands = _letters()
    aqls, _rows2a = _table()
    for band, _letters_ in bands:
        lo, hi = band.split("-")
        for lot in {int(lo), int(hi) if hi else 10_000_000}:
            if lot < 2:
                continue
            for level in levels:
                for aql in aqls:
                    yield lot, aql, level


def test_the_cases_reach_every_cell_of_table_2a():
    aqls, rows = _table()
    levels, bands = _letters()
    cells = set()
    for lot, aql, level in _cases():
        for band, letters in bands:
            lo, hi = band.split("-")
            if int(lo) <= lot and (not hi or lot <= int(hi)):
                cells.add((letters[levels.index(level)], aql))
    assert cells == {(r[0], a) for r in rows for a in aqls}


def test_fri_plan_matches_the_shared_tables_cell_by_cell():
    checked = arrows = hundred = 0
    for lot, aql, level in _cases():
        letter, n, ac, re_, full = expected(lot, aql, level)
        got = fri_class("major", lot, Decimal(aql), level)
        assert got.plan is not None
        assert got.plan.plan_letter == letter, (lot, aql, level)
        assert (got.plan.ac, got.plan.re) == (ac, re_), (lot, aql, level)
        assert got.plan.hundred_percent == full, (lot, aql, level)
        assert got.sample_size == (lot if full else n), (lot, aql, level)
        assert (got.ac, got.re) == (str(ac), str(re_))
        assert got.sample_text == (f"100 % ({lot})" if full else str(n))
        checked += 1
        arrows += got.plan.plan_letter != got.plan.code_letter
        hundred += full
    assert checked > 1000 and arrows > 300 and hundred > 20


@pytest.mark.parametrize(("lot", "aql"), [(2, "6.5"), (8, "0.065"), (50, "0.10"), (150, "0.065")])
def test_n_reaching_the_lot_means_100_percent(lot, aql):
    got = fri_class("minor", lot, Decimal(aql), "II")
    assert got.plan.hundred_percent and got.sample_size == lot and got.sample_text == f"100 % ({lot})"


def test_known_plans():
    # lot 500, level II -> H; AQL 0.65 at H is an arrow down to J: n 80, 1/2
    j = fri_class("major", 500, Decimal("0.65"), "II")
    assert (j.plan.code_letter, j.plan.plan_letter, j.sample_size, j.ac, j.re) == ("H", "J", 80, "1", "2")
    # lot 1200, level II -> J; AQL 2.5 at J: n 80, 5/6
    k = fri_class("minor", 1200, Decimal("2.5"), "II")
    assert (k.plan.plan_letter, k.sample_size, k.ac, k.re) == ("J", 80, "5", "6")
    # lot 5 at S-1 -> A; AQL 1.0 points down through B, C, D to E (n 13 >= 5): 100 % with E's 0/1
    a = fri_class("major", 5, Decimal("1.0"), "S-1")
    assert (a.plan.code_letter, a.plan.plan_letter, a.plan.hundred_percent, a.sample_size) == ("A", "E", True, 5)
    assert (a.ac, a.re) == ("0", "1")
    # lot 3201 at III -> M; AQL 6.5 at M is an arrow up to L: n 200, 21/22
    m = fri_class("minor", 3201, Decimal("6.5"), "III")
    assert (m.plan.code_letter, m.plan.plan_letter, m.sample_size, m.ac, m.re) == ("M", "L", 200, "21", "22")


def test_aql_zero_is_zero_acceptance_on_every_piece():
    for lot in (2, 300, 1200, 500_000):
        got = fri_class("critical", lot, Decimal(0), "II")
        assert got.plan is None and got.sample_size == lot and (got.ac, got.re) == ("0", "1")
        assert got.sample_text == f"100 % ({lot})"


def test_a_lot_of_one_is_inspected_completely():
    got = fri_class("major", 1, Decimal("1.0"), "II")
    assert got.sample_size == 1 and (got.ac, got.re) == ("0", "1")


def test_unknown_lot():
    got = fri_class("major", None, Decimal("1.0"), "II")
    assert got.sample_size is None and got.sample_text == "lot size not stated" and got.ac == ""


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_fri_row_of_the_examples_csv_follows_the_tables(name, built, plan_of):
    spec = plan_of(name).spec
    prod = spec.production
    text = (built(name) / "inspection" / "plan.csv").read_text(encoding="utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["stage_fri"] and r["stage_fri"] != "1 set"]
    assert rows
    lots = {o.number: o.lot for o in plan_of(name).owners}
    for r in rows:
        lot = lots[r["part"]]
        aql = getattr(prod.aql, r["classification"])
        if aql == 0:
            assert r["stage_fri"] == "100% Ac 0"
            continue
        aql_text = next(a for a in _table()[0] if Decimal(a) == aql)
        _letter, n, ac, re_, full = expected(lot, aql_text, prod.inspection_level.value)
        assert re_ == ac + 1  # single sampling: Re is implied
        assert r["stage_fri"] == (f"100% Ac {ac}" if full else f"n={n} Ac {ac}"), r

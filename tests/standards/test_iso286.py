"""ISO 286 tests, cell by cell against the shared reference tables.

The shared CSVs (../shared/standards next to the repo root) are parsed here on their own,
with the csv module; expected values are derived in this file from those cells and the
rules written in iso286_fits.md, never from the module's packaged copy.
"""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from techpack.standards import iso286
from techpack.standards.iso286 import (
    IT_GRADES,
    FitLimits,
    StandardsError,
    fit_limits,
    grade_for_tolerance,
    it_range,
    it_um,
    parse_fit,
    parse_fit_code,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "standards"
PACKAGED = REPO / "compiler" / "standards" / "data"
SKIP_REASON = f"shared reference tables not found at {SHARED}"

TINY = D("0.001")
GRADES = ["01", "0"] + [str(n) for n in range(1, 19)]
COPIED = [
    "iso286-1_IT_grades_um.csv",
    "iso286_shaft_fundamental_deviations_um.csv",
    "iso286_hole_fundamental_deviations_um.csv",
    "iso286_delta_um.csv",
    "iso2768-1_linear_pm_mm.csv",
    "iso2768-1_radius_chamfer_pm_mm.csv",
    "iso2768-1_angular_by_shorter_leg_arcmin.csv",
    "iso2859-1_code_letters.csv",
    "iso2859-1_table2A_normal_single.csv",
]


def rank(grade: str) -> int:
    return -1 if grade == "01" else int(grade)


def read(name: str) -> list[list[str]] | None:
    path = SHARED / name
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if row]


def rng(label: str) -> tuple[D, D]:
    if label.startswith("<="):
        return D(0), D(label[2:])
    low, high = label.split("-")
    return D(low), D(high)


def points(low: D, high: D) -> list[D]:
    """Just above the lower boundary, the midpoint and exactly the upper boundary."""
    return [low + TINY, (low + high) / 2, high]


def skip_param():
    return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON))]


# ---------------------------------------------------------------- shared tables, parsed here
IT_ROWS = read("iso286-1_IT_grades_um.csv")
SHAFT_ROWS = read("iso286_shaft_fundamental_deviations_um.csv")
HOLE_ROWS = read("iso286_hole_fundamental_deviations_um.csv")
DELTA_ROWS = read("iso286_delta_um.csv")
HAVE_SHARED = None not in (IT_ROWS, SHAFT_ROWS, HOLE_ROWS, DELTA_ROWS)

if HAVE_SHARED:
    IT_RANGES = [rng(label) for label in IT_ROWS[0][1:]]
    IT = {row[0][2:]: [D(c) for c in row[1:]] for row in IT_ROWS[1:]}
    FINE_LABELS = SHAFT_ROWS[0][3:28]
    FINE_RANGES = [rng(label) for label in FINE_LABELS]
    assert HOLE_ROWS[0][4:29] == FINE_LABELS
    SHAFT = [(r[0], r[1], r[2], r[3:28]) for r in SHAFT_ROWS[1:]]
    HOLE = [(r[0], r[1], r[2], r[3], r[4:29]) for r in HOLE_ROWS[1:]]
    DELTA_GRADES = DELTA_ROWS[0][3:]
    DELTA = [{g[2:]: D(c) for g, c in zip(DELTA_GRADES, r[3:])} for r in DELTA_ROWS[1:]]
    assert [(D(r[0]), D(r[1])) for r in DELTA_ROWS[1:]] == FINE_RANGES


def shared_it(grade: str, size: D) -> D:
    for index, (low, high) in enumerate(IT_RANGES):
        if low < size <= high:
            return IT[grade][index]
    raise AssertionError(size)


def spec_has(spec: str, grade: str) -> bool:
    r = rank(grade)
    known = {
        "all": True,
        "<=8": r <= 8,
        ">8": r > 8,
        "<=7": r <= 7,
        ">7": r > 7,
        "4-7": 4 <= r <= 7,
        "1-3,8-18": 1 <= r <= 3 or 8 <= r <= 18,
    }
    if spec in known:
        return known[spec]
    assert spec.isdigit(), f"unexpected grades spec {spec!r} in the shared table"
    return r == int(spec)


# ---------------------------------------------------------------- packaged copies are verbatim
@pytest.mark.parametrize("name", COPIED)
def test_packaged_csv_is_a_verbatim_copy(name):
    if not (SHARED / name).is_file():
        pytest.skip(SKIP_REASON)
    assert (PACKAGED / name).read_bytes() == (SHARED / name).read_bytes()


# ---------------------------------------------------------------- IT grades
def it_cases():
    if not HAVE_SHARED:
        return skip_param()
    return [
        pytest.param((grade, index), id=f"IT{grade}-{IT_ROWS[0][index + 1]}")
        for grade in GRADES
        for index in range(len(IT_RANGES))
    ]


@pytest.mark.parametrize("case", it_cases())
def test_it_every_cell(case):
    grade, index = case
    low, high = IT_RANGES[index]
    expected = IT[grade][index]
    for size in points(low, high):
        assert it_um(grade, size) == expected, (grade, size)
        assert it_um(f"IT{grade}", size) == expected
        assert it_range(size) == (low, high)
        if grade not in ("01",):
            assert it_um(int(grade), size) == expected
    assert isinstance(it_um(grade, high), D)


def test_it_table_shape():
    if not HAVE_SHARED:
        pytest.skip(SKIP_REASON)
    assert len(IT_RANGES) == 13
    assert tuple(IT) == tuple(GRADES) == IT_GRADES


def test_boundary_belongs_to_lower_range():
    assert it_range(D(3)) == (D(0), D(3))
    assert it_range(D("3.0001")) == (D(3), D(6))
    assert it_range(D(30)) == (D(18), D(30))
    assert it_range(D(500)) == (D(400), D(500))
    assert it_um(7, D(30)) == D(21) and it_um(7, D("30.0001")) == D(25)


def test_it_is_a_table_not_the_formula():
    # formula would give 8.7 um; the table says 10
    assert it_um("IT7", D("2")) == D(10)


@pytest.mark.parametrize("size", [D(0), D(-1), D("500.001"), D(1000)])
def test_it_range_rejects_sizes_outside_the_table(size):
    with pytest.raises(StandardsError):
        it_range(size)
    with pytest.raises(StandardsError):
        it_um(7, size)


@pytest.mark.parametrize("grade", ["IT19", "19", 19, "7a", "", "00", -1, "IT 7x", None])
def test_it_rejects_unknown_grades(grade):
    with pytest.raises(StandardsError):
        it_um(grade, D(10))


@pytest.mark.parametrize("n", range(7, 14))
def test_it_n_plus_5_is_ten_times_it_n(n):
    for low, high in [(D(0), D(3))] + [rng(f"{a}-{b}") for a, b in [(3, 6), (30, 50), (400, 500)]]:
        for size in points(low, high):
            assert it_um(n + 5, size) == 10 * it_um(n, size)


def grade_cases():
    if not HAVE_SHARED:
        return skip_param()
    return [pytest.param(index, id=IT_ROWS[0][index + 1]) for index in range(len(IT_RANGES))]


@pytest.mark.parametrize("index", grade_cases())
def test_grade_for_tolerance_every_cell(index):
    low, high = IT_RANGES[index]
    size = (low + high) / 2
    for position, grade in enumerate(GRADES):
        value = IT[grade][index]
        assert grade_for_tolerance(value, size) == grade
        assert grade_for_tolerance(value, high) == grade
        below = GRADES[position - 1] if position else None
        assert grade_for_tolerance(value - D("0.01"), size) == below
    assert grade_for_tolerance(IT["18"][index] * 10, size) == "18"


def test_grade_for_tolerance_examples():
    assert grade_for_tolerance(D(25), D(25)) == "7"  # IT7 = 21, IT8 = 33
    assert grade_for_tolerance(D(33), D(25)) == "8"
    assert grade_for_tolerance(D("0.5"), D(25)) is None  # IT01 = 0.6
    assert grade_for_tolerance(D(0), D(25)) is None
    with pytest.raises(StandardsError):
        grade_for_tolerance(D(-1), D(25))


# ---------------------------------------------------------------- shafts, row by row
def shaft_expected(letter: str, grade: str, spec: str, kind: str, cells: list[str], index: int, size: D):
    """(upper, lower) from the shared row, or None when the code must be refused."""
    if letter in ("a", "b") and size <= 1:
        return None
    if not cells[index]:
        return None
    value = D(cells[index])
    it = shared_it(grade, size)
    if kind == "es":
        return value, value - it
    assert kind == "ei"
    return value + it, value


def shaft_cases():
    if not HAVE_SHARED:
        return skip_param()
    cases = []
    for row_no, (letter, spec, kind, cells) in enumerate(SHAFT):
        if letter == "js":
            continue
        for index, label in enumerate(FINE_LABELS):
            cases.append(pytest.param((row_no, index), id=f"{letter}[{spec}]-{label}"))
    return cases


@pytest.mark.parametrize("case", shaft_cases())
def test_shaft_every_cell(case):
    row_no, index = case
    letter, spec, kind, cells = SHAFT[row_no]
    low, high = FINE_RANGES[index]
    checked = 0
    for grade in GRADES:
        if letter.startswith("j"):
            if grade != letter[1:]:
                continue
            code = letter
        elif letter == "k":
            # ei = k-row for IT4..IT7; ei = 0 for IT <= 3 (incl. IT01, IT0) and IT >= 8
            in_47 = 4 <= rank(grade) <= 7
            if in_47 != (spec == "4-7"):
                continue
            code = f"k{grade}"
        else:
            assert spec == "all"
            code = f"{letter}{grade}"
        for size in points(low, high):
            expected = shaft_expected(letter, grade, spec, kind, cells, index, size)
            if expected is None:
                with pytest.raises(StandardsError):
                    fit_limits(code, size)
            else:
                got = fit_limits(code, size)
                assert (got.upper_um, got.lower_um) == expected, (code, size)
                assert got.kind == "shaft"
                assert got.it_um == shared_it(grade, size)
            checked += 1
    assert checked


def test_shaft_fundamental_deviation_independent_of_grade_for_m_to_zc():
    if not HAVE_SHARED:
        pytest.skip(SKIP_REASON)
    letters = [row[0] for row in SHAFT if row[2] == "ei" and row[0] not in ("k",) and not row[0].startswith("j")]
    assert letters[:2] == ["m", "n"] and letters[-1] == "zc"
    for letter in letters:
        for size in (D(40), D(300)):
            lowers = {fit_limits(f"{letter}{g}", size).lower_um for g in ("3", "6", "7", "8", "12")}
            assert len(lowers) == 1


def test_js_is_exactly_half_it_every_range():
    if not HAVE_SHARED:
        pytest.skip(SKIP_REASON)
    for grade in GRADES:
        for low, high in FINE_RANGES:
            for size in points(low, high):
                half = shared_it(grade, size) / 2
                for code in (f"js{grade}", f"JS{grade}"):
                    got = fit_limits(code, size)
                    assert (got.upper_um, got.lower_um) == (half, -half)


@pytest.mark.parametrize("code", ["j4", "j9", "j11", "J5", "J9", "J01"])
def test_other_j_classes_do_not_exist(code):
    with pytest.raises(StandardsError):
        fit_limits(code, D(10))


# ---------------------------------------------------------------- holes, row by row
def hole_expected(letter, grade, kind, add_delta, cells, index, size):
    if letter in ("A", "B") and size <= 1:
        return None
    if letter == "N" and rank(grade) > 8 and size <= 1:
        return None
    if not cells[index]:
        return None
    value = D(cells[index])
    it = shared_it(grade, size)
    if kind == "EI":
        return value + it, value
    assert kind == "ES"
    upper = value
    if add_delta == "1" and size > 3:
        if grade not in DELTA[index]:
            return None  # delta only for IT3..IT8
        upper = value + DELTA[index][grade]
    if letter == "M" and grade == "6" and D(250) < size <= D(315):
        upper = D(-9)
    return upper, upper - it


def hole_cases():
    if not HAVE_SHARED:
        return skip_param()
    cases = []
    for row_no, (letter, spec, kind, add_delta, cells) in enumerate(HOLE):
        if letter == "JS":
            continue
        for index, label in enumerate(FINE_LABELS):
            cases.append(pytest.param((row_no, index), id=f"{letter}[{spec}]-{label}"))
    return cases


@pytest.mark.parametrize("case", hole_cases())
def test_hole_every_cell(case):
    row_no, index = case
    letter, spec, kind, add_delta, cells = HOLE[row_no]
    low, high = FINE_RANGES[index]
    checked = 0
    for grade in GRADES:
        if not spec_has(spec, grade):
            continue
        code = f"{letter}{grade}"
        for size in points(low, high):
            expected = hole_expected(letter, grade, kind, add_delta, cells, index, size)
            if expected is None:
                with pytest.raises(StandardsError):
                    fit_limits(code, size)
            else:
                got = fit_limits(code, size)
                assert (got.upper_um, got.lower_um) == expected, (code, size)
                assert got.kind == "hole" and got.letter == letter and got.grade == grade
            checked += 1
    assert checked


def test_holes_a_to_h_mirror_shafts_every_range():
    if not HAVE_SHARED:
        pytest.skip(SKIP_REASON)
    for letter in ["a", "b", "c", "cd", "d", "e", "ef", "f", "fg", "g", "h"]:
        shaft_row = next(r for r in SHAFT if r[0] == letter)[3]
        hole_row = next(r for r in HOLE if r[0] == letter.upper())[4]
        for index, (low, high) in enumerate(FINE_RANGES):
            # the two shared tables agree with the mirror rule ...
            if shaft_row[index]:
                assert D(hole_row[index]) == -D(shaft_row[index])
            else:
                assert not hole_row[index]
            # ... and so does the module
            for grade in ("5", "8", "11"):
                size = high
                try:
                    shaft = fit_limits(f"{letter}{grade}", size)
                except StandardsError:
                    with pytest.raises(StandardsError):
                        fit_limits(f"{letter.upper()}{grade}", size)
                    continue
                hole = fit_limits(f"{letter.upper()}{grade}", size)
                assert hole.lower_um == -shaft.upper_um
                assert hole.upper_um == -shaft.lower_um


def test_hole_rows_are_minus_shaft_ei():
    """K (IT4-7 k row), M, N and P..ZC hole cells equal -ei of the shaft table."""
    if not HAVE_SHARED:
        pytest.skip(SKIP_REASON)
    for letter, spec, kind, add_delta, cells in HOLE:
        if kind != "ES" or letter in ("J", "K", "N") and spec == ">8":
            continue
        if letter == "J":
            continue
        shaft_spec = "4-7" if letter == "K" else "all"
        shaft_cells = next(r[3] for r in SHAFT if r[0] == letter.lower() and r[1] == shaft_spec)
        for hole_cell, shaft_cell in zip(cells, shaft_cells):
            assert (hole_cell == "") == (shaft_cell == "")
            if hole_cell:
                assert D(hole_cell) == -D(shaft_cell)


# ---------------------------------------------------------------- written oracles
ORACLES = [
    # iso286_fits.md
    ("k8", "45", "39", "0"),
    ("K8", "25", "10", "-23"),
    ("K7", "2", "0", "-10"),
    ("N7", "2", "-4", "-14"),
    ("P7", "20", "-14", "-35"),
    ("js8", "45", "19.5", "-19.5"),
    ("js7", "25", "10.5", "-10.5"),
    ("M6", "300", "-9", "-41"),
    ("M6", "315", "-9", "-41"),
    ("M6", "250", "-8", "-37"),
    ("M6", "315.001", "-10", "-46"),
    ("M3", "20", "-6.5", "-10.5"),
    # common textbook fits
    ("H7", "25", "21", "0"),
    ("g6", "25", "-7", "-20"),
    ("h6", "50", "0", "-16"),
    ("f7", "30", "-20", "-41"),
    ("H7", "10", "15", "0"),
    ("h9", "10", "0", "-36"),
    ("H8", "40", "39", "0"),
    ("f7", "40", "-25", "-50"),
    ("k6", "20", "15", "2"),
    ("n6", "20", "28", "15"),
    ("p6", "20", "35", "22"),
    ("s6", "20", "48", "35"),
    ("u6", "30", "61", "48"),
    ("m6", "100", "35", "13"),
    ("K7", "25", "6", "-15"),
    ("M7", "25", "0", "-21"),
    ("N7", "25", "-7", "-28"),
    ("R7", "25", "-20", "-41"),
    ("S7", "25", "-27", "-48"),
    ("U7", "25", "-40", "-61"),
    ("N7", "100", "-10", "-45"),
    ("e8", "50", "-50", "-89"),
    ("d9", "50", "-80", "-142"),
    ("F8", "12", "43", "16"),
    ("G7", "6", "16", "4"),
    ("j6", "10", "7", "-2"),
    ("j5", "80", "6", "-7"),
    ("J7", "25", "12", "-9"),
    ("J8", "25", "20", "-13"),
    ("K9", "2", "0", "-25"),
    ("N9", "2", "-4", "-29"),
    ("N9", "10", "0", "-36"),
    ("M9", "25", "-8", "-60"),
    ("H11", "500", "400", "0"),
    ("c11", "0.5", "-60", "-120"),
    # cd / ef / fg at their edges
    ("cd8", "10", "-56", "-78"),
    ("cd8", "10.001", "-70", "-97"),
    ("cd8", "50", "-100", "-139"),
    ("CD8", "50", "139", "100"),
    ("ef6", "25", "-28", "-41"),
    ("EF6", "25", "41", "28"),
    ("fg5", "3", "-4", "-8"),
    ("fg5", "3.001", "-6", "-11"),
    ("FG5", "50", "26", "15"),
]


@pytest.mark.parametrize("code,size,upper,lower", ORACLES, ids=[f"{c}@{s}" for c, s, _, _ in ORACLES])
def test_written_oracles(code, size, upper, lower):
    got = fit_limits(code, D(size))
    assert got.upper_um == D(upper)
    assert got.lower_um == D(lower)
    assert got.it_um == D(upper) - D(lower)


UNDEFINED = [
    ("K9", "25"), ("K9", "3.001"), ("K12", "100"), ("K1", "10"), ("K2", "400"),
    ("N2", "20"), ("P1", "10"), ("ZC2", "100"), ("M1", "50"),
    ("a9", "1"), ("b11", "0.5"), ("A11", "1"), ("B9", "0.2"), ("N9", "1"), ("N12", "0.5"),
    ("cd8", "50.001"), ("ef7", "60"), ("fg6", "500"), ("CD8", "51"), ("EF7", "100"), ("FG6", "80"),
    ("t6", "24"), ("T7", "10"), ("v6", "14"), ("V7", "5"), ("y6", "18"), ("Y9", "2"),
    ("j8", "3.001"), ("j4", "10"), ("J6", "600"), ("H7", "0"), ("h7", "500.001"),
]


@pytest.mark.parametrize("code,size", UNDEFINED, ids=[f"{c}@{s}" for c, s in UNDEFINED])
def test_undefined_cells_raise(code, size):
    with pytest.raises(StandardsError) as info:
        fit_limits(code, D(size))
    message = str(info.value)
    assert "ISO 286" in message and message.rstrip().endswith(".")
    assert code in message or "outside" in message


def test_k9_message_is_a_clear_sentence():
    with pytest.raises(StandardsError, match=r"K9 is not defined above 3 mm in ISO 286-1"):
        fit_limits("K9", D(25))


def test_fit_limits_result_type():
    got = fit_limits("H7", D(25))
    assert got == FitLimits("H7", "hole", "H", "7", D(25), D(21), D(0))
    assert isinstance(got.upper_um, D) and isinstance(got.lower_um, D)
    with pytest.raises(AttributeError):
        got.upper_um = D(1)  # frozen


# ---------------------------------------------------------------- parsing
@pytest.mark.parametrize(
    "code,expected",
    [("H7", ("H", "7")), ("js6", ("js", "6")), ("ZC11", ("ZC", "11")), ("h01", ("h", "01")),
     ("cd8", ("cd", "8")), ("JS10", ("JS", "10")), (" g6 ", ("g", "6")), ("za18", ("za", "18"))],
)
def test_parse_fit_code(code, expected):
    assert parse_fit_code(code) == expected


@pytest.mark.parametrize(
    "code", ["", "H", "7", "Js6", "jS6", "Zc11", "i7", "O7", "w6", "Q7", "H19", "H07", "HH7", "H7g6", "abc7", "h-7", None]
)
def test_parse_fit_code_rejects_junk(code):
    with pytest.raises(StandardsError):
        parse_fit_code(code)


@pytest.mark.parametrize(
    "text,expected",
    [("12 H7", (D("12"), "H7")), ("Ø12H7", (D("12"), "H7")), ("12H7", (D("12"), "H7")),
     ("Ø 12 H7", (D("12"), "H7")), ("⌀25 g6", (D("25"), "g6")), ("12.5 js6", (D("12.5"), "js6")),
     ("12,5 js6", (D("12.5"), "js6")), ("100N7", (D("100"), "N7"))],
)
def test_parse_fit(text, expected):
    size, code = parse_fit(text)
    assert (size, code) == expected
    assert isinstance(size, D)


@pytest.mark.parametrize("text", ["", "H7", "12", "12 W7", "12 I7", "12 H7 g6", "twelve H7", "12 Js6"])
def test_parse_fit_rejects_junk(text):
    with pytest.raises(StandardsError):
        parse_fit(text)


def test_standards_error_is_a_value_error_and_reexported():
    from techpack.standards.tables import StandardsError as Base

    assert iso286.StandardsError is Base
    assert issubclass(StandardsError, ValueError)

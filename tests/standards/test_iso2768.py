"""ISO 2768-1 / -2 tests, every cell, against the shared reference tables parsed here.

ISO 2768-1 comes from the shared CSVs, ISO 2768-2 from the shared markdown file
(iso2768-2_geometric_mm.md), so the module's own CSV transcription is checked too.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from techpack.standards.iso2768 import (
    StandardsError,
    angular_pm_arcmin,
    circular_runout,
    linear_pm,
    parse_general_class,
    perpendicularity,
    radius_chamfer_pm,
    straightness_flatness,
    symmetry,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "standards"
SKIP_REASON = f"shared reference tables not found at {SHARED}"
TINY = D("0.001")
INF = None  # open upper end


def read_csv(name: str) -> list[list[str]] | None:
    path = SHARED / name
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if row]


def header_range(label: str) -> tuple[D, D | None, bool]:
    """(over, up_to or None, lower bound included)."""
    label = label.replace("≤", "<=").replace("–", "-").strip()
    if label.startswith("<="):
        return D(0), D(label[2:]), False
    if label.startswith(">") and "-" not in label:
        return D(label[1:]), INF, False
    low, high = label.lstrip(">").split("-")
    return D(low), D(high), D(low) == D("0.5")  # ISO 2768-1 starts *at* 0.5 mm


def sample_sizes(low: D, high: D | None, closed: bool) -> list[D]:
    sizes = [low] if closed else [low + TINY]
    if high is None:
        sizes += [low * 2 + 1, D(10000)]
    else:
        sizes += [(low + high) / 2, high]
    return sizes


def table_cases(name: str):
    rows = read_csv(name)
    if rows is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON))]
    header = rows[0]
    cases = []
    for row in rows[1:]:
        for label, cell in zip(header[1:], row[1:] + [""] * (len(header) - len(row))):
            value = D(cell) if cell else None
            cases.append(pytest.param((row[0], header_range(label), value), id=f"{row[0]}-{label}"))
    return cases


# ---------------------------------------------------------------- ISO 2768-1
@pytest.mark.parametrize("case", table_cases("iso2768-1_linear_pm_mm.csv"))
def test_linear_every_cell(case):
    cls, (low, high, closed), expected = case
    for size in sample_sizes(low, high, closed):
        assert linear_pm(cls, size) == expected, (cls, size)


@pytest.mark.parametrize("case", table_cases("iso2768-1_radius_chamfer_pm_mm.csv"))
def test_radius_chamfer_every_cell(case):
    cls, (low, high, closed), expected = case
    assert expected is not None
    for size in sample_sizes(low, high, closed):
        assert radius_chamfer_pm(cls, size) == expected, (cls, size)


@pytest.mark.parametrize("case", table_cases("iso2768-1_angular_by_shorter_leg_arcmin.csv"))
def test_angular_every_cell(case):
    cls, (low, high, closed), expected = case
    for size in sample_sizes(low, high, closed):
        assert angular_pm_arcmin(cls, size) == expected, (cls, size)


@pytest.mark.parametrize("cls", ["f", "m", "c", "v"])
def test_linear_below_half_a_millimetre_is_not_defined(cls):
    assert linear_pm(cls, D("0.4999")) is None
    assert radius_chamfer_pm(cls, D("0.4999")) is None
    assert (linear_pm(cls, D("4000")) is None) == (cls == "f")
    with pytest.raises(StandardsError):
        linear_pm(cls, D("4000.001"))


def test_linear_known_values():
    assert linear_pm("m", D("0.5")) == D("0.1")
    assert linear_pm("m", D(3)) == D("0.1")
    assert linear_pm("m", D("3.01")) == D("0.1")
    assert linear_pm("m", D(6)) == D("0.1")
    assert linear_pm("m", D("6.01")) == D("0.2")
    assert linear_pm("m", D(100)) == D("0.3")
    assert linear_pm("c", D(2)) == D("0.2")  # not the DIN 7168 value 0.15
    assert linear_pm("c", D(5)) == D("0.3")  # not the DIN 7168 value 0.2
    assert linear_pm("v", D(2)) is None
    assert linear_pm("v", D("3.001")) == D("0.5")
    assert linear_pm("f", D(2000)) == D("0.5")
    assert linear_pm("f", D("2000.1")) is None
    assert angular_pm_arcmin("m", D(10)) == D(60)
    assert angular_pm_arcmin("m", D("10.01")) == D(30)
    assert angular_pm_arcmin("v", D(1000)) == D(20)
    assert radius_chamfer_pm("c", D(6)) == D(1)
    assert radius_chamfer_pm("c", D("6.5")) == D(2)


@pytest.mark.parametrize("cls", ["M", "H", "K", "x", "", "mK"])
def test_linear_rejects_unknown_classes(cls):
    for func in (linear_pm, radius_chamfer_pm, angular_pm_arcmin):
        with pytest.raises(StandardsError):
            func(cls, D(10))


@pytest.mark.parametrize("size", [D(0), D(-5)])
def test_non_positive_sizes_raise(size):
    for func in (linear_pm, radius_chamfer_pm, angular_pm_arcmin):
        with pytest.raises(StandardsError):
            func("m", size)
    for func in (straightness_flatness, perpendicularity, symmetry):
        with pytest.raises(StandardsError):
            func("K", size)


def test_results_are_decimals():
    assert isinstance(linear_pm("m", D(10)), D)
    assert isinstance(straightness_flatness("K", D(10)), D)
    assert isinstance(circular_runout("K"), D)


# ---------------------------------------------------------------- ISO 2768-2 (markdown)
def read_geometric_md():
    path = SHARED / "iso2768-2_geometric_mm.md"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    tables: dict[str, dict[str, list[tuple[tuple, D]]]] = {}
    header: list[str] = []
    current = ""
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set("".join(cells)) <= set("-"):
            continue
        if cells[0].startswith("Table"):
            header = cells[2:]
            continue
        current = cells[0] or current
        name = {
            "Straightness and flatness": "straightness_flatness",
            "Perpendicularity (shorter side)": "perpendicularity",
            "Symmetry": "symmetry",
        }[current]
        tables.setdefault(name, {})[cells[1]] = [
            (header_range(label), D(value)) for label, value in zip(header, cells[2:])
        ]
    runout = re.search(r"\*\*H ([\d.]+), K ([\d.]+), L ([\d.]+)\*\*", text)
    tables["circular_runout"] = dict(zip("HKL", (D(v) for v in runout.groups())))
    return tables


GEOMETRIC = read_geometric_md()
FUNCS = {"straightness_flatness": straightness_flatness, "perpendicularity": perpendicularity, "symmetry": symmetry}


def geometric_cases():
    if GEOMETRIC is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON))]
    cases = []
    for name in FUNCS:
        for cls, cells in GEOMETRIC[name].items():
            for rng, value in cells:
                cases.append(pytest.param((name, cls, rng, value), id=f"{name}-{cls}-{rng[0]}-{rng[1]}"))
    return cases


@pytest.mark.parametrize("case", geometric_cases())
def test_geometric_every_cell(case):
    name, cls, (low, high, closed), expected = case
    for size in sample_sizes(low, high, closed):
        assert FUNCS[name](cls, size) == expected, (name, cls, size)


def test_geometric_md_shape():
    if GEOMETRIC is None:
        pytest.skip(SKIP_REASON)
    assert len(GEOMETRIC["straightness_flatness"]["K"]) == 6
    assert len(GEOMETRIC["perpendicularity"]["L"]) == 4
    assert set(GEOMETRIC["symmetry"]) == {"H", "K", "L"}


@pytest.mark.parametrize("cls", ["H", "K", "L"])
def test_circular_runout_every_class(cls):
    if GEOMETRIC is None:
        pytest.skip(SKIP_REASON)
    assert circular_runout(cls) == GEOMETRIC["circular_runout"][cls]


def test_geometric_known_values_and_traps():
    assert circular_runout("K") == D("0.2")  # not 0.1
    # perpendicularity does not use the straightness table
    assert perpendicularity("K", D(50)) == D("0.4") != straightness_flatness("K", D(50))
    assert straightness_flatness("H", D(10)) == D("0.02")
    assert straightness_flatness("H", D("10.001")) == D("0.05")
    assert symmetry("H", D(3000)) == D("0.5")


@pytest.mark.parametrize("func", [straightness_flatness, perpendicularity, symmetry])
def test_geometric_above_3000_raises(func):
    assert func("L", D(3000)) is not None
    with pytest.raises(StandardsError):
        func("L", D("3000.1"))


@pytest.mark.parametrize("cls", ["h", "k", "m", "M", "", "KL"])
def test_geometric_rejects_unknown_classes(cls):
    with pytest.raises(StandardsError):
        straightness_flatness(cls, D(10))
    with pytest.raises(StandardsError):
        circular_runout(cls)


# ---------------------------------------------------------------- callouts
@pytest.mark.parametrize(
    "text,expected",
    [
        ("ISO 2768-mK", ("m", "K")),
        ("ISO 2768-m", ("m", None)),
        ("2768-fH", ("f", "H")),
        ("ISO 2768-cL", ("c", "L")),
        ("ISO 2768-vL", ("v", "L")),
        ("ISO2768-mK", ("m", "K")),
        ("  ISO 2768 - mK ", ("m", "K")),
        ("DIN ISO 2768-mK", ("m", "K")),
        ("ISO 2768-K", (None, "K")),
    ],
)
def test_parse_general_class(text, expected):
    assert parse_general_class(text) == expected


@pytest.mark.parametrize(
    "text", ["ISO 2768-MK", "ISO 2768-mk", "ISO 2768-", "ISO 2768", "ISO 2768-xK", "ISO 2768-mZ", "ISO 286-mK", "mK", "", "ISO 2768-1", "ISO 2768-mKK"]
)
def test_parse_general_class_rejects(text):
    with pytest.raises(StandardsError):
        parse_general_class(text)

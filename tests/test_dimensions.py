"""The dimension grammar: every written form, its limits, and its refusals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from techpack.schema.quantities import DimensionError, UnitError, parse_dimension


@pytest.mark.parametrize("text, kind, nominal, unit, upper, lower", [
    ("12", "general", "12", "mm", None, None),
    ("12 ±0.05", "symmetric", "12", "mm", "12.05", "11.95"),
    ("12 +-0.05", "symmetric", "12", "mm", "12.05", "11.95"),
    ("12 +/-0.05 mm", "symmetric", "12", "mm", "12.05", "11.95"),
    ("12 +0.1/-0.05", "deviation", "12", "mm", "12.1", "11.95"),
    ("20 -0.007/-0.020", "deviation", "20", "mm", "19.993", "19.980"),
    ("12 +0.018/0", "deviation", "12", "mm", "12.018", "12"),
    ("11.95..12.05", "limits", "12", "mm", "12.05", "11.95"),
    ("Ø12 H7", "fit", "12", "mm", "12.018", "12"),
    ("12 H7 (+0.018/0)", "fit", "12", "mm", "12.018", "12"),
    ("45 k8", "fit", "45", "mm", "45.039", "45"),
    ("25 K8", "fit", "25", "mm", "25.010", "24.977"),
    ("20 P7", "fit", "20", "mm", "19.986", "19.965"),
    ("40 basic", "basic", "40", "mm", None, None),
    ("0.5 max", "max", "0.5", "mm", "0.5", None),
    ("8 min", "min", "8", "mm", None, "8"),
    ("0.472 ±0.002 in", "symmetric", "0.472", "in", "0.474", "0.470"),
    ("90° ±0.5°", "symmetric", "90", "deg", "90.5", "89.5"),
    ("90 deg ±30'", "symmetric", "90", "deg", "90.5", "89.5"),
])
def test_forms(text, kind, nominal, unit, upper, lower):
    d = parse_dimension(text)
    assert (d.kind, d.nominal, d.unit) == (kind, D(nominal), unit)
    assert d.upper == (None if upper is None else D(upper))
    assert d.lower == (None if lower is None else D(lower))


def test_exact_decimals_and_default_unit():
    d = parse_dimension("1.10 ±0.01", "in")
    assert d.nominal == D("1.10") and str(d.nominal) == "1.10" and d.unit == "in"
    assert d.nominal_mm == D("27.9400")


@pytest.mark.parametrize("text, error, fragment", [
    ("12 ±", DimensionError, "cannot read tolerance"),
    ("12 +0.1/+0.2", DimensionError, "must be above"),
    ("12.05..11.95", DimensionError, "not below"),
    ("12 H7 (+0.021/0)", DimensionError, "+0.018/0 by ISO 286"),
    ("12 Q7", DimensionError, "not a fundamental deviation letter"),
    ("30 K9", DimensionError, "not defined above 3 mm"),
    ("0 ±0.1", DimensionError, "greater than zero"),
    ("012 ±0.1", DimensionError, "leading zero"),
    (".nan", DimensionError, "cannot read"),
    ("0.5 H7 in", UnitError, "metric"),
    ("12 mm ±0.1 in", UnitError, "mixed units"),
    ("12 ±30'", UnitError, "arc-minutes"),
    ("R0.5", DimensionError, "write the radius without its 'R' ('0.5')"),
    ("C1 ±0.1", DimensionError, "as a dimension write the leg alone ('1 ±0.1')"),
])
def test_refusals(text, error, fragment):
    with pytest.raises(error) as exc:
        parse_dimension(text)
    assert fragment in str(exc.value)


def test_coordinates_may_be_zero_or_negative():
    assert parse_dimension("-12.5 ±0.1", signed=True).lower == D("-12.6")
    assert parse_dimension("0 basic", signed=True).kind == "basic"


def test_tolerance_text():
    assert parse_dimension("12 ±0.05").tolerance_text() == "±0.05"
    assert parse_dimension("Ø12 H7").tolerance_text() == "+0.018/0"
    assert parse_dimension("20 g6").tolerance_text() == "-0.007/-0.02"

"""Cp / Cpk tests against the oracles of the shared process_capability.md."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from techpack.standards.capability import CPK_EPSILON, cp, cpk, meets, ppm_one_side
from techpack.standards.tables import StandardsError


def test_oracle_cp_cpk():
    assert cp(10.05, 9.95, 0.01) == pytest.approx(5 / 3, rel=1e-9)
    assert round(cp(10.05, 9.95, 0.01), 3) == 1.667
    value = cpk(10.05, 9.95, 10.01, 0.01)
    assert value == pytest.approx(0.04 / 0.03, rel=1e-9)
    assert round(value, 3) == 1.333
    assert meets(value, 1.33)
    assert meets(value, 4 / 3)
    assert not meets(value, 1.67)


def test_oracle_accepts_decimals():
    assert cpk(D("10.05"), D("9.95"), D("10.01"), D("0.01")) == pytest.approx(4 / 3)
    assert cp(D("10.05"), D("9.95"), D("0.01")) == pytest.approx(5 / 3)


def test_meets_absorbs_float_rounding_only():
    just_below = 4 / 3 - 1e-12
    assert just_below < 4 / 3
    assert meets(just_below, 4 / 3)
    assert not meets(4 / 3 - 10 * CPK_EPSILON, 4 / 3)
    assert not meets(1.32, 1.33)
    assert meets(1.33, 1.33)
    # floating point genuinely lands below here: (10.04 - 10.0) / 0.03
    computed = cpk(10.04, 9.0, 10.0, 0.01)
    assert abs(computed - 4 / 3) < 1e-9
    assert meets(computed, 4 / 3)


def test_cpk_is_negative_when_mean_outside_limits():
    assert cpk(10.05, 9.95, 10.08, 0.01) == pytest.approx(-1.0)
    assert cpk(10.05, 9.95, 9.92, 0.01) == pytest.approx(-1.0)


def test_cpk_one_sided():
    assert cpk(10.05, None, 10.02, 0.01) == pytest.approx(1.0)  # CPU
    assert cpk(None, 9.95, 10.02, 0.01) == pytest.approx(70 / 30)  # CPL
    with pytest.raises(StandardsError):
        cpk(None, None, 10.0, 0.01)


def test_cpk_takes_the_nearer_limit():
    assert cpk(10.05, 9.95, 9.97, 0.01) == pytest.approx(2 / 3)
    assert cpk(10.05, 9.95, 10.0, 0.01) == pytest.approx(cp(10.05, 9.95, 0.01))


@pytest.mark.parametrize("sigma", [0, -0.01, float("nan"), float("inf")])
def test_sigma_must_be_positive(sigma):
    with pytest.raises(StandardsError):
        cp(10.05, 9.95, sigma)
    with pytest.raises(StandardsError):
        cpk(10.05, 9.95, 10.0, sigma)


def test_limits_must_be_ordered():
    with pytest.raises(StandardsError):
        cp(9.95, 10.05, 0.01)
    with pytest.raises(StandardsError):
        cp(None, 10.05, 0.01)


@pytest.mark.parametrize(
    "index,ppm,rel",
    [(1.0, 1350, 1e-3), (4 / 3, 31.7, 2e-3), (1.33, 33.0, 2e-3), (5 / 3, 0.287, 2e-3), (1.67, 0.272, 5e-3)],
)
def test_ppm_oracles(index, ppm, rel):
    assert ppm_one_side(index) == pytest.approx(ppm, rel=rel)


def test_ppm_shape():
    assert ppm_one_side(0) == pytest.approx(500_000)
    assert ppm_one_side(-1) == pytest.approx(1e6 - 1349.898, rel=1e-6)
    assert ppm_one_side(1.0) == pytest.approx(1349.898, rel=1e-6)  # Phi(-3) = 0.001349898
    assert ppm_one_side(2.0) < ppm_one_side(1.5) < ppm_one_side(1.0)


def test_epsilon_value():
    assert CPK_EPSILON == 1e-9


# ---------------------------------------------------------------- exact indices (the capability check's arithmetic)

from decimal import Decimal as _D  # noqa: E402
from fractions import Fraction as _F  # noqa: E402

from techpack.standards.capability import Index, shown  # noqa: E402


def test_index_compares_exactly_at_the_threshold():
    exact = Index(_F("0.00399"), _F("0.003") ** 2)  # 0.00399 / 0.003 = 1.33 exactly
    assert exact.ge(_D("1.33")) and not exact.lt(_D("1.33"))
    below = Index(_F("0.00398"), _F("0.003") ** 2)  # 1.32666…
    assert below.lt(_D("1.33"))
    # a stack: 4 / sqrt(9) = 1.3333…; compared by squares, no rounding
    assert Index(_F(4), _F(9)).ge(_F(4, 3)) and Index(_F(4), _F(9)).lt(_D("1.3334"))
    assert Index(_F(-1), _F(1)).lt(0) and Index(_F(-1), _F(1)).ge(-1)


def test_printed_digits_agree_with_the_verdict():
    assert shown(Index(_F("1.3267"), _F(1)), _D("1.33")) == "1.327"
    assert shown(Index(_F("1.33"), _F(1)), _D("1.33")) == "1.33"
    assert shown(Index(_F("1.3299999"), _F(1)), _D("1.33")) == "1.329999"
    assert shown(Index(_F("1.335"), _F(1)), _D("1.33")) == "1.34"  # half-even, passing either way
    assert shown(Index(_F(5), _F(9)), _D("1.67")) == "1.667"  # 5/3 < 1.67
    assert shown(Index(_F(10) ** 30, _F(1)), _D("1.33")) == "1E+30"

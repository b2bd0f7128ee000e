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

"""ISO 965 thread limits: the worked check of the shared standards README (M6x1-6g, M6x1-6H)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from techpack.standards import iso965
from techpack.standards.tables import StandardsError


def test_m6_6g_major_diameter():
    lim = iso965.limits("M6x1-6g")
    assert (lim.external, lim.diameter, lim.low, lim.high) == (True, "major diameter d", D("5.794"), D("5.974"))


def test_m6_6h_minor_diameter_and_coarse_pitch_by_default():
    lim = iso965.limits("M6-6H")
    assert (lim.external, lim.diameter, lim.low, lim.high) == (False, "minor diameter D1", D("4.917"), D("5.153"))


def test_4h6h_takes_the_6h_major_diameter():
    assert (iso965.limits("M8x1.25-4h6h").low, iso965.limits("M8x1.25-4h6h").high) == (D("7.788"), D("8.000"))


def test_no_class_no_limits_and_unknown_threads_are_named():
    assert iso965.limits("M6x1") is None and iso965.is_external("M6x1") is None
    assert iso965.is_external("M5x0.8-6g") is True and iso965.is_external("M5x0.8-6H") is False
    with pytest.raises(StandardsError, match="M7x1-6g"):
        iso965.limits("M7x1-6g")
    with pytest.raises(StandardsError, match="7H"):
        iso965.limits("M6x1-7H")

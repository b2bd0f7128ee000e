"""Limits read from requirements in words: exact decimals, units, and nothing read from part numbers."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from techpack.quality.values import ValueLimits, read_limits


@pytest.mark.parametrize(("text", "kwargs", "expected"), [
    ("10-15 µm", {"default_unit": "µm"}, ValueLimits(None, D("10"), D("15"), "µm")),
    ("10–15 um", {}, ValueLimits(None, D("10"), D("15"), "µm")),
    ("1.2 N·m ±10 %", {}, ValueLimits(D("1.2"), D("1.08"), D("1.32"), "N·m")),
    ("2.5 Nm +-0.2", {}, ValueLimits(D("2.5"), D("2.3"), D("2.7"), "N·m")),
    ("Standoff top faces 21.5 ±0.15 above the base", {"default_unit": "mm", "tolerance_only": True},
     ValueLimits(D("21.5"), D("21.35"), D("21.65"), "mm")),
    ("Break all sharp edges 0.2-0.5 mm.", {"default_unit": "mm"}, ValueLimits(None, D("0.2"), D("0.5"), "mm")),
    ("Keyway depth t1 = 3.0 +0.1/0 from the top", {"default_unit": "mm"},
     ValueLimits(D("3.0"), D("3.0"), D("3.1"), "mm")),
    ("Fillet radius R0.4 max", {"default_unit": "mm"}, ValueLimits(None, None, D("0.4"), "mm")),
    ("min 60 µm", {}, ValueLimits(None, D("60"), None, "µm")),
])
def test_read(text, kwargs, expected):
    assert read_limits(text, **kwargs) == expected


@pytest.mark.parametrize("text", ["bag of M3-10 screws", "Chamfer outer edges 0.3 x 45°.", "RoHS compliant",
                                  "all four within 0.1 of each other"])
def test_nothing_to_read(text):
    assert read_limits(text, "mm", tolerance_only="within" in text) is None


def test_a_check_reads_only_a_plus_minus_not_a_range():
    assert read_limits("use screws M3-10, torque marks 1-2", "mm", tolerance_only=True) is None

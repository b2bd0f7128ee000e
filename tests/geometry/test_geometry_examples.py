"""The example parts measure to the dimensions their specs are written against."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from techpack.geometry import Cylinder, load_facts

REPO = Path(__file__).resolve().parents[2]
EX = REPO / "examples"
Z = (0.0, 0.0, 1.0)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("examples-cache")


def holes(facts, radius):
    return sorted(
        (c for c in facts.cylinders if c.internal and c.radius == radius),
        key=lambda c: c.axis_origin,
    )


def test_bracket(cache):
    f = load_facts(EX / "bracket/geometry/bracket.py", "cadquery", cache_dir=cache)
    assert (f.bbox_min, f.bbox_max, f.solids) == ((0.0, 0.0, 0.0), (80.0, 50.0, 40.0), 1)
    removed = math.pi * (6**2 * 8 + 4 * 3.3**2 * 8 + 2 * 2.1**2 * 8)
    assert f.volume_mm3 == pytest.approx(80 * 50 * 8 + 80 * 8 * 32 - removed, abs=1e-3)
    assert len(f.cylinders) == 7 and all(c.internal for c in f.cylinders)
    assert holes(f, 6.0) == [Cylinder(6.0, (40.0, 21.0, 0.0), Z, 8.0, True)]
    assert [c.axis_origin[:2] for c in holes(f, 3.3)] == [(10, 10), (10, 32), (70, 10), (70, 32)]
    assert holes(f, 2.1) == [
        Cylinder(2.1, (25.0, 42.0, 28.0), (0.0, 1.0, 0.0), 8.0, True),
        Cylinder(2.1, (55.0, 42.0, 28.0), (0.0, 1.0, 0.0), 8.0, True),
    ]


def test_shaft_step_matches_its_generator(cache):
    step = load_facts(EX / "shaft/geometry/shaft.step", "step", cache_dir=cache)
    gen = load_facts(EX / "shaft/geometry/make_shaft_step.py", "cadquery", cache_dir=cache)
    assert step.bbox_min == (-12.5, -12.5, 0.0) and step.bbox_max == (12.5, 12.5, 150.0)
    assert step.solids == 1
    assert step.cylinders == (
        Cylinder(8.0, (0.0, 0.0, 120.0), Z, 30.0, False),
        Cylinder(10.0, (0.0, 0.0, 0.0), Z, 18.0, False),
        Cylinder(10.0, (0.0, 0.0, 102.0), Z, 18.0, False),
        Cylinder(12.5, (0.0, 0.0, 18.0), Z, 84.0, False),
    )
    # keyway floor: flat, facing +Y, at Y = 5, 5 wide x 20 long
    floor = [p for p in step.planes if p.normal == (0.0, 1.0, 0.0)]
    assert [(p.origin, p.area) for p in floor] == [((0.0, 5.0, 135.0), 100.0)]
    for a, b in ((step.volume_mm3, gen.volume_mm3), (step.area_mm2, gen.area_mm2)):
        assert a == pytest.approx(b, abs=1e-4)
    assert step.cylinders == gen.cylinders and step.bbox_max == gen.bbox_max


def test_enclosure_body(cache):
    f = load_facts(EX / "enclosure/geometry/body.py", "cadquery", cache_dir=cache)
    assert (f.bbox_min, f.bbox_max, f.solids) == ((0.0, 0.0, 0.0), (120.0, 80.0, 20.0), 1)
    assert [c.axis_origin for c in holes(f, 2.25)] == [
        (15.0, 15.0, 0.0), (15.0, 65.0, 0.0), (105.0, 15.0, 0.0), (105.0, 65.0, 0.0)]
    assert {c.length for c in holes(f, 2.25)} == {1.5}
    # two 90° bends along X, inside radius 1.5 and outside 3 (1.5 mm sheet)
    bends = sorted((c.radius, c.internal) for c in f.cylinders if c.length == 120.0)
    assert bends == [(1.5, True), (1.5, True), (3.0, False), (3.0, False)]


def test_enclosure_lid(cache):
    f = load_facts(EX / "enclosure/geometry/lid.py", "cadquery", cache_dir=cache)
    assert (f.bbox_min, f.bbox_max, f.solids) == ((0.0, 0.0, 0.0), (120.0, 80.0, 4.0), 1)
    assert len(holes(f, 2.25)) == 4 and len(f.cylinders) == 4
    assert f.volume_mm3 == pytest.approx((120 * 80 - 30 * 15 - 4 * math.pi * 2.25**2) * 4,
                                         abs=1e-3)


def test_enclosure_standoff(cache):
    f = load_facts(EX / "enclosure/geometry/standoff.py", "cadquery", cache_dir=cache)
    assert (f.bbox_min, f.bbox_max) == ((-4.0, -4.0, 0.0), (4.0, 4.0, 20.0))
    assert f.cylinders == (
        Cylinder(1.65, (0.0, 0.0, 0.0), Z, 20.0, True),
        Cylinder(4.0, (0.0, 0.0, 0.0), Z, 20.0, False),
    )

"""Facts measured by the worker from cadquery scripts and STEP files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from techpack.geometry import Cylinder, GeometryFacts, Plane, load_facts

BOX_WITH_HOLE = """
    import cadquery as cq
    print("models may print: this must not spoil the worker's JSON")
    result = (
        cq.Workplane("XY")
        .box(80, 50, 8, centered=False)
        .faces(">Z").workplane(centerOption="CenterOfBoundBox")
        .hole(12)
    )
"""

SHAFT = """
    import cadquery as cq
    result = cq.Workplane("XY").circle(10).extrude(50)
"""


def approx3(v, expected, tol=1e-6):
    return all(abs(a - b) <= tol for a, b in zip(v, expected))


@pytest.fixture(scope="module")
def box_facts(tmp_path_factory) -> GeometryFacts:
    d = tmp_path_factory.mktemp("box")
    p = d / "box.py"
    import textwrap

    p.write_text(textwrap.dedent(BOX_WITH_HOLE), encoding="utf-8")
    return load_facts(p, "cadquery", cache_dir=d / "cache")


def test_box_with_hole_bbox_volume_area(box_facts):
    f = box_facts
    assert f.kind == "cadquery"
    assert f.bbox_min == (0.0, 0.0, 0.0)
    assert f.bbox_max == (80.0, 50.0, 8.0)
    assert f.size == (80.0, 50.0, 8.0)
    assert f.solids == 1
    assert f.volume_mm3 == pytest.approx(80 * 50 * 8 - math.pi * 6**2 * 8, abs=1e-4)
    area = 2 * (80 * 50 + 80 * 8 + 50 * 8) - 2 * math.pi * 36 + 2 * math.pi * 6 * 8
    assert f.area_mm2 == pytest.approx(area, abs=1e-4)


def test_box_with_hole_has_one_internal_cylinder(box_facts):
    assert box_facts.cylinders == (
        Cylinder(radius=6.0, axis_origin=(40.0, 25.0, 0.0), axis_dir=(0.0, 0.0, 1.0),
                 length=8.0, internal=True),
    )
    assert box_facts.cylinders[0].diameter == 12.0


def test_box_with_hole_planes_have_outward_normals(box_facts):
    planes = box_facts.planes
    assert len(planes) == 6
    by_normal = {p.normal: p for p in planes}
    assert set(by_normal) == {
        (1.0, 0.0, 0.0), (-1.0, 0.0, 0.0), (0.0, 1.0, 0.0),
        (0.0, -1.0, 0.0), (0.0, 0.0, 1.0), (0.0, 0.0, -1.0),
    }
    top = by_normal[(0.0, 0.0, 1.0)]
    assert top.origin[2] == 8.0
    assert top.area == pytest.approx(80 * 50 - math.pi * 36, abs=1e-4)
    assert by_normal[(0.0, 0.0, -1.0)].origin[2] == 0.0
    assert by_normal[(-1.0, 0.0, 0.0)].origin == (0.0, 25.0, 4.0)
    assert by_normal[(-1.0, 0.0, 0.0)].area == pytest.approx(400.0)


def test_shaft_is_an_external_cylinder(write_model, cache_dir):
    f = load_facts(write_model("shaft.py", SHAFT), "cadquery", cache_dir=cache_dir)
    assert f.bbox_min == (-10.0, -10.0, 0.0)
    assert f.bbox_max == (10.0, 10.0, 50.0)
    assert f.volume_mm3 == pytest.approx(math.pi * 100 * 50, abs=1e-4)
    assert f.cylinders == (
        Cylinder(radius=10.0, axis_origin=(0.0, 0.0, 0.0), axis_dir=(0.0, 0.0, 1.0),
                 length=50.0, internal=False),
    )


def test_axis_direction_is_canonical_and_tilted_axes_work(write_model, cache_dir):
    # A shaft extruded along -X (its face's own axis points -X) and one along (1,1,0).
    p = write_model("axes.py", """
        import cadquery as cq
        a = cq.Solid.makeCylinder(2, 10, cq.Vector(0, 0, 0), cq.Vector(-1, 0, 0))
        b = cq.Solid.makeCylinder(1, 5, cq.Vector(0, 20, 0), cq.Vector(1, 1, 0))
        result = cq.Compound.makeCompound([a, b])
    """)
    f = load_facts(p, "cadquery", cache_dir=cache_dir)
    assert f.solids == 2
    by_r = {c.radius: c for c in f.cylinders}
    assert by_r[2.0].axis_dir == (1.0, 0.0, 0.0)
    assert by_r[2.0].axis_origin == (-10.0, 0.0, 0.0)
    assert by_r[2.0].length == 10.0
    s = round(math.sqrt(0.5), 6)
    assert by_r[1.0].axis_dir == (s, s, 0.0)
    assert approx3(by_r[1.0].axis_origin, (0.0, 20.0, 0.0))
    assert by_r[1.0].length == 5.0
    assert not by_r[1.0].internal and not by_r[2.0].internal


def test_cylinder_split_in_halves_is_merged(write_model, cache_dir):
    # Two half-shafts fused without clean(): OCC keeps two half-cylinder faces.
    p = write_model("halves.py", """
        import cadquery as cq
        shaft = cq.Workplane("XY").circle(5).extrude(30)
        left = shaft.intersect(cq.Workplane("XY").box(10, 20, 40, centered=(False, True, False))
                               .translate((-10, 0, -5)))
        right = shaft.intersect(cq.Workplane("XY").box(10, 20, 40, centered=(False, True, False))
                                .translate((0, 0, -5)))
        result = left.union(right, clean=False)
    """)
    f = load_facts(p, "cadquery", cache_dir=cache_dir)
    assert f.cylinders == (
        Cylinder(radius=5.0, axis_origin=(0.0, 0.0, 0.0), axis_dir=(0.0, 0.0, 1.0),
                 length=30.0, internal=False),
    )
    assert f.volume_mm3 == pytest.approx(math.pi * 25 * 30, abs=1e-4)


def test_step_round_trip(tmp_path, cache_dir, box_facts):
    import cadquery as cq  # allowed in tests; never in techpack check

    shape = (
        cq.Workplane("XY").box(80, 50, 8, centered=False)
        .faces(">Z").workplane(centerOption="CenterOfBoundBox").hole(12)
    )
    step = tmp_path / "box.step"
    cq.exporters.export(shape, str(step))
    f = load_facts(step, "step", cache_dir=cache_dir)
    assert f.kind == "step"
    assert f.bbox_min == (0.0, 0.0, 0.0)
    assert f.bbox_max == (80.0, 50.0, 8.0)
    assert f.volume_mm3 == pytest.approx(box_facts.volume_mm3, abs=1e-6)
    assert f.area_mm2 == pytest.approx(box_facts.area_mm2, abs=1e-6)
    assert f.solids == 1
    assert f.cylinders == box_facts.cylinders
    assert f.planes == box_facts.planes


def test_facts_are_byte_stable_across_runs(write_model, tmp_path):
    p = write_model("box.py", BOX_WITH_HOLE)
    a = load_facts(p, "cadquery", cache_dir=tmp_path / "c1")
    b = load_facts(p, "cadquery", cache_dir=tmp_path / "c2")
    assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
    files1 = list((tmp_path / "c1" / "geometry").glob("*.json"))
    files2 = list((tmp_path / "c2" / "geometry").glob("*.json"))
    assert len(files1) == len(files2) == 1
    assert files1[0].name == files2[0].name
    assert files1[0].read_bytes() == files2[0].read_bytes()


def test_json_round_trip():
    f = GeometryFacts(
        sha256="ab" * 32, kind="step", bbox_min=(0.0, -1.5, 0.0), bbox_max=(1.0, 2.0, 3.0),
        volume_mm3=6.0, area_mm2=22.0, solids=1,
        cylinders=(Cylinder(1.0, (0.0, 0.0, 0.0), (0.0, 0.0, 1.0), 3.0, True),),
        planes=(Plane((0.5, 0.25, 3.0), (0.0, 0.0, 1.0), 3.5),),
    )
    d = json.loads(json.dumps(f.to_json()))
    assert GeometryFacts.from_json(d) == f
    assert f.size == (1.0, 3.5, 3.0)
    assert f.cylinders[0].axis_end == (0.0, 0.0, 3.0)

"""The worker's answer is untrusted data: only the parent writes the cache, after range-checking it;
a poisoned cache entry is recomputed; the bytes that were checked are the bytes run and attached."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from techpack.geometry import GeometryError, load_facts
from techpack.geometry import facts as facts_mod
from techpack.geometry import launch, views
from techpack.geometry.facts import GeometryFacts, check_ranges

GOOD = {"sha256": "x", "kind": "cadquery", "bbox_min": [0, 0, 0], "bbox_max": [10, 20, 30], "volume_mm3": 6000.0,
        "area_mm2": 2200.0, "solids": 1, "cylinders": [], "planes": [
            {"origin": [5, 10, 0], "normal": [0, 0, -1], "area": 200.0}]}


def facts(**change) -> GeometryFacts:
    return GeometryFacts.from_json({**GOOD, **change})


def test_good_facts_pass():
    check_ranges(facts())
    extent = {"origin": [1, 0.5, 0], "normal": [0, 0, 1], "area": 2.0, "lo": [0, 0, 0], "hi": [2, 1, 0]}
    f = facts(planes=[extent])
    check_ranges(f)
    assert f.planes[0].hi == (2.0, 1.0, 0.0) and GeometryFacts.from_json(f.to_json()) == f


@pytest.mark.parametrize("change", [
    {"volume_mm3": math.nan}, {"volume_mm3": -1.0}, {"volume_mm3": 1e20}, {"volume_mm3": 6001.0},
    {"bbox_max": [1e9, 20, 30]}, {"bbox_min": [11, 0, 0]}, {"area_mm2": math.inf},
    {"solids": -1}, {"cylinders": [{"radius": 0.0, "axis_origin": [0, 0, 0], "axis_dir": [0, 0, 1],
                                    "length": 5, "internal": True}]},
    {"cylinders": [{"radius": 2.0, "axis_origin": [0, 0, 0], "axis_dir": [0, 3, 1], "length": 5,
                    "internal": True}]},
    {"planes": [{"origin": [0, 0, 0], "normal": [0, 0, 0], "area": 1.0}]},
    # a plane's extent (a chamfer's legs): finite, its low end below its high end
    {"planes": [{"origin": [0, 0, 0], "normal": [0, 0, 1], "area": 1.0, "lo": [0, 2, 0], "hi": [2, 1, 0]}]},
    {"planes": [{"origin": [0, 0, 0], "normal": [0, 0, 1], "area": 1.0, "lo": [0, 0, 0]}]},
    {"planes": [{"origin": [0, 0, 0], "normal": [0, 0, 1], "area": 1.0, "lo": [0, 0, 0], "hi": [math.inf, 1, 0]}]},
])
def test_out_of_range_facts_are_refused(change):
    with pytest.raises(ValueError):
        check_ranges(facts(**change))


def _fake_worker(answer: dict):
    def run(cmd, **kw):
        return launch.Finished(0, (json.dumps({"ok": True, "facts": answer}) + "\n").encode(), "")
    return run


def test_a_hostile_answer_is_an_error_and_never_cached(tmp_path, monkeypatch):
    model = tmp_path / "m.py"
    model.write_text("result = None\n")
    monkeypatch.setattr(launch, "run", _fake_worker({**GOOD, "volume_mm3": -5.0}))
    with pytest.raises(GeometryError, match="malformed facts"):
        load_facts(model, "cadquery", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").rglob("*.json"))


def test_a_sketch_is_not_a_solid(tmp_path, monkeypatch):
    """rect(60, 40): no solid; its 'volume' must never become a mass."""
    model = tmp_path / "m.py"
    model.write_text("result = None\n")
    monkeypatch.setattr(launch, "run", _fake_worker({**GOOD, "solids": 0, "volume_mm3": 200.0}))
    with pytest.raises(GeometryError, match="holds no solid"):
        load_facts(model, "cadquery", cache_dir=tmp_path / "cache")


def test_a_poisoned_cache_entry_is_recomputed(tmp_path, monkeypatch):
    model = tmp_path / "m.py"
    model.write_text("result = None\n")
    data = model.read_bytes()
    key = facts_mod._cache_key(facts_mod.cache_basis(model, "cadquery", data), "cadquery")
    entry = facts_mod._cache_path(tmp_path / "cache", key)
    entry.parent.mkdir(parents=True)
    import hashlib
    poisoned = {**GOOD, "sha256": hashlib.sha256(data).hexdigest(), "volume_mm3": 1e30}
    entry.write_text(json.dumps({"facts_version": facts_mod.FACTS_VERSION, "facts": poisoned}))
    monkeypatch.setattr(launch, "run", _fake_worker(GOOD))
    got = load_facts(model, "cadquery", cache_dir=tmp_path / "cache")
    assert got.volume_mm3 == 6000.0  # the worker's (range-checked) answer, not the poisoned entry


@pytest.mark.parametrize("edge", [{"t": "l", "v": 1, "p": [0, 0, 1e300, 0]},
                                  {"t": "a", "v": 1, "c": [0, 0], "r": -1, "a": [0, 90]}])
def test_out_of_range_views_are_refused(edge):
    with pytest.raises(ValueError):
        views._parse([{"name": "front", "edges": [edge]}])


def test_the_worker_runs_the_bytes_that_were_checked(tmp_path):
    """The file on disk says one thing, the bytes techpack read say another: the bytes win."""
    model = tmp_path / "m.py"
    model.write_text("import cadquery as cq\nresult = cq.Workplane('XY').box(1, 1, 1)\n")
    checked = b"import cadquery as cq\nresult = cq.Workplane('XY').box(10, 20, 30)\n"
    got = load_facts(model, "cadquery", cache_dir=tmp_path / "cache", data=checked)
    assert got.size == (10.0, 20.0, 30.0)


def test_attached_spec_is_the_checked_spec(tmp_path):
    """A spec rewritten after it was checked (60 ±0.1 → ±5) does not reach the PDF/A attachments."""
    from techpack.engine import Options, compile_spec
    from techpack.techpack_pdf.document import attachments

    src = Path(__file__).resolve().parents[1] / "cases" / "_valid"
    spec = tmp_path / "spec"
    shutil.copytree(src, spec)
    before = (spec / "techpack.yaml").read_bytes()
    comp = compile_spec(spec, Options(geometry=False))
    assert comp.ok
    (spec / "techpack.yaml").write_bytes(before.replace("±0.1".encode(), "±5".encode()))
    attached = dict((name, data) for name, data, _ in attachments(comp, None))
    assert attached["spec/techpack.yaml"] == before

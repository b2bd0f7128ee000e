"""Projected views from the real geometry: hidden-line removal in the worker, cached like the facts."""

from __future__ import annotations

import pytest

from techpack.geometry import GeometryError, load_facts
from techpack.geometry import views as views_mod
from techpack.geometry.views import load_views, standard_projections

from drawing_helpers import EXAMPLES

BRACKET = EXAMPLES / "bracket" / "geometry" / "bracket.py"


def _no_worker(*a, **k):
    raise AssertionError("the geometry worker must not run on a cache hit")


def test_facts_run_projects_the_views_too_so_a_drawing_never_reloads_the_model(tmp_path, monkeypatch):
    facts = load_facts(BRACKET, "cadquery", cache_dir=tmp_path)
    monkeypatch.setattr(views_mod, "_run_worker", _no_worker)
    views = load_views(BRACKET, "cadquery", standard_projections(facts.to_json()), cache_dir=tmp_path)
    assert sorted(views) == ["front", "iso", "left", "right", "top"]
    front = views["front"]
    assert front.bbox() == (0.0, 0.0, 80.0, 40.0)  # X along, Z up: the bracket's front
    hidden = [e for e in front.edges if not e.visible]
    visible = [e for e in front.edges if e.visible]
    assert len(hidden) == 6  # the two sides of the three hole columns in the base
    assert sum(1 for e in visible if e.is_circle) == 2  # the M5 holes in the upright, seen end on
    assert not any(not e.visible for e in views["iso"].edges)  # the pictorial view has no hidden lines


def test_a_miss_runs_the_worker_and_the_answer_is_cached(tmp_path, monkeypatch):
    facts = load_facts(BRACKET, "cadquery", cache_dir=tmp_path / "warm")
    projections = standard_projections(facts.to_json())[:1]  # another set of projections: not prefetched
    first = load_views(BRACKET, "cadquery", projections, cache_dir=tmp_path / "warm")
    monkeypatch.setattr(views_mod, "_run_worker", _no_worker)
    assert load_views(BRACKET, "cadquery", projections, cache_dir=tmp_path / "warm") == first


def test_a_turned_part_is_drawn_with_its_axis_horizontal(compiled):
    facts = compiled["shaft"].context.geometry["TP-2001-01"].to_json()
    front = standard_projections(facts)[0]
    assert front.name == "front" and front.xdir == (0.0, 0.0, 1.0)  # the shaft's Z runs to the right
    bracket = compiled["bracket"].context.geometry["TP-1001-01"].to_json()
    assert standard_projections(bracket)[0].xdir == (1.0, 0.0, 0.0)


def test_a_failing_model_is_a_clean_error(tmp_path):
    model = tmp_path / "broken.py"
    model.write_text("import cadquery as cq\nresult = cq.Workplane('XY').box(1, 1, 1)\nraise ValueError('nope')\n")
    with pytest.raises(GeometryError) as err:
        load_views(model, "cadquery", standard_projections({"bbox_min": [0, 0, 0], "bbox_max": [1, 1, 1]}),
                   cache_dir=tmp_path / "c", timeout=120)
    assert "ValueError: nope (line 3)" in str(err.value)

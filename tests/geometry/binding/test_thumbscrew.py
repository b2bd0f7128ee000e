"""The new user's thumbscrew (issue 12, cases 2 and 6), end to end: spec, model, plan and drawing agree.

An M6x1-6g stud binds without ``type: shaft`` and takes its limits from its class,
never from ISO 2768; the knurl is planned as a comparison with a sample of its
pitch and drawn with its DIN 82 designation; the thread relief and the chamfer are
found in the model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from techpack.diagnostics import Severity
from techpack.engine import Options, compile_spec
from techpack.geometry.match import match_part
from techpack.quality.items import build_items
from techpack.quality.methods import choose

HERE = Path(__file__).parent / "thumbscrew"


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    return compile_spec(HERE, Options())


def test_the_thumbscrew_is_clean(comp):
    assert [f"{d.code} {d.message}" for d in comp.diagnostics if d.severity is not Severity.INFO] == []


def test_each_feature_binds_to_its_turned_diameter(comp):
    part = comp.loaded.spec.parts[0]
    found = match_part(part, comp.context.geometry[part.number])
    def cyls(fid):
        return [(c.diameter, c.internal, c.axis_origin[2], c.length) for c in found.features[fid].cylinders]
    # the external thread: a shaft, not a hole; 16 long less the 1 mm tip chamfer
    assert cyls("stud") == [(6.0, False, 12.0, 15.0)]
    assert cyls("grip") == [(12.0, False, 0.0, 10.0)]
    assert cyls("relief") == [(4.8, False, 10.0, 2.0)]
    assert all(not fm.problems for fm in found.features.values())
    assert (found.spans["length"].lo, found.spans["length"].hi) == (0.0, 28.0)


def test_the_thread_has_no_iso_2768_size_and_the_knurl_a_pitch_comparison(comp):
    chars = {c.id: c for c in comp.context.characteristics["TP-2001-01"]}
    assert "stud.size" not in chars and chars["stud.thread"].kind == "thread"
    items = {i.id: i for i in build_items(comp.context)["TP-2001-01"]}
    method, why = choose(items["grip.knurl"])
    assert method == "visual" and why == ("comparison with a knurl sample DIN 82 - RGE 0.8 (left/right hand, "
                                          "points raised, pitch 0.8 mm)")


def test_the_drawing_names_the_thread_the_knurl_and_the_relief(comp):
    from techpack.drawings import make_sheet
    from techpack.drawings.svg import write_svg

    part = comp.loaded.spec.parts[0]
    svg = write_svg(make_sheet(comp, part)).decode()
    assert "M6x1-6g" in svg
    assert "knurl DIN 82 - RGE 0.8" in svg
    assert "Ø4.8 h12" in svg  # the thread relief is dimensioned on the view, not left to the notes

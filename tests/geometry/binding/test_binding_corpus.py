"""Every dimension of the corpus binds to exactly the model entities it names, or is refused with proof.

One process measures all the corpus models (``measure_all.py``: the worker's own
loader and measurement), then each case matches its spec against its facts.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from techpack.checks.chains import check_part
from techpack.diagnostics import Diagnostics
from techpack.geometry.facts import GeometryFacts
from techpack.geometry.match import match_part
from techpack.schema.spec import Part

HERE = Path(__file__).parent


def _corpus():
    """The corpus module, loaded by path (the tests are not a package: --import-mode=importlib)."""
    spec = importlib.util.spec_from_file_location("techpack_binding_corpus", HERE / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_CORPUS = _corpus()
CASES, Case = _CORPUS.CASES, _CORPUS.Case
AXES = "xyz"


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> dict[str, GeometryFacts]:
    folder = tmp_path_factory.mktemp("binding-corpus")
    paths = []
    for case in CASES:
        p = folder / f"{case.name}.py"
        p.write_text(case.model, encoding="utf-8")
        paths.append(str(p))
    done = subprocess.run([sys.executable, str(HERE / "measure_all.py"), *paths], capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    return {name: GeometryFacts.from_json({**doc, "sha256": name, "kind": "cadquery"}) for name, doc in raw.items()}


def part_of(case: Case) -> Part:
    return Part.model_validate({"number": "TP-9000-01", "name": case.name, "revision": "A", "material": "m",
                                "features": case.features, "dimensions": case.dimensions}, context={"units": "mm"})


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_binding(case: Case, facts):
    part = part_of(case)
    found = match_part(part, facts[case.name])
    # linear dimensions: bound to exactly the stated pair, or refused with the stated finding
    got = {d: (AXES[s.axis], s.lo, s.hi) for d, s in found.spans.items()}
    assert got == {d: (a, float(lo), float(hi)) for d, (a, lo, hi) in case.spans.items()}
    refused = {r.dim.id: r for r in found.refused}
    assert set(refused) == set(case.refused)
    for did, (code, phrases) in case.refused.items():
        assert refused[did].code == code, refused[did].message
        for phrase in phrases:
            assert phrase in refused[did].message
    # every dimension is bound (a span, an angle's two faces) or refused: never silently dropped
    assert {d.id for d in part.dimensions} == set(got) | set(found.angles) | set(refused)
    # features: the cylinders and slots found, and the problems
    for fid, want in case.cylinders.items():
        cyls = [c for c in found.features[fid].cylinders if c is not None]
        assert [(c.diameter, c.internal) for c in cyls] == want, fid
    for fid, want in case.origins.items():
        cyls = [c for c in found.features[fid].cylinders if c is not None]
        assert [c.axis_origin for c in cyls] == [tuple(float(v) for v in o) for o in want], fid
    for fid, want in case.chamfers.items():
        have = [tuple((a, round(v, 4)) for a, v in c.edge) for c in found.features[fid].chamfers]
        assert have == [tuple((a, float(v)) for a, v in e) for e in want], fid
    for fid, want in case.slots.items():
        s = found.features[fid].slot
        assert s is not None, (fid, found.features[fid].problems)
        have = (AXES[s.axis], s.lo, s.hi) + ((AXES[s.length_axis], s.length_lo, s.length_hi)
                                              if s.length_axis is not None else ())
        assert have == tuple(v if isinstance(v, str) else float(v) for v in want), fid
    for fid, fm in found.features.items():
        messages = [m for m, _loc in fm.problems]
        if fid in case.problems:
            assert messages, fid
            for phrase in case.problems[fid]:
                assert any(phrase in m for m in messages), (phrase, messages)
        else:
            assert messages == [], (fid, messages)
        refusals = [m for m, _loc in fm.ambiguous]
        if fid in case.ambiguous:
            assert len(refusals) == 1, (fid, refusals)
            for phrase in case.ambiguous[fid]:
                assert phrase in refusals[0], (phrase, refusals[0])
            # a refused feature is bound to nothing: it is not drawn at a guessed place
            assert not any(c is not None for c in fm.cylinders) and fm.slot is None, fid
        else:
            assert refusals == [], (fid, refusals)
    # conflicts: duplicates and closed chains
    diags = Diagnostics()
    check_part(part, found, diags)
    chains = [(d.subject.split("/")[1], d.message) for d in diags if d.code == "TP134"]
    assert [c[0] for c in chains] == [c[0] for c in case.chains]
    for (did, message), (_did, phrase) in zip(chains, case.chains):
        assert phrase in message, (did, message)


def test_bend_angle_binds_its_two_faces(facts):
    case = next(c for c in CASES if c.name == "bend_angle")
    found = match_part(part_of(case), facts[case.name])
    f1, f2 = found.angles["bend"]
    assert {(f1.axis, f1.coord), (f2.axis, f2.coord)} == {(2, 0.0), (0, 0.0)}

"""The facts cache: keyed by the file's bytes, atomic, self-healing, and cheap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import shutil
import textwrap
import time
from pathlib import Path

import pytest

from techpack.geometry import GeometryFacts, default_cache_dir, load_facts
from techpack.geometry import facts as facts_mod
from techpack.geometry import launch as launch_mod

CUBE = "import cadquery as cq\nresult = cq.Workplane('XY').box(10, 20, 30)\n"


def _no_worker(*a, **k):
    raise AssertionError("the geometry worker must not be started on a cache hit")


@pytest.fixture
def cube(tmp_path) -> Path:
    p = tmp_path / "cube.py"
    p.write_text(CUBE)
    return p


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> tuple[GeometryFacts, Path]:
    """The cube measured once by the worker; tests copy its cache entry instead of re-running."""
    d = tmp_path_factory.mktemp("seed")
    p = d / "cube.py"
    p.write_text(CUBE)
    facts = load_facts(p, "cadquery", cache_dir=d / "cache")
    return facts, d / "cache"


@pytest.fixture
def warm(seed, cache_dir) -> GeometryFacts:
    """cache_dir holding the cube's entry, as the worker wrote it."""
    facts, seed_dir = seed
    shutil.copytree(seed_dir, cache_dir)
    return facts


def _cache_files(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "geometry").glob("*.json"))


def test_second_call_is_a_hit_without_the_worker(cube, cache_dir, monkeypatch):
    first = load_facts(cube, "cadquery", cache_dir=cache_dir)
    assert first.size == (10.0, 20.0, 30.0)
    assert first.volume_mm3 == pytest.approx(6000.0)
    [entry] = _cache_files(cache_dir)
    assert not list((cache_dir / "geometry").glob("*.tmp"))

    monkeypatch.setattr(launch_mod.subprocess, "Popen", _no_worker)
    monkeypatch.setattr(launch_mod.subprocess, "run", _no_worker)
    t0 = time.perf_counter()
    second = load_facts(cube, "cadquery", cache_dir=cache_dir)
    elapsed = time.perf_counter() - t0
    assert second == first
    assert elapsed < 0.05  # ~1 ms in practice; generous for a loaded CI machine


def test_cache_is_keyed_by_content_not_path(cube, tmp_path, cache_dir, warm, monkeypatch):
    copy = tmp_path / "elsewhere" / "same.py"
    copy.parent.mkdir()
    copy.write_bytes(cube.read_bytes())
    monkeypatch.setattr(launch_mod.subprocess, "Popen", _no_worker)
    assert load_facts(copy, "cadquery", cache_dir=cache_dir).volume_mm3 == pytest.approx(6000)


def test_changed_file_misses(cube, cache_dir, warm):
    cube.write_text(CUBE.replace("box(10, 20, 30)", "box(10, 20, 40)"))
    assert load_facts(cube, "cadquery", cache_dir=cache_dir).size == (10.0, 20.0, 40.0)
    assert len(_cache_files(cache_dir)) == 2


@pytest.mark.parametrize(
    "junk",
    [b"{not json", b'{"facts_version": 1, "facts": {"kind": 3}}'],
    ids=["not-json", "bad-facts"],
)
def test_corrupt_cache_file_is_recomputed_and_rewritten(cube, cache_dir, warm, junk):
    good = warm
    [entry] = _cache_files(cache_dir)
    entry.write_bytes(junk)
    again = load_facts(cube, "cadquery", cache_dir=cache_dir)
    assert again == good
    doc = json.loads(entry.read_text())
    assert GeometryFacts.from_json(doc["facts"]) == good


def test_old_facts_version_is_recomputed(cube, cache_dir, warm):
    good = warm
    [entry] = _cache_files(cache_dir)
    doc = json.loads(entry.read_text())
    doc["facts_version"] = -1
    doc["facts"]["volume_mm3"] = 1.0
    entry.write_text(json.dumps(doc))
    assert load_facts(cube, "cadquery", cache_dir=cache_dir) == good


def test_default_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "tp"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "tp"
    monkeypatch.delenv("TECHPACK_CACHE_DIR")
    assert default_cache_dir() == tmp_path / "xdg" / "techpack"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "techpack"


def test_env_cache_dir_is_used(cube, tmp_path, monkeypatch):
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "envcache"))
    load_facts(cube, "cadquery")
    assert len(_cache_files(tmp_path / "envcache")) == 1


def test_unwritable_cache_is_not_fatal(cube, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    f = load_facts(cube, "cadquery", cache_dir=blocker)
    assert f.size == (10.0, 20.0, 30.0)


def test_cache_hit_does_not_import_cadquery(cube, cache_dir, warm):
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        import techpack.geometry as g
        assert "cadquery" not in sys.modules and "OCP" not in sys.modules
        t0 = time.perf_counter()
        f = g.load_facts(Path({str(cube)!r}), "cadquery", cache_dir=Path({str(cache_dir)!r}))
        dt = time.perf_counter() - t0
        assert "cadquery" not in sys.modules, "cadquery imported on a cache hit"
        assert "OCP" not in sys.modules, "OCP imported on a cache hit"
        print(f.size, dt)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("(10.0, 20.0, 30.0)")


@pytest.mark.parametrize(
    "junk",
    [b"", b"[1, 2, 3]", b'{"facts_version": 1}', b'{"facts_version": 1, "facts": []}',
     b'{"facts_version": 1, "facts": {"sha256": 1}}'],
)
def test_junk_cache_entries_read_as_misses(tmp_path, junk):
    entry = tmp_path / "entry.json"
    entry.write_bytes(junk)
    assert facts_mod._read_cache(entry, "ab" * 32, "step") is None


def test_entry_for_other_bytes_or_kind_is_a_miss(tmp_path, cache_dir, warm, cube):
    [entry] = _cache_files(cache_dir)
    assert facts_mod._read_cache(entry, warm.sha256, "cadquery") == warm
    assert facts_mod._read_cache(entry, "0" * 64, "cadquery") is None
    assert facts_mod._read_cache(entry, warm.sha256, "step") is None


def test_a_changed_helper_module_misses(tmp_path, cache_dir):
    """The model imports `lib/dims.py` from its folder: editing that module is editing the model."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "dims.py").write_text("WIDTH = 10\n")
    model = tmp_path / "part.py"
    model.write_text("import cadquery as cq\nfrom lib.dims import WIDTH\nresult = cq.Workplane('XY').box(WIDTH, 5, 5)\n")
    assert load_facts(model, "cadquery", cache_dir=cache_dir).size == (10.0, 5.0, 5.0)
    (tmp_path / "lib" / "dims.py").write_text("WIDTH = 20\n")
    assert load_facts(model, "cadquery", cache_dir=cache_dir).size == (20.0, 5.0, 5.0)
    assert len(_cache_files(cache_dir)) == 2


def test_the_key_covers_the_worker_code_and_helpers_but_not_other_files(tmp_path, monkeypatch):
    model = tmp_path / "part.py"
    model.write_text(CUBE)
    data = model.read_bytes()
    base = facts_mod.cache_basis(model, "cadquery", data)
    (tmp_path / "notes.txt").write_text("not a module")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.py").write_text("X = 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "y.py").write_text("Y = 1\n")
    assert facts_mod.cache_basis(model, "cadquery", data) == base
    (tmp_path / "helper.py").write_text("H = 1\n")
    with_helper = facts_mod.cache_basis(model, "cadquery", data)
    assert with_helper != base
    # a STEP file imports nothing: its neighbours do not matter
    assert facts_mod.cache_basis(model, "step", data) == facts_mod.cache_basis(tmp_path / "x" / "m.step", "step", data)
    # another worker (a new release or an edited techpack) never reads this worker's answers
    monkeypatch.setattr(facts_mod, "_code_digest", lambda: b"another worker")
    assert facts_mod.cache_basis(model, "cadquery", data) != with_helper


def test_a_build_walks_each_model_folder_once(tmp_path, monkeypatch):
    """Bases (one per build): two models and a helper in one folder, four caches each — one walk, one read
    of the helper; the bases are those cache_basis gives; a new build sees an edited helper."""
    (tmp_path / "helper.py").write_text("H = 1\n")
    models = [tmp_path / "a.py", tmp_path / "b.py"]
    for m in models:
        m.write_text(CUBE + f"# {m.stem}\n")
    walks = []
    real = facts_mod.folder_modules
    monkeypatch.setattr(facts_mod, "folder_modules", lambda folder: walks.append(folder) or real(folder))
    bases = facts_mod.Bases()
    got = [bases.get(m, "cadquery", m.read_bytes()) for m in models for _lookup in range(4)]
    assert walks == [tmp_path]
    assert got == [facts_mod.cache_basis(m, "cadquery", m.read_bytes()) for m in models for _lookup in range(4)]
    assert got[0] != got[4]
    (tmp_path / "helper.py").write_text("H = 2\n")
    assert bases.get(models[0], "cadquery", models[0].read_bytes()) == got[0]  # the same build: as checked
    assert facts_mod.Bases().get(models[0], "cadquery", models[0].read_bytes()) != got[0]  # the next build


def test_a_check_walks_the_model_folder_once(tmp_path, monkeypatch):
    """The engine and the sheet-metal check share the loaded spec's bases: the enclosure's three cadquery
    models (one folder), measured and one of them unfolded, walk that folder once."""
    import shutil as _shutil

    from techpack.engine import Options, compile_spec

    spec = tmp_path / "enclosure"
    _shutil.copytree(Path(__file__).parents[2] / "examples" / "enclosure", spec)
    monkeypatch.setenv("TECHPACK_CACHE_DIR", os.environ.get("TECHPACK_CACHE_DIR", str(tmp_path / "cache")))
    walks = []
    real = facts_mod.folder_modules
    monkeypatch.setattr(facts_mod, "folder_modules", lambda folder: walks.append(folder) or real(folder))
    result = compile_spec(spec, Options(geometry=True))
    assert not result.diagnostics.has_errors
    assert walks == [(spec / "geometry").resolve()]


def test_parts_that_share_a_model_start_one_worker(tmp_path, monkeypatch):
    """Three parts made from one cadquery script (a family from one model): one worker loads it, with an empty
    cache, and every part gets its facts; the BOM and the checks see three measured parts."""
    import yaml

    from techpack.engine import Options, compile_spec

    spec = tmp_path / "bracket"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "bracket", spec)
    doc = yaml.safe_load((spec / "techpack.yaml").read_text(encoding="utf-8"))
    base = doc["parts"][0]
    for suffix in ("02", "03"):
        doc["parts"].append({**base, "number": f"TP-1001-{suffix}"})
        doc["bom"].append({**doc["bom"][0], "item": str(len(doc["bom"]) + 1), "part": f"TP-1001-{suffix}"})
    (spec / "techpack.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "empty-cache"))
    started = []
    real = launch_mod.run
    monkeypatch.setattr(launch_mod, "run", lambda cmd, **kw: started.append(cmd) or real(cmd, **kw))
    result = compile_spec(spec, Options(geometry=True))
    assert not result.diagnostics.has_errors, [d for d in result.diagnostics.sorted() if d.severity.value == "error"]
    assert len(started) == 1
    facts = result.context.geometry
    assert sorted(facts) == ["TP-1001-01", "TP-1001-02", "TP-1001-03"]
    assert facts["TP-1001-01"].size == facts["TP-1001-02"].size == facts["TP-1001-03"].size
    assert facts["TP-1001-01"].volume_mm3 > 0

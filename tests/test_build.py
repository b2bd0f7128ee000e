"""The build: staged and atomic, incremental, never writes outside OUT, never a half-written pack."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from techpack.build import BuildOptions, build
from techpack.renderers.base import Target

ROOT = Path(__file__).resolve().parents[1]


class FakeRenderer:
    """One file per part plus a product-wide file; counts what it renders."""

    name = "fake"

    def __init__(self, fail_on: str | None = None):
        self.rendered: list[str] = []
        self.fail_on = fail_on

    def targets(self, comp):
        ts = [Target(f"parts/{p.number}.txt", "fake-part", (f"part:{p.number}",)) for p in comp.loaded.spec.parts]
        return ts + [Target("summary.txt", "fake-summary", ("spec",))]

    def render(self, comp, out, targets):
        for t in targets:
            if self.fail_on == t.path:
                raise RuntimeError("renderer failed")
            self.rendered.append(t.path)
            out.write(t.path, f"{t.path} {comp.loaded.spec.product.revision}\n".encode())


def run(spec: Path, out: Path, renderer=None, **kw):
    r = renderer or FakeRenderer()
    return build(spec, out, BuildOptions(**kw), renderers={"fake": r}), r


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def enclosure(example):
    return example("enclosure")


def test_build_writes_declared_files_and_a_manifest(enclosure, tmp_path):
    out = tmp_path / "out"
    result, r = run(enclosure, out)
    assert result.written and not result.diagnostics.has_errors
    manifest = json.loads((out / "manifest.json").read_text())
    paths = [f["path"] for f in manifest["files"]]
    assert paths == sorted(["parts/TP-3001-01.txt", "parts/TP-3001-02.txt", "parts/TP-3001-03.txt", "summary.txt"])
    for f in manifest["files"]:
        data = (out / f["path"]).read_bytes()
        assert f["size"] == len(data) and len(f["sha256"]) == 64 and f["kind"].startswith("fake-")
    assert manifest["product"] == {"number": "EX-3001", "revision": "A"} or manifest["product"]["number"] == "EX-3001"
    assert manifest["spec_sha256"] and manifest["source_date"].endswith("Z") and manifest["techpack"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enclosure", "out"]  # no staging left behind


def test_dry_run_lists_and_writes_nothing(enclosure, tmp_path):
    out = tmp_path / "out"
    result, r = run(enclosure, out, dry_run=True)
    assert [t.path for t in result.planned][-1] == "summary.txt" and len(result.planned) == 4
    assert not out.exists() and r.rendered == []


def test_nothing_changed_means_no_work(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    before = snapshot(out)
    result, r = run(enclosure, out)
    assert result.up_to_date and r.rendered == []
    assert snapshot(out) == before


def test_a_change_to_one_part_rerenders_only_what_depends_on_it(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    lid = enclosure / "parts" / "lid.yaml"
    lid.write_text(lid.read_text().replace("name: Lid", "name: Lid plate"))
    result, r = run(enclosure, out)
    assert sorted(r.rendered) == ["parts/TP-3001-02.txt", "summary.txt"]
    assert sorted(result.reused) == ["parts/TP-3001-01.txt", "parts/TP-3001-03.txt"]


def test_a_change_to_a_model_helper_module_rerenders_that_parts_files(example, tmp_path):
    """A cadquery model's own modules shape the part as much as the model file: a change to one is a change to
    the part (its drawing, STEP model and everything that depends on it), never a reuse of the old files."""
    bracket = example("bracket")
    model = bracket / "geometry" / "bracket.py"
    (bracket / "geometry" / "dims.py").write_text("WIDTH = 80\n")
    text = model.read_text().replace("import cadquery as cq\n", "import cadquery as cq\nfrom dims import WIDTH\n", 1)
    model.write_text(text.replace("makeBox(80, ", "makeBox(WIDTH, "))
    out = tmp_path / "out"
    assert run(bracket, out)[0].written
    (bracket / "geometry" / "dims.py").write_text("WIDTH = 80.05\n")
    result, r = run(bracket, out)
    assert result.written and sorted(r.rendered) == ["parts/TP-1001-01.txt"]
    assert result.reused == ["summary.txt"]


def test_the_quality_files_that_show_capability_or_zones_depend_on_every_part(example):
    """The plan's predicted Cpk and inline-QC intervals come from the machines a part is routed to, which its
    model's size decides; the plan files and the batch record must be redone when a part's geometry changes."""
    from techpack.engine import Options, compile_spec
    from techpack.renderers.quality import RENDERER

    comp = compile_spec(example("enclosure"), Options())
    parts = {f"part:{p.number}" for p in comp.loaded.spec.parts}
    depends = {t.kind: set(t.depends) for t in RENDERER.targets(comp)}
    for kind in ("inspection-plan-pdf", "inspection-plan-csv", "inspection-plan-xlsx", "fai-pdf", "qif",
                 "batch-record-pdf"):
        assert parts <= depends[kind], kind
    assert not parts & depends["labels-pdf"]  # labels print the spec's identity only


def test_a_bad_spec_leaves_the_previous_pack_exactly_as_it_was(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    before = snapshot(out)
    spec = enclosure / "techpack.yaml"
    spec.write_text(spec.read_text().replace("  owner:", "  ownr:"))
    result, r = run(enclosure, out)
    assert result.diagnostics.has_errors and not result.written and r.rendered == []
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enclosure", "out"]


def test_a_failing_renderer_leaves_the_previous_pack_and_no_partial_files(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    before = snapshot(out)
    spec = enclosure / "techpack.yaml"
    spec.write_text(spec.read_text().replace("  name: Sensor hub enclosure", "  name: Sensor hub enclosure II"))
    with pytest.raises(RuntimeError):
        run(enclosure, out, FakeRenderer(fail_on="summary.txt"))
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enclosure", "out"]


def test_symlinks_planted_in_out_are_never_followed(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    target = out / "parts" / "TP-3001-01.txt"
    target.unlink()
    target.symlink_to(victim)
    result, r = run(enclosure, out)
    assert "parts/TP-3001-01.txt" in r.rendered  # the link was not trusted as the previous output
    assert victim.read_text() == "precious\n"
    assert not (out / "parts" / "TP-3001-01.txt").is_symlink()


def test_output_folder_that_is_a_link_is_refused(enclosure, tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    link = tmp_path / "out"
    link.symlink_to(real)
    result, r = run(enclosure, link)
    assert [d.code for d in result.diagnostics] == ["TP007"] and not result.written
    assert list(real.iterdir()) == []


def test_malformed_source_date_epoch_is_an_error(enclosure, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result, r = run(enclosure, tmp_path / "out")
    assert "TP005" in result.diagnostics.codes() and not result.written


def test_source_date_epoch_sets_the_manifest_date(enclosure, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    run(enclosure, tmp_path / "out")
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["source_date"] == "2026-01-01T00:00:00Z"


SLOW_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from techpack.build import build, BuildOptions
    from techpack.renderers.base import Target

    class Slow:
        name = "slow"
        def targets(self, comp):
            return [Target(f"f{i}.txt", "slow") for i in range(50)]
        def render(self, comp, out, targets):
            for t in targets:
                out.write(t.path, b"x" * 1000)
                print("wrote", t.path, flush=True)
                time.sleep(0.05)

    build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(force=True), renderers={"slow": Slow()})
""")


def test_kill_9_mid_build_leaves_the_previous_pack(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    before = snapshot(out)
    script = tmp_path / "slow.py"
    script.write_text(SLOW_BUILD)
    proc = subprocess.Popen([sys.executable, str(script), str(enclosure), str(out)], stdout=subprocess.PIPE,
                            text=True)
    for line in proc.stdout:  # wait until it is writing
        if "f5.txt" in line:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(out) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    assert leftovers  # the killed build's staging folder, outside OUT ...
    run(enclosure, out, force=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]  # ... cleaned by the next build


def test_cli_build_dry_run_and_exit_codes(enclosure, tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "1"}
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "techpack.cli", "build", str(enclosure), "-o", str(out),
                           "--dry-run"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert not out.exists()
    proc = subprocess.run([sys.executable, "-m", "techpack.cli", "build", str(tmp_path / "missing"), "-o",
                           str(out)], capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "TP000" in proc.stdout


def test_force_renders_everything_again(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    result, r = run(enclosure, out, force=True)
    assert len(r.rendered) == 4 and result.reused == []


def test_manifest_records_the_libraries_that_shape_output_bytes(enclosure, tmp_path):
    from importlib import metadata

    from techpack.versions import OUTPUT_LIBRARIES

    out = tmp_path / "out"
    run(enclosure, out)
    libs = json.loads((out / "manifest.json").read_text())["libraries"]
    assert {"weasyprint", "pydyf", "fonttools", "ezdxf", "cadquery", "cadquery-ocp", "lxml", "segno", "pypdf",
            "pyyaml"} <= set(libs)
    for name in OUTPUT_LIBRARIES:
        try:
            assert libs[name] == metadata.version(name), name
        except metadata.PackageNotFoundError:
            assert libs[name] == "absent", name
    assert libs["python"].split()[-1] == ".".join(map(str, sys.version_info[:3]))
    # The native text libraries WeasyPrint loads are the ones recorded (it imports them at import time).
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset, pango

    major, minor, micro = map(int, libs["pango"].split("."))
    assert pango.pango_version() == major * 10000 + minor * 100 + micro
    major, minor, micro = map(int, libs["harfbuzz"].split("."))
    assert harfbuzz.hb_version_atleast(major, minor, micro) and not harfbuzz.hb_version_atleast(major, minor,
                                                                                                 micro + 1)
    assert libs["harfbuzz-subset"] == ("absent" if harfbuzz_subset is None else "present")


def test_a_machine_with_other_native_text_libraries_re_renders(enclosure, tmp_path, monkeypatch):
    """libharfbuzz-subset appearing (a system package) changes how fonts are subset: nothing is reused."""
    from techpack import versions

    out = tmp_path / "out"
    run(enclosure, out)
    libs = versions.library_versions()
    other = {**libs, "harfbuzz-subset": "present" if libs["harfbuzz-subset"] == "absent" else "absent"}
    monkeypatch.setattr(versions, "library_versions", lambda: other)
    result, r = run(enclosure, out)
    assert not result.up_to_date and result.reused == [] and len(r.rendered) == 4


def test_a_library_upgrade_re_renders_everything(enclosure, tmp_path, monkeypatch):
    from techpack import versions

    out = tmp_path / "out"
    run(enclosure, out)
    result, r = run(enclosure, out)
    assert result.up_to_date
    upgraded = {**versions.library_versions(), "weasyprint": "999.0"}
    monkeypatch.setattr(versions, "library_versions", lambda: upgraded)
    result, r = run(enclosure, out)
    assert not result.up_to_date and result.reused == [] and len(r.rendered) == 4
    assert json.loads((out / "manifest.json").read_text())["libraries"]["weasyprint"] == "999.0"
def test_up_to_date_check_reads_only_declared_inputs(enclosure, tmp_path, monkeypatch):
    """A large unrelated file in the product folder is listed, never read; a declared input is, streamed."""
    import builtins
    import io

    (enclosure / "scan-of-the-prototype.bin").write_bytes(b"\0" * 4096)
    out = tmp_path / "out"
    run(enclosure, out)
    assert "parts/lid.yaml" in json.loads((out / "manifest.json").read_text())["sources"]
    opened: list[str] = []
    real_open, real_io_open = builtins.open, io.open

    def spy(file, *a, **k):
        opened.append(os.fspath(file) if not isinstance(file, int) else "")
        return real_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    result, r = run(enclosure, out)
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setattr(io, "open", real_io_open)
    assert result.up_to_date and r.rendered == []
    assert not [p for p in opened if p.endswith("scan-of-the-prototype.bin")]
    assert [p for p in opened if p.endswith("lid.yaml")]  # the declared inputs are what is hashed


def test_a_helper_module_below_a_model_is_a_declared_input(enclosure, tmp_path):
    """geometry/lib/shared.py can be imported by the models in geometry/: it is a source, and editing
    it is a change (the geometry caches key on it too: tests/geometry/test_geometry_cache.py)."""
    (enclosure / "geometry" / "lib").mkdir()
    (enclosure / "geometry" / "lib" / "shared.py").write_text("WALL = 1.5\n")
    (enclosure / "geometry" / ".scratch").mkdir()
    (enclosure / "geometry" / ".scratch" / "old.py").write_text("X = 1\n")
    out = tmp_path / "out"
    run(enclosure, out)
    sources = json.loads((out / "manifest.json").read_text())["sources"]
    assert "geometry/lib/shared.py" in sources and "geometry/.scratch/old.py" not in sources
    assert run(enclosure, out)[0].up_to_date
    (enclosure / "geometry" / "lib" / "shared.py").write_text("WALL = 2\n")
    assert not run(enclosure, out)[0].up_to_date


def test_a_new_file_an_include_glob_matches_is_a_change(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    (enclosure / "parts" / "spare.yaml").write_text((enclosure / "parts" / "lid.yaml").read_text()
                                                    .replace("TP-3001-02", "TP-3001-09"))
    result, r = run(enclosure, out)
    assert not result.up_to_date

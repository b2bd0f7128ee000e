"""Renderers over several processes: the same bytes as a serial build, failures fail the build, and no
worker outlives it."""

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
from techpack.schedule import RenderFailed


class Split:
    """Independent files, each a job."""

    name = "split"
    split = True

    def __init__(self, fail_on: str | None = None):
        self.fail_on = fail_on

    def targets(self, comp):
        return [Target(f"s{i}.txt", "split") for i in range(6)]

    def render(self, comp, out, targets):
        for t in targets:
            if t.path == self.fail_on:
                raise ValueError("boom in a worker")
            out.write(t.path, f"{t.path} {comp.loaded.spec.product.number}\n".encode())


class Reader:
    """Reads what Split wrote: must run after it, wherever Split ran."""

    name = "reader"
    reads = ("split",)

    def targets(self, comp):
        return [Target("all.txt", "reader")]

    def render(self, comp, out, targets):
        out.write("all.txt", b"".join(out.read(f"s{i}.txt") for i in range(6)))


@pytest.fixture
def enclosure(example):
    return example("enclosure")


def _build(spec, out, jobs, renderers):
    return build(spec, out, BuildOptions(jobs=jobs, force=True), renderers=renderers)


def test_parallel_and_serial_builds_write_the_same_bytes(enclosure, tmp_path):
    packs = {}
    for jobs in (1, 2, 4):
        out = tmp_path / f"out{jobs}"
        result = _build(enclosure, out, jobs, {"split": Split(), "reader": Reader()})
        assert result.written, result.diagnostics.items
        packs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert packs[1] == packs[2] == packs[4]
    assert packs[2]["all.txt"] == b"".join(packs[2][f"s{i}.txt"] for i in range(6))
    manifest = json.loads(packs[2]["manifest.json"])
    assert [f["path"] for f in manifest["files"]] == sorted(["all.txt"] + [f"s{i}.txt" for i in range(6)])


def test_a_failing_worker_fails_the_build_and_keeps_the_previous_pack(enclosure, tmp_path):
    out = tmp_path / "out"
    assert _build(enclosure, out, 2, {"split": Split(), "reader": Reader()}).written
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(RenderFailed, match="boom in a worker"):
        _build(enclosure, out, 2, {"split": Split(fail_on="s3.txt"), "reader": Reader()})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enclosure", "out"]


def test_the_real_renderers_give_the_same_bytes_in_parallel(example, tmp_path, monkeypatch):
    bracket = example("bracket")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"pack{jobs}"
        result = build(bracket, out, BuildOptions(jobs=jobs))
        assert result.written, [str(d.message) for d in result.diagnostics]
        outs.append(out)
    files = sorted(p.relative_to(outs[0]).as_posix() for p in outs[0].rglob("*") if p.is_file())
    assert len(files) >= 9
    for rel in files:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes(), rel


SLOW = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from techpack.build import build, BuildOptions
    from techpack.renderers.base import Target

    class Slow:
        name = "slow"
        split = True
        def targets(self, comp):
            return [Target(f"f{i}.txt", "slow") for i in range(4)]
        def render(self, comp, out, targets):
            print("worker", os.getpid(), flush=True)
            time.sleep(60)

    build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(jobs=2, force=True), renderers={"slow": Slow()})
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_no_worker_outlives_a_killed_build(enclosure, tmp_path):
    script = tmp_path / "slow.py"
    script.write_text(SLOW)
    proc = subprocess.Popen([sys.executable, str(script), str(enclosure), str(tmp_path / "out")],
                            stdout=subprocess.PIPE, text=True)
    workers = []
    for line in proc.stdout:
        if line.startswith("worker"):
            workers.append(int(line.split()[1]))
            if len(workers) == 2:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)


def test_jobs_start_heaviest_first_and_a_job_others_wait_for_counts_with_them():
    from techpack.schedule import by_priority, make_jobs

    class R:
        def __init__(self, name, weights=None, reads=()):
            self.name, self.weights, self.reads = name, weights or {}, reads

    light, heavy = R("light", {"l": 0.5}), R("heavy", {"h": 9.0})
    drawings, pdf = R("drawings", {"d": 2.0}), R("pdf", {"p": 10.0}, reads=("drawings",))
    work = [(light, [Target("l.txt", "l")]), (heavy, [Target("h.txt", "h")]), (drawings, [Target("d.txt", "d")]),
            (pdf, [Target("p.txt", "p")]), (R("plain"), [Target("x.txt", "x")])]
    order = [j.renderer.name for j in make_jobs(work)]
    # drawings (2) unblocks pdf (10): 12 beats heavy (9); unweighted kinds count 1; light last
    assert order == ["drawings", "pdf", "heavy", "plain", "light"]
    assert [j.renderer.name for j in by_priority(make_jobs(work))] == order  # stable when applied twice


PRELOADED = textwrap.dedent("""
    import sys
    from pathlib import Path
    from techpack.build import build, BuildOptions
    from techpack.renderers.base import Target

    class Probe:
        name = "probe"
        split = True
        def targets(self, comp):
            return [Target(f"p{i}.txt", "probe") for i in range(3)]
        def render(self, comp, out, targets):
            for t in targets:  # what the job found loaded when it started, before importing anything itself
                out.write(t.path, repr(sorted(m for m in ("weasyprint", "pikepdf") if m in sys.modules)).encode())

    jobs = int(sys.argv[3])
    r = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(jobs=jobs, force=True), renderers={"probe": Probe()})
    print(r.written, "weasyprint" in sys.modules)
""")


def test_render_jobs_start_with_the_render_stack_loaded_and_the_build_never_imports_it(enclosure, tmp_path):
    """The jobs fork from the render host, which imported WeasyPrint and pikepdf while the spec compiled;
    the build's own process stays light (a serial build imports only what its renderers use)."""
    script = tmp_path / "probe.py"
    script.write_text(PRELOADED)
    for jobs, loaded in ((2, "['pikepdf', 'weasyprint']"), (1, "[]")):
        out = tmp_path / f"out{jobs}"
        run = subprocess.run([sys.executable, str(script), str(enclosure), str(out), str(jobs)],
                             capture_output=True, text=True, timeout=300)
        assert run.stdout.split() == ["True", "False"], run.stderr
        assert {(out / f"p{i}.txt").read_text() for i in range(3)} == {loaded}


def test_a_build_that_stops_before_rendering_leaves_no_render_host(enclosure, tmp_path):
    import multiprocessing

    spec = enclosure / "techpack.yaml"
    spec.write_text(spec.read_text().replace("number:", "numbr:", 1))
    result = build(enclosure, tmp_path / "out", BuildOptions(jobs=2))
    assert result.diagnostics.has_errors and not result.written
    assert multiprocessing.active_children() == []


def test_the_compiled_spec_travels_to_the_render_host(example):
    """The host receives the compilation pickled, after every renderer's prepare: it must stay picklable, or
    every build would quietly render without the preloaded stack."""
    import pickle

    from techpack.build import _plan
    from techpack.diagnostics import Diagnostics
    from techpack.engine import Options, compile_spec
    from techpack.renderers import RENDERERS

    for name in ("bracket", "enclosure"):
        comp = compile_spec(example(name), Options())
        comp.build_options = BuildOptions()
        plan = _plan(comp, RENDERERS, Diagnostics())
        for renderer, targets in plan:
            if hasattr(renderer, "prepare"):
                renderer.prepare(comp, targets)
        back = pickle.loads(pickle.dumps(comp, protocol=pickle.HIGHEST_PROTOCOL))
        assert back.loaded.sha256 == comp.loaded.sha256 and set(back.sheets) == set(comp.sheets)


def test_render_jobs_never_search_for_the_c_library(enclosure, tmp_path):
    """``ctypes.util.find_library`` runs ldconfig and gcc; a job (and the swap into place) must not pay for it."""
    code = textwrap.dedent("""
        import ctypes.util, sys
        from pathlib import Path
        from techpack import schedule, outdir
        def refuse(name):
            raise AssertionError(f"find_library({name!r})")
        ctypes.util.find_library = refuse
        schedule.die_with_parent()
        a, b = Path(sys.argv[1]) / "a", Path(sys.argv[1]) / "b"
        a.write_text("a"); b.write_text("b")
        print(outdir._exchange(a, b), a.read_text(), b.read_text())
    """)
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert run.stdout.split() == ["True", "b", "a"], run.stderr


def test_the_render_host_compiles_the_document_templates_while_the_spec_compiles(monkeypatch):
    """Jobs fork from the host: a template it compiled is compiled once per build, not once per job."""
    import jinja2

    from techpack import schedule
    from techpack.pdf import template_env
    from techpack.renderers.quality import TEMPLATES
    from techpack.techpack_pdf.document import TEMPLATE, environment

    template_env.cache_clear()
    environment.cache_clear()  # as in a new process
    schedule.preload()
    monkeypatch.setattr(jinja2.Environment, "_parse", lambda *a, **k: pytest.fail("a template compiled again"))
    for name in TEMPLATES:
        assert template_env().get_template(name).name == name
    assert environment().get_template(TEMPLATE).name == TEMPLATE
    assert template_env() is template_env() and "wbr" not in template_env().filters  # shared, never changed


class Light:
    """Files that need no PDF stack: they may run in the build's process while the render host loads it."""

    name = "light"
    split = True
    light = ("light",)

    def targets(self, comp):
        return [Target(f"l{i}.txt", "light") for i in range(3)]

    def render(self, comp, out, targets):
        for t in targets:
            out.write(t.path, f"{t.path} {os.getpid()}\n".encode())


class NotReady:
    """A render host that says it is ready after ``after`` questions."""

    def __init__(self, after: int):
        self.after, self.asked = after, 0

    def ready(self) -> bool:
        self.asked += 1
        return self.asked > self.after


def test_light_jobs_run_here_until_the_render_host_is_ready_and_the_rest_go_to_it(tmp_path):
    from techpack import schedule
    from techpack.renderers.base import Output

    class Waits(Light):  # light kinds, but it reads another renderer's files: never run ahead
        name = "waits"
        reads = ("split",)

        def targets(self, comp):
            return [Target("w.txt", "light")]

    work = [(r, r.targets(None)) for r in (Light(), Split(), Waits())]
    for after, local in ((0, []), (2, ["l0.txt", "l1.txt"]), (99, ["l0.txt", "l1.txt", "l2.txt"])):
        jobs = schedule.make_jobs(work)
        out = Output(tmp_path / f"o{after}", {t.path: t for _, ts in work for t in ts})
        (tmp_path / f"o{after}").mkdir()
        rest = schedule.run_light(jobs, None, out, NotReady(after))
        assert sorted(out.written) == local
        assert [j for j in jobs if j not in rest] == [j for j in jobs if j.targets[0].path in local]
        assert all(j.seconds > 0 for j in jobs if j not in rest)
        assert [j.renderer.name for j in rest if j.renderer.name != "light"] == ["split"] * 6 + ["waits"]


def test_light_jobs_run_while_the_host_loads_give_a_serial_builds_bytes(example, tmp_path, monkeypatch):
    """The drawings, STEP models and the plan as CSV, XLSX and QIF made in the build's process while the host
    loads; the tech-pack PDF, which places the drawings, made in the host from them."""
    from techpack import schedule

    bracket = example("bracket")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(bracket, tmp_path / "serial", BuildOptions(jobs=1)).written
    local: list[str] = []
    real = schedule.run_light

    def never_ready(jobs, comp, output, host):
        rest = real(jobs, comp, output, NotReady(10**6))
        local.extend(t.path for j in jobs if j not in rest for t in j.targets)
        return rest

    monkeypatch.setattr(schedule, "run_light", never_ready)
    assert build(bracket, tmp_path / "mixed", BuildOptions(jobs=2)).written
    assert {"drawings/TP-1001-01.dxf", "drawings/TP-1001-01.svg", "inspection/plan.csv", "inspection/plan.xlsx"} <= set(local)
    assert not any(p.endswith(".pdf") for p in local)
    files = sorted(p.relative_to(tmp_path / "serial").as_posix() for p in (tmp_path / "serial").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "serial" / rel).read_bytes() == (tmp_path / "mixed" / rel).read_bytes(), rel


def test_the_render_host_imports_neither_numpy_nor_lxml_to_unpickle_the_work():
    """The host imports the compiler and the renderers before it can take the work; numpy (the drawings' layout,
    done before the work is sent) and lxml (the QIF job) are imported by the jobs that use them."""
    code = ("import sys, techpack.engine, techpack.renderers; "
            "print(sorted(m for m in ('numpy', 'lxml.etree') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "[]", run.stderr


class RendersThenFails:
    """Renders a PDF (its job parses style sheets: WeasyPrint makes a fonts folder), then fails: the host is
    killed, and so is anything it had not removed."""

    name = "fails"
    split = True  # two jobs: they go to the render host

    def targets(self, comp):
        return [Target("x.pdf", "fails"), Target("y.pdf", "fails")]

    def render(self, comp, out, targets):
        import datetime as dt

        from techpack.pdf import render_pdf

        render_pdf('<html><head><link rel="stylesheet" href="base.css"></head><body><p>x</p></body></html>',
                   roots=[], date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        raise ValueError("after a render")


class FailsBeforeRendering(Split):
    """Fails after the render host has had time to parse the style sheets: the host is killed."""

    def prepare(self, comp, targets):
        time.sleep(2)
        raise ValueError("before rendering")


def test_no_temporary_folder_outlives_a_build_that_succeeds_or_fails(enclosure, tmp_path, monkeypatch):
    import tempfile

    from techpack import pdfstyles

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(pdfstyles, "_sets", {})  # the host and its jobs parse the sheets themselves
    assert _build(enclosure, tmp_path / "ok", 2, {"split": Split(), "reader": Reader()}).written
    with pytest.raises(RenderFailed, match="after a render"):
        _build(enclosure, tmp_path / "bad", 2, {"fails": RendersThenFails()})
    with pytest.raises(ValueError, match="before rendering"):
        _build(enclosure, tmp_path / "worse", 2, {"split": FailsBeforeRendering()})
    assert sorted(p.name for p in temp.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir() if ".render-" in p.name) == []  # the hosts' own folders


def test_a_render_folder_left_by_a_killed_build_is_removed_by_the_next_build(enclosure, tmp_path):
    """The render host keeps its temporary files in a marked folder beside the pack; a build killed with
    SIGKILL cannot remove it, the next build of the same pack does (a folder without the mark is left)."""
    from techpack import outdir

    out = tmp_path / "pack"
    left = outdir.make_scratch(out)  # as a killed build leaves it
    (left / "weasyprint-x").mkdir()
    (left / "weasyprint-x" / "font.ttf").write_bytes(b"x")
    mine = tmp_path / ".pack.render-mine"  # a user's folder of that name, not marked
    mine.mkdir()
    assert _build(enclosure, out, 2, {"split": Split()}).written
    assert not left.exists() and mine.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir() if ".render-" in p.name) == [".pack.render-mine"]


class GcProbe(Split):
    """Writes the cyclic collector's state in the job's process."""

    name = "gcprobe"

    def render(self, comp, out, targets):
        import gc

        for t in targets:
            out.write(t.path, f"{gc.isenabled()} {gc.get_freeze_count()} {len(gc.get_objects())}\n".encode())


def test_a_forked_job_leaves_what_it_inherits_out_of_the_collectors_scans(enclosure, tmp_path):
    """A job forked from the render host freezes the heap it inherits (the render stack, the compiled spec:
    hundreds of thousands of objects the collector would rescan); its own objects are still collected."""
    _build(enclosure, tmp_path / "par", 2, {"gcprobe": GcProbe()})
    for i in range(6):
        enabled, frozen, tracked = (tmp_path / "par" / f"s{i}.txt").read_text().split()
        assert enabled == "True"
        assert int(frozen) > 100_000  # WeasyPrint, pikepdf, the compilation
        assert int(tracked) < int(frozen) // 10  # what the collector still scans: the job's own
    _build(enclosure, tmp_path / "ser", 1, {"gcprobe": GcProbe()})
    assert (tmp_path / "ser" / "s0.txt").read_text().split()[:2] == ["True", "0"]  # a serial build: untouched


HOST_GC = textwrap.dedent("""
    import gc, os, sys
    from pathlib import Path
    from techpack.build import build, BuildOptions
    from techpack.renderers.base import Target

    full = []  # the pid of each process that made a full collection, inherited by the processes forked after it
    gc.callbacks.append(lambda phase, info: phase == "stop" and info["generation"] == 2 and full.append(os.getpid()))

    class Probe:
        name = "probe"
        split = True
        def targets(self, comp):
            return [Target(f"p{i}.txt", "probe") for i in range(2)]
        def render(self, comp, out, targets):
            for t in targets:  # the host is this job's parent: its full collections, before it forked the job
                out.write(t.path, str(full.count(os.getppid())).encode())

    r = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(jobs=2, force=True), renderers={"probe": Probe()})
    print(bool(r.written))
""")


def test_the_render_host_loads_the_render_stack_and_the_work_without_full_collections(enclosure, tmp_path):
    """The render host imports WeasyPrint, pikepdf and the templates and unpickles the compilation, all of which
    it keeps: the collector is paused meanwhile (each full pass rescans the whole heap), then what was made
    is moved to the oldest generation."""
    script = tmp_path / "hostgc.py"
    script.write_text(HOST_GC)
    run = subprocess.run([sys.executable, str(script), str(enclosure), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=300)
    assert run.stdout.split() == ["True"], run.stderr
    assert [(tmp_path / "out" / f"p{i}.txt").read_text() for i in range(2)] == ["0", "0"]

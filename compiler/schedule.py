"""Run the renderers' work over the machine's cores, with the same bytes as a serial build.

A *job* is one renderer with some of its targets. A renderer may declare

* ``reads``: the names of renderers whose outputs it reads (``Output.read``): its jobs start only
  after theirs have finished;
* ``split = True``: its targets are independent, so each is a job of its own.

Jobs run in forked worker processes (each inherits the compiled spec, so nothing is parsed twice),
at most ``jobs`` at a time; a worker writes its files into the shared staging folder and reports the
paths; the parent reads them back, so later renderers and the manifest see every byte. A worker
that fails reports its traceback and the build fails as a serial one would. With ``jobs == 1`` (or
one job) everything runs in this process, exactly as before. Each job's code is the same in both
modes, so the bytes are too.

Workers die with the build (``PR_SET_PDEATHSIG``), so a killed build leaves no renderer running.

Jobs start heaviest first (longest-processing-time order, so the last job to finish is a short one): a
renderer may give each target kind a relative ``weights`` entry (default 1), and a job that others wait
for counts with the heaviest of them.

A :class:`Host` is forked when a build starts, before the spec is compiled: it imports the render stack
(WeasyPrint, pikepdf; ezdxf and openpyxl if there is time) on the other core meanwhile, then receives the compiled spec
(pickled) and runs the jobs, forking them from itself, so no job pays for those imports. Until it says it is
ready, the build's own process runs the *light* jobs, those that need no PDF stack (:func:`run_light`).
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import libc
from .gcpause import gc_paused

Progress = Callable[[str], None]


@dataclass
class Job:
    renderer: object
    targets: list
    after: set[str] = field(default_factory=set)  # renderer names this job waits for
    seconds: float = 0.0


def default_jobs() -> int:
    """Workers to use: ``TECHPACK_JOBS`` when set (1 = serial), else the cores this process may use."""
    raw = os.environ.get("TECHPACK_JOBS", "").strip()
    if raw.isdigit() and int(raw) >= 1:
        return int(raw)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def build_jobs(options) -> int:
    """Workers a build uses: its options' ``jobs`` when 1 or more, else :func:`default_jobs`. ``options`` is a
    build's options or a compilation carrying them (``build_options``), or None."""
    options = getattr(options, "build_options", options)
    jobs = getattr(options, "jobs", 0) if options is not None else 0
    return jobs if jobs and jobs >= 1 else default_jobs()


def make_jobs(work: list[tuple[object, list]]) -> list[Job]:
    """``work``: (renderer, targets to render) in registry order; the jobs come back in the order they
    should start (see :func:`by_priority`)."""
    jobs = []
    for renderer, targets in work:
        if not targets:
            continue
        after = set(getattr(renderer, "reads", ()))
        if getattr(renderer, "split", False):
            jobs += [Job(renderer, [t], after) for t in targets]
        else:
            jobs.append(Job(renderer, list(targets), after))
    return by_priority(jobs)


def weight(job: Job) -> float:
    """A job's expected cost, relative: the sum of its targets' ``weights`` by kind (default 1)."""
    weights = getattr(job.renderer, "weights", {})
    return sum(weights.get(t.kind, 1.0) for t in job.targets)


def by_priority(jobs: list[Job]) -> list[Job]:
    """Heaviest first, a job that others wait for counting with the heaviest of them (stable: ties keep
    registry order). Only the start order changes, never a file's bytes."""
    own = [weight(j) for j in jobs]
    waiting = {}
    for j, w in zip(jobs, own):
        for name in j.after:
            waiting[name] = max(waiting.get(name, 0.0), w)
    rank = [w + waiting.get(j.renderer.name, 0.0) for j, w in zip(jobs, own)]
    order = sorted(range(len(jobs)), key=lambda i: -rank[i])
    return [jobs[i] for i in order]


class RenderFailed(RuntimeError):
    """A renderer raised in a worker process; the message holds the worker's traceback."""


def die_with_parent() -> None:
    prctl = libc.function("prctl")
    if prctl is not None:
        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, signal.SIGKILL)


def pool_worker() -> None:
    """Initializer of a ``multiprocessing.Pool`` worker forked by a build: it dies with the build, and it gets
    the default signal handlers back. A fork inherits the command line's handlers, which raise in the process
    they run in; ``Pool.terminate()`` (the end of a ``with Pool()`` block) sends its idle workers SIGTERM, and
    each printed the traceback of that raise into the build's output. Ctrl-C reaches the whole process group:
    the build handles it and its workers ignore it."""
    die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _report(conn, work: Callable[[], tuple]) -> None:
    """Send ``("ok", paths written, seconds, notes)`` from ``work()``, or the error it raised, and close."""
    try:
        conn.send_bytes(pickle.dumps(("ok", *work())))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        conn.send_bytes(pickle.dumps(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc())))
    finally:
        conn.close()


def _adopt(message: tuple, output):
    """Take in what a worker (or the host) reported: its files and notes; returns its seconds. Its error is
    raised here, as a serial build would have raised it."""
    if message[0] == "error":
        raise RenderFailed(f"{message[1]}\n{message[2]}")
    _, paths, seconds, notes = message
    output.notes.update(notes)
    for path in paths:
        output.adopt(path)
    return seconds


def _child(job: Job, comp, output, conn) -> None:
    die_with_parent()
    # What the job inherits (the render stack, the compiled spec) lives until it exits: moved out of the cyclic
    # collector's reach (constant time), so its passes scan only what the job makes: a full pass over the inherited
    # heap costs about 0.25 s, and on the 100-part product the jobs' collections fell from 4.5 to 2.7 CPU-s. The
    # job's own cycles are still collected; the processes it forks inherit the same state.
    gc.freeze()
    output.written_here = set()
    output.notes = {}

    def work() -> tuple:
        started = time.perf_counter()
        job.renderer.render(comp, output, job.targets)
        return sorted(output.written_here), time.perf_counter() - started, output.notes

    _report(conn, work)


def _run_here(job: Job, comp, output) -> None:
    """Render ``job`` in this process and note its seconds."""
    started = time.perf_counter()
    job.renderer.render(comp, output, job.targets)
    job.seconds = time.perf_counter() - started


def light(job: Job) -> bool:
    """A job that needs no PDF stack and waits for no other (drawings, STEP models, the plan as CSV, XLSX and
    QIF): its renderer names its target kinds in ``light``."""
    kinds = getattr(job.renderer, "light", ())
    return not job.after and all(t.kind in kinds for t in job.targets)


def run_light(jobs: list[Job], comp, output, host: "Host") -> list[Job]:
    """Run light jobs here, one after the other in start order, while the render host is still loading the
    render stack (this process would otherwise wait for it); the jobs left for the host come back. A job that
    waits for one of them starts as soon as the host has the work: the files are in ``output`` by then, and
    its renderer has no job left to wait for. The bytes are a serial build's."""
    rest = list(jobs)
    for job in jobs:
        if not light(job):
            continue
        if host.ready():
            break
        _run_here(job, comp, output)
        rest.remove(job)
    return rest


def run(jobs: list[Job], comp, output, workers: int) -> None:
    """Render every job into ``output``; afterwards ``output.written`` holds all their files."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            _run_here(job, comp, output)
        return
    ctx = multiprocessing.get_context("fork")
    pending = list(jobs)
    running: dict = {}  # connection -> (process, job)
    left = Counter(job.renderer.name for job in jobs)  # a renderer is finished when all its jobs are
    try:
        while pending or running:
            started_one = False
            for job in list(pending):
                if len(running) >= workers:
                    break
                blocked = {name for name in job.after if left[name]}
                if blocked:
                    continue
                reader, writer = ctx.Pipe(duplex=False)
                # not a daemon: a job may fork its own short-lived section renderers (it dies with the build)
                proc = ctx.Process(target=_child, args=(job, comp, output, writer), daemon=False)
                proc.start()
                writer.close()
                running[reader] = (proc, job)
                pending.remove(job)
                started_one = True
            if not running:
                if pending and not started_one:
                    raise RuntimeError("renderer dependencies form a cycle: "
                                       + ", ".join(sorted({j.renderer.name for j in pending})))
                continue
            for reader in multiprocessing.connection.wait(list(running)):
                proc, job = running.pop(reader)
                try:
                    message = pickle.loads(reader.recv_bytes())
                except EOFError:
                    message = ("error", f"the {job.renderer.name} worker died (exit {proc.exitcode})", "")
                reader.close()
                proc.join()
                job.seconds = _adopt(message, output)
                left[job.renderer.name] -= 1
    finally:
        for reader, (proc, _job) in running.items():
            proc.kill()
            proc.join()
            reader.close()


def summary(jobs: list[Job]) -> dict[str, float]:
    """Seconds spent per renderer (summed over its jobs: CPU-side work, not wall time)."""
    out: dict[str, float] = {}
    for job in jobs:
        out[job.renderer.name] = out.get(job.renderer.name, 0.0) + job.seconds
    return out


PRELOAD = ("techpack.engine", "techpack.renderers", "weasyprint", "pydyf", "pikepdf")
"""Imported by the render host before anything else: what unpickling the compilation needs, and what most
jobs use (every PDF)."""
PRELOAD_IF_IDLE = ("ezdxf", "openpyxl", "segno", "lxml.etree")
"""Imported only while the build is still compiling: each serves one or two jobs, which import it themselves
(on their own core) when the work arrives first."""


READY = b"ready"
"""What the render host sends once it has imported ``PRELOAD``: from then on it renders faster than the build's
own process could (see :func:`run_light`)."""


def preload(conn=None) -> None:
    """Import what render jobs use, so that jobs forked afterwards start with it loaded; while the build is
    still compiling, also parse the shipped style sheets, import the modules of ``PRELOAD_IF_IDLE`` and
    compile each renderer's templates (its ``warm``), in short steps, the work taken as soon as it arrives.
    With a connection, say :data:`READY` to the build once ``PRELOAD`` is imported."""
    import importlib  # noqa: PLC0415

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - a job that needs it reports it
            pass
    if conn is not None:
        conn.send_bytes(READY)
    from . import pdfstyles  # noqa: PLC0415
    from .renderers import RENDERERS  # noqa: PLC0415 - imported above (PRELOAD)

    steps = [functools.partial(pdfstyles.warm, head) for head in pdfstyles.template_heads()]  # ~20 ms each
    steps += [functools.partial(importlib.import_module, name) for name in PRELOAD_IF_IDLE]
    steps += [warm for warm in (getattr(r, "warm", None) for r in RENDERERS.values()) if warm is not None]
    for step in steps:
        if conn is not None and conn.poll():
            return  # the work is here: start it
        try:
            step()
        except Exception:  # noqa: BLE001 - a job that needs it reports it (a missing module, a broken template)
            pass


def _host_main(conn, scratch: str) -> None:
    import tempfile  # noqa: PLC0415

    die_with_parent()
    tempfile.tempdir = scratch  # this host's and its jobs' temporary files (WeasyPrint's fonts), removed with it
    # Ctrl-C reaches the whole process group: the build handles it and this host dies with the build (its jobs
    # with it), never with a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the render stack's modules and the unpickled compilation live as long as the host: no collector passes
    # over them while they are made (the host's collections: 0.25 CPU-s for the bracket, 0.65 for 100 parts)
    with gc_paused(promote=True):
        preload(conn)
    try:
        payload = conn.recv_bytes()
    except (EOFError, OSError):  # the build ended before rendering (errors, dry run)
        return

    def work() -> tuple:
        with gc_paused(promote=True):
            jobs, comp, output, workers = pickle.loads(payload)
        before = set(output.written)
        run(jobs, comp, output, workers)
        return sorted(set(output.written) - before), [j.seconds for j in jobs], output.notes

    _report(conn, work)


class Host:
    """The process render jobs fork from: started at the beginning of a build, it loads the render stack
    while the build compiles the spec, then runs the jobs it is sent (see the module's notes)."""

    def __init__(self, proc, conn, scratch: str):
        self.proc = proc
        self.conn = conn
        self.scratch = scratch
        self.done = False
        self.is_ready = False

    def ready(self) -> bool:
        """Whether the host has loaded the render stack (:data:`READY`; or died, which :meth:`run` reports)."""
        if not self.is_ready and self.conn.poll():
            try:
                self.conn.recv_bytes()
            except (EOFError, OSError):
                pass
            self.is_ready = True
        return self.is_ready

    @classmethod
    def start(cls, scratch: Path) -> "Host":
        """Fork the host. ``scratch``: the folder for its and its jobs' temporary files, removed by
        :meth:`close` (:func:`techpack.outdir.make_scratch`)."""
        ctx = multiprocessing.get_context("fork")
        ours, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_host_main, args=(theirs, str(scratch)), daemon=False)
        proc.start()
        theirs.close()
        return cls(proc, ours, str(scratch))

    def run(self, jobs: list[Job], comp, output, workers: int) -> bool:
        """Render ``jobs`` in the host; afterwards ``output.written`` holds their files, as :func:`run` leaves
        it. False (nothing done) when the work cannot be sent (a renderer that cannot be pickled): the caller
        runs it itself."""
        try:
            payload = pickle.dumps((jobs, comp, output, workers), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return False
        try:
            self.conn.send_bytes(payload)
            if not self.is_ready:  # READY comes first, before the report
                self.conn.recv_bytes()
                self.is_ready = True
            message = pickle.loads(self.conn.recv_bytes())
        except (EOFError, OSError):
            message = ("error", f"the render host died (exit {self.proc.exitcode})", "")
        for job, spent in zip(jobs, _adopt(message, output)):
            job.seconds = spent
        self.done = True
        return True

    def close(self) -> None:
        """Reap the host: it exits once it has reported; one that was given no work, or whose work failed,
        is killed at once (it has written nothing the build keeps). Its temporary folder goes with it, whatever
        a killed job or host left in it."""
        self.conn.close()
        if not self.done:
            self.proc.kill()
        self.proc.join()
        import shutil  # noqa: PLC0415

        shutil.rmtree(self.scratch, ignore_errors=True)

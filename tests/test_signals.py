"""Real signals on a build whose cadquery model loops for ever: techpack ends the geometry worker's
whole process group at once, exits with the conventional status, and no process outlives it.

The geometry timeout is 600 s, so a build that waited for it would fail these tests by their own
safety timeout long before; nothing here measures time (see benchmarks/bench_sandbox.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

LOOP = Path(__file__).resolve().parent / "hostile" / "cadquery-loops-forever"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time) of every process."""
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        procs[int(entry)] = (int(fields[1]), fields[19])
    return procs


def descendants(root: int) -> dict[int, str]:
    """Every process below ``root``: pid -> start time (to tell a reused pid apart)."""
    procs = _processes()
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, start) in procs.items():
            if ppid == parent and pid not in found:
                found[pid] = start
                frontier.append(pid)
    return found


def alive(pids: dict[int, str]) -> list[int]:
    procs = _processes()
    return [pid for pid, start in pids.items() if pid in procs and procs[pid][1] == start
            and "Z" not in Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def start_looping_build(tmp_path: Path) -> tuple[subprocess.Popen, dict[int, str]]:
    spec = tmp_path / "spec"
    shutil.copytree(LOOP, spec, ignore=shutil.ignore_patterns("expect.json"))
    env = {**os.environ, "TECHPACK_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "techpack.cli", "build", str(spec), "-o", str(tmp_path / "out"),
                             "--geometry-timeout", "600"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(1200):  # until the worker runs the model (at most 2 minutes)
        below = descendants(proc.pid)
        if any("techpack.geometry.worker" in _cmdline(pid) for pid in below):
            time.sleep(3)  # past the kernel import: the model's loop is running
            return proc, descendants(proc.pid)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    out, err = proc.communicate()
    pytest.fail(f"the geometry worker never started: {out!r} {err!r}")


@pytest.mark.parametrize("signum, status, word", [(signal.SIGTERM, 143, "terminated"),
                                                  (signal.SIGINT, 130, "interrupted")])
def test_signal_ends_the_worker_group(tmp_path, signum, status, word):
    proc, below = start_looping_build(tmp_path)
    assert below
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # as a terminal's Ctrl-C: to techpack's foreground group
    else:
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert word in err.decode()
    assert "Traceback" not in err.decode()
    for _ in range(50):  # the kernel reaps a killed namespace asynchronously
        if not alive(below):
            break
        time.sleep(0.1)
    assert alive(below) == [], [_cmdline(p) for p in alive(below)]
    assert not (tmp_path / "out").exists()
    assert {p.name for p in tmp_path.iterdir()} <= {"cache", "spec"}  # no staging folder left


def test_sigkill_of_techpack_takes_the_worker(tmp_path):
    """SIGKILL cannot be handled: the worker dies with its parent all the same."""
    proc, below = start_looping_build(tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    for _ in range(100):
        if not alive(below):
            break
        time.sleep(0.1)
    assert alive(below) == [], [_cmdline(p) for p in alive(below)]


def test_pool_workers_of_a_build_take_sigterm_without_a_traceback():
    """``with Pool()`` ends by sending its idle workers SIGTERM. A fork inherits the command line's handler,
    which raises: each worker printed a traceback into a good build's output (seen with 100 parts' drawings).
    The build's pools start their workers with :func:`techpack.schedule.pool_worker`."""
    code = textwrap.dedent("""
        import multiprocessing, signal
        from techpack import cli, schedule
        from techpack.drawings import many
        assert many.pool_worker is schedule.pool_worker
        signal.signal(signal.SIGTERM, cli._on_signal)
        signal.signal(signal.SIGINT, cli._on_signal)
        def handlers(_):
            return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        got = []
        for _ in range(20):
            with multiprocessing.get_context("fork").Pool(2, initializer=schedule.pool_worker) as pool:
                got += pool.map(handlers, range(4))
        print(all(a and b for a, b in got))
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["True"], run.stderr
    assert "Traceback" not in run.stderr, run.stderr

"""Benchmark the geometry sandbox: prints figures, asserts nothing.

    python benchmarks/bench_sandbox.py [--runs 5]

1. One geometry load (cache miss: worker start, cadquery import, model, measuring and the
   drawing views) of a small cadquery plate, confined (bubblewrap + seccomp + audit hook)
   and unconfined (TECHPACK_BWRAP="": the other layers only), interleaved: best and median.
2. bubblewrap's own start-up: `bwrap ... /usr/bin/env true` with the worker's namespaces and binds.
3. Ctrl-C latency: SIGINT to `techpack build` while its model loops, until techpack has exited.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = """import cadquery as cq
result = cq.Workplane("XY").box(60, 40, 10).faces(">Z").workplane().rarray(20, 20, 2, 2).hole(6)
"""


def one_load(tmp: Path, confined: bool) -> float:
    from techpack.geometry import load_facts, sandbox

    os.environ.pop("TECHPACK_BWRAP", None)
    if not confined:
        os.environ["TECHPACK_BWRAP"] = ""
    assert (sandbox.available() == "") == confined, sandbox.available()
    model = tmp / "plate.py"
    model.write_text(MODEL)
    cache = Path(tempfile.mkdtemp(dir=tmp))
    t0 = time.perf_counter()
    load_facts(model, "cadquery", cache_dir=cache)
    return time.perf_counter() - t0


def bwrap_alone(runs: int) -> list[float]:
    from techpack.geometry import sandbox

    cmd = [shutil.which("bwrap"), *sandbox._NAMESPACES, *sandbox._system_binds(), "--proc", "/proc", "--dev",
           "/dev", "--tmpfs", sandbox.PRIVATE_TMP, "--remount-ro", "/", "--", "/usr/bin/env", "true"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        times.append(time.perf_counter() - t0)
    return times


def ctrl_c(tmp: Path) -> float:
    spec = tmp / "loop"
    shutil.copytree(ROOT / "tests" / "hostile" / "cadquery-loops-forever", spec,
                    ignore=shutil.ignore_patterns("expect.json"))
    env = {**os.environ, "TECHPACK_CACHE_DIR": str(tmp / "cache-loop")}
    env.pop("TECHPACK_BWRAP", None)
    proc = subprocess.Popen([sys.executable, "-m", "techpack.cli", "build", str(spec), "-o", str(tmp / "out"),
                             "--geometry-timeout", "600"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(15)  # the worker is running the model's loop by now
    t0 = time.perf_counter()
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait()
    return time.perf_counter() - t0


def show(name: str, times: list[float]) -> None:
    print(f"{name:44} best {min(times):6.2f} s   median {statistics.median(times):6.2f} s   (n={len(times)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if shutil.which("bwrap") is None:
        sys.exit("bubblewrap is not installed: nothing to compare")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        confined, unconfined = [], []
        for _ in range(args.runs):
            confined.append(one_load(tmp, True))
            unconfined.append(one_load(tmp, False))
        show("geometry load, confined (bubblewrap)", confined)
        show("geometry load, unconfined (TECHPACK_BWRAP='')", unconfined)
        print(f"{'overhead per load (median difference)':44} {statistics.median(confined) - statistics.median(unconfined):+6.2f} s")
        show("bwrap start-up alone (env true)", bwrap_alone(args.runs * 2))
        print(f"{'Ctrl-C to exit, model looping':44} {ctrl_c(tmp):6.2f} s")


if __name__ == "__main__":
    main()

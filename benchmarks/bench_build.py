"""Benchmark `techpack check` and `techpack build` end to end: prints figures, asserts nothing.

    python benchmarks/bench_build.py [--runs 3] [--skip-large]

Every figure is a fresh process (interpreter start included), as a user or CI
runs the tool:

* check: the largest example, and a generated 5,000-characteristic spec;
* build, per example: cold (empty geometry cache, new output folder), warm
  (geometry cache warm, new output folder), and no-op (nothing changed);
* build of a generated product with 100 parts and 1,000 BOM lines;
* peak memory (max RSS of the build process and of its geometry workers).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import generate  # noqa: E402

RUNNER = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from techpack.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
dt = time.perf_counter() - t0
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
          for f in ("ru_utime", "ru_stime"))
print(json.dumps({"seconds": dt, "rss_mb": self_kb / 1024, "child_rss_mb": child_kb / 1024, "cpu": cpu}),
      file=sys.stderr)
"""


class Run(NamedTuple):
    wall: float
    rss_mb: float
    child_rss_mb: float
    cpu: float
    """CPU seconds of the process and every child it waited for (geometry worker, render host and jobs)."""


def timed(args: list[str], env: dict) -> Run:
    """Wall time of a fresh `techpack ...` process, the peak RSS of it and its children (MB), and CPU time."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    stats = json.loads(proc.stderr.strip().splitlines()[-1])
    return Run(wall, stats["rss_mb"], stats["child_rss_mb"], stats["cpu"])


def fmt(times: list[float]) -> str:
    return f"best {min(times):.2f} s, median {statistics.median(times):.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-large", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="techpack-bench-"))
    env = {**os.environ, "TECHPACK_CACHE_DIR": str(tmp / "cache")}
    print(f"techpack benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    try:
        big = generate(tmp / "gen5000", 100, 1000, 5000)
        walls = [timed(["check", str(big), "--no-geometry"], env)[0] for _ in range(args.runs)]
        print(f"check, generated 5,000 characteristics / 1,000 BOM lines: {fmt(walls)}")
        walls = [timed(["check", str(ROOT / "examples" / "enclosure")], env)[0] for _ in range(args.runs)]
        print(f"check, examples/enclosure (largest; geometry cache warm after the first): {fmt(walls)}")
        for name in ("bracket", "shaft", "enclosure"):
            cold, warm, noop = [], [], []
            peak = (0.0, 0.0)
            for _ in range(args.runs):
                shutil.rmtree(tmp / "cache", ignore_errors=True)
                out = tmp / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                w, rss, crss, _cpu = timed(["build", str(ROOT / "examples" / name), "-o", str(out)], env)
                cold.append(w)
                peak = (max(peak[0], rss), max(peak[1], crss))
                shutil.rmtree(out)
                warm.append(timed(["build", str(ROOT / "examples" / name), "-o", str(out)], env)[0])
                noop.append(timed(["build", str(ROOT / "examples" / name), "-o", str(out)], env)[0])
            files = len(json.loads((out / "manifest.json").read_text())["files"])
            print(f"build examples/{name} ({files} files): cold {fmt(cold)}; warm {fmt(warm)}; "
                  f"no-op {fmt(noop)} ({statistics.median(noop) / statistics.median(warm):.0%} of warm); "
                  f"peak RSS {peak[0]:.0f} MB, geometry worker {peak[1]:.0f} MB")
        if not args.skip_large:
            gen = generate(tmp / "gen100", 100, 1000, 2000)
            out = tmp / "out-gen"
            w, rss, _, _cpu = timed(["build", str(gen), "-o", str(out), "--no-pdf-a"], env)
            ok = (out / "manifest.json").exists()
            print(f"build, generated 100 parts / 1,000 BOM lines: {w:.1f} s, peak RSS {rss:.0f} MB"
                  + ("" if ok else " (nothing written: the generated spec has errors)"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

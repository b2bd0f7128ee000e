"""Benchmark STEP export and flat patterns per part: prints figures, asserts nothing.

    python benchmarks/bench_models.py [--runs 5]

For every made part of every example (STEP) and every sheet-metal part (flat pattern):

* *kernel, warm*: the geometry kernel's own work in a loaded process (cadquery imported, the
  model built once): ``write_step`` + header stamping, ``flat_pattern`` — what one more part
  costs a worker that is already running;
* *cached*: ``export_step`` / ``load_flat`` in this process with the cache filled — what every
  build after the first pays (no worker);
* *cold*: the same with an empty cache: one isolated worker process (kernel import included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import runpy
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = [("bracket", "geometry/bracket.py", "cadquery", False), ("shaft", "geometry/shaft.step", "step", False),
          ("enclosure", "geometry/body.py", "cadquery", False), ("enclosure", "geometry/lid.py", "cadquery", False),
          ("enclosure", "geometry/standoff.py", "cadquery", False),
          ("sheet-bracket", "geometry/bracket.py", "cadquery", True)]
K = 0.325


def best(f, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    runs = ap.parse_args().runs
    import cadquery as cq

    from techpack.geometry.export import StepHeader, export_step, stamp_header
    from techpack.geometry.stepout import write_step
    from techpack.geometry.unfold import flat_pattern
    from techpack.sheetmetal.flat import load_flat

    header = StepHeader("P-1", "A", "bench", "owner", "author", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "bench")
    print(f"{'part':38} {'what':12} {'kernel warm':>12} {'cached':>10} {'cold worker':>12}")
    for example, rel, kind, sheet in MODELS:
        path = ROOT / "examples" / example / rel
        if kind == "step":
            shape = cq.importers.importStep(str(path)).val()
        else:
            shape = runpy.run_path(str(path))["result"].val()
        name = f"{example}/{rel}"
        kernel = best(lambda: stamp_header(write_step(shape), header), runs)
        with tempfile.TemporaryDirectory() as cache:
            t = time.perf_counter()
            export_step(path, kind, header, cache_dir=Path(cache))
            cold = time.perf_counter() - t
            cached = best(lambda: export_step(path, kind, header, cache_dir=Path(cache)), runs)
        print(f"{name:38} {'STEP':12} {kernel[0]:10.3f} s {cached[0]:8.4f} s {cold:10.2f} s")
        if sheet:
            kernel = best(lambda: flat_pattern(shape, K), runs)
            with tempfile.TemporaryDirectory() as cache:
                t = time.perf_counter()
                load_flat(path, kind, K, cache_dir=Path(cache))
                cold = time.perf_counter() - t
                cached = best(lambda: load_flat(path, kind, K, cache_dir=Path(cache)), runs)
            print(f"{name:38} {'flat pattern':12} {kernel[0]:10.3f} s {cached[0]:8.4f} s {cold:10.2f} s")
    print(f"(best of {runs}; cold = one run; machine load: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()

"""Benchmark the drawings' layout stage (the drawings renderer's ``prepare``): prints figures, asserts nothing.

    python benchmarks/bench_layout.py [--parts 100] [--examples]

For a generated product (``bench_check.generate``: identical plates, 20 characteristics each) and, with
``--examples``, the bracket and the enclosure, each figure is one fresh interpreter running
compile_spec + the drawings renderer's prepare, with the geometry cache warm (a first run fills it):

* *cold*: the layout cache emptied first (every part laid out), serial (``TECHPACK_JOBS=1``) and over
  every core;
* *warm*: the layout cache kept (nothing laid out: every sheet read back).

Wall and CPU seconds (this process and the layout workers) of the prepare alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PREPARE = """
import os, sys, time
from pathlib import Path
from techpack.engine import compile_spec
from techpack.renderers.drawings import RENDERER
comp = compile_spec(Path(sys.argv[1]))
targets = RENDERER.targets(comp)
t, c = time.perf_counter(), os.times()
RENDERER.prepare(comp, targets)
d = os.times()
cpu = sum(getattr(d, k) - getattr(c, k) for k in ("user", "system", "children_user", "children_system"))
print(f"{time.perf_counter() - t:.2f} {cpu:.2f} {len(comp.sheets)}")
"""


def run(spec: Path, cache: Path, jobs: str | None, cold: bool) -> tuple[float, float, int]:
    if cold:
        shutil.rmtree(cache / "layouts", ignore_errors=True)
    env = {**os.environ, "TECHPACK_CACHE_DIR": str(cache)}
    env.pop("TECHPACK_JOBS", None)
    if jobs is not None:
        env["TECHPACK_JOBS"] = jobs
    out = subprocess.run([sys.executable, "-c", PREPARE, str(spec)], env=env, check=True, capture_output=True,
                         text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", type=int, default=100)
    ap.add_argument("--examples", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_check import generate  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        specs = []
        gen = Path(tmp) / f"g{args.parts}"
        generate(gen, args.parts, args.parts * 10, args.parts * 20)
        specs.append((f"generated, {args.parts} parts", gen))
        if args.examples:
            specs += [("bracket", ROOT / "examples" / "bracket"), ("enclosure", ROOT / "examples" / "enclosure")]
        cache = Path(os.environ.get("TECHPACK_CACHE_DIR") or Path(tmp) / "cache")
        print("drawings prepare (wall s / cpu s)")
        for name, spec in specs:
            run(spec, cache, None, cold=False)  # the geometry cache filled
            figures = [("cold, serial", run(spec, cache, "1", cold=True)),
                       ("cold, every core", run(spec, cache, None, cold=True)),
                       ("warm", run(spec, cache, None, cold=False))]
            print(f"  {name}: " + "; ".join(f"{label} {w:.2f} / {c:.2f}" for label, (w, c, _n) in figures))


if __name__ == "__main__":
    main()

"""Benchmark the bracket's drawing: prints figures, asserts nothing.

    python benchmarks/bench_drawings.py [--runs 5]

Every figure is wall time in a fresh interpreter (imports included), with a fresh
``TECHPACK_CACHE_DIR`` for the cold figures:

1. *Drawing, cold views*: the spec compiled and its facts cached, but no view
   geometry cached: the drawing step loads the model in the worker, projects the
   views and writes the DXF and SVG.
2. *Drawing, warm*: the same with the view geometry cached (what every build after
   the first, or after the facts run, sees).
3. *Build, cold cache*: ``techpack build`` with only the drawings renderer, cache
   empty: one geometry worker run gives facts and views together.
4. *Build, warm cache*: the same again (forced, so it renders rather than stopping
   at the no-op check).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRACKET = ROOT / "examples" / "bracket"

DRAW = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from techpack.engine import compile_spec
comp = compile_spec(Path(sys.argv[1]))
part = comp.loaded.spec.parts[0]
if sys.argv[2] == "drop-views":
    import shutil, os
    shutil.rmtree(Path(os.environ["TECHPACK_CACHE_DIR"]) / "views", ignore_errors=True)
t1 = time.perf_counter()
from techpack.drawings import make_sheet
from techpack.drawings.dxf import write_dxf
from techpack.drawings.svg import write_svg
sheet = make_sheet(comp, part)
dxf = write_dxf(sheet, comp.date)
svg = write_svg(sheet)
t2 = time.perf_counter()
sheet = make_sheet(comp, part)
write_dxf(sheet, comp.date)
write_svg(sheet)
t3 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f} {len(dxf)} {len(svg)} {t3 - t2:.4f}")
"""

BUILD = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from techpack.build import BuildOptions, build
from techpack.renderers import RENDERERS
r = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(), renderers={"drawings": RENDERERS["drawings"]})
assert r.written
print(f"{time.perf_counter() - t0:.4f}")
"""


def _run(script: str, args: list[str], cache: Path) -> list[str]:
    env = {**os.environ, "TECHPACK_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True)
    return out.stdout.split()


def _summary(label: str, values: list[float]) -> None:
    print(f"  {label:<44} best {min(values):.3f} s   median {statistics.median(values):.3f} s   (n={len(values)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="techpack-bench-drawings-"))
    try:
        cold_draw, warm_draw, compile_warm, again, sizes = [], [], [], [], None
        cold_build, warm_build = [], []
        for i in range(args.runs):
            cache = work / f"cache-{i}"
            _run(DRAW, [str(BRACKET), "keep"], cache)  # facts (and views) cached
            c, d, ndxf, nsvg, _ = _run(DRAW, [str(BRACKET), "drop-views"], cache)
            cold_draw.append(float(d))
            c, d, ndxf, nsvg, a = _run(DRAW, [str(BRACKET), "keep"], cache)
            compile_warm.append(float(c))
            warm_draw.append(float(d))
            again.append(float(a))
            sizes = (int(ndxf), int(nsvg))
            fresh = work / f"fresh-{i}"
            cold_build.append(float(_run(BUILD, [str(BRACKET), str(work / f"out-{i}")], fresh)[0]))
            warm_build.append(float(_run(BUILD, [str(BRACKET), str(work / f"out2-{i}")], fresh)[0]))
        print("bracket (TP-1001-01) drawing, wall time")
        _summary("drawing, views not cached (worker + DXF + SVG)", cold_draw)
        _summary("drawing, views cached, fresh interpreter", warm_draw)
        _summary("drawing, views cached, in process (again)", again)
        _summary("compile (check) before it, cache warm", compile_warm)
        _summary("build (drawings only), cold cache", cold_build)
        _summary("build (drawings only), warm cache, new output", warm_build)
        if sizes:
            print(f"  sizes: DXF {sizes[0]:,} bytes, SVG {sizes[1]:,} bytes")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

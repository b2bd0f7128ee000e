"""Benchmark the tech-pack PDF: prints figures, asserts nothing.

    python benchmarks/bench_pdf.py [--parts 100] [--bom 1000] [--chars 5000] [--runs 3]

1. The bracket example's PDF (PDF/A-3b with attachments), rendered in process
   from a compiled spec (geometry cache warm): the first render in a fresh
   process (WeasyPrint and fonts loading included), the best of the next runs
   (each with the PDF section cache emptied first), and one with every section
   taken from the cache.
2. A generated product (``bench_check.generate``: 100 parts, 1,000 BOM lines,
   5,000 characteristics; every part given a declared mass): compile + PDF in
   a fresh process, wall time and peak resident memory.
Targets on this machine: bracket under 3 s, generated product under 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_check import generate  # noqa: E402

CHILD = r"""
import json, resource, shutil, sys, time
from pathlib import Path
t0 = time.perf_counter()
from techpack.engine import Options, compile_spec
from techpack.geometry.facts import default_cache_dir
from techpack.techpack_pdf import render_techpack_pdf
folder, geometry, runs = Path(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3])
comp = compile_spec(folder, Options(geometry=geometry))
assert comp.ok, [d.message for d in comp.diagnostics if d.severity.value == "error"]
t1 = time.perf_counter()
sections = default_cache_dir() / "pdf-sections"
times = []
for _ in range(runs):
    shutil.rmtree(sections, ignore_errors=True)  # every section laid out
    t = time.perf_counter()
    pdf = render_techpack_pdf(comp)
    times.append(time.perf_counter() - t)
t = time.perf_counter()
render_techpack_pdf(comp)  # every section from the cache
cached = time.perf_counter() - t
import pypdf, io
pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"compile": t1 - t0, "times": times, "cached": cached, "bytes": len(pdf), "pages": pages,
                  "maxrss_mb": rss / 1024}))
"""


def run_child(folder: Path, geometry: bool, runs: int) -> dict:
    env = {**os.environ, "TECHPACK_CACHE_DIR": str(CACHE)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), "1" if geometry else "0", str(runs)],
                         capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def with_masses(folder: Path) -> None:
    """Give every generated part a declared mass, so the BOM rolls masses up as in a real product."""
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("    envelope: 100 x 80 x 40\n", "    envelope: 100 x 80 x 40\n    mass: 250 g\n"),
                    encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parts", type=int, default=100)
    ap.add_argument("--bom", type=int, default=1000)
    ap.add_argument("--chars", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    global CACHE  # noqa: PLW0603 - the children's cache: geometry kept across them, sections emptied per render
    CACHE = Path(tempfile.mkdtemp(prefix="techpack-bench-pdf-"))
    print(f"techpack PDF benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    run_child(ROOT / "examples" / "bracket", True, 1)  # warm the geometry cache
    r = run_child(ROOT / "examples" / "bracket", True, args.runs + 1)
    first, rest = r["times"][0], r["times"][1:]
    print(f"bracket: {r['pages']} pages, {r['bytes'] / 1e3:.0f} kB; PDF render first in a fresh process "
          f"{first:.2f} s, best of the next {len(rest)} {min(rest):.2f} s, with its sections cached "
          f"{r['cached']:.2f} s; peak RSS {r['maxrss_mb']:.0f} MB (largest process)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "bench", args.parts, args.bom, args.chars)
        with_masses(folder)
        r = run_child(folder, False, 1)
        print(f"generated product ({args.parts} parts, {args.bom} BOM lines, {args.chars} characteristics): "
              f"{r['pages']} pages, {r['bytes'] / 1e6:.1f} MB; compile {r['compile']:.1f} s, "
              f"PDF {r['times'][0]:.1f} s, total {r['compile'] + r['times'][0]:.1f} s; "
              f"peak RSS {r['maxrss_mb']:.0f} MB (largest process)")
    shutil.rmtree(CACHE, ignore_errors=True)


CACHE = Path()

if __name__ == "__main__":
    main()

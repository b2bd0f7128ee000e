"""Benchmark `techpack diff`: prints figures, asserts nothing.

    python benchmarks/bench_diff.py [--parts 100] [--bom 1000] [--chars 5000] [--runs 3]

The generated product of ``bench_check.py`` (100 parts, 1,000 BOM lines, 5,000
characteristics) against a copy of itself with every 10th part's first hole
moved by 1 mm and one tolerance changed, compared in process without geometry
(two compiles + the diff), and the diff model alone on the compiled snapshots;
then the CLI run with --format json, interpreter start included.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import generate  # noqa: E402


def revise(src: Path, dst: Path, parts: int) -> None:
    text = (src / "techpack.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    part = -1
    moved = False
    for i, line in enumerate(lines):
        if line.startswith("  - number: P-"):
            part += 1
            moved = False
        if part % 10 == 0 and not moved and "{id: h1," in line:
            lines[i] = line.replace("locations: [{x: 10 basic", "locations: [{x: 11 basic")
            moved = True
    text = "\n".join(lines) + "\n"
    text = text.replace("size: Ø6 ±0.05", "size: Ø6 ±0.02", 1)
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "techpack.yaml").write_text(text, encoding="utf-8")
    (dst / "plate.py").write_bytes((src / "plate.py").read_bytes())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parts", type=int, default=100)
    ap.add_argument("--bom", type=int, default=1000)
    ap.add_argument("--chars", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from techpack.revisions.model import diff
    from techpack.revisions.run import compare
    from techpack.revisions.scope import delta_fai

    with tempfile.TemporaryDirectory() as tmp:
        old = generate(Path(tmp) / "old", args.parts, args.bom, args.chars)
        new = Path(tmp) / "new"
        revise(old, new, args.parts)
        full, model = [], []
        cs = None
        for _ in range(args.runs):
            t0 = time.perf_counter()
            cs = compare(str(old), str(new), geometry=False)
            full.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            diff(cs.old, cs.new)
            delta_fai(cs)
            model.append(time.perf_counter() - t0)
        assert cs is not None
        print(f"product: {args.parts} parts, {len(cs.new.bom)} BOM lines, {len(cs.new.chars)} characteristics; "
              f"{len(cs.changes)} changes, {sum(len(s.ids) for s in delta_fai(cs))} characteristics to re-inspect")
        print(f"diff in process (2 compiles + diff, no geometry): best {min(full):.2f} s, "
              f"median {statistics.median(full):.2f} s over {args.runs} runs")
        from techpack.engine import Options, compile_spec
        one = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            compile_spec(old, Options(geometry=False))
            one.append(time.perf_counter() - t0)
        print(f"for scale, one `check` compile of one side: best {min(one):.2f} s, median {statistics.median(one):.2f} s")
        print(f"diff model + delta-FAI scope alone: best {min(model) * 1000:.0f} ms, "
              f"median {statistics.median(model) * 1000:.0f} ms")
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "techpack.cli", "diff", str(old), str(new), "--no-geometry",
                               "--format", "json"], capture_output=True, check=False)
        print(f"techpack diff --no-geometry --format json (CLI, interpreter start included): "
              f"{time.perf_counter() - t0:.2f} s, exit {done.returncode}")


if __name__ == "__main__":
    main()

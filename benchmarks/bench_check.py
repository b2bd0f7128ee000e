"""Benchmark `techpack check`: prints figures, asserts nothing.

    python benchmarks/bench_check.py [--parts 100] [--bom 1000] [--chars 5000]

1. A generated spec with 1,000 BOM lines and 5,000 characteristics, checked in
   process (load + validate + derive + all checks; no geometry): best and median
   of several runs, against the default profile and then against three
   suppliers (the two shipped profiles and a renamed copy), with routing.
2. `techpack check examples/<name>` as a user runs it, interpreter start
   included, with the geometry cache warm: best and median wall time.

The machine's load average is printed, and a floor measured in the same run:
PyYAML's plain ``safe_load`` of the same spec (libyaml's CSafeLoader where
built in, garbage collector paused as in the check), i.e. reading the file into
Python objects with no location, no validation and no check.  On a shared
machine compare the ratio check / floor, and the CPU time (process time) of the
check, which other processes disturb less than the wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PLATE = """# Benchmark plate: {w} x {h} x 10 mm with a grid of Ø6 through holes (same for every part).
import cadquery as cq

HOLES = {holes!r}
plate = cq.Workplane("XY").box({w}, {h}, 10, centered=False)
result = plate.faces(">Z").workplane(origin=(0, 0, 10)).pushPoints(HOLES).hole(6)
"""


def generate(folder: Path, parts: int, bom_lines: int, chars: int) -> Path:
    """A large valid spec: ``parts`` identical plates (one shared cadquery model), ``chars``
    characteristics in all, ``bom_lines`` BOM lines (the parts, then purchased screws)."""
    per_part = max(chars // parts, 4)
    n_holes = max(1, min((per_part - 1) // 3, 96))  # each hole: size, position, roughness
    cols = 12
    w, h = 10 + 10 * cols, 10 + 10 * ((n_holes + cols - 1) // cols)
    holes = [(10 + 10 * (i % cols), 10 + 10 * (i // cols)) for i in range(n_holes)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plate.py").write_text(PLATE.format(w=w, h=h, holes=holes), encoding="utf-8")
    out = ["techpack: \"1\"", "product:", "  number: BENCH-1", "  name: Benchmark product", "  revision: A",
           "  owner: techpack benchmarks", "  rfq_contact: {name: Bench}",
           "materials:", "  - {id: al, designation: EN AW-6061-T6, standard: ASTM B221, grade: \"6061\", temper: T6,"
           " family: aluminium, density: 2.70 g/cm3, certificate: EN 10204 3.1}",
           "parts:"]
    for p in range(parts):
        out += [f"  - number: P-{p:04d}", f"    name: Plate {p}", "    revision: A", "    material: al",
                "    finish: none", "    geometry: {cadquery: plate.py}", "    general_tolerance: ISO 2768-mK",
                "    datums: [{label: A, feature: f0}]", "    features:",
                "      - {id: f0, type: face, gdt: [{characteristic: flatness, tolerance: 0.05}]}"]
        for i, (x, y) in enumerate(holes, 1):
            out.append(f"      - {{id: h{i}, type: hole, size: Ø6 ±0.05, depth: through, axis: z, "
                       f"locations: [{{x: {x} basic, y: {y} basic}}], roughness: {{ra: 3.2 um}}, "
                       f"gdt: [{{characteristic: position, tolerance: 0.1, diameter: true, datums: [A]}}]}}")
    out.append("bom:")
    for b in range(bom_lines):
        if b < parts:
            out.append(f"  - {{item: \"{b + 1}\", part: P-{b:04d}, quantity: 1}}")
        else:
            out.append(f"  - {{item: \"{b + 1}\", purchased: {{description: Screw, standard: ISO 4762 M4x{8 + b % 20}"
                       f" A2-70}}, quantity: {1 + b % 8}}}")
    out += ["packaging: {unit_pack: bag}", "production: {sample_batch: 12, pp_sample: {quantity: 5}, "
            "production_quantity: 300}"]
    (folder / "techpack.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


def three_suppliers(folder: Path) -> list[Path]:
    shipped = ROOT / "specs" / "capability"
    third = folder / "third-supplier.yaml"
    third.write_text((shipped / "typical-cnc-job-shop.yaml").read_text(encoding="utf-8").replace(
        "name: Typical CNC job shop (techpack default profile)", "name: Third supplier (copy of the default)"),
        encoding="utf-8")
    return [shipped / "typical-cnc-job-shop.yaml", shipped / "basic-3axis-shop.yaml", third]


def bench_floor(folder: Path, runs: int) -> float:
    """Best time of a plain ``yaml.safe_load`` (libyaml's loader where built in) of the spec, the cyclic
    garbage collector paused as in the check: the floor."""
    import gc

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (folder / "techpack.yaml").read_text(encoding="utf-8")
    times = []
    for _ in range(runs):
        gc.disable()  # as the check runs (techpack.gcpause): the collector would double this
        t0 = time.perf_counter()
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
        times.append(time.perf_counter() - t0)
        gc.enable()
        del data
        gc.collect()
    best = min(times)
    print(f"  floor: yaml.load({loader.__name__}) of the same file: best {best:.3f} s, "
          f"median {statistics.median(times):.3f} s ({runs} runs)")
    return best


def bench_in_process(folder: Path, runs: int, capability: list[Path] | None = None,
                     floor: float | None = None) -> None:
    from techpack.engine import Options, compile_spec

    times, cpu = [], []
    for _ in range(runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        result = compile_spec(folder, Options(geometry=False, capability=capability or []))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    chars = sum(len(v) for v in result.context.characteristics.values())
    tracemalloc.start()
    compile_spec(folder, Options(geometry=False))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = (folder / "techpack.yaml").stat().st_size
    print(f"generated spec: {size / 1e6:.1f} MB YAML, {len(result.loaded.spec.parts)} parts, "
          f"{chars} characteristics, {sum(1 for _ in result.loaded.spec.bom)} BOM lines, "
          f"{len(result.diagnostics)} diagnostics, errors={result.diagnostics.has_errors}")
    what = f"{len(capability)} suppliers" if capability else "default profile"
    ratio = f"; {min(times) / floor:.2f}× the floor" if floor else ""
    print(f"  check in process ({what}, routing): best {min(times):.3f} s, median {statistics.median(times):.3f} s "
          f"({runs} runs){ratio}; CPU time best {min(cpu):.3f} s; peak Python memory {peak / 1e6:.0f} MB")


def bench_cli(example: str, runs: int) -> None:
    cmd = [sys.executable, "-m", "techpack.cli", "check", str(ROOT / "examples" / example)]
    subprocess.run(cmd, capture_output=True, check=False)  # warm the geometry cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    print(f"  techpack check examples/{example} (interpreter start included, geometry cache warm): "
          f"best {min(times):.3f} s, median {statistics.median(times):.3f} s ({runs} runs)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parts", type=int, default=100)
    ap.add_argument("--bom", type=int, default=1000)
    ap.add_argument("--chars", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-cli", action="store_true", help="Skip the example runs through the CLI.")
    args = ap.parse_args()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"techpack check benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "bench", args.parts, args.bom, args.chars)
        floor = bench_floor(folder, args.runs)
        bench_in_process(folder, args.runs, floor=floor)
        bench_in_process(folder, args.runs, three_suppliers(folder), floor=floor)
    print(f"load average after: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for example in () if args.no_cli else ("bracket", "shaft", "enclosure"):
        bench_cli(example, args.runs)


if __name__ == "__main__":
    main()

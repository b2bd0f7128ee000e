# TP-2001-01 stepped shaft (turned/ground, along +Z): writes shaft.step next to this script.
"""Regenerate with ``python examples/shaft/geometry/make_shaft_step.py``.

The header timestamp cadquery/OCCT writes is replaced by a fixed one so that
regenerating gives the same bytes.
"""
import re
from pathlib import Path

import cadquery as cq

FIXED_TIMESTAMP = "2026-01-01T00:00:00"

# (diameter, z_start, z_end)
STEPS = [
    (20.0, 0.0, 18.0),     # bearing seat, datum A
    (25.0, 18.0, 102.0),   # body
    (20.0, 102.0, 120.0),  # bearing seat, datum B
    (16.0, 120.0, 150.0),  # drive journal
]


def make_shaft() -> cq.Shape:
    parts = [
        cq.Solid.makeCylinder(d / 2, z1 - z0, cq.Vector(0, 0, z0), cq.Vector(0, 0, 1))
        for d, z0, z1 in STEPS
    ]
    shaft = parts[0].fuse(*parts[1:]).clean()
    # Keyway in the Ø16 journal: width 5 (X -2.5..2.5), Z 125..145, flat bottom at
    # Y = 5 (depth 3 from the top of the journal at Y = 8); the cutter overshoots in +Y.
    keyway = cq.Solid.makeBox(5, 5, 20, cq.Vector(-2.5, 5, 125))
    return shaft.cut(keyway).clean()


def write_step(shape: cq.Shape, path: Path) -> None:
    cq.exporters.export(cq.Workplane("XY").add(shape), str(path), exportType="STEP")
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(
        r"(FILE_NAME\('[^']*',')[^']*(')", rf"\g<1>{FIXED_TIMESTAMP}\g<2>", text, count=1
    )
    if n != 1:
        raise RuntimeError("STEP header has no FILE_NAME timestamp to fix")
    path.write_text(text, encoding="utf-8")


result = make_shaft()

if __name__ == "__main__":
    out = Path(__file__).resolve().with_name("shaft.step")
    write_step(result, out)
    print(f"wrote {out}")

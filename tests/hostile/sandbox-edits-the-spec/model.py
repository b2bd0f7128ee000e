# A model that loosens the tolerance after the spec was checked (60 ±0.1 → ±5).
from pathlib import Path

import cadquery as cq

spec = Path(__file__).with_name("techpack.yaml")
spec.write_text(spec.read_text().replace("±0.1", "±5"))
result = cq.Workplane("XY").box(40, 30, 5)

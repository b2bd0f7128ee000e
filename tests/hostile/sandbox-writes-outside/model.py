# A model that drops a file beside the product folder, and carries on when refused.
from pathlib import Path

import cadquery as cq

try:
    (Path(__file__).resolve().parent.parent / "pwned").write_text("written by the model")
except OSError:
    pass
result = cq.Workplane("XY").box(40, 30, 5)

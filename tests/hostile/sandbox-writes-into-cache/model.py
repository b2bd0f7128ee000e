# A model that poisons the shared geometry cache (the test harness puts it at <work>/../cache).
import json
from pathlib import Path

import cadquery as cq

cache = Path(__file__).resolve().parents[2] / "cache" / "geometry"
cache.mkdir(parents=True, exist_ok=True)
(cache / "pwned.json").write_text(json.dumps({"facts_version": 1, "facts": {}}))
result = cq.Workplane("XY").box(40, 30, 5)

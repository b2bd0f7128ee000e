"""Geometry facts from STEP files and cadquery models.

``load_facts(path, kind)`` measures a part (bounding box, volume, area, solids,
cylindrical and planar faces) in an isolated worker process and caches the answer
by the file's bytes.  Importing this package never imports cadquery.
"""

from .facts import (
    FACTS_VERSION,
    Cylinder,
    GeometryError,
    GeometryFacts,
    Plane,
    default_cache_dir,
    load_facts,
)

__all__ = [
    "FACTS_VERSION",
    "Cylinder",
    "GeometryError",
    "GeometryFacts",
    "Plane",
    "default_cache_dir",
    "load_facts",
]

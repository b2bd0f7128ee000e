"""Drawings: ``drawings/<part>.dxf`` (DXF R2013, for the supplier's CAD/CAM) and ``.svg`` (for the PDF).

Both come from one drawing model per part (:func:`techpack.drawings.make_sheet`),
so they show the same sheet.  A part's drawing depends on that part alone (its
spec, material, finish, geometry), plus the drawing code itself.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from .base import Output, Target

if TYPE_CHECKING:
    from ..engine import Compilation

_SOURCES = ("drawings", "geometry")


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """A dependency key that changes with the drawing code, so a stale drawing is never reused."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for folder in _SOURCES:
        for p in sorted((root / folder).glob("*.py")):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return "drawings-code:" + h.hexdigest()[:16]


class DrawingsRenderer:
    """One dimensioned sheet per part, as DXF and SVG."""

    name = "drawings"

    def targets(self, comp: "Compilation") -> list[Target]:
        out = []
        for part in comp.loaded.spec.parts:
            deps = (f"part:{part.number}", code_key())
            out.append(Target(f"drawings/{part.number}.dxf", "drawing-dxf", deps))
            out.append(Target(f"drawings/{part.number}.svg", "drawing-svg", deps))
        return out

    def render(self, comp: "Compilation", out: Output, targets: list[Target]) -> None:
        from ..drawings import make_sheet  # noqa: PLC0415 - only when drawings are written
        from ..drawings.dxf import write_dxf  # noqa: PLC0415
        from ..drawings.svg import write_svg  # noqa: PLC0415

        wanted = {t.path for t in targets}
        for part in comp.loaded.spec.parts:
            dxf, svg = f"drawings/{part.number}.dxf", f"drawings/{part.number}.svg"
            if dxf not in wanted and svg not in wanted:
                continue
            sheet = make_sheet(comp, part)
            if dxf in wanted:
                out.write(dxf, write_dxf(sheet, comp.date))
            if svg in wanted:
                out.write(svg, write_svg(sheet))


RENDERER = DrawingsRenderer()

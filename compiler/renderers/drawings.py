"""Drawings: ``drawings/<part>.dxf`` (DXF R2013, for the supplier's CAD/CAM) and ``.svg`` (for the PDF).

Both come from one drawing model per part (:func:`techpack.drawings.make_sheet`),
so they show the same sheet.  A part's drawing depends on that part alone (its
spec, material, finish, geometry); the build re-renders everything when techpack's code changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Output, Target

if TYPE_CHECKING:
    from ..engine import Compilation

class DrawingsRenderer:
    """One dimensioned sheet per part, as DXF and SVG."""

    name = "drawings"
    weights = {"drawing-dxf": 3.0, "drawing-svg": 0.2}  # relative render cost (schedule.by_priority)
    light = ("drawing-dxf", "drawing-svg")  # no PDF stack: may run while the render host loads it (schedule)

    def targets(self, comp: "Compilation") -> list[Target]:
        out = []
        # with a baseline the sheets carry its revision marks; the history (revision table) is in the part's key
        marked = ("baseline",) if getattr(comp, "changes", None) is not None else ()
        for part in comp.loaded.spec.parts:
            deps = (f"part:{part.number}", *marked)
            out.append(Target(f"drawings/{part.number}.dxf", "drawing-dxf", deps))
            out.append(Target(f"drawings/{part.number}.svg", "drawing-svg", deps))
        from ..drawings.flat_sheet import flat_of  # noqa: PLC0415

        for part in comp.loaded.spec.parts:
            if flat_of(comp, part) is not None:  # sheet 2: the flat pattern (its K-factor may be the supplier's)
                deps = (f"part:{part.number}", "capability")
                out.append(Target(f"drawings/{part.number}-flat.dxf", "drawing-dxf", deps))
                out.append(Target(f"drawings/{part.number}-flat.svg", "drawing-svg", deps))
        return out

    def prepare(self, comp: "Compilation", targets: list[Target]) -> None:
        """Lay out the sheets to render before the jobs fork, so that each is made once (over the machine's
        cores: :func:`~techpack.drawings.many.make_sheets`)."""
        from ..drawings.many import make_sheets  # noqa: PLC0415 - only when drawings are written

        wanted = {t.path for t in targets}
        make_sheets(comp, [part for part in comp.loaded.spec.parts
                           if f"drawings/{part.number}.dxf" in wanted or f"drawings/{part.number}.svg" in wanted])

    def render(self, comp: "Compilation", out: Output, targets: list[Target]) -> None:
        from ..drawings import part_sheet  # noqa: PLC0415 - only when drawings are written
        from ..drawings.dxf import write_dxf  # noqa: PLC0415
        from ..drawings.svg import write_svg  # noqa: PLC0415

        wanted = {t.path for t in targets}
        for part in comp.loaded.spec.parts:
            dxf, svg = f"drawings/{part.number}.dxf", f"drawings/{part.number}.svg"
            if dxf not in wanted and svg not in wanted:
                continue
            sheet = part_sheet(comp, part)
            if dxf in wanted:
                out.write(dxf, write_dxf(sheet, comp.date))
            if svg in wanted:
                out.write(svg, write_svg(sheet))
        from ..drawings.flat_sheet import flat_sheet  # noqa: PLC0415

        for part in comp.loaded.spec.parts:
            dxf, svg = f"drawings/{part.number}-flat.dxf", f"drawings/{part.number}-flat.svg"
            if dxf not in wanted and svg not in wanted:
                continue
            sheet = flat_sheet(comp, part)
            if sheet is None:  # pragma: no cover - targets() lists only parts with a flat pattern
                continue
            if dxf in wanted:
                out.write(dxf, write_dxf(sheet, comp.date))
            if svg in wanted:
                out.write(svg, write_svg(sheet))


RENDERER = DrawingsRenderer()

"""Flat patterns: ``flat/<part>.dxf`` (1:1, mm, model space) for every sheet-metal part that unfolded.

The pattern was developed by the ``sheetmetal`` check (``ctx.flat_patterns``); a part
that did not unfold has a finding (TP705) and no file.  Also ``flat/<part>.svg``, the
same pattern for the tech-pack PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Output, Target

if TYPE_CHECKING:
    from ..engine import Compilation


def flat_parts(comp: "Compilation") -> list:
    flats = comp.context.flat_patterns if comp.context is not None else {}
    return [p for p in comp.loaded.spec.parts if p.number in flats]


class FlatRenderer:
    name = "flat"
    weights = {"flat-pattern-dxf": 1.0, "flat-pattern-svg": 0.2}
    light = ("flat-pattern-dxf", "flat-pattern-svg")  # no PDF stack (schedule.run_light)

    def targets(self, comp: "Compilation") -> list[Target]:
        out = []
        for p in flat_parts(comp):
            deps = (f"part:{p.number}", "capability")  # the K-factor may come from the bend table
            out.append(Target(f"flat/{p.number}.dxf", "flat-pattern-dxf", deps))
            out.append(Target(f"flat/{p.number}.svg", "flat-pattern-svg", deps))
        return out

    def render(self, comp: "Compilation", out: Output, targets: list[Target]) -> None:
        from ..sheetmetal.dxf import write_flat_dxf  # noqa: PLC0415
        from ..sheetmetal.svg import write_flat_svg  # noqa: PLC0415

        wanted = {t.path for t in targets}
        for part in flat_parts(comp):
            flat = comp.context.flat_patterns[part.number]
            title = f"{part.number} {part.name} rev {part.revision} flat pattern"
            if f"flat/{part.number}.dxf" in wanted:
                out.write(f"flat/{part.number}.dxf", write_flat_dxf(flat, title, comp.date))
            if f"flat/{part.number}.svg" in wanted:
                out.write(f"flat/{part.number}.svg", write_flat_svg(flat, title))


RENDERER = FlatRenderer()

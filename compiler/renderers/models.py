"""3D models: ``models/<part>.step`` (AP214, mm, one solid) for every made part with geometry.

Re-exported by the geometry worker with the part number, revision and the build
date in the header (see :mod:`techpack.geometry.export` for why re-export).  A part
whose geometry did not load, or is not exactly one solid, gets no file: the check
has already said why (TP110, TP180).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from .base import Output, Target

if TYPE_CHECKING:
    from ..engine import Compilation
    from ..schema.spec import Part


def model_path(part: "Part") -> str:
    return f"models/{part.number}.step"


def exported_parts(comp: "Compilation") -> list["Part"]:
    """The parts that get a STEP model: geometry loaded and exactly one solid."""
    geometry = comp.context.geometry if comp.context is not None else {}
    return [p for p in comp.loaded.spec.parts
            if p.geometry is not None and geometry.get(p.number) is not None and geometry[p.number].solids == 1]


class ModelsRenderer:
    name = "models"
    weights = {"model-step": 0.1}  # written by the geometry worker; here only its header is set
    light = ("model-step",)  # no PDF stack: may run while the render host loads it (schedule)

    def targets(self, comp: "Compilation") -> list[Target]:
        return [Target(model_path(p), "model-step", (f"part:{p.number}",)) for p in exported_parts(comp)]

    def render(self, comp: "Compilation", out: Output, targets: list[Target]) -> None:
        from .. import __version__  # noqa: PLC0415
        from ..geometry.export import StepHeader, export_step  # noqa: PLC0415

        wanted = {t.path for t in targets}
        spec = comp.loaded.spec
        author = spec.product.drawing.drawn_by or spec.product.owner
        jobs = [p for p in exported_parts(comp) if model_path(p) in wanted]

        def one(part):
            header = StepHeader(number=part.number, revision=part.revision, name=part.name,
                                owner=spec.product.owner, author=author, date=comp.date,
                                system=f"techpack {__version__}")
            source = (comp.loaded.folder / part.geometry.path).resolve()
            return export_step(source, part.geometry.kind, header, data=comp.loaded.blob(source),
                               basis=comp.loaded.basis(source, part.geometry.kind))

        # two workers at a time (each a separate, limited process), written in part order
        with ThreadPoolExecutor(max_workers=2) as pool:
            for part, data in zip(jobs, pool.map(one, jobs)):
                out.write(model_path(part), data)


RENDERER = ModelsRenderer()

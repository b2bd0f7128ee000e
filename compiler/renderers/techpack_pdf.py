"""``techpack.pdf``: the complete RFQ package as one document (see :mod:`techpack.techpack_pdf`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Target

if TYPE_CHECKING:
    from ..engine import Compilation
    from .base import Output

PATH = "techpack.pdf"


class TechpackPdfRenderer:
    name = "techpack-pdf"
    weights = {"techpack-pdf": 15.0}  # relative render cost (schedule.by_priority)
    reads = ("drawings", "models", "flat")  # places the SVG sheets; attaches the DXF, STEP and flat patterns

    def targets(self, comp: "Compilation") -> list[Target]:
        # The parts count too: a changed 3D model changes masses and drawings but not the spec files.
        parts = tuple(f"part:{p.number}" for p in comp.loaded.spec.parts)
        marked = ("baseline",) if getattr(comp, "changes", None) is not None else ()  # the sheets' revision marks
        return [Target(PATH, "techpack-pdf", ("spec", "capability", *parts, *marked))]

    def warm(self) -> None:
        """Compile the document's templates (the render host, while the spec compiles)."""
        from ..techpack_pdf.document import TEMPLATE, environment  # noqa: PLC0415

        environment().get_template(TEMPLATE)

    def render(self, comp: "Compilation", out: "Output", targets: list[Target]) -> None:
        from ..pdfsections import SectionLog  # noqa: PLC0415
        from ..techpack_pdf import render_techpack_pdf  # noqa: PLC0415 - WeasyPrint only when a PDF is made

        options = getattr(comp, "build_options", None)
        log = SectionLog()
        out.write(PATH, render_techpack_pdf(comp, out, pdf_a=options.pdf_a if options is not None else True, log=log))
        out.note(PATH, log.as_dict())


RENDERER = TechpackPdfRenderer()

"""The tech-pack PDF: the complete RFQ package for a product, as one document.

:func:`render_techpack_pdf` builds it from a checked :class:`~techpack.engine.Compilation`
(and, inside a build, the drawings already written); :func:`build_context`
gathers the data the templates in ``templates/techpack/`` show.
"""

from .context import build_context
from .document import render_document, render_html, render_techpack_pdf

__all__ = ["build_context", "render_document", "render_html", "render_techpack_pdf"]

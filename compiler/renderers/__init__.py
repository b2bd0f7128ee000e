"""The renderers, one per output format, in build order (later ones may read earlier outputs).

Adding a format is one module and one line here.  Names are unique.
"""

from __future__ import annotations

from .base import Output, OutputError, Renderer, Target

RENDERERS: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    if renderer.name in RENDERERS:
        raise ValueError(f"renderer {renderer.name!r} registered twice")
    RENDERERS[renderer.name] = renderer


# --- the registry: one line per output format, in build order ---------------------------------------
from . import drawings  # noqa: E402 - first: the tech-pack PDF reads its SVG sheets
register(drawings.RENDERER)
from . import models  # noqa: E402 - models/<part>.step, attached to the tech-pack PDF
register(models.RENDERER)
from . import flat  # noqa: E402 - flat/<part>.dxf: sheet-metal flat patterns
register(flat.RENDERER)
from . import quality  # noqa: E402
register(quality.RENDERER)
from . import revisions  # noqa: E402 - only with --baseline: change notice and delta FAI
register(revisions.RENDERER)
from . import techpack_pdf  # noqa: E402 - last: it reads the drawings
register(techpack_pdf.RENDERER)

__all__ = ["RENDERERS", "Output", "OutputError", "Renderer", "Target", "register"]

"""Drawings: a dimensioned sheet per part, from its real geometry and its spec, as DXF and SVG.

:func:`make_sheet` builds the drawing model (:class:`~techpack.drawings.model.Sheet`);
:func:`~techpack.drawings.dxf.write_dxf` and :func:`~techpack.drawings.svg.write_svg`
write the same sheet in the two formats.  Importing this package is light: the
DXF writer imports ezdxf only when it runs.
"""

from __future__ import annotations

from .sheet import balloon_refs, make_sheet, part_sheet

__all__ = ["balloon_refs", "make_sheet", "part_sheet"]

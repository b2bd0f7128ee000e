"""The sheet as DXF R2013: real DIMENSION entities, GD&T as geometry, reproducible to the byte.

* Every dimension is a DIMENSION entity (linear, diameter, angular) whose
  anonymous ``*D`` block holds exactly the graphics of the drawing model, so
  readers that draw the block (all of them) and the SVG show the same thing; the
  entity's definition points, measurement and text override let a CAD program
  that regenerates it do so.
* Text is MTEXT with every spec string escaped (:func:`~techpack.drawings.text.mtext_escape`).
* Reproducible: creation and update dates are the build date, the GUIDs are
  derived from the sheet, handles are issued in drawing order and the CLASSES
  section is filled in a fixed order, so neither the clock nor the hash seed
  reaches the bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import uuid

from .model import LAYERS, Arc, Dimension, DrawingError, Hatch, Line, Polyline, Sheet, Text, check_layer
from .text import FONT_FILE, dimension_text_escape, mtext_escape

DXF_VERSION = "R2013"
STYLE = "TECHPACK"
DIMSTYLE = "TECHPACK"
DIMSTYLE_BASIC = "TECHPACK-BASIC"
_NS = uuid.UUID("7b1f3c2e-5a4d-4e8b-9c61-0d2f8a6e4b10")

# Standard names (readers that keep their own patterns, as LibreCAD does, still recognise them);
# ISO 128-20 proportions for 0.25 mm lines.
LINETYPES = {
    "HIDDEN": ("Hidden __ __ __", [4.5, 3.0, -1.5]),
    "CENTER": ("Center ____ _ ____", [12.0, 8.0, -1.5, 1.0, -1.5]),
}

# MTEXT attachment points by (valign, halign)
_ATTACH = {("top", "left"): 1, ("top", "center"): 2, ("top", "right"): 3,
           ("middle", "left"): 4, ("middle", "center"): 5, ("middle", "right"): 6,
           ("bottom", "left"): 7, ("bottom", "center"): 8, ("bottom", "right"): 9}


def _pt(x: float, y: float) -> tuple[float, float]:
    if not (math.isfinite(x) and math.isfinite(y)):
        raise DrawingError(f"non-finite coordinate ({x!r}, {y!r})")
    return (round(x, 6) + 0.0, round(y, 6) + 0.0)


def _setup(doc, scale: float) -> None:
    import ezdxf  # noqa: PLC0415

    doc.units = ezdxf.units.MM
    doc.header["$MEASUREMENT"] = 1
    doc.header["$LUNITS"] = 2
    doc.header["$LUPREC"] = 3
    doc.header["$LTSCALE"] = 1.0
    doc.header["$PSLTSCALE"] = 0
    doc.header["$LWDISPLAY"] = 1
    doc.header["$TEXTSTYLE"] = STYLE
    doc.header["$DIMSTYLE"] = DIMSTYLE
    # The same values as the dimension style, for readers that take them from the header (LibreCAD);
    # text aligned with the dimension line, as drawn (ISO 129-1 method 1).
    for var, value in (("$DIMTXT", 2.5), ("$DIMASZ", 2.5), ("$DIMGAP", 0.8), ("$DIMEXE", 1.5), ("$DIMEXO", 1.0),
                       ("$DIMTIH", 0), ("$DIMTOH", 0), ("$DIMLFAC", 1.0 / scale)):
        doc.header[var] = value
    doc.header["$DIMTXSTY"] = STYLE
    doc.styles.new(STYLE, dxfattribs={"font": FONT_FILE, "height": 0.0, "width": 1.0})
    for name, (desc, pattern) in LINETYPES.items():
        doc.linetypes.add(name, pattern=pattern, description=desc)
    for name, (colour, weight, linetype) in LAYERS.items():
        doc.layers.add(check_layer(name), color=colour, lineweight=weight, linetype=linetype)
    for name, gap in ((DIMSTYLE, 0.8), (DIMSTYLE_BASIC, -0.8)):
        doc.dimstyles.new(name, dxfattribs={
            "dimtxsty": STYLE, "dimtxt": 2.5, "dimasz": 2.5, "dimexo": 1.0, "dimexe": 1.5, "dimgap": gap,
            "dimtih": 1, "dimtoh": 1, "dimtad": 0, "dimdec": 3, "dimadec": 1, "dimzin": 8, "dimlfac": 1.0 / scale,
            "dimclrd": 256, "dimclre": 256, "dimclrt": 256, "dimtofl": 1, "dimtmove": 0,
        })


def _add(layout, p, layer_override: str | None = None) -> None:
    layer = layer_override or p.layer
    if isinstance(p, Line):
        layout.add_line(_pt(p.x1, p.y1), _pt(p.x2, p.y2), dxfattribs={"layer": layer})
    elif isinstance(p, Arc):
        c = _pt(p.cx, p.cy)
        if p.full:
            layout.add_circle(c, round(p.r, 6), dxfattribs={"layer": layer})
        else:
            layout.add_arc(c, round(p.r, 6), round(p.a0 % 360.0, 6), round(p.a1 % 360.0, 6), dxfattribs={"layer": layer})
    elif isinstance(p, Polyline):
        pts = [_pt(x, y) for x, y in p.points]
        if p.filled and len(pts) in (3, 4):
            # SOLID vertex order is 1, 2, 4, 3
            solid = pts if len(pts) == 3 else [pts[0], pts[1], pts[3], pts[2]]
            layout.add_solid(solid, dxfattribs={"layer": layer})
        else:
            layout.add_lwpolyline(pts, close=p.closed or p.filled, dxfattribs={"layer": layer})
    elif isinstance(p, Text):
        attribs = {"layer": layer, "style": STYLE, "char_height": round(p.height, 6),
                   "attachment_point": _ATTACH[(p.valign, p.halign)], "insert": _pt(p.x, p.y)}
        if p.rotation:
            attribs["rotation"] = p.rotation
        mt = layout.add_mtext(mtext_escape(p.text), dxfattribs=attribs)
        mt.dxf.width = 0.0
    elif isinstance(p, Hatch):
        _hatch(layout, p, layer)
    else:  # pragma: no cover - the model has no other primitive
        raise DrawingError(f"cannot draw {type(p).__name__}")


def _hatch(layout, p: Hatch, layer: str) -> None:
    """A HATCH entity: user-defined lines at the model's angle and spacing, odd-even inside the loops."""
    h = layout.add_hatch(dxfattribs={"layer": layer, "hatch_style": 0})
    a = math.radians(p.angle)
    h.set_pattern_fill("_USER", scale=1.0, angle=0.0, pattern_type=0, definition=[
        [p.angle, (0.0, 0.0), (round(-math.sin(a) * p.spacing, 6) + 0.0, round(math.cos(a) * p.spacing, 6) + 0.0), []]])
    for loop in p.loops:
        h.paths.add_polyline_path([_pt(x, y) for x, y in loop], is_closed=True)


def _dimension(doc, msp, d: Dimension) -> None:
    from ezdxf.lldxf import const  # noqa: PLC0415

    block = doc.blocks.new_anonymous_block(type_char="D")
    for g in d.graphics:
        _add(block, g, "DIMENSIONS" if g.layer in ("DIMENSIONS", "ANNOTATION") else None)
    pts = {k: _pt(*v) for k, v in d.points.items()}
    attribs = {"layer": "DIMENSIONS", "dimstyle": DIMSTYLE_BASIC if d.basic else DIMSTYLE,
               "text": "\\P".join(dimension_text_escape(t) for t in d.text.split("\n")),
               "text_midpoint": _pt(*d.text_at),
               "actual_measurement": round(d.measurement, 6), "geometry": block.name}
    flags = const.DIM_BLOCK_EXCLUSIVE | const.DIM_USER_LOCATION_OVERRIDE
    if d.kind == "linear":
        attribs.update(dimtype=const.DIM_LINEAR | flags, defpoint=pts["line"], defpoint2=pts["p1"],
                       defpoint3=pts["p2"], angle=d.angle)
    elif d.kind == "diameter":
        attribs.update(dimtype=const.DIM_DIAMETER | flags, defpoint=pts["p1"], defpoint4=pts["p2"])
    elif d.kind == "radius":
        attribs.update(dimtype=const.DIM_RADIUS | flags, defpoint=pts["centre"], defpoint4=pts["p2"])
    elif d.kind == "angular":
        # two-line angular (the form LibreCAD and QCAD regenerate too): line 1 vertex..p1 (13, 14),
        # line 2 vertex..p2 (15, 10), the arc through 16
        attribs.update(dimtype=const.DIM_ANGULAR | flags, defpoint2=pts["vertex"], defpoint3=pts["p1"],
                       defpoint4=pts["vertex"], defpoint=pts["p2"], defpoint5=pts["arc"])
    else:  # pragma: no cover
        raise DrawingError(f"unknown dimension kind {d.kind!r}")
    msp.new_entity("DIMENSION", dxfattribs=attribs)


def _fix_metadata(doc, sheet: Sheet, date: dt.datetime) -> None:
    """Dates from the build date, GUIDs from the sheet, a fixed ezdxf marker: no clock, no randomness."""
    from ezdxf.tools.juliandate import juliandate  # noqa: PLC0415

    import ezdxf  # noqa: PLC0415

    when = juliandate(date.replace(tzinfo=None))
    fingerprint = "{" + str(uuid.uuid5(_NS, f"fingerprint|{sheet.title}")).upper() + "}"
    version = "{" + str(uuid.uuid5(_NS, f"version|{sheet.title}|{date.isoformat()}")).upper() + "}"
    marker = f"{ezdxf.__version__} (techpack)"

    def update_metadata() -> None:
        meta = doc.ezdxf_metadata()
        meta["CREATED_BY_EZDXF"] = marker
        meta["WRITTEN_BY_EZDXF"] = marker
        for var in ("$TDCREATE", "$TDUCREATE", "$TDUPDATE", "$TDUUPDATE"):
            doc.header[var] = when
        doc.header["$TDINDWG"] = 0.0
        doc.header["$TDUSRTIMER"] = 0.0
        doc.header["$FINGERPRINTGUID"] = fingerprint
        doc.header["$VERSIONGUID"] = version
        doc.header["$HANDSEED"] = str(doc.entitydb.handles)
        from ezdxf.tools.codepage import tocodepage  # noqa: PLC0415

        doc.header["$DWGCODEPAGE"] = tocodepage(doc.encoding)

    doc._update_metadata = update_metadata  # noqa: SLF001 - ezdxf would stamp the clock here


def _fix_classes(doc) -> None:
    """Register the CLASSES ezdxf adds on writing, in a fixed order (it iterates a set of type names)."""
    from ezdxf.sections.classes import REQUIRED_CLASSES, REQ_R2004  # noqa: PLC0415

    for name in REQUIRED_CLASSES.get(doc.dxfversion, REQ_R2004):
        doc.classes.add_class(name)
    for name in sorted(doc.entitydb.dxf_types_in_use()):
        doc.classes.add_class(name)


def write_dxf(sheet: Sheet, date: dt.datetime) -> bytes:
    """The sheet as DXF R2013 bytes (UTF-8)."""
    import ezdxf  # noqa: PLC0415 - heavy; only when a drawing is written

    doc = ezdxf.new(DXF_VERSION, setup=False)
    scale = sheet.scale[0] / sheet.scale[1]
    _setup(doc, scale)
    msp = doc.modelspace()
    for p in sheet.primitives:
        _add(msp, p)
    for d in sheet.dimensions:
        _dimension(doc, msp, d)
    for p in sheet.revision_primitives():  # revision table and triangles, on the REVISIONS layer
        _add(msp, p)
    doc.header["$EXTMIN"] = (0.0, 0.0, 0.0)
    doc.header["$EXTMAX"] = (sheet.width, sheet.height, 0.0)
    doc.header["$LIMMIN"] = (0.0, 0.0)
    doc.header["$LIMMAX"] = (sheet.width, sheet.height)
    _fix_metadata(doc, sheet, date)
    _fix_classes(doc)
    stream = io.StringIO()
    doc.write(stream)
    return doc.encode(stream.getvalue())

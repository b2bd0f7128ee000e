"""The sheet as DXF R2013: the part at true size, real DIMENSION entities, reproducible to the byte.

**Model space is the part at 1:1.**  Every view is drawn at true size, so CAM and
nesting software measure the part (a 90 mm edge is 90 units long).  The sheet
(frame, title block, notes) and every annotation are drawn in the same model
space, scaled up by the reciprocal of the sheet scale — the long-standing
"scaled border in model space" convention — so that model space *printed at the
sheet's scale* is exactly the SVG sheet:

* ``$PSVPSCALE`` is the sheet scale and ``$PLIMMIN``/``$PLIMMAX`` the paper, which
  is what LibreCAD (which has no paper space) prints: ``dxf2pdf`` without
  fit-to-page gives the sheet at its size on its paper.
* The paper-space layout ``Sheet`` holds one viewport over the whole sheet at the
  sheet scale, for CAD programs that plot layouts: plot it at 1:1.
  The sheet itself is *not* drawn in paper space: a reader without paper space
  would otherwise draw it over the model at the wrong size.
* Linetypes: ``$LTSCALE`` is 1/scale with ``$PSLTSCALE`` 0, so dashes print at
  their ISO 128 lengths at the sheet scale in model space and in the viewport.
* Dimensions: ``DIMSCALE`` 1/scale (text, arrows and gaps print at paper size),
  ``DIMLFAC`` 1 (the model is true size); the same values are in the header,
  where LibreCAD takes them from.  Text positions are user-defined (the text
  midpoint, flag 128, ``DIMTMOVE`` 2) at the centre of the text as drawn.

Every linear and angular dimension is a DIMENSION entity whose anonymous ``*D``
block holds exactly the drawing model's graphics (readers that draw the block
show the SVG's drawing; readers that regenerate from the definition points put
the text at its midpoint).  A leader callout (a hole's size and depth) is a
LEADER-style note drawn as geometry: a regenerating reader would redraw a
diameter DIMENSION as a line across the hole with its text on it, which is not
the drawing.  GD&T frames are geometry (lines and text), which every reader shows.

Reproducible: creation and update dates are the build date, the GUIDs are
derived from the sheet, handles are issued in drawing order and the CLASSES
section is filled in a fixed order, so neither the clock nor the hash seed
reaches the bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import uuid

from .model import LAYERS, Arc, Box, Dimension, DrawingError, Hatch, Line, Polyline, Sheet, Text, check_layer, union
from .text import FONT_FILE, dimension_text_escape, mtext_escape, text_width

DXF_VERSION = "R2013"
STYLE = "TECHPACK"
DIMSTYLE = "TECHPACK"
DIMSTYLE_BASIC = "TECHPACK-BASIC"
LAYOUT = "Sheet"
_NS = uuid.UUID("7b1f3c2e-5a4d-4e8b-9c61-0d2f8a6e4b10")

# Standard names (readers that keep their own patterns, as LibreCAD does, still recognise them);
# ISO 128-20 proportions for 0.25 mm lines, in paper millimetres ($LTSCALE scales them to the model).
LINETYPES = {
    "HIDDEN": ("Hidden __ __ __", [4.5, 3.0, -1.5]),
    "CENTER": ("Center ____ _ ____", [12.0, 8.0, -1.5, 1.0, -1.5]),
    "DIVIDE": ("Divide ____ . . ____", [14.9, 10.0, -1.5, 0.2, -1.5, 0.2, -1.5]),
}

# Dimension style in paper millimetres (DIMSCALE scales them in the model)
DIM_VARS = {"dimtxt": 2.5, "dimasz": 2.5, "dimexo": 1.0, "dimexe": 1.5, "dimgap": 0.8}

# MTEXT attachment points by (valign, halign)
_ATTACH = {("top", "left"): 1, ("top", "center"): 2, ("top", "right"): 3,
           ("middle", "left"): 4, ("middle", "center"): 5, ("middle", "right"): 6,
           ("bottom", "left"): 7, ("bottom", "center"): 8, ("bottom", "right"): 9}


class _Model:
    """Paper millimetres -> model space (true size): a uniform scale about the sheet's corner."""

    def __init__(self, scale: float) -> None:
        if not (math.isfinite(scale) and scale > 0):
            raise DrawingError(f"bad sheet scale {scale!r}")
        self.k = 1.0 / scale

    def pt(self, x: float, y: float) -> tuple[float, float]:
        if not (math.isfinite(x) and math.isfinite(y)):
            raise DrawingError(f"non-finite coordinate ({x!r}, {y!r})")
        return (round(x * self.k, 6) + 0.0, round(y * self.k, 6) + 0.0)

    def len(self, v: float) -> float:
        return round(v * self.k, 6)


def _setup(doc, sheet: Sheet, m: _Model) -> None:
    import ezdxf  # noqa: PLC0415

    k = m.k
    doc.units = ezdxf.units.MM
    doc.header["$MEASUREMENT"] = 1
    doc.header["$LUNITS"] = 2
    doc.header["$LUPREC"] = 3
    doc.header["$LTSCALE"] = k
    doc.header["$CELTSCALE"] = 1.0
    doc.header["$PSLTSCALE"] = 0
    doc.header["$LWDISPLAY"] = 1
    doc.header["$TEXTSTYLE"] = STYLE
    doc.header["$TEXTSIZE"] = m.len(2.5)
    doc.header["$DIMSTYLE"] = DIMSTYLE
    # LibreCAD prints model space at $PSVPSCALE on the paper $PLIMMIN..$PLIMMAX, origin at $PINSBASE
    doc.header["$PSVPSCALE"] = 1.0 / k
    doc.header["$PINSBASE"] = (0.0, 0.0, 0.0)
    # The dimension style again, for readers that take it from the header (LibreCAD): aligned text
    # (ISO 129-1 method 1) at the user's position, sizes in paper mm times DIMSCALE.
    for var, value in DIM_VARS.items():
        doc.header["$" + var.upper()] = value
    for var, value in (("$DIMSCALE", k), ("$DIMLFAC", 1.0), ("$DIMTIH", 0), ("$DIMTOH", 0), ("$DIMTAD", 0),
                       ("$DIMTMOVE", 2), ("$DIMTSZ", 0.0), ("$DIMDEC", 3), ("$DIMADEC", 1), ("$DIMZIN", 8)):
        doc.header[var] = value
    doc.header["$DIMTXSTY"] = STYLE
    doc.styles.new(STYLE, dxfattribs={"font": FONT_FILE, "height": 0.0, "width": 1.0})
    for name, (desc, pattern) in LINETYPES.items():
        doc.linetypes.add(name, pattern=pattern, description=desc)
    for name, (colour, weight, linetype) in LAYERS.items():
        doc.layers.add(check_layer(name), color=colour, lineweight=weight, linetype=linetype)
    for name, gap in ((DIMSTYLE, DIM_VARS["dimgap"]), (DIMSTYLE_BASIC, -DIM_VARS["dimgap"])):
        doc.dimstyles.new(name, dxfattribs={
            **DIM_VARS, "dimtxsty": STYLE, "dimgap": gap, "dimscale": k, "dimlfac": 1.0,
            "dimtih": 0, "dimtoh": 0, "dimtad": 0, "dimdec": 3, "dimadec": 1, "dimzin": 8,
            "dimclrd": 256, "dimclre": 256, "dimclrt": 256, "dimtofl": 1, "dimtmove": 2,
        })


def _add(layout, p, m: _Model, layer_override: str | None = None) -> None:
    """One drawing-model primitive into ``layout`` (model units); an unknown kind is an error, never dropped."""
    layer = layer_override or getattr(p, "layer", None)
    if isinstance(p, Line):
        layout.add_line(m.pt(p.x1, p.y1), m.pt(p.x2, p.y2), dxfattribs={"layer": layer})
    elif isinstance(p, Arc):
        c = m.pt(p.cx, p.cy)
        if p.full:
            layout.add_circle(c, m.len(p.r), dxfattribs={"layer": layer})
        else:
            layout.add_arc(c, m.len(p.r), round(p.a0 % 360.0, 6), round(p.a1 % 360.0, 6), dxfattribs={"layer": layer})
    elif isinstance(p, Polyline):
        pts = [m.pt(x, y) for x, y in p.points]
        if p.filled and len(pts) in (3, 4):
            # SOLID vertex order is 1, 2, 4, 3
            solid = pts if len(pts) == 3 else [pts[0], pts[1], pts[3], pts[2]]
            layout.add_solid(solid, dxfattribs={"layer": layer})
        else:
            layout.add_lwpolyline(pts, close=p.closed or p.filled, dxfattribs={"layer": layer})
    elif isinstance(p, Text):
        attribs = {"layer": layer, "style": STYLE, "char_height": m.len(p.height),
                   "attachment_point": _ATTACH[(p.valign, p.halign)], "insert": m.pt(p.x, p.y)}
        if p.rotation:
            attribs["rotation"] = p.rotation
        mt = layout.add_mtext(mtext_escape(p.text), dxfattribs=attribs)
        mt.dxf.width = 0.0
    elif isinstance(p, Hatch):
        _hatch(layout, p, layer, m)
    else:
        raise DrawingError(f"the DXF writer cannot draw a {type(p).__name__}: teach compiler/drawings/dxf.py")


def _hatch(layout, p: Hatch, layer: str, m: _Model) -> None:
    """A hatched area as the LINEs of its pattern, clipped to the boundary (:meth:`Hatch.segments`, exactly what the
    SVG draws).  Not a HATCH entity: LibreCAD draws a HATCH only with a pattern from its own library, and prints a
    user-defined one (the angle and spacing ISO 128-50 and the knurl convention need) as nothing at all."""
    for x1, y1, x2, y2 in p.segments():
        layout.add_line(m.pt(x1, y1), m.pt(x2, y2), dxfattribs={"layer": layer})


def _text_midpoint(d: Dimension) -> tuple[float, float]:
    """Where a regenerating reader must centre the text: the centre of the value as drawn."""
    texts = [g for g in d.graphics if isinstance(g, Text)]
    if not texts:
        return d.text_at
    b = union(_cap_box(t) for t in texts)
    return ((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2)


def _cap_box(t: Text) -> Box:
    """The box of a text's letters from baseline to cap height (what a reader centres on)."""
    w = text_width(t.text, t.height)
    x0 = -{"left": 0.0, "center": w / 2, "right": w}[t.halign]
    y0 = -{"bottom": 0.0, "middle": t.height / 2, "top": t.height}[t.valign]
    if t.rotation == 90.0:
        return Box(t.x - y0 - t.height, t.y + x0, t.x - y0, t.y + x0 + w)
    return Box(t.x + x0, t.y + y0, t.x + x0 + w, t.y + y0 + t.height)


def regenerates(d: Dimension) -> bool:
    """Whether a reader that redraws the DIMENSION from its definition points draws what we draw.

    True for a linear dimension whose value sits centred on its dimension line, between the
    extension lines, with room to spare.  LibreCAD moves a value that is wider than the
    dimension line past its end whatever its position says, puts an angle's value on the arc's
    middle and draws a diameter across the circle; such dimensions are written as geometry.
    """
    if d.kind != "linear" or not {"p1", "p2", "line"} <= set(d.points):
        return False
    texts = [g for g in d.graphics if isinstance(g, Text)]
    if not texts:
        return False
    a = math.radians(d.angle)
    ux, uy = math.cos(a), math.sin(a)
    s1 = d.points["p1"][0] * ux + d.points["p1"][1] * uy
    s2 = d.points["p2"][0] * ux + d.points["p2"][1] * uy
    tx, ty = _text_midpoint(d)
    width = max(text_width(t.text, t.height) for t in texts)
    return abs(tx * ux + ty * uy - (s1 + s2) / 2) < 0.5 and width <= abs(s2 - s1) - 1.0


def _dimension(doc, msp, d: Dimension, m: _Model) -> None:
    from ezdxf.lldxf import const  # noqa: PLC0415

    if d.kind not in ("linear", "angular", "diameter", "radius"):
        raise DrawingError(f"the DXF writer cannot write a {d.kind!r} dimension: teach compiler/drawings/dxf.py")
    pts = {k: m.pt(*v) for k, v in d.points.items()}  # every point checked, whichever way it is written
    m.pt(*d.text_at)
    if not regenerates(d):
        # a reader that redraws dimensions would not draw this one as drawn: it is geometry every reader shows
        for g in d.graphics:
            _add(msp, g, m, "DIMENSIONS" if g.layer in ("DIMENSIONS", "ANNOTATION") else None)
        return
    block = doc.blocks.new_anonymous_block(type_char="D")
    for g in d.graphics:
        _add(block, g, m, "DIMENSIONS" if g.layer in ("DIMENSIONS", "ANNOTATION") else None)
    attribs = {"layer": "DIMENSIONS", "dimstyle": DIMSTYLE_BASIC if d.basic else DIMSTYLE,
               "text": "\\P".join(dimension_text_escape(t) for t in d.text.split("\n")),
               "text_midpoint": m.pt(*_text_midpoint(d)), "attachment_point": 5,
               "actual_measurement": round(d.measurement, 6), "geometry": block.name}
    flags = const.DIM_BLOCK_EXCLUSIVE | const.DIM_USER_LOCATION_OVERRIDE
    attribs.update(dimtype=const.DIM_LINEAR | flags, defpoint=pts["line"], defpoint2=pts["p1"],
                   defpoint3=pts["p2"], angle=d.angle)
    msp.new_entity("DIMENSION", dxfattribs=attribs)


def _extents(doc, sheet: Sheet, m: _Model) -> None:
    """Header extents and limits of both spaces: the model (true size) and the paper (the sheet)."""
    boxes = [p.box() for p in sheet.primitives] + [g.box() for d in sheet.dimensions for g in d.graphics]
    b = union(boxes + [Box(0.0, 0.0, sheet.width, sheet.height)])
    msp = doc.modelspace()
    lo, hi = m.pt(b.x0, b.y0), m.pt(b.x1, b.y1)
    msp.dxf.extmin = doc.header["$EXTMIN"] = (*lo, 0.0)
    msp.dxf.extmax = doc.header["$EXTMAX"] = (*hi, 0.0)
    msp.dxf.limmin = doc.header["$LIMMIN"] = m.pt(0.0, 0.0)
    msp.dxf.limmax = doc.header["$LIMMAX"] = m.pt(sheet.width, sheet.height)
    paper = doc.layouts.active_layout()
    paper.dxf.extmin = (0.0, 0.0, 0.0)
    paper.dxf.extmax = (float(sheet.width), float(sheet.height), 0.0)
    paper.dxf.limmin = (0.0, 0.0)
    paper.dxf.limmax = (float(sheet.width), float(sheet.height))


def _layout(doc, sheet: Sheet, m: _Model) -> None:
    """Paper space: the sheet's paper at 1:1 and one viewport on the whole model at the sheet scale."""
    doc.layouts.rename("Layout1", LAYOUT)
    paper = doc.layouts.get(LAYOUT)
    w, h = float(sheet.width), float(sheet.height)
    paper.page_setup(size=(w, h), margins=(0, 0, 0, 0), units="mm", offset=(0, 0), rotation=0, scale=1)
    for vp in list(paper.query("VIEWPORT")):
        paper.delete_entity(vp)
    paper.add_viewport(center=(w / 2, h / 2), size=(w, h), view_center_point=m.pt(w / 2, h / 2),
                       view_height=m.len(h), dxfattribs={"layer": "0"})


def _fix_metadata(doc, sheet: Sheet, date: dt.datetime) -> None:
    """Dates from the build date, GUIDs from the sheet, a fixed ezdxf marker: no clock, no randomness."""
    from ezdxf.tools.juliandate import juliandate  # noqa: PLC0415

    import ezdxf  # noqa: PLC0415

    when = juliandate(date.replace(tzinfo=None))
    fingerprint = "{" + str(uuid.uuid5(_NS, f"fingerprint|{sheet.title}")).upper() + "}"
    version = "{" + str(uuid.uuid5(_NS, f"version|{sheet.title}|{date.isoformat()}")).upper() + "}"
    marker = f"{ezdxf.__version__} (techpack)"
    kept = {var: doc.header[var] for var in ("$EXTMIN", "$EXTMAX", "$LIMMIN", "$LIMMAX") if var in doc.header}

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
        # ezdxf copies the layouts' extents and limits into the header as it writes (and drops model
        # extents that start at the origin): the writer's own values win
        for var, value in kept.items():
            doc.header[var] = value
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
    """The sheet as DXF R2013 bytes (UTF-8): model space at true size, printed at the sheet scale."""
    import ezdxf  # noqa: PLC0415 - heavy; only when a drawing is written

    doc = ezdxf.new(DXF_VERSION, setup=False)
    m = _Model(sheet.scale[0] / sheet.scale[1])
    _setup(doc, sheet, m)
    msp = doc.modelspace()
    for p in sheet.primitives:
        _add(msp, p, m)
    for d in sheet.dimensions:
        _dimension(doc, msp, d, m)
    for p in sheet.revision_primitives():  # revision table and triangles, on the REVISIONS layer
        _add(msp, p, m)
    _layout(doc, sheet, m)
    _extents(doc, sheet, m)
    _fix_metadata(doc, sheet, date)
    _fix_classes(doc)
    stream = io.StringIO()
    doc.write(stream)
    return doc.encode(stream.getvalue())

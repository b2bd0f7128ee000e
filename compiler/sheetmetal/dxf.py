"""``flat/<part>.dxf``: the flat pattern at 1:1 in model space, millimetres, for nesting and cutting.

Layers (a laser shop's CAM cuts one layer and ignores the others):

* ``CUT`` — the outline and every cut-out as closed polylines, round holes as circles;
* ``BEND-UP`` / ``BEND-DOWN`` — each bend line (the middle of the bend zone), dashed, by direction
  as seen on this flat;
* ``BEND-ZONE`` — the bend zone's edges (tangent lines), thin;
* ``NOTES`` — each bend's label (``B1 UP 90° R2 K0.325``), beside its line clear of every cut
  (:mod:`.labels`), and the bend table beside the flat.

Nothing but the cut geometry is on ``CUT``; the notes never overlap the part.
Reproducible like the drawings (dates from the build date, GUIDs from the part).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass

from .flat import FlatPattern

JOIN_TOL = 1e-3
LAYERS = {"CUT": (7, "CONTINUOUS"), "BEND-UP": (3, "DASHED"), "BEND-DOWN": (1, "DASHED"),
          "BEND-ZONE": (8, "CONTINUOUS"), "NOTES": (5, "CONTINUOUS")}
TEXT_H = 2.5


@dataclass(frozen=True)
class _Named:
    title: str


def _near(a, b) -> bool:
    return math.dist(a[:2], b[:2]) < JOIN_TOL


def loops(polys: list[tuple[tuple[float, ...], ...]]) -> list[list[tuple[float, ...]]]:
    """Chain polylines that share end points (by their first two coordinates) into loops (closed when the chain
    comes back); any further coordinates of a point ride along."""
    left = [list(p) for p in polys if len(p) >= 2]
    out = []
    while left:
        chain = left.pop(0)
        grown = True
        while grown:
            grown = False
            for i, p in enumerate(left):
                if _near(chain[-1], p[0]):
                    chain += p[1:]
                elif _near(chain[-1], p[-1]):
                    chain += p[-2::-1]
                elif _near(chain[0], p[-1]):
                    chain = p[:-1] + chain
                elif _near(chain[0], p[0]):
                    chain = p[:0:-1] + chain
                else:
                    continue
                left.pop(i)
                grown = True
                break
        out.append(chain)
    return out


def bend_label(b, k: float) -> str:
    return f"{b.id} {b.direction.upper()} {b.angle:g}° R{b.radius:g} K{k:g}"


def bend_table(flat: FlatPattern) -> list[str]:
    head = "BEND  DIR   ANGLE  INSIDE R  K      BA       LENGTH"
    rows = [f"{b.id:<5} {b.direction.upper():<5} {b.angle:>5.1f}° {b.radius:>7.3f}  {flat.k:<6.4g} {b.ba:>7.3f}  {b.length:>7.2f}"
            for b in flat.bends]
    return [f"FLAT PATTERN 1:1, mm, thickness {flat.thickness:g}", head, *rows,
            "BA = pi/180 x angle x (R + K x t); bend lines are the middle of each bend zone."]


def write_flat_dxf(flat: FlatPattern, title: str, date: dt.datetime) -> bytes:
    import ezdxf  # noqa: PLC0415

    from ..drawings.dxf import _fix_classes, _fix_metadata  # noqa: PLC0415 - same reproducibility rules

    doc = ezdxf.new("R2013", setup=False)
    doc.units = ezdxf.units.MM
    doc.header["$MEASUREMENT"] = 1
    doc.header["$INSUNITS"] = 4
    doc.header["$LTSCALE"] = 1.0
    doc.linetypes.add("DASHED", pattern=[6.0, 4.0, -2.0], description="Dashed __ __ __")
    for name, (colour, lt) in LAYERS.items():
        doc.layers.add(name, color=colour, linetype=lt)
    msp = doc.modelspace()
    for loop in loops([p for p in flat.outline]):
        closed = math.dist(loop[0], loop[-1]) < JOIN_TOL
        pts = [(round(x, 6) + 0.0, round(y, 6) + 0.0) for x, y in (loop[:-1] if closed else loop)]
        msp.add_lwpolyline(pts, close=closed, dxfattribs={"layer": "CUT"})
    for (cx, cy), r in flat.holes:
        msp.add_circle((round(cx, 6) + 0.0, round(cy, 6) + 0.0), r, dxfattribs={"layer": "CUT"})
    for b in flat.bends:
        layer = "BEND-UP" if b.direction == "up" else "BEND-DOWN"
        msp.add_line(b.line[0], b.line[1], dxfattribs={"layer": layer})
        for t in b.tangents:
            msp.add_line(t[0], t[1], dxfattribs={"layer": "BEND-ZONE"})
    from ..drawings.text import text_width  # noqa: PLC0415
    from .labels import place  # noqa: PLC0415

    texts = [bend_label(b, flat.k) for b in flat.bends]
    spots = place(flat, [(text_width(t, TEXT_H), TEXT_H) for t in texts], zone=True)
    for text, spot in zip(texts, spots):
        entity = msp.add_text(text, height=TEXT_H, rotation=round(spot.angle, 6), dxfattribs={"layer": "NOTES"})
        entity.set_placement((round(spot.centre[0], 6) + 0.0, round(spot.centre[1], 6) + 0.0),
                             align=ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER)
    # the bend table, below the flat
    y = -3 * TEXT_H
    for line in bend_table(flat):
        msp.add_text(line, height=TEXT_H, dxfattribs={"layer": "NOTES", "insert": (0.0, round(y, 6))})
        y -= 1.6 * TEXT_H
    width, height = flat.size
    doc.header["$EXTMIN"] = (0.0, round(y, 6), 0.0)
    top = max([height] + [p[1] for spot in spots for p in spot.corners])
    right = max([width, 160.0] + [p[0] for spot in spots for p in spot.corners])
    doc.header["$EXTMAX"] = (round(right, 6), round(top, 6), 0.0)
    doc.header["$LIMMIN"] = (0.0, round(y, 6))
    doc.header["$LIMMAX"] = (round(right, 6), round(top, 6))
    _fix_metadata(doc, _Named(title), date)
    _fix_classes(doc)
    stream = io.StringIO()
    doc.write(stream)
    return doc.encode(stream.getvalue())

"""The sheet as SVG: millimetre-sized, one group per layer, text in the shipped font, bytes reproducible."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from .model import LAYERS, Arc, Hatch, Line, Polyline, Sheet, Text
from .text import CAP, FONT_NAME, clean

STYLE = {
    "VISIBLE": "stroke:#000;stroke-width:0.5",
    "HIDDEN": "stroke:#000;stroke-width:0.25;stroke-dasharray:3,1.5",
    "CENTER": "stroke:#000;stroke-width:0.18;stroke-dasharray:8,1.5,1,1.5",
    "DIMENSIONS": "stroke:#000;stroke-width:0.18",
    "ANNOTATION": "stroke:#000;stroke-width:0.25",
    "BALLOONS": "stroke:#000;stroke-width:0.18",
    "TITLE": "stroke:#000;stroke-width:0.25",
    "BORDER": "stroke:#000;stroke-width:0.7",
    "ZONES": "stroke:#000;stroke-width:0.35",
    "THIN": "stroke:#000;stroke-width:0.25",
    "HATCH": "stroke:#000;stroke-width:0.18",
    "CUTTING": "stroke:#000;stroke-width:0.25;stroke-dasharray:12,2,1,2",
    "REVISIONS": "stroke:#000;stroke-width:0.25",
}


def _f(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


SHEET_NS = "urn:techpack:sheet"
"""The namespace of the sheet's ``<metadata>``: its drawing scale (the title block's), read back by the PDF."""


def write_svg(sheet: Sheet) -> bytes:
    """The sheet as a standalone SVG document (UTF-8 bytes)."""
    w, h = sheet.width, sheet.height
    by_layer: dict[str, list[str]] = {name: [] for name in LAYERS}

    def y(v: float) -> float:
        return h - v

    def add(p) -> None:
        if isinstance(p, Line):
            by_layer[p.layer].append(f'<line x1="{_f(p.x1)}" y1="{_f(y(p.y1))}" x2="{_f(p.x2)}" y2="{_f(y(p.y2))}"/>')
        elif isinstance(p, Arc):
            if p.full:
                by_layer[p.layer].append(f'<circle cx="{_f(p.cx)}" cy="{_f(y(p.cy))}" r="{_f(p.r)}"/>')
            else:
                span = (p.a1 - p.a0) % 360.0
                x0 = p.cx + p.r * math.cos(math.radians(p.a0))
                y0 = p.cy + p.r * math.sin(math.radians(p.a0))
                x1 = p.cx + p.r * math.cos(math.radians(p.a0 + span))
                y1 = p.cy + p.r * math.sin(math.radians(p.a0 + span))
                large = 1 if span > 180 else 0
                by_layer[p.layer].append(f'<path d="M{_f(x0)} {_f(y(y0))}A{_f(p.r)} {_f(p.r)} 0 {large} 0 '
                                         f'{_f(x1)} {_f(y(y1))}"/>')
        elif isinstance(p, Polyline):
            pts = " ".join(f"{_f(x)},{_f(y(v))}" for x, v in p.points)
            if p.filled:
                by_layer[p.layer].append(f'<polygon points="{pts}" fill="#000" stroke-width="0.1"/>')
            elif p.closed:
                by_layer[p.layer].append(f'<polygon points="{pts}"/>')
            else:
                by_layer[p.layer].append(f'<polyline points="{pts}"/>')
        elif isinstance(p, Hatch):
            for x1, y1, x2, y2 in p.segments():
                by_layer[p.layer].append(f'<line x1="{_f(x1)}" y1="{_f(y(y1))}" x2="{_f(x2)}" y2="{_f(y(y2))}"/>')
        elif isinstance(p, Text):
            anchor = {"left": "start", "center": "middle", "right": "end"}[p.halign]
            base = p.y - {"bottom": 0.0, "middle": p.height / 2, "top": p.height}[p.valign]
            if p.rotation:
                # drawn unrotated at the anchor (baseline offset along the text's own "down"),
                # then turned a quarter counter-clockwise about the anchor
                rot = f' transform="rotate(-90 {_f(p.x)} {_f(y(p.y))})"'
                x_, y_ = p.x, y(p.y) + (p.y - base)
            else:
                rot = ""
                x_, y_ = p.x, y(base)
            by_layer[p.layer].append(f'<text x="{_f(x_)}" y="{_f(y_)}" font-size="{_f(p.height / CAP)}" '
                                     f'text-anchor="{anchor}"{rot}>{escape(clean(p.text))}</text>')

    for p in sheet.primitives:
        add(p)
    for d in sheet.dimensions:
        for g in d.graphics:
            add(g)
    for p in sheet.revision_primitives():
        add(p)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_f(w)}mm" height="{_f(h)}mm" '
           f'viewBox="0 0 {_f(w)} {_f(h)}">',
           f"<title>{escape(clean(sheet.title))}</title>",
           f"<desc>{escape(clean(sheet.description))}</desc>",
           *([f'<metadata><sheet xmlns="{SHEET_NS}" scale="{sheet.scale[0]}:{sheet.scale[1]}"/></metadata>']
             if sheet.view_boxes else []),
           f'<rect x="0" y="0" width="{_f(w)}" height="{_f(h)}" fill="#fff"/>',
           f'<g fill="none" stroke-linecap="round" stroke-linejoin="round" font-family={quoteattr("techpack sans, " + FONT_NAME + ", sans-serif")}>']
    for name in LAYERS:
        items = by_layer[name]
        if not items:
            continue
        out.append(f'<g id="{name.lower()}" style="{STYLE[name]}">')
        texts = [i for i in items if i.startswith("<text")]
        others = [i for i in items if not i.startswith("<text")]
        out += others
        if texts:
            out.append('<g fill="#000" stroke="none">')
            out += texts
            out.append("</g>")
        out.append("</g>")
    out.append("</g>")
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")

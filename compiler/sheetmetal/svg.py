"""The flat pattern as SVG at 1:1 (user unit = 1 mm) for the tech-pack PDF: cut, bend lines, labels, bend table."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from .dxf import JOIN_TOL, bend_label, bend_table, loops
from .flat import FlatPattern

MARGIN = 8.0
TEXT_H = 2.5


def _f(v: float) -> str:
    return f"{round(v, 3) + 0.0:g}"


def write_flat_svg(flat: FlatPattern, title: str) -> bytes:
    w, h = flat.size
    table = bend_table(flat)
    table_h = (len(table) + 1) * 1.6 * TEXT_H
    width = max(w, 150.0) + 2 * MARGIN
    height = h + 2 * MARGIN + table_h

    def pt(x: float, y: float) -> str:  # model y up → SVG y down
        return f"{_f(x + MARGIN)},{_f(MARGIN + h - y)}"

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_f(width)}mm" height="{_f(height)}mm" '
           f'viewBox="0 0 {_f(width)} {_f(height)}">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{_f(width)}" height="{_f(height)}" fill="#fff"/>',
           '<g fill="none" stroke="#000" stroke-width="0.35" stroke-linejoin="round">']
    for loop in loops(list(flat.outline)):
        closed = math.dist(loop[0], loop[-1]) < JOIN_TOL
        tag = "polygon" if closed else "polyline"
        pts = " ".join(pt(x, y) for x, y in (loop[:-1] if closed else loop))
        out.append(f'<{tag} points="{pts}"/>')
    for (cx, cy), r in flat.holes:
        out.append(f'<circle cx="{_f(cx + MARGIN)}" cy="{_f(MARGIN + h - cy)}" r="{_f(r)}"/>')
    out.append("</g>")
    out.append('<g fill="none" stroke-width="0.25">')
    for b in flat.bends:
        colour = "#1a7f37" if b.direction == "up" else "#c0392b"
        for t in b.tangents:
            out.append(f'<line x1="{pt(*t[0]).split(",")[0]}" y1="{pt(*t[0]).split(",")[1]}" '
                       f'x2="{pt(*t[1]).split(",")[0]}" y2="{pt(*t[1]).split(",")[1]}" stroke="#999" stroke-width="0.18"/>')
        (x0, y0), (x1, y1) = b.line
        a, c = pt(x0, y0).split(","), pt(x1, y1).split(",")
        out.append(f'<line x1="{a[0]}" y1="{a[1]}" x2="{c[0]}" y2="{c[1]}" stroke="{colour}" stroke-dasharray="6 2"/>')
    out.append("</g>")
    out.append(f'<g font-family="sans-serif" font-size="{_f(TEXT_H)}" fill="#000">')
    for b in flat.bends:
        (x0, y0), (x1, y1) = b.line
        ang = -math.degrees(math.atan2(y1 - y0, x1 - x0))
        if ang > 90 or ang <= -90:
            ang -= 180 if ang > 0 else -180
        mx, my = pt((x0 + x1) / 2, (y0 + y1) / 2).split(",")
        out.append(f'<text x="{mx}" y="{my}" text-anchor="middle" dy="-0.8" '
                   f'transform="rotate({_f(ang)} {mx} {my})">{escape(bend_label(b, flat.k))}</text>')
    y = MARGIN + h + 2 * 1.6 * TEXT_H
    for line in table:
        out.append(f'<text x="{_f(MARGIN)}" y="{_f(y)}" xml:space="preserve" font-family="monospace">{escape(line)}</text>')
        y += 1.6 * TEXT_H
    out.append("</g></svg>")
    return ("\n".join(out) + "\n").encode("utf-8")

"""A table's collapsed borders are drawn as one path per run of alike solid borders, not one path per cell side.

WeasyPrint draws a table with ``border-collapse: collapse`` by working out every cell side's border segment
(:func:`weasyprint.draw.draw_collapsed_borders`) and then drawing each segment on its own: a saved graphics
state, its colour, its width, one line, a stroke, the state restored (:func:`weasyprint.draw.border.draw_line`).
A batch-record page has about 600 segments, all 0.3 pt solid black, so the drawing was about a twentieth of a
render and the operators a fifth of its content stream.

:func:`install` keeps WeasyPrint's segments, their order and everything it draws otherwise; it only draws each
run of consecutive segments that are solid, opaque and of the same width and colour as one path with one
stroke, in one saved state with that colour and width. An opaque stroke paints the same pixels whether its
lines are stroked together or one by one (the pages of the documents render pixel for pixel the same with
poppler, tests/test_tableborders.py), and the order of runs of other colours is kept, so a border that wins
the collapse still paints over the one it beat. Any other segment (dashed, dotted, double, ridge, groove,
inset, outset, translucent) is drawn by WeasyPrint's ``draw_line``, as before.

It is installed only over the functions it was written against (``STOCK``, the SHA-256 of their sources:
WeasyPrint 70.0); a WeasyPrint that changed either keeps its own drawing.
"""

from __future__ import annotations

import functools

from .hashing import source_sha

#: SHA-256 of the sources of ``weasyprint.draw.draw_collapsed_borders`` and ``weasyprint.draw.border.draw_line``
#: (WeasyPrint 70.0), in that order, that :func:`install` was written against
STOCK = frozenset({("120b162d2a4f90661f89b01079f842af22cd057db2823b4417f2b8b38d381d1c",
                    "cc41cbfdbabe04d00caee3bea0eea18ff37ebdc68b9cb1f9d9433d0e187edf69")})


def known(collapsed, line) -> bool:
    """Whether these are the functions :func:`install` was written against (``STOCK``)."""
    return (source_sha(collapsed), source_sha(line)) in STOCK


def _key(segment) -> tuple | None:
    """What a segment must share with its neighbours to be stroked with them; None when it is drawn alone."""
    _x1, _y1, _x2, _y2, thickness, style, color, _offset = segment
    if style != "solid" or color.alpha != 1:
        return None
    return thickness, color.space, tuple(color.coordinates)


def batched(stock, line):
    """``draw_collapsed_borders`` built on WeasyPrint's ``stock`` one, drawing with ``line`` (its ``draw_line``)
    the segments that are drawn alone."""
    import weasyprint.draw as draw  # noqa: PLC0415

    def draw_collapsed_borders(stream, table):
        segments: list[tuple] = []

        def collect(_stream, x1, y1, x2, y2, thickness, style, color, offset=0):
            segments.append((x1, y1, x2, y2, thickness, style, color, offset))

        # WeasyPrint's own function works out the segments and their order; each ``draw_line`` it makes is
        # collected instead of drawn (the saved state it opens around each stays empty, and is dropped)
        draw.draw_line = collect
        try:
            stock(stream, table)
        finally:
            draw.draw_line = line
        start = 0
        while start < len(segments):
            key = _key(segments[start])
            end = start + 1
            if key is not None:
                while end < len(segments) and _key(segments[end]) == key:
                    end += 1
            with stream.artifact(), stream.stacked():
                if key is None:
                    line(stream, *segments[start])
                else:
                    x1, y1, x2, y2, thickness, _style, color, _offset = segments[start]
                    stream.set_color(color, stroke=True)
                    stream.set_line_width(thickness)
                    for x1, y1, x2, y2, *_rest in segments[start:end]:
                        stream.move_to(x1, y1)
                        stream.line_to(x2, y2)
                    stream.stroke()
            start = end

    draw_collapsed_borders.stock = stock  # type: ignore[attr-defined] - WeasyPrint's, for a comparison
    return draw_collapsed_borders


@functools.lru_cache(maxsize=1)
def install() -> bool:
    """Draw collapsed table borders in runs (once per process); False when this WeasyPrint's functions are not
    the ones this was written against, and are left alone."""
    import weasyprint.draw as draw  # noqa: PLC0415
    import weasyprint.draw.border as border  # noqa: PLC0415

    stock, line = draw.draw_collapsed_borders, border.draw_line
    if draw.draw_line is not line or not known(stock, line):
        return False
    draw.draw_collapsed_borders = batched(stock, line)
    return True

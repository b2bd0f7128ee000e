"""A stand-in for the drawings renderer: one SVG sheet and one DXF per part, sizes chosen by the test.

Also used from a subprocess (the reproducibility test), so it imports nothing from the tests.
"""

from __future__ import annotations

from techpack.renderers.base import Target


def sheet_svg(number: str, width: float = 420, height: float = 297, extra: str = "") -> bytes:
    """An ISO 5457-like sheet: 20 mm filing margin, 10 mm elsewhere, a title block and a GD&T frame."""
    w, h = width, height
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">
<rect x="20" y="10" width="{w - 30}" height="{h - 20}" fill="none" stroke="#000" stroke-width="0.7"/>
<rect x="{w - 190}" y="{h - 42}" width="180" height="32" fill="none" stroke="#000" stroke-width="0.5"/>
<text x="{w - 185}" y="{h - 25}" font-size="6" font-family="techpack sans">FAKE SHEET {number}</text>
<text x="40" y="40" font-size="5" font-family="techpack GDT, techpack sans">⌖ Ø0.05 A B C</text>
<line x1="40" y1="60" x2="140" y2="60" stroke="#000" stroke-width="0.35"/>
{extra}
</svg>""".encode()


def dxf_bytes(number: str) -> bytes:
    return f"0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n999\nfake drawing {number}\n".encode()


class FakeDrawings:
    """Writes ``drawings/<part>.svg`` and ``.dxf``; ``sizes`` maps part numbers to sheet (width, height) in mm."""

    name = "drawings"

    def __init__(self, sizes: dict | None = None, extra: str = ""):
        self.sizes = sizes or {}
        self.extra = extra

    def targets(self, comp):
        out = []
        for p in comp.loaded.spec.parts:
            deps = (f"part:{p.number}",)
            out += [Target(f"drawings/{p.number}.svg", "drawing-svg", deps),
                    Target(f"drawings/{p.number}.dxf", "drawing-dxf", deps)]
        return out

    def render(self, comp, out, targets):
        for t in targets:
            number = t.path.split("/", 1)[1].rsplit(".", 1)[0]
            if t.path.endswith(".svg"):
                out.write(t.path, sheet_svg(number, *self.sizes.get(number, (420, 297)), extra=self.extra))
            else:
                out.write(t.path, dxf_bytes(number))

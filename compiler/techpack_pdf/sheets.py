"""Drawing sheets on PDF pages: true scale where the sheet fits the largest page we print, else scaled.

The drawings renderer writes one SVG sheet per part (``drawings/<part>.svg``)
sized in real units.  A sheet up to A3 (ANSI B for ANSI sheets) gets a page of
exactly its own size and is placed at 1:1, so a print at *actual size* can be
measured; a larger sheet is reduced to fit A3 landscape (ANSI B) and the page
says by how much.  The SVG goes in as a ``data:`` URL, so WeasyPrint reads it
through the same restricted fetcher as everything else.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from . import fmt

UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "px": 25.4 / 96, "": 25.4 / 96}
A3 = (420.0, 297.0)
ANSI_B = (431.8, 279.4)
FIT_SLACK_MM = 0.5
MARGIN_V_MM = 7.0
"""Top and bottom page margin of a sheet page: the running header and page number sit in it, over the
sheet's blank border strip (ISO 5457 leaves 10 mm), clear of the centring marks."""
MARGIN_H_MM = 12.0
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(mm|cm|in|pt|pc|px)?\s*$")
_ROOT = re.compile(rb"<svg\b[^>]*>", re.S)
_SCALE = re.compile(rb'<metadata><sheet xmlns="urn:techpack:sheet" scale="([0-9]{1,4}:[0-9]{1,4})"/></metadata>')
_ATTR = re.compile(rb"""\s(width|height|viewBox)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
SHEET_NAMES = {(210.0, 297.0): "A4", (297.0, 420.0): "A3", (420.0, 594.0): "A2", (594.0, 841.0): "A1",
               (841.0, 1189.0): "A0", (215.9, 279.4): "ANSI A", (279.4, 431.8): "ANSI B",
               (431.8, 558.8): "ANSI C", (558.8, 863.6): "ANSI D", (863.6, 1117.6): "ANSI E"}


@dataclass(frozen=True)
class Sheet:
    """One drawing sheet placed on its own page."""

    data_url: str
    sheet_name: str  # "A3", or "420 x 297 mm"
    width_mm: float
    height_mm: float
    page_name: str  # the CSS named page
    page_width: str  # CSS lengths, e.g. "420mm"
    page_height: str
    image_width: str
    image_height: str
    image_left: str  # offset from the page's content box, so the sheet starts at the paper's edge
    image_top: str
    box_height: str  # height of the page's content box
    scale: float  # 1.0 = true scale
    scale_text: str  # how the page prints it: "printed at actual size" or "printed reduced to 71 % …"
    drawing_scale: str = ""  # the drawing's own scale, as its title block states it ("1:2"), or ""

    @property
    def description(self) -> str:
        """"A3, drawn at 1:2, printed at actual size": the sheet's scale and the page's, never confused."""
        drawn = f", drawn at {self.drawing_scale}" if self.drawing_scale else ""
        return f"{self.sheet_name}{drawn}, {self.scale_text}"


class SheetError(ValueError):
    """The SVG does not say how big it is."""


def _length_mm(text: str) -> float | None:
    m = _LENGTH.match(text)
    if not m:
        return None
    return float(m[1]) * UNITS_MM[m[2] or ""]


def svg_size_mm(svg: bytes) -> tuple[float, float]:
    """Width and height of an SVG sheet in millimetres, from the root element's attributes."""
    root = _ROOT.search(svg[:4096])
    if root is None:
        raise SheetError("no <svg> root element")
    attrs = {m[1].decode(): (m[2] or m[3] or b"").decode() for m in _ATTR.finditer(root[0])}
    w = _length_mm(attrs.get("width", ""))
    h = _length_mm(attrs.get("height", ""))
    if (w is None or h is None) and "viewBox" in attrs:
        nums = attrs["viewBox"].replace(",", " ").split()
        if len(nums) == 4:
            vw, vh = float(nums[2]), float(nums[3])
            # A viewBox alone is taken in user units of 1 mm, the drawings' convention.
            w, h = (w, h) if w is not None and h is not None else (vw, vh)
    if not w or not h or w <= 0 or h <= 0:
        raise SheetError("the <svg> root gives no usable width and height")
    return w, h


def sheet_name(w: float, h: float) -> str:
    short, long_ = sorted((w, h))
    for (a, b), name in SHEET_NAMES.items():
        if abs(a - short) <= 1 and abs(b - long_) <= 1:
            return name
    return f"{fmt.dec_float(w)} x {fmt.dec_float(h)} mm"


def place(svg: bytes, index: int) -> Sheet:
    """Where and how big ``svg`` goes: its own page at 1:1 when it fits, else reduced to fit."""
    w, h = svg_size_mm(svg)
    name = sheet_name(w, h)
    largest = ANSI_B if name.startswith("ANSI") else A3
    big, small = max(largest), min(largest)
    max_w, max_h = (big, small) if w >= h else (small, big)
    if w <= max_w + FIT_SLACK_MM and h <= max_h + FIT_SLACK_MM:
        scale, page_w, page_h = 1.0, w, h
        scale_text = "printed at actual size"
    else:
        scale = min(max_w / w, max_h / h)
        page_w, page_h = max_w, max_h
        scale_text = f"printed reduced to {round(scale * 100)} % of the {name} original; do not scale, use the DXF"
    url = "data:image/svg+xml;base64," + base64.b64encode(for_pdf(svg)).decode("ascii")
    left = (page_w - w * scale) / 2 - MARGIN_H_MM
    top = (page_h - h * scale) / 2 - MARGIN_V_MM
    return Sheet(url, name, w, h, f"sheet{index}", fmt.millimetres(page_w), fmt.millimetres(page_h),
                 fmt.millimetres(w * scale), fmt.millimetres(h * scale), fmt.millimetres(left),
                 fmt.millimetres(top), fmt.millimetres(page_h - 2 * MARGIN_V_MM - 0.5), scale, scale_text,
                 drawing_scale(svg))


_LINE = re.compile(rb'<line x1="(-?[0-9.]+)" y1="(-?[0-9.]+)" x2="(-?[0-9.]+)" y2="(-?[0-9.]+)"/>\n')
_LINES = re.compile(rb"(?:" + _LINE.pattern + rb"){2,}")  # a run of two or more


def _path(run: re.Match) -> bytes:
    return b'<path d="' + b"".join(b"M%b %bL%b %b" % g for g in _LINE.findall(run[0])) + b'"/>\n'


def for_pdf(svg: bytes) -> bytes:
    """The sheet as the PDF page draws it: each run of plain ``<line>`` siblings (a layer's edges, a dimension's
    lines, a hatch) one ``<path>`` of as many subpaths. WeasyPrint draws an SVG element with a graphics
    state of its own, and a sheet is half lines (287 of 535 elements): 20 sheets draw in 1.2 s instead of
    1.6. The same strokes: a line never fills, and a dash pattern starts again at every subpath, in SVG as
    in PDF (ISO 32000-1, 8.4.3.6). The file ``drawings/<part>.svg`` keeps its lines. Not where a
    ``<switch>`` would draw only the first of the runs' elements."""
    return svg if b"<switch" in svg else _LINES.sub(_path, svg)


def drawing_scale(svg: bytes) -> str:
    """The drawing scale the sheet states in its title block ("1:2"), from its metadata; "" when none."""
    m = _SCALE.search(svg[:8192])
    return m[1].decode("ascii") if m else ""

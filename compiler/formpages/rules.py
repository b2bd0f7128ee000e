"""What the drawn pages look like: the numbers of the style sheets they are drawn by (quality.css, base.css,
fai.css; ``tests/quality/test_formpages.py`` holds them to the CSS), and which documents are drawn."""

from __future__ import annotations

from dataclasses import dataclass

SHEETS = ("base.css", "quality/quality.css", "quality/batch-record.css", "sections.css")
"""The style sheets, in order, of a batch record's section documents."""
PLAN_SHEETS = ("base.css", "quality/quality.css", "sections.css")
"""... of an inspection plan's"""
FAI_SHEETS = ("base.css", "quality/quality.css", "quality/fai.css", "sections.css")
"""... and of the AS9102 forms'."""


@dataclass(frozen=True)
class Profile:
    """What this module draws of a kind of document: its tables' classes, and whether it is a form."""

    tables: frozenset
    forms: bool


PROFILES = {SHEETS: Profile(frozenset({"form grid", "form"}), True),
            PLAN_SHEETS: Profile(frozenset({"matrix", "fixed"}), False),
            FAI_SHEETS: Profile(frozenset({"form", "c8 form", "c6 form", "c4 form", "f3 form"}), True)}
"""By the style sheets a document links: the batch record's form tables (its result grids, inline checks and
final inspection), the inspection plan's characteristic matrices and its table of reasons, the AS9102 forms
(labelled boxes, the characteristics of form 3)."""
COLUMNS = {"c8": {"l": 10.0, "v": 15.0}, "c6": {"l": 13.0, "v": 20.3}, "c4": {"l": 16.0, "v": 34.0}}
"""Percent widths of a labelled-box form's label and value columns (quality.css ``table.c8 col.l`` …)."""
F3_HEAD = 6.8  # table.f3 th { font-size } (fai.css)
H3_SIZE = 9.5  # quality.css h3

MM = 72 / 25.4
PAGE = (841.889764, 595.275591)
"""A4 landscape in points, as WeasyPrint writes the page box (so the merged pages' boxes are all alike)."""
MARGIN = (15 * MM, 10 * MM, 12 * MM, 10 * MM)
"""quality.css ``@page`` margin: top, right, bottom, left."""

INK = "#111111"  # html { color }
MUTED = "#555555"  # .muted
CRITICAL = "#a40000"  # .cls-critical
RULE = "#888888"  # th, td border: 0.5pt solid #888
HEAD_BG = "#e4e8ec"  # th background (quality.css)
LABEL_BG = "#f1f3f5"  # table.form td.lbl
FIELD_BG = "#f4f7fb"  # td[data-tp-field] background
H2_RULE = "#444444"  # h2 border-bottom: 0.75pt solid #444
BOX_RULE = "#333333"  # input[type=checkbox] border
INPUT_RULE = "#666666"  # input[type=text] border-bottom: 0.5pt solid #666
INPUT_PAD = 1.0  # input[type=text] padding: 0 1pt
LINE_HEIGHT = 1.35
TABLE_SIZE = 7.5  # table { font-size }
SMALL = 7.0  # .small, .id
LABEL_SIZE = 6.8  # table.form td.lbl
VALUE_SIZE = 8.0  # table.form td.val
H2_SIZE = 11.0
FIELD_HEIGHT = 4.6 * MM  # td[data-tp-field] { height }
CELL_PAD = (1.5, 3.0)  # th, td padding: vertical, horizontal
FIELD_PAD = (0.5, 1.0)  # td.f padding
RULE_WIDTH = 0.5
ROW_PAD = CELL_PAD[0] + RULE_WIDTH / 2
"""A row's padding above and below its text: the cell's, and half the collapsed border (WeasyPrint's rows are
their content, padding and one border width high)."""
SIDE_PAD = CELL_PAD[1] + RULE_WIDTH / 2
"""A cell's padding left and right of its text: the cell's, and half the collapsed border."""
FIELD_ROW = {True: 1.1, False: 1.5}
"""What a row of fields adds to a field's height (its padding, 0.5pt above and below, and what WeasyPrint's line
box adds), by whether the table is a result grid (its cells are aligned in the middle, the others' fields at the
bottom), as measured on WeasyPrint's pages: such rows are 14.14pt and 14.54pt high."""
BOX = 3.2 * MM  # input[type=checkbox] width and height
BOX_GAP = 1.5 * MM  # its right margin
LABEL_GAP = 4 * MM  # label.cb right margin

FONTS = {("sans", False): "DejaVuSans.ttf", ("sans", True): "DejaVuSans-Bold.ttf",
         ("mono", False): "DejaVuSansMono.ttf", ("mono", True): "DejaVuSansMono.ttf", ("gdt", False): "techpack-gdt.ttf",
         ("gdt", True): "techpack-gdt.ttf"}
"""The shipped faces (templates/fonts) by family and weight; the mono and GD&T fonts have no bold face
(WeasyPrint uses their regular one as well)."""

TD_CLASSES = frozenset("num id small nowrap muted c f lbl val cls-critical cls-major cls-minor".split())
SPAN_CLASSES = frozenset("small muted mono id".split())
MATRIX_HEAD = 6.8  # table.matrix th { font-size }
BADGE_SIZE = 6.5  # .kc { font-size: 6.5pt; border: 0.5pt solid #111; padding: 0 1.5pt; margin-left: 2pt }
BADGE_PAD, BADGE_GAP, BADGE_RULE = 1.5, 2.0, 0.5


class Unsupported(Exception):
    """The document holds something this module does not draw: WeasyPrint renders it."""

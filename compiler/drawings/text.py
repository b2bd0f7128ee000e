"""Text on a drawing: how wide it is, how it wraps, and how it is escaped for DXF.

Widths come from the shipped DejaVu Sans (``templates/fonts``), the font the SVG
names and the DXF text style asks for.  A text *height* is the cap height, as in
DXF; the SVG font size is ``height / CAP``.  Widths carry a small safety margin
for DXF readers that substitute a wider font.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

CAP = 1493 / 2048  # DejaVu Sans cap height per em
SAFETY = 1.06  # readers with another font: leave room
FONT_FILE = "DejaVuSans.ttf"
FONT_NAME = "DejaVu Sans"


@functools.lru_cache(maxsize=1)
def _metrics() -> tuple[dict[int, int], int, int]:
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - only when a drawing is made

    path = Path(str(resources.files("techpack.templates"))) / "fonts" / FONT_FILE
    font = TTFont(str(path), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    widths = {cp: hmtx[name][0] for cp, name in cmap.items()}
    return widths, font["head"].unitsPerEm, hmtx[".notdef"][0]


def text_width(text: str, height: float) -> float:
    """Width of ``text`` set at cap height ``height`` (mm)."""
    widths, upm, missing = _metrics()
    em = height / CAP
    return SAFETY * em * sum(widths.get(ord(c), missing) for c in text) / upm


def wrap(text: str, height: float, width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a long word is cut).

    Linear in the length of ``text``: every character's advance is looked up once and
    line widths are kept as running sums (a 10,000-character word is cut in one pass).
    """
    widths, upm, missing = _metrics()
    scale = SAFETY * (height / CAP) / upm
    advance = [scale * widths.get(ord(c), missing) for c in text]
    space = scale * widths.get(32, missing)
    lines: list[str] = []
    line, line_w = "", 0.0
    pos = 0
    for word in text.split():
        start = text.index(word, pos)
        pos = start + len(word)
        adv = advance[start:pos]
        word_w = sum(adv)
        if (line_w + space + word_w if line else word_w) <= width:
            line, line_w = (f"{line} {word}", line_w + space + word_w) if line else (word, word_w)
            continue
        if line:
            lines.append(line)
        i = 0  # where the rest of the word starts
        while word_w > width and len(word) - i > 1:
            acc, cut = 0.0, i
            while cut < len(word) and acc + adv[cut] <= width:
                acc += adv[cut]
                cut += 1
            cut = max(cut, i + 1)
            lines.append(word[i:cut])
            word_w -= sum(adv[i:cut])
            i = cut
        line, line_w = word[i:], word_w
    if line:
        lines.append(line)
    return lines or [""]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean(text: str) -> str:
    """One line of printable text: line breaks and control characters become spaces."""
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", str(text))).strip()


def mtext_escape(text: str) -> str:
    """A spec string for MTEXT content, shown literally by every reader.

    Backslash codes (``\\P``, ``\\f``…), groups ``{ }``, caret control notation
    (``^J``) and ``%%`` special codes (``%%c``, ``%%d``…) all lose their meaning;
    line breaks and control characters become spaces.
    """
    s = clean(text)
    s = s.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    s = s.replace("^", "^ ")  # caret + space is a literal caret
    s = s.replace("%%", "%%%%%%")  # %%% is a literal percent sign
    return s


def dimension_text_escape(text: str) -> str:
    """A string for a DIMENSION's text override: MTEXT escaping, and ``<>``/``[]`` are not placeholders."""
    s = mtext_escape(text)
    return s.replace("<>", "<{}>").replace("[]", "[{}]")

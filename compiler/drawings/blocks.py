"""Annotation label blocks: lines of text, feature control frames, symbols and balloons.

A :class:`Block` is a small stack of :class:`Row` s, each a left-to-right run of
pieces.  It knows its size before it is placed, so the layout can try positions,
and draws itself at any lower-left corner.  Balloons are pieces too, so every
characteristic's balloon sits right after the annotation it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema.spec import ControlFrame, RoughnessSpec
from .model import LINE_PITCH, Box, Line, Text
from .symbols import BALLOON_R, FH, H, balloon, datum_triangle, depth_symbol, gdt_symbol, modifier, roughness_symbol
from .text import text_width

GAP = 1.2  # between pieces of a row
ROW_GAP = 0.8  # between rows


@dataclass
class Piece:
    kind: str  # text | frame | balloon | datum | roughness | depth | basic
    width: float
    height: float
    data: object = None

    def draw(self, x: float, y: float, row_h: float) -> list:
        cy = y + row_h / 2
        if self.kind == "spacer":
            return []
        if self.kind == "text":
            return [Text("ANNOTATION", x, cy, H, str(self.data), "left", "middle")]
        if self.kind == "basic":
            t = Text("DIMENSIONS", x + 0.8, cy, H, str(self.data), "left", "middle")
            return [t] + _rect("DIMENSIONS", x, cy - 0.9 * H, x + self.width, cy + 0.9 * H)
        if self.kind == "balloon":
            return balloon(str(self.data), x, cy)[0]
        if self.kind == "depth":
            return depth_symbol(x, cy - H / 2)[0]
        if self.kind == "frame":
            return _draw_frame(self.data, x, cy - FH / 2)[0]  # type: ignore[arg-type]
        if self.kind == "datum":
            return _draw_datum(str(self.data), x, y, row_h)
        if self.kind == "roughness":
            rs, ra = self.data  # type: ignore[misc]
            sx = 1.4 * H / 1.7320508075688772
            return roughness_symbol(x + sx, y, ra, rs.process, rs.lay)[0]
        raise ValueError(self.kind)  # pragma: no cover


def _rect(layer: str, x0: float, y0: float, x1: float, y1: float) -> list:
    return [Line(layer, x0, y0, x1, y0), Line(layer, x1, y0, x1, y1), Line(layer, x1, y1, x0, y1), Line(layer, x0, y1, x0, y0)]


def text_piece(text: str) -> Piece:
    """A text; one of several lines (a limit dimension, upper over lower) is as wide as its widest."""
    lines = text.split("\n")
    return Piece("text", max(text_width(t, H) for t in lines), 1.3 * H + (len(lines) - 1) * LINE_PITCH * H, text)


def basic_piece(text: str) -> Piece:
    """A basic (theoretically exact) dimension value: framed."""
    return Piece("basic", text_width(text, H) + 1.6, 1.8 * H + 0.4, text)


def balloon_piece(cid: str) -> Piece:
    return Piece("balloon", balloon(cid, 0, 0)[1], 2 * BALLOON_R + 0.2, cid)


def depth_piece() -> Piece:
    return Piece("depth", depth_symbol(0, 0)[1], H, None)


def frame_piece(frame: ControlFrame) -> Piece:
    return Piece("frame", _draw_frame(frame, 0, 0)[1], FH, frame)


def datum_piece(letter: str) -> Piece:
    """A datum feature symbol hanging from the frame in the row above (ASME Y14.5 / ISO 5459)."""
    return Piece("datum", max(FH, text_width(letter, H) + 1.6), FH + 2.6 + 0.6, letter)


def roughness_piece(rs: RoughnessSpec) -> Piece:
    ra = f"Ra {_num(rs.ra)}" if rs.ra is not None else f"Rz {_num(rs.rz)}"
    _prims, w, h = roughness_symbol(0, 0, ra, rs.process, rs.lay)
    return Piece("roughness", w, h, (rs, ra))


def _num(q) -> str:
    """A roughness value as written, without a micrometre unit (the symbol implies it)."""
    text = q.text
    for unit in ("um", "µm", "μm"):
        if text.endswith(unit):
            return text[: -len(unit)].strip()
    return text


def _frame_cells(frame: ControlFrame) -> list[tuple[str, float]]:
    tol = ("Ø" if frame.diameter else "") + frame.tolerance.text
    mod = frame.modifier.value if frame.modifier is not None and frame.modifier.value in ("MMC", "LMC") else None
    tw = text_width(tol, H) + 2.0 + (3.8 if mod else 0.0)
    cells = [("symbol", FH), ("tol", tw)]
    for ref in frame.datums:
        letters, m = _datum_ref(ref)
        cells.append(("datum", max(FH, text_width(letters, H) + 2.0 + (3.8 if m else 0.0))))
    return cells


def _datum_ref(ref: str) -> tuple[str, str | None]:
    if ref.endswith("(M)"):
        return ref[:-3], "M"
    if ref.endswith("(L)"):
        return ref[:-3], "L"
    return ref, None


def _draw_frame(frame: ControlFrame, x: float, y: float) -> tuple[list, float]:
    """A feature control frame with its lower left at (x, y); returns (primitives, width)."""
    cells = _frame_cells(frame)
    width = sum(w for _, w in cells)
    out = _rect("ANNOTATION", x, y, x + width, y + FH)
    cy = y + FH / 2
    cx = x
    for i, (kind, w) in enumerate(cells):
        if i:
            out.append(Line("ANNOTATION", cx, y, cx, y + FH))
        if kind == "symbol":
            out += gdt_symbol(frame.characteristic, cx + w / 2, cy)
        elif kind == "tol":
            tol = ("Ø" if frame.diameter else "") + frame.tolerance.text
            out.append(Text("ANNOTATION", cx + 1.0, cy, H, tol, "left", "middle"))
            if frame.modifier is not None and frame.modifier.value in ("MMC", "LMC"):
                out += modifier(frame.modifier.value[0], cx + 1.2 + text_width(tol, H), cy)[0]
        else:
            letters, m = _datum_ref(frame.datums[i - 2])
            if m:
                lw = text_width(letters, H)
                out.append(Text("ANNOTATION", cx + (w - lw - 3.8) / 2, cy, H, letters, "left", "middle"))
                out += modifier(m, cx + (w - lw - 3.8) / 2 + lw + 0.2, cy)[0]
            else:
                out.append(Text("ANNOTATION", cx + w / 2, cy, H, letters, "center", "middle"))
        cx += w
    return out, width


def _draw_datum(letter: str, x: float, y: float, row_h: float) -> list:
    """Framed letter at the row's bottom, stem up, triangle's base on the frame above."""
    w = max(FH, text_width(letter, H) + 1.6)
    cx = x + w / 2
    top = y + row_h + ROW_GAP
    out = _rect("ANNOTATION", x, y, x + w, y + FH)
    out.append(Text("ANNOTATION", cx, y + FH / 2, H, letter, "center", "middle"))
    out.append(Line("ANNOTATION", cx, y + FH, cx, top - 2.6))
    out.append(datum_triangle(cx, top, 0, -1))
    return out


@dataclass
class Row:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def width(self) -> float:
        return sum(p.width for p in self.pieces) + GAP * max(0, len(self.pieces) - 1)

    @property
    def height(self) -> float:
        return max((p.height for p in self.pieces), default=0.0)


@dataclass
class Block:
    """Rows stacked top to bottom, left aligned."""

    rows: list[Row]
    mirrored: bool = False  # the first row ends with the dimension's value (balloons before it)

    @property
    def width(self) -> float:
        return max((r.width for r in self.rows), default=0.0)

    @property
    def height(self) -> float:
        return sum(r.height for r in self.rows) + ROW_GAP * max(0, len(self.rows) - 1)

    def draw(self, x: float, y: float) -> tuple[list, list[tuple[str, Box]]]:
        """Primitives with the block's lower left at (x, y), and (kind, box) of each readable piece."""
        out: list = []
        boxes: list[tuple[str, Box]] = []
        top = y + self.height
        for row in self.rows:
            top -= row.height
            cx = x
            for p in row.pieces:
                prims = p.draw(cx, top, row.height)
                out += prims
                kind = "balloon" if p.kind == "balloon" else p.kind
                boxes.append((kind, Box(cx, top + (row.height - p.height) / 2, cx + p.width,
                                        top + (row.height + p.height) / 2)))
                cx += p.width + GAP
            top -= ROW_GAP
        return out, boxes

    def balloon_ids(self) -> list[str]:
        return [str(p.data) for r in self.rows for p in r.pieces if p.kind == "balloon"]

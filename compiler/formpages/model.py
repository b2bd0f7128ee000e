"""A section document read into blocks (headings, notes, tables of cells), or :class:`Unsupported`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..pdfforms import Cell
from .rules import COLUMNS, MM, SPAN_CLASSES, TD_CLASSES, Profile, Unsupported


@dataclass
class Run:
    text: str
    bold: bool = False
    small: bool = False
    muted: bool = False
    mono: bool = False


@dataclass
class Badge:
    """A key-characteristic mark (``span.kc``): its text in a thin box after the cell's text."""

    text: str


@dataclass
class Text:
    """A cell's (or heading's) content: runs of text, ``None`` for a line break."""

    runs: list


@dataclass
class Boxes:
    """A cell holding checkboxes: (field name, label) each."""

    boxes: list[tuple[str, str]]


@dataclass
class FieldCell:
    name: str


@dataclass
class TextAndField:
    """A cell's text with a text field under it (an ``<input type="text">`` after it: an inline block as wide
    as the cell)."""

    text: Text
    name: str


@dataclass
class CellSpec:
    content: object  # Text | Boxes | FieldCell | TextAndField
    classes: frozenset
    head: bool = False
    span: int = 1  # colspan


@dataclass
class TableSpec:
    widths: list  # points, or None (an automatic column)
    head: list[CellSpec]
    rows: list[list[CellSpec]]
    grid: bool = False
    classes: frozenset = frozenset()


@dataclass
class Heading:
    text: Text
    new_page: bool
    level: int = 1  # bookmark level: h2 1, h3 2


@dataclass
class Note:
    text: Text
    classes: frozenset


@dataclass
class Drawn:
    """What a drawing made besides its pages: the field cells and checkboxes, with page and rectangle."""

    cells: list[Cell] = field(default_factory=list)
    boxes: list[Cell] = field(default_factory=list)


def _classes(el) -> frozenset:
    return frozenset((el.get("class") or "").split())


def _only(el, allowed: set) -> None:
    if set(el.keys()) - allowed:
        raise Unsupported(f"<{el.tag}> with attributes {sorted(el.keys())}")


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _inline(el, into: list, style: Run) -> None:
    """The text of ``el``'s children (and their tails) as runs, with the inline markup the templates write."""
    for child in el:
        tag = child.tag
        if tag == "br":
            _only(child, set())
            into.append(None)
        elif tag == "b":
            _only(child, set())
            _runs(child, into, Run("", True, style.small, style.muted, style.mono))
        elif tag == "code":  # (base.css: the mono face)
            _only(child, set())
            _runs(child, into, Run("", style.bold, style.small, style.muted, True))
        elif tag == "span" and _classes(child) == {"kc"}:
            _only(child, {"class"})
            if len(child) or child.tail and child.tail.strip():
                raise Unsupported("a key-characteristic mark with markup in it or text after it")
            into.append(Badge(" ".join((child.text or "").split())))
        elif tag == "span":
            _only(child, {"class"})
            cls = _classes(child)
            if cls - SPAN_CLASSES:
                raise Unsupported(f"<span class={sorted(cls)}>")
            _runs(child, into, Run("", style.bold, style.small or "small" in cls or "id" in cls,
                                   style.muted or "muted" in cls, style.mono or bool(cls & {"mono", "id"})))
        else:
            raise Unsupported(f"<{tag}> in text")
        if child.tail:
            into.append(Run(child.tail, style.bold, style.small, style.muted, style.mono))


def _runs(el, into: list, style: Run) -> None:
    if el.text:
        into.append(Run(el.text, style.bold, style.small, style.muted, style.mono))
    _inline(el, into, style)


def _text(el, style: Run | None = None) -> Text:
    runs: list = []
    _runs(el, runs, style or Run(""))
    return Text(runs)


def _cell(el, head: bool, forms: bool) -> CellSpec:
    _only(el, {"class", "data-tp-field", "colspan"})
    span = el.get("colspan", "1")
    if not span.isdigit() or not 1 <= int(span) <= 50:
        raise Unsupported(f"colspan {span!r}")
    cell = _cell_content(el, head, forms)
    cell.span = int(span)
    return cell


def _cell_content(el, head: bool, forms: bool) -> CellSpec:
    cls = _classes(el)
    if cls - TD_CLASSES:
        raise Unsupported(f"<{el.tag} class={sorted(cls)}>")
    name = el.get("data-tp-field")
    if not forms and (name is not None or "f" in cls or any(c.tag in ("label", "input") for c in el.iter())):
        raise Unsupported("a field in a document that is not a form")
    if name is not None:
        if head or len(el) or not _blank(el.text):
            raise Unsupported("a field cell with content")
        return CellSpec(FieldCell(name), cls)
    labels = [c for c in el if c.tag == "label"]
    if labels:
        boxes = []
        if not _blank(el.text) or len(labels) != len(el):
            raise Unsupported("checkboxes beside other content")
        for label in labels:
            if _classes(label) != {"cb"} or len(label) != 1 or not _blank(label.text) or not _blank(label.tail):
                raise Unsupported("a checkbox label other than the templates'")
            box = label[0]
            if box.tag != "input" or box.get("type") != "checkbox" or set(box.keys()) != {"type", "name"} \
                    or len(box):
                raise Unsupported("a checkbox other than the templates'")
            boxes.append((box.get("name"), " ".join((box.tail or "").split())))
        return CellSpec(Boxes(boxes), cls, head)
    if len(el) and el[-1].tag == "input":
        field = el[-1]
        if head or field.get("type") != "text" or set(field.keys()) != {"type", "name"} or len(field) \
                or not _blank(field.tail):
            raise Unsupported("a text input other than the templates' at the end of a cell")
        el.remove(field)
        return CellSpec(TextAndField(_text(el), field.get("name")), cls, head)
    return CellSpec(_text(el, Run("", bold=head)), cls, head)


def _length(value: str) -> float | None:
    m = re.fullmatch(r"\s*width\s*:\s*([0-9.]+)mm\s*;?\s*", value or "")
    if m is None:
        raise Unsupported(f"a column width {value!r}")
    return float(m.group(1)) * MM


def _column(col, table: frozenset):
    """A column's width: in mm (its style), a percentage of the table (a labelled-box form's ``l``/``v`` column),
    or None (automatic)."""
    if col.get("style") is not None and col.get("class") is not None:
        raise Unsupported("a column with both a style and a class")
    if col.get("class") is not None:
        kind = [COLUMNS[c] for c in table if c in COLUMNS]
        if len(kind) != 1 or col.get("class") not in kind[0]:
            raise Unsupported(f"a column of class {col.get('class')!r} in a table of classes {sorted(table)}")
        return ("%", kind[0][col.get("class")])
    return _length(col.get("style")) if col.get("style") is not None else None


def _read_table(el, profile: Profile) -> TableSpec:
    _only(el, {"class"})
    cls = _classes(el)
    if " ".join(sorted(cls)) not in profile.tables:
        raise Unsupported(f"<table class={sorted(cls)}>")
    widths: list = []
    head: list[CellSpec] = []
    rows: list[list[CellSpec]] = []
    for part in el:
        if not _blank(part.tail):
            raise Unsupported("text in a table")
        if part.tag == "colgroup" and not widths and not head and not rows:
            _only(part, set())
            for col in part:
                if col.tag != "col" or not _blank(col.tail):
                    raise Unsupported("a column group other than <col>s")
                _only(col, {"style", "class"})
                widths.append(_column(col, cls))
        elif part.tag == "thead" and not head and not rows:
            _only(part, set())
            trs = list(part)
            if len(trs) != 1 or trs[0].tag != "tr":
                raise Unsupported("a table head of other than one row")
            head = [_row_cell(c, "th", profile.forms) for c in trs[0]]
        elif part.tag == "tbody" and not rows:
            _only(part, set())
            for tr in part:
                if tr.tag != "tr" or not _blank(tr.tail):
                    raise Unsupported("a table body of other than rows")
                _only(tr, set())
                rows.append([_row_cell(c, "td", profile.forms) for c in tr])
        else:
            raise Unsupported(f"<{part.tag}> in a table")
    ncols = sum(c.span for c in head) if head else sum(c.span for c in rows[0]) if rows else 0
    if not ncols or not (rows or head) or any(sum(c.span for c in r) != ncols for r in rows) \
            or (widths and len(widths) != ncols) or any(c.span > 1 for c in head):
        raise Unsupported("a table whose rows do not all have one cell per column")
    return TableSpec(widths or [None] * ncols, head, rows, "grid" in cls, cls)


def _row_cell(el, tag: str, forms: bool) -> CellSpec:
    if el.tag != tag or not _blank(el.tail):
        raise Unsupported(f"<{el.tag}> where <{tag}> was expected")
    return _cell(el, tag == "th", forms)


def read(root, profile: Profile) -> list:
    """The blocks of a parsed section document (:func:`techpack.fasthtml.parse`) of the kind ``profile`` (the
    profile of the style sheets it links); raises :class:`Unsupported`."""
    head, body = root.find("head"), root.find("body")
    if head is None or body is None:
        raise Unsupported("no head or body")
    if any(el.tag in ("style", "base") for el in head.iter()):
        raise Unsupported("a head with a style or base element")
    if not _blank(body.text):
        raise Unsupported("text directly in the body")
    _only(body, set())
    blocks: list = []
    _blocks(body, profile, blocks)
    if not blocks:
        raise Unsupported("an empty document")
    return blocks


def _blocks(parent, profile: Profile, blocks: list) -> None:
    for el in parent:
        if not _blank(el.tail):
            raise Unsupported("text directly in the body")
        if el.tag == "div" and el.get("class") == "fair" and profile.forms and set(el.keys()) == {"class"}:
            if not _blank(el.text):
                raise Unsupported("text directly in a form's block")
            _blocks(el, profile, blocks)  # (one AS9102 report: a box of no style of its own)
        elif el.tag == "h3":
            _only(el, set())
            blocks.append(Heading(_text(el, Run("", bold=True)), False, 2))
        elif el.tag == "h2":
            _only(el, {"class"})
            cls = _classes(el)
            if cls - {"new-page"}:
                raise Unsupported(f"<h2 class={sorted(cls)}>")
            blocks.append(Heading(_text(el, Run("", bold=True)), "new-page" in cls))
        elif el.tag == "p":
            _only(el, {"class"})
            cls = _classes(el)
            if cls - {"small", "muted"}:
                raise Unsupported(f"<p class={sorted(cls)}>")
            blocks.append(Note(_text(el, Run("", small="small" in cls, muted="muted" in cls)), cls))
        elif el.tag == "table":
            blocks.append(_read_table(el, profile))
        else:
            raise Unsupported(f"<{el.tag}> in the body")

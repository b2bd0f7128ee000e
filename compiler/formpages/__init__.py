"""Table pages drawn directly: a batch record's part pages (result grids, inline checks, final inspection), an
inspection plan's (characteristics by stage, and the reasons for each class, method and interval) and the
AS9102 forms of each part.

A batch record is mostly the same few tables, page after page: each characteristic of each part once per
inspection stage, with a fillable cell per piece. WeasyPrint lays any HTML and CSS out, and pays for that
generality on every cell (style cascade, box tree, layout, painting): on the 100-part product the record's
633 pages were the largest share of the build. ReportLab, made for documents of this kind, draws the same
pages in about a tenth of the time.

:func:`render` takes a section document of the batch record (``techpack.pdfsections``: the document's head and
some of its sections' HTML) and draws it when it can, else returns None and WeasyPrint renders it as before.
It draws a document when

* its head links exactly the style sheets of a batch record, a plan or the AS9102 forms (``rules.PROFILES``),
  whose rules this package draws (their numbers are in :mod:`.rules`; ``tests/quality/test_formpages.py``
  holds them to the CSS);
* its body holds only what those sections write: ``h2`` and ``h3`` headings (``new-page`` starts a page), ``p``
  notes, a report's ``div.fair``, and fixed-layout tables of the profile's classes (``colgroup`` widths in mm
  or a labelled-box form's percentages, at most one ``thead`` row, ``tbody`` rows, column spans) whose cells
  hold text (``b``, ``span``, ``code``, ``br``; a key-characteristic mark ``span.kc`` at the end of a line),
  or, in a form, are a text field (``td[data-tp-field]``, empty), hold checkboxes (``label.cb``) or end in a
  text input, with the classes the templates give them;
* every character of its text is in the shipped fonts (DejaVu Sans and its bold and mono faces, or the GD&T
  font, as WeasyPrint would fall back to it) and needs no shaping or reordering (no right-to-left or combining
  marks): ReportLab draws a string glyph by glyph.

Anything else (another element, attribute or class, a field with content, a column span, a character outside
the fonts) and the whole document goes to WeasyPrint: this is a faster path for what it knows, never a
guess. The pages it draws carry what WeasyPrint's do: the page box and margins (left empty for the running
header and page numbers stamped after the merge), an outline entry per heading, a text field per field cell
with the cell's rectangle (:func:`techpack.pdfforms.reader_safe` makes them, as it does for WeasyPrint's
pages), a checkbox per ``label.cb`` like WeasyPrint's, rows that never split across pages and a table head
repeated on every page a table continues on. The bytes are reproducible (ReportLab's invariant mode; the
fonts are subset by glyph use only).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from ..pdfstyles import linked
from .draw import draw
from .model import Drawn, read
from .rules import PAGE, PROFILES, Unsupported
from .text import _fonts


def warm() -> None:
    """Import ReportLab and register the fonts now (the render host, before it forks the section renders)."""
    import reportlab.platypus  # noqa: F401, PLC0415 - imported for the forked renders to inherit

    _fonts()


def sheets(html: str) -> tuple[str, ...]:
    """The style sheets a document's head links (:func:`techpack.pdfstyles.linked`)."""
    return linked(html)


TAGS = frozenset("h2 h3 p div table colgroup col thead tbody tr th td b span br label input code".split())
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_TABLE = re.compile(r'<table(?: class="([^"]*)")?')


def likely(fragment: str, html_head: str) -> bool:
    """Whether a section's HTML (of a document with the head ``html_head``) looks like what :func:`render` draws:
    only its elements and tables of its classes. A hint for grouping sections into chunks
    (``techpack.pdfsections``), so that a section that is not drawn here does not send its neighbours to
    WeasyPrint; :func:`render` decides."""
    profile = PROFILES.get(sheets(html_head))
    if profile is None or not set(_TAG.findall(fragment)) <= TAGS:
        return False
    return all(" ".join(sorted((cls or "").split())) in profile.tables for cls in _TABLE.findall(fragment))


def _profile(html: str, forms: bool):
    """The profile of the section document ``html`` (a form or not: ``forms``), by its style sheets; None when
    this package does not draw its kind."""
    profile = PROFILES.get(sheets(html))
    return profile if profile is not None and profile.forms == forms else None


def drawable(html: str, forms: bool) -> bool:
    """Whether ``html`` is a section document of a kind this module draws (by its style sheets alone)."""
    return _profile(html, forms) is not None


def render(html: str, forms: bool = True, date=None) -> bytes | None:
    """The section document ``html`` drawn as a PDF (a fillable one with ``forms``), or None when it holds what
    this module does not draw (WeasyPrint renders it then). ``date`` (a datetime): the document's creation and
    modification dates, as WeasyPrint writes them; without it the file has none."""
    from .. import fasthtml  # noqa: PLC0415

    profile = _profile(html, forms)
    if profile is None:
        return None
    root = fasthtml.parse(html)
    if root is None:
        return None
    from reportlab.platypus.doctemplate import LayoutError  # noqa: PLC0415

    try:
        blocks = read(root, profile)
        data, drawn = draw(blocks)
    except (Unsupported, LayoutError):  # (a row taller than a page: WeasyPrint cuts it at the page's foot)
        return None
    title = root.find("head/title")
    return finish(data, drawn, " ".join((title.text or "").split()) if title is not None else "", date)


def finish(data: bytes, drawn: Drawn, title: str = "", date=None) -> bytes:
    """ReportLab's PDF with WeasyPrint's page box on every page, the checkboxes and the text fields made, and the
    document information WeasyPrint gives (the title, the producer, the dates: the merged document takes its
    first section's)."""
    import pikepdf  # noqa: PLC0415
    import reportlab  # noqa: PLC0415

    from .. import pdfforms  # noqa: PLC0415

    with pikepdf.open(io.BytesIO(data)) as pdf:
        box = pikepdf.Array([0, 0, *PAGE])
        for page in pdf.pages:
            page.obj.MediaBox = box
        pdfforms.make_safe(pdf, drawn.cells, drawn.boxes)
        info = pdf.docinfo
        for key in list(info.keys()):
            del info[key]
        if title:
            info.Title = pikepdf.String(title)
        info.Producer = pikepdf.String(f"ReportLab {reportlab.Version} (techpack formpages)")
        if date is not None:
            stamp = pikepdf.String(date.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ"))
            info.CreationDate = info.ModDate = stamp
        return pdfforms.save(pdf)

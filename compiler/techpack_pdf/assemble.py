"""The tech-pack PDF made of sections rendered apart, each cached by its own input, merged, then numbered.

The template marks where a section may start a chunk (``<!--tp-section:KEY-->``, only at forced page
breaks: the cover, each section on a new page, each part that starts a page: every part after the first,
and the first too when there are several), so each chunk's pages are the pages one render of the whole
document would give. What differs from :mod:`techpack.pdfsections` (the quality documents, whose pages
all look alike):

* **Running strings split.** What changes from page to page (the section title at the top of a page, a
  drawing sheet's own title and scale) is laid out in the chunks' margin boxes; what is the same on every
  page (product, revision, footer) and "Page X of Y" are drawn by overlays of empty pages of the named
  page (cover, default, a drawing sheet's size) of the page they are drawn over, whose margin boxes sit
  where the chunk's do (:meth:`~techpack.pdfmerge.Merged.stamp` refuses an overlay page of another
  size): one page per named page for the strings, one per page for the numbers (cached, so an edit that
  keeps the page count lays none out). Margin boxes show strings only, never literal text, so no layer
  draws another's.
* **Contents in two passes.** The body chunks are laid out first; their anchors' pages give the cover's
  contents its page numbers, and the cover is laid out again if its own page count was guessed wrong.
* **Links across chunks** are written ``tp-link:<id>`` and become go-tos after the merge; a part that
  continues the "Parts" entry of the outline opens with :data:`~techpack.pdfmerge.OUTLINE_PARENT`.
* **PDF/A-3b**: the cover chunk carries the attachments; the merged catalogue takes its XMP metadata,
  output intent and embedded files. Every chunk is rendered as PDF/A-3b, so its fonts and annotations
  are what PDF/A asks.

An edit to one part re-renders the cover (the contents, the attachments), the chunks that show the part
and the overlay only if the page count changed; the other chunks come from the cache.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import io
import re
from pathlib import Path

from ..pdfmerge import OUTLINE_PARENT, Merged
from ..pdfsections import (MAX_CHUNKS, OVERLAY_CHUNK, Cache, Job, SectionLog, cached_renders, chunk_size, chunks,
                           key_of, overlay_html, runners_html, split)

PAGE_ANCHOR = "tp-page-"
"""An element whose ``id`` starts so names its page's named page (a drawing sheet's ``page`` in the CSS)."""
COVER_PAGE = "cover"
_ID = re.compile(r'\sid="([^"]*)"')
_HREF = re.compile(r'\shref="#([^"]*)"')
_TOC = re.compile(r'data-toc="([^"]*)"')
_FIRST = re.compile(r"\s*<(?:section|div)\b[^>]*>")
COVER_TRIES = 4
EACH_SECTION_UP_TO = MAX_CHUNKS
"""A document of at most this many sections after the cover is cut into one chunk per section: its HTML's
size says little about its layout's cost (a drawing sheet's data URL is most of a part's bytes), and an edit
to a part's name then lays out only the sections that show it (the enclosure: 2.0 s instead of 2.25 s).
A longer one is grouped by size, into about ``MAX_CHUNKS`` chunks."""


class AssembleError(RuntimeError):
    """The chunks cannot be put together into the document one render would give (a techpack bug)."""


def _cross_links(fragment: str) -> str:
    """``href="#x"`` to an element of another chunk written ``href="tp-link:x"`` (resolved after the merge)."""
    ids = set(_ID.findall(fragment))
    return _HREF.sub(lambda m: m[0] if m[1] in ids else f' href="tp-link:{m[1]}"', fragment)


def _continuing(fragment: str) -> str:
    """The chunk's first element (a part) marked as the outline entry whose children go under the previous
    chunk's last top-level entry ("Parts"); its own entry is dropped in the merge."""
    m = _FIRST.match(fragment)
    if m is None or ' class="' not in m[0]:
        raise AssembleError("a part of the tech-pack document must open with its element")
    tag = m[0].replace(' class="', f' class="{OUTLINE_PARENT} ', 1)
    return tag + fragment[m.end():]


def _anchors(pdf: bytes) -> tuple[int, dict[str, int]]:
    """(page count, {named destination: 0-based page}) of one rendered chunk."""
    import pikepdf  # noqa: PLC0415

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        index = {page.objgen: i for i, page in enumerate(doc.pages)}
        found: dict[str, int] = {}
        names = doc.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in pikepdf.NameTree(names.Dests).items():
                found[name] = index[dest[0].objgen]
        return len(doc.pages), found


def _fill_contents(fragment: str, pages: dict[str, int]) -> str:
    def number(m: re.Match) -> str:
        anchor = htmllib.unescape(m[1])
        if anchor not in pages:
            raise AssembleError(f"the contents name #{anchor}, which no section holds")
        return f'data-page="{pages[anchor]}"'
    return _TOC.sub(number, fragment)


def render(html: str, *, date: dt.datetime, roots: list[Path], attachments: list[tuple[str, bytes, str]],
           variant: str | None, cache: Path | None, workers: int,
           log: SectionLog | None = None) -> tuple[bytes, list[str]]:
    """The marked tech-pack document ``html`` as one PDF, and the URLs its renders' fetcher refused."""
    log = log if log is not None else SectionLog()
    head, runners, sections = split(html)
    if sections[0][0] != COVER_PAGE:
        raise AssembleError("the tech-pack document must open with its cover section")
    body = sections[1:]
    size = 1 if len(body) <= EACH_SECTION_UP_TO else chunk_size(body)
    groups = [[i + 1 for i in g] for g in chunks(body, size, header=False)] if body else []
    store = Cache(cache)
    refused: list[str] = []

    def doc(group: list[int]) -> str:
        fragments = "".join(sections[i][1] for i in group)
        if sections[group[0]][0].startswith("part:"):  # its outline entries go under "Parts"
            fragments = _continuing(fragments)
        return head + _cross_links(fragments) + "</body>\n</html>\n"

    jobs = [Job(doc(g), False, date, variant, (), tuple(roots)) for g in groups]
    body_pdfs, missing = cached_renders(store, jobs, workers, refused)
    anchor_pages: dict[str, int] = {}  # 0-based page in the body
    total = 0
    for pdf in body_pdfs:
        count, found = _anchors(pdf)
        for name, page in found.items():
            anchor_pages[name] = total + page
        total += count

    cover_fragment = sections[0][1]
    # its page count before its numbers are known: as many as this document's cover had last time (a hint kept
    # in the cache under the document's head), else one; laid out again if wrong
    guess = key_of(Job(head + "<!--cover pages-->", False, date, variant))
    cover_pages = store.hint(guess) or 1
    for _ in range(COVER_TRIES):
        numbers = {name: cover_pages + page + 1 for name, page in anchor_pages.items()}
        cover = head + _cross_links(_fill_contents(cover_fragment, numbers)) + "</body>\n</html>\n"
        [cover_pdf], cover_missing = cached_renders(
            store, [Job(cover, False, date, variant, tuple(attachments), tuple(roots))], 1, refused)
        count, _found = _anchors(cover_pdf)
        if count == cover_pages:
            store.put_hint(guess, count)
            break
        cover_pages = count
    else:
        raise AssembleError(f"the cover's page count did not settle in {COVER_TRIES} layouts")

    log.rendered += [COVER_PAGE] if cover_missing else []
    log.reused += [] if cover_missing else [COVER_PAGE]
    log.rendered += [sections[j][0] for i in missing for j in groups[i]]
    log.reused += [sections[j][0] for i, g in enumerate(groups) if i not in set(missing) for j in g]

    merged = Merged([cover_pdf, *body_pdfs], catalog_from=0 if variant else None)
    names: list[str | None] = [COVER_PAGE] * cover_pages + [None] * total
    for name, page in anchor_pages.items():
        if name.startswith(PAGE_ANCHOR):
            names[cover_pages + page] = name[len(PAGE_ANCHOR):]
    count = merged.page_count
    if count != len(names):
        raise AssembleError(f"{count} pages merged, {len(names)} laid out")
    spans = [(a, min(a + OVERLAY_CHUNK - 1, count)) for a in range(1, count + 1, OVERLAY_CHUNK)]
    overlays, _rendered = cached_renders(
        store, [Job(overlay_html(head, a, b, names), False, date, variant, (), ()) for a, b in spans], workers)
    kinds = list(dict.fromkeys(names))  # each named page once, in order of first use
    [shared], _rendered = cached_renders(store, [Job(runners_html(head, runners, kinds), False, date, variant)], 1)
    log.pages = count
    merged.stamp(overlays, shared, [kinds.index(name) for name in names])
    return merged.write(), refused

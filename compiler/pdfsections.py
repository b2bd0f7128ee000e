"""A long PDF made of sections rendered apart, each cached by its own HTML, merged, then stamped.

A document template marks where its sections start with ``<!--tp-section:KEY-->`` comments in
its body (at forced page breaks, so the pages are what one render would give). What comes before
the first mark is the running-header block (``<div class="runners">``).

* Neighbouring sections are grouped into chunks of at least ``MIN_GROUP`` bytes of HTML (more for
  a long document, so that it makes at most about ``MAX_CHUNKS`` chunks: :func:`chunk_size`), so a
  short document is cut into its sections (one per part) and a long one into about 32 runs of them.
  A document that makes one chunk renders whole, exactly as one render. The document's first section
  (its header, which shows the spec hash and so changes with any edit) is always a chunk of its own.
  Each chunk is its own WeasyPrint
  document: the document's head, its fragments, and ``sections.css``, which leaves every page
  margin empty, so a section's bytes depend on its own content only, never on its page numbers, the
  spec hash or the other chunks. Its cache key is the sha256 of that HTML, the output libraries'
  versions, the templates and techpack's code: a part that did not change keeps its sections'
  bytes, and nothing it depends on can be missed.
* A long document's missing chunks render in forked processes over the cores, one chunk per process
  that exits when done, so memory is bounded by the largest chunk, not the whole document; a short
  one's render one after the other in the job's process (``FORK_ABOVE``).
* The sections are merged with pikepdf (qpdf: pages, outlines, form fields with their AcroForm), and then
  "Page X of Y" and the running header are stamped, as form XObjects: the page numbers written directly
  where WeasyPrint places the first and the last of them (:mod:`techpack.pagenumbers`; two overlay pages
  laid out with the same style sheets, ``overlay.css`` taking the number from each page's text), or, when
  those cannot be reproduced, from an overlay document of one such page per page, cached like the sections;
  the running header (which shows the spec hash) from one page, drawn on every page.

The merged bytes depend only on the sections' bytes and the overlay's, never on which were cached
or how many processes rendered them.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import multiprocessing
import multiprocessing.connection
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import cachefile
from .hashing import output_basis
from .pdf import render_pdf

MARK = re.compile(r"<!--tp-section:([^>]*?)-->")
OVERLAY_CHUNK = 60
"""Overlay pages per render (each chunk is independent, so they spread over the cores too)."""
MAX_CHUNKS = 32
"""About the most chunks a document is cut into (a longer one gets larger chunks)."""
FORK_ABOVE = 1_000_000
"""Bytes of HTML (about 120 pages of a batch record) above which the missing chunks render in parallel
processes (:func:`render_all`)."""
MIN_GROUP = 4096
"""Smallest chunk, in bytes of HTML (half a page of a batch record): below it, neighbouring sections share a
chunk. Measured on the enclosure (4 parts, 2 cores, a regular install): with whole documents a first build
took 5.9 s (10.8 CPU-s) and each one-part change 5.6 s (10.4 CPU-s); with a chunk per section, 6.2 s
(11.4 CPU-s) and 4.3 s (8.0 CPU-s). The bracket's ``--force`` rebuild takes its unchanged sections from
the cache: 2.55 s instead of 3.4 s. Until the form font was cut to 35 KB (templates/fonts), each form
chunk embedded 760 KB of DejaVu Sans, 0.3 s, and whole documents won."""


@dataclass
class SectionLog:
    """Which sections a document's render drew anew and which it took from the cache (by key)."""

    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    pages: int = 0

    def as_dict(self) -> dict:
        return {"rendered": list(self.rendered), "reused": list(self.reused), "pages": self.pages}


def split(html: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(head up to ``<body>``, running-header block, [(key, body fragment)]) of a marked document."""
    start = html.index("<body>") + len("<body>")
    end = html.rindex("</body>")
    head, body = html[:start], html[start:end]
    parts = MARK.split(body)
    runners, rest = parts[0], parts[1:]
    sections = [(rest[i].strip(), rest[i + 1]) for i in range(0, len(rest), 2)]
    keys = [k for k, _ in sections]
    if not sections or len(set(keys)) != len(keys):
        raise ValueError(f"a sectioned document needs unique section marks, found {keys!r}")
    return head, runners, sections


def chunk_size(sections: list[tuple[str, str]]) -> int:
    """The grouping size for :func:`chunks`: the smallest ``MIN_GROUP`` × 2^k that makes at most about
    ``MAX_CHUNKS`` chunks. A power of two, so an edit that changes the document's size a little seldom
    changes it (and with it every chunk's boundaries)."""
    total = sum(len(fragment) for _key, fragment in sections)
    size = MIN_GROUP
    while total > size * MAX_CHUNKS:
        size *= 2
    return size


def chunks(sections: list[tuple[str, str]], size: int, header: bool = True,
           kinds: list[bool] | None = None) -> list[list[int]]:
    """Consecutive sections grouped to about ``size`` bytes of HTML each. A group ends once it is that
    large and a section key's hash is even (or it is twice that large), so an edit that changes one
    section's length seldom moves the later groups' boundaries (their cache entries stay valid). When
    that makes more than one group, the first section is a group of its own: the header, which
    changes with every edit, never makes its neighbours render again (unless not ``header``). With
    ``kinds`` (one per section: whether :mod:`techpack.formpages` would draw it), a group also ends where
    the kind changes, so a section WeasyPrint renders never takes its neighbours along."""
    groups: list[list[int]] = [[]]
    acc = 0
    for i, (key, fragment) in enumerate(sections):
        groups[-1].append(i)
        acc += len(fragment)
        even = hashlib.sha256(key.encode()).digest()[0] % 2 == 0
        turn = kinds is not None and i < len(sections) - 1 and kinds[i] != kinds[i + 1]
        if i < len(sections) - 1 and (turn or acc >= 2 * size or (acc >= size and even)):
            groups.append([])
            acc = 0
    if header and len(groups) > 1 and len(groups[0]) > 1:
        groups[:1] = [groups[0][:1], groups[0][1:]]
    return groups


def _with_css(head: str, sheet: str) -> str:
    return head.replace("</head>", f'<link rel="stylesheet" href="{sheet}">\n</head>', 1)


def _page(name: str | None) -> str:
    return f' style="page: {name}"' if name else ""


def overlay_html(head: str, first: int, last: int, names: list[str | None]) -> str:
    """Overlay pages ``first``..``last`` (1-based) of a document whose pages are of the named pages ``names``
    (None: the default page), each of its page's named page and carrying only "Page n of N"."""
    return numbers_html(head, range(first, last + 1), names)


def numbers_html(head: str, numbers, names: list[str | None]) -> str:
    """The overlay pages of the page numbers ``numbers`` (1-based), as :func:`overlay_html`."""
    total = len(names)
    pages = "".join(f'<div class="tp-page"{_page(names[n - 1])}>Page {n} of {total}</div>' for n in numbers)
    return _with_css(head, "overlay.css") + pages + "</body>\n</html>\n"


def runners_html(head: str, runners: str, kinds: list[str | None] | tuple = (None,)) -> str:
    """One overlay page per named page in ``kinds`` (None: the default page) carrying the running header only,
    what is the same on every page of that kind (the running strings, set on the first page, hold on the
    next)."""
    pages = "".join(f'<div class="tp-run"{_page(kind)}>{runners if i == 0 else ""}</div>'
                    for i, kind in enumerate(kinds))
    return _with_css(head, "overlay.css") + pages + "</body>\n</html>\n"


class Job(NamedTuple):
    """One render: the HTML and everything else its PDF bytes depend on."""

    html: str
    forms: bool
    date: dt.datetime
    variant: str | None = None  # WeasyPrint's pdf_variant ("pdf/a-3b")
    attachments: tuple[tuple[str, bytes, str], ...] = ()  # (name, bytes, description) embedded in the PDF
    roots: tuple[Path, ...] = ()  # folders the HTML may read images from


def key_of(job: Job) -> str:
    """The cache key of a render: its HTML, options, attachments, the fetchable files' folders and the code."""
    h = hashlib.sha256(f"{output_basis()}\n{job.forms}\n{job.date.isoformat()}\n{job.variant}\n".encode())
    for name, data, desc in job.attachments:
        h.update(f"{name}\n{desc}\n{hashlib.sha256(data).hexdigest()}\n".encode())
    h.update(repr([str(r) for r in job.roots]).encode())
    h.update(job.html.encode())
    return h.hexdigest()


class Cache:
    """Section PDFs by key in ``<cache>/pdf-sections``; any file-system error is a miss, never a failure.
    The URLs a render's fetcher refused are kept beside its PDF, so a cached render reports them too."""

    def __init__(self, root: Path | None):
        self.root = root / "pdf-sections" if root is not None else None

    def _path(self, key: str, ext: str) -> Path:
        """Where the entry ``key`` keeps its ``ext`` file (only called with a cache folder)."""
        return self.root / key[:2] / f"{key}.{ext}"

    def get(self, key: str) -> "Rendered | None":
        if self.root is None:
            return None
        data = cachefile.read(self._path(key, "pdf"))
        if data is None or not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
            return None
        refused = cachefile.read(self._path(key, "refused")) or b""
        return Rendered(data, tuple(u for u in refused.decode(errors="replace").split("\n") if u))

    def hint(self, key: str) -> int | None:
        """A number kept under ``key`` (how many pages a document had when last laid out), or None."""
        data = cachefile.read(self._path(key, "hint")) if self.root is not None else None
        return int(data) if data is not None and data.isdigit() else None

    def put_hint(self, key: str, value: int) -> None:
        if self.root is not None:
            cachefile.write(self._path(key, "hint"), str(value).encode())

    def put(self, key: str, rendered: "Rendered") -> None:
        if self.root is not None:
            if rendered.refused:  # first, so a PDF in the cache never lacks the URLs it refused
                cachefile.write(self._path(key, "refused"), "\n".join(rendered.refused).encode())
            cachefile.write(self._path(key, "pdf"), rendered.data)


class Rendered(NamedTuple):
    data: bytes
    refused: tuple[str, ...]  # URLs the restricted fetcher refused (a hostile drawing's file references)


def _render_one(job: Job) -> Rendered:
    if job.variant is None and not job.attachments and not job.roots:
        from . import formpages  # noqa: PLC0415

        # a batch record's form pages and a plan's tables, drawn directly where they can be
        drawn = formpages.render(job.html, job.forms, job.date)
        if drawn is not None:
            return Rendered(drawn, ())
    data, refused = render_pdf(job.html, roots=list(job.roots), date=job.date, forms=job.forms,
                               attachments=list(job.attachments) or None, pdf_variant=job.variant)
    return Rendered(data, tuple(refused))


def _child(job: Job, conn) -> None:
    from .schedule import die_with_parent  # noqa: PLC0415

    die_with_parent()
    # One render, then exit: the cyclic collector's passes would only rescan the layout that the exit frees
    # anyway (on the 100-part product, 13 of 200 CPU-s of its section renders went to scanning each chunk's
    # boxes after the layout and during the form fields' post-processing). The peak memory is the layout's
    # either way: render_pdf pauses the collector while it lays out.
    gc.disable()
    try:
        data, refused = _render_one(job)
        conn.send_bytes(b"ok" + "\n".join(refused).encode() + b"\0" + data)
    except BaseException as exc:  # noqa: BLE001 - the parent raises it
        conn.send_bytes(b"no" + f"{type(exc).__name__}: {exc}".encode())
    finally:
        conn.close()


def render_all(jobs: list[Job | tuple], workers: int) -> list[Rendered]:
    """Render ``jobs`` (:class:`Job`, or its first fields as a tuple) in order. With more than one worker, and
    more than ``FORK_ABOVE`` bytes of HTML in all, each job is a forked process of its own that exits when its
    PDF is sent back (so
    memory is one chunk's layout, and nothing of one render stays in the next), at most ``workers`` at a
    time. Less than that renders here, one after the other: a fork costs more than a short chunk's render
    saves, and the build's other jobs keep the other cores busy."""
    jobs = [Job(*j) for j in jobs]
    if workers <= 1 or len(jobs) <= 1 or sum(len(j.html) for j in jobs) <= FORK_ABOVE:
        return [_render_one(j) for j in jobs]
    from . import formpages, pdfstyles  # noqa: PLC0415

    # the style sheets parsed here once, not in every child; ReportLab and its fonts loaded once too
    for head in sorted({j.html[:j.html.find("<body")] for j in jobs if "<body" in j.html}):
        pdfstyles.warm(head)
    if any(formpages.drawable(j.html, j.forms) for j in jobs):
        formpages.warm()
    ctx = multiprocessing.get_context("fork")
    results: list[Rendered | None] = [None] * len(jobs)
    pending = list(range(len(jobs)))
    running: dict = {}  # connection -> (process, index)
    try:
        while pending or running:
            while pending and len(running) < workers:
                i = pending.pop(0)
                reader, writer = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(jobs[i], writer))
                proc.start()
                writer.close()
                running[reader] = (proc, i)
            for reader in multiprocessing.connection.wait(list(running)):
                proc, i = running.pop(reader)
                try:
                    message = reader.recv_bytes()
                except EOFError:
                    message = b"no" + f"a section renderer died (exit {proc.exitcode})".encode()
                reader.close()
                proc.join()
                if message[:2] != b"ok":
                    raise RuntimeError(message[2:].decode(errors="replace"))
                refused, _nul, data = message[2:].partition(b"\0")
                results[i] = Rendered(data, tuple(u for u in refused.decode().split("\n") if u))
    finally:
        for reader, (proc, _i) in running.items():
            proc.kill()
            proc.join()
            reader.close()
    return [r for r in results if r is not None]


def cached_renders(store: Cache, jobs: list[Job], workers: int,
                   refused: list[str] | None = None) -> tuple[list[bytes], list[int]]:
    """Each job's PDF from the cache, the missing ones rendered (in parallel) and stored: (PDFs, indices of the
    rendered ones). The URLs each render's fetcher refused (a cached one's, kept beside it) are added to
    ``refused``."""
    keys = [key_of(j) for j in jobs]
    cached = [store.get(k) for k in keys]
    missing = [i for i, hit in enumerate(cached) if hit is None]
    for i, rendered in zip(missing, render_all([jobs[i] for i in missing], workers)):
        store.put(keys[i], rendered)
        cached[i] = rendered
    if refused is not None:
        refused += [url for hit in cached if hit is not None for url in hit.refused]
    return [hit.data for hit in cached if hit is not None], missing


def render_sectioned(html: str, *, date: dt.datetime, forms: bool, cache: Path | None, workers: int,
                     log: SectionLog | None = None) -> bytes:
    """The document ``html`` (with section marks) as one PDF: sections cached and merged, pages stamped."""
    from . import formpages  # noqa: PLC0415
    from .pdfmerge import Merged  # noqa: PLC0415 - pikepdf only when a PDF is made

    log = log if log is not None else SectionLog()
    head, runners, sections = split(html)
    kinds = None
    section_head = _with_css(head, "sections.css")
    if formpages.drawable(section_head, forms):
        kinds = [formpages.likely(fragment, section_head) for _key, fragment in sections]
    groups = chunks(sections, chunk_size(sections), kinds=kinds)
    if len(groups) == 1 and not (kinds and all(kinds)):  # small: one render, as if it had no marks (unless
        # it is all pages formpages draws: then drawn as one chunk, merged and stamped as a long one is)
        data = _render_one(Job(html, forms, date)).data
        log.rendered += [k for k, _ in sections]
        return data
    store = Cache(cache)
    docs = [section_head + "".join(sections[i][1] for i in g) + "</body>\n</html>\n" for g in groups]
    found, missing = cached_renders(store, [Job(d, forms, date) for d in docs], workers)
    log.rendered += [sections[j][0] for i in missing for j in groups[i]]
    log.reused += [sections[j][0] for i, g in enumerate(groups) if i not in set(missing) for j in g]
    merged = Merged(found)
    total = merged.page_count
    # "Page X of Y" alone, so an edit that keeps the page count takes it from the cache; the running header
    # (it shows the spec hash) is one page, stamped on every page
    overlays = _page_numbers(store, head, total, date, merged, workers)
    [shared], _rendered = cached_renders(store, [Job(runners_html(head, runners), False, date)], 1)
    log.pages = total
    merged.stamp(overlays, shared)
    return merged.write()


def _page_numbers(store: Cache, head: str, total: int, date: dt.datetime, merged, workers: int) -> list[bytes]:
    """The "Page n of N" overlay of a document of ``total`` pages of one kind: written directly where WeasyPrint's
    first and last page number place it (:mod:`techpack.pagenumbers`), else laid out page by page."""
    from . import pagenumbers  # noqa: PLC0415

    names: list[str | None] = [None] * total
    [calibration], _rendered = cached_renders(store, [Job(numbers_html(head, (1, total), names), False, date)], 1)
    placement = pagenumbers.calibrate(calibration, total)
    if placement is not None and all(tuple(float(v) for v in page.mediabox) == placement.mediabox
                                     for page in merged.pdf.pages):
        return [pagenumbers.overlay(placement, total)]
    spans = [(a, min(a + OVERLAY_CHUNK - 1, total)) for a in range(1, total + 1, OVERLAY_CHUNK)]
    overlay_docs = [overlay_html(head, a, b, names) for a, b in spans]
    return cached_renders(store, [Job(d, False, date) for d in overlay_docs], workers)[0]

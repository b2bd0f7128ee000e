"""Style sheets parsed once per process, not once per PDF.

Every PDF techpack renders links the same shipped style sheets (``base.css``, ``quality/quality.css``...), and
a long document is rendered as many sections and overlays (:mod:`techpack.pdfsections`), each its own
WeasyPrint document: parsing the sheets and loading their ``@font-face`` fonts was about half the time of a
small render (20 ms of 40 ms for a page-number overlay). Now each process parses each set of sheets once, and
the render host (:mod:`techpack.schedule`) parses those of the shipped templates while the spec compiles, so
the jobs it forks start with them.

:func:`take` lifts a document's style sheets out of its head and gives them back parsed, in the document's
order, with the :class:`weasyprint.text.fonts.FontConfiguration` they were parsed with, one per set of linked
files (so a document sees its own ``@font-face`` rules only, as before); the renderer hands them to WeasyPrint
as the document's style sheets (``stylesheets=``) instead of letting it parse the ``<link>`` and ``<style>``
elements again. WeasyPrint gives sheets passed so the *user* origin rather than the
*author* origin. Nothing changes because every sheet moves: within one origin the cascade orders by
specificity and then by order, as before; the user agent's sheet still comes below them; only ``style``
attributes stay author, and they won before too (no sheet of ours says ``!important``). The PDF bytes are
the same (tests/test_pdfstyles.py renders every kind of document both ways).

A document whose head holds anything else (a sheet outside the shipped templates, a ``<style>`` that
fetches, a ``<link>`` or ``<style>`` written another way) is left whole to WeasyPrint.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .pdf import TEMPLATES

_SHEET = re.compile(r'<link rel="stylesheet" href="([^"<>]+)">|<style>([^<]*)</style>')
_FETCHES = re.compile(r"url\(|@import|@font-face", re.I)
MAX_STRING_SHEETS = 64
"""``<style>`` blocks kept parsed per process (a document's own page sizes, say): the newest ones."""

_sets: dict[tuple, "_Set"] = {}
_finalizer_pid = None  # the process that registered release() with multiprocessing's exit hook


class _Set:
    """The style sheets of one kind of document (the same linked files, in the same order), parsed with a font
    configuration of their own: their ``@font-face`` rules and no other document's, as WeasyPrint gives each
    document its own."""

    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 - heavy

        self.pid = os.getpid()  # the process that removes its fonts' folder (release)
        self.fonts = FontConfiguration()
        self.files: dict[Path, object] = {}
        self.strings: dict[str, object] = {}

    def file(self, path: Path):
        sheet = self.files.get(path)
        if sheet is None:
            from weasyprint import CSS  # noqa: PLC0415

            sheet = self.files[path] = CSS(filename=str(path), url_fetcher=_fetcher(), font_config=self.fonts)
        return sheet

    def string(self, text: str, base_url: str):
        sheet = self.strings.pop(text, None)
        if sheet is None:
            from weasyprint import CSS  # noqa: PLC0415

            sheet = CSS(string=text, base_url=base_url, url_fetcher=_fetcher(), font_config=self.fonts)
        self.strings[text] = sheet  # the newest last
        while len(self.strings) > MAX_STRING_SHEETS:
            del self.strings[next(iter(self.strings))]
        return sheet


def _set(key: tuple) -> _Set:
    """The parsed set of the linked files ``key`` names (each as path, modification time and size). Each set
    lives as long as the process that parsed it, which then removes its fonts' folder (:func:`release`, run by
    multiprocessing's exit hook: at exit in the main process, and on its way out in one that multiprocessing
    started); render jobs forked from it use it and leave it alone."""
    global _finalizer_pid
    found = _sets.get(key)
    if found is None:
        if _finalizer_pid != os.getpid():  # once per process (a forked child drops the exit hooks it inherits)
            import multiprocessing.util  # noqa: PLC0415

            # before the interpreter's teardown, while WeasyPrint can still remove the folders
            multiprocessing.util.Finalize(None, release, exitpriority=0)
            _finalizer_pid = os.getpid()
        found = _sets[key] = _Set()
    return found


def release() -> None:
    """Forget the sets this process parsed and remove their fonts' folders. Those it inherited stay: the process
    it was forked from, and its other children, still use their fonts."""
    import shutil  # noqa: PLC0415

    for key in [key for key, found in _sets.items() if found.pid == os.getpid()]:
        # WeasyPrint removes the folder in FontConfiguration.__del__, but the documents rendered with it (and its
        # own caches) may keep it alive until the process ends, and a forked process ends without a collection
        folder = getattr(_sets.pop(key).fonts, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _fetcher():
    from .pdf import SafeFetcher, _fetcher_class  # noqa: PLC0415

    return _fetcher_class()(SafeFetcher([TEMPLATES]))


def linked(html: str) -> tuple[str, ...]:
    """The style sheets a document's head links, in order, as the templates write the links; none when the head
    also holds a ``<style>`` element or a link written otherwise."""
    end = html.find("</head>")
    head = html[:end] if end >= 0 else ""
    found = list(_SHEET.finditer(head))
    if any(m.group(2) is not None for m in found) or head.count("<link") != len(found):
        return ()
    return tuple(m.group(1) for m in found)


def take(html: str, base: Path) -> tuple[str, list, object] | None:
    """``(html without its style sheets, the sheets parsed, their font configuration)`` for a document whose
    relative URLs resolve against the folder ``base``; None when its head holds a sheet this cache does not
    take (see the module's notes), so that WeasyPrint reads the head as it is."""
    end = html.find("<body")
    if end < 0:
        return None
    head = html[:end]
    found = list(_SHEET.finditer(head))
    if not found or head.count("<link") != sum(1 for m in found if m.group(1) is not None) \
            or head.count("<style") != sum(1 for m in found if m.group(2) is not None):
        return None
    templates = TEMPLATES.resolve()
    files = []  # (path, modification time, size) of each linked sheet, in order
    for m in found:
        href, text = m.group(1), m.group(2)
        if href is not None:
            if ":" in href or "?" in href or "#" in href:
                return None
            path = (base / href).resolve()
            if not path.is_relative_to(templates):
                return None
            try:
                st = path.stat()
            except OSError:
                return None
            if not stat.S_ISREG(st.st_mode):
                return None
            files.append((path, st.st_mtime_ns, st.st_size))
        elif _FETCHES.search(text):
            return None
    styles = _set(tuple(files))
    linked = iter(files)
    sheets = [styles.file(next(linked)[0]) if m.group(1) is not None
              else styles.string(m.group(2), base.as_uri() + "/") for m in found]
    return _SHEET.sub("", head) + html[end:], sheets, styles.fonts


def template_heads() -> list[str]:
    """The heads of the documents the shipped templates make: each template's linked sheets, alone and with
    the sheet a section or an overlay adds (:mod:`techpack.pdfsections`), the most used first."""
    heads = []
    for template in sorted(TEMPLATES.rglob("*.html"), key=lambda t: (t.parent.name == "revisions", t)):
        links = "".join(m.group(0) for m in _SHEET.finditer(template.read_text(encoding="utf-8")) if m.group(1))
        if links:
            heads += [f"<html><head>{links}{extra}</head>" for extra in
                      ("", '<link rel="stylesheet" href="sections.css">', '<link rel="stylesheet" href="overlay.css">')]
    return heads


def warm(head: str) -> None:
    """Parse the style sheets of a document with this head now (the render host, while the spec compiles)."""
    take(head + "<body></body>", TEMPLATES.resolve())

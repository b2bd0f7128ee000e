"""HTML → PDF the safe and reproducible way (Jinja2 + WeasyPrint), shared by every PDF renderer.

* Templates autoescape and fail on undefined variables (StrictUndefined), so
  no spec string can inject markup or CSS, and a template typo is an error.
* WeasyPrint fetches only through :class:`SafeFetcher`: ``data:`` URLs and
  files inside the allowed folders (the shipped templates, the product's own
  folder).  No other local file, no network, no redirects.
* Output is reproducible: fonts are shipped in ``templates/fonts``, the
  document dates come from the build date (``SOURCE_DATE_EPOCH``), and the PDF
  identifier is derived from the content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from .gcpause import gc_paused

TEMPLATES = Path(str(resources.files("techpack.templates")))


@functools.lru_cache(maxsize=8)
def template_env(*folders: Path) -> jinja2.Environment:
    """A Jinja2 environment over ``folders`` (and the shared templates), strict and autoescaping. One per set
    of folders and process, so each template is compiled once (a render job forked from the render host
    starts with the templates the host compiled while the spec was compiling); callers must not change it."""
    return new_template_env(*folders)


def new_template_env(*folders: Path) -> jinja2.Environment:
    """A Jinja2 environment of its own, for a caller that adds filters or globals."""
    loader = jinja2.FileSystemLoader([str(f) for f in folders] + [str(TEMPLATES)])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


@dataclass
class SafeFetcher:
    """Resolves resources for WeasyPrint: ``data:`` URLs and files under ``roots`` only."""

    roots: list[Path]
    refused: list[str] = field(default_factory=list)

    def _allowed(self, path: Path) -> bool:
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return False
        return real.is_file() and any(real.is_relative_to(r.resolve()) for r in self.roots)

    def fetch(self, url: str, headers: Any = None):  # noqa: ARG002 - WeasyPrint's signature
        from weasyprint.urls import URLFetcherResponse  # noqa: PLC0415

        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            import urllib.request  # noqa: PLC0415

            with urllib.request.urlopen(url) as resp:  # data: URLs only; never a network URL
                body = resp.read()
                ctype = resp.headers.get("Content-Type", "application/octet-stream")
            return URLFetcherResponse(url, body=body, headers={"Content-Type": ctype})
        if scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path))
            if self._allowed(path):
                ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": ctype})
        self.refused.append(url)
        raise ValueError(f"techpack does not fetch {url!r}")


def _fetcher_class():
    """WeasyPrint wants a URLFetcher subclass; build it lazily so importing this module stays light."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class _Fetcher(URLFetcher):
        def __init__(self, safe: SafeFetcher):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self.safe = safe

        def fetch(self, url, headers=None):  # noqa: D401
            return self.safe.fetch(url, headers)

    return _Fetcher


ATTACHMENT_TYPES = {
    ".yaml": "application/yaml", ".yml": "application/yaml",  # RFC 9512 (2024); text/yaml is unregistered
    ".json": "application/json", ".csv": "text/csv", ".py": "text/x-python", ".dxf": "image/vnd.dxf",
    ".step": "model/step", ".stp": "model/step", ".svg": "image/svg+xml", ".pdf": "application/pdf",
    ".qif": "application/xml", ".xml": "application/xml", ".txt": "text/plain",
}
"""Media type of an attached file by its extension (IANA-registered where one exists)."""


def attachment_type(name: str) -> str:
    """The media type an attachment named ``name`` is embedded with."""
    return ATTACHMENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def _attachment_finisher(types_by_md5: dict[str, str]):
    """Fix what WeasyPrint writes for attachments: our media types, and each file once in the catalogue's /AF.

    WeasyPrint guesses types from the system's MIME database (YAML becomes
    ``application/octet-stream``) and, for PDF/A-3, adds every file
    specification to /AF twice (once from the name tree, once from a scan).
    """
    import pydyf  # noqa: PLC0415

    def finish(_document, pdf) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/EmbeddedFile":
                md5 = str(obj.extra["Params"]["CheckSum"]).strip("<>")
                if md5 in types_by_md5:
                    obj.extra["Subtype"] = "/" + types_by_md5[md5].replace("/", "#2f").replace("+", "#2b")
        af = pdf.catalog.get("AF")
        if af is not None:
            seen: list = []
            for ref in af:
                if ref not in seen:
                    seen.append(ref)
            pdf.catalog["AF"] = pydyf.Array(seen)

    return finish


#: A run of more characters than this without a break opportunity is made breakable (see breakable_html).
LONG_RUN = 48
#: ... into pieces of this many characters, each an inline block: a line may break between two of them.
PIECE = 8
_TEXT = re.compile(r">([^<>]+)<")
_UNIT = r"(?:&#?[0-9A-Za-z]+;|[^\s&<>])"  # one character of escaped text: an entity or a plain character
_RUN = re.compile(_UNIT + "+")
_HEX = re.compile(r"[0-9a-fA-F]+")
_UNITS = re.compile(_UNIT)
_RAW = re.compile(r"(<style\b.*?</style>|<title\b.*?</title>)", re.S | re.I)  # text that is not markup


def _pieces(run: re.Match) -> str:
    units = _UNITS.findall(run.group(0))
    if len(units) <= LONG_RUN or _HEX.fullmatch(run.group(0)):
        return run.group(0)  # a hash's cell breaks it (class "hash")
    return '<span class="lw">' + "".join(
        "<span>" + "".join(units[i:i + PIECE]) + "</span>" for i in range(0, len(units), PIECE)) + "</span>"


def _wrap_runs(text: re.Match) -> str:
    return ">" + _RUN.sub(_pieces, text.group(1)) + "<"


def breakable_html(html: str) -> str:
    """A word longer than ``LONG_RUN`` characters in the document's text (a part name or number without
    spaces) is cut into short inline blocks (``.lw > span`` in base.css), between which a line may
    break: it wraps in its table cell or heading instead of running off the page, and nothing is
    inserted into the text (a zero-width space would be copied with it, and WeasyPrint writes it into
    the font's ToUnicode map as an entry readers reject). ``overflow-wrap: anywhere`` does the same
    but costs WeasyPrint minutes on a 10,000-character word. Only text between tags is touched, never
    an attribute (form-field names, image sources), a style sheet or the title; ordinary words are
    left alone, so they never break inside."""
    parts = _RAW.split(html)
    return "".join(part if i % 2 else _TEXT.sub(_wrap_runs, part) for i, part in enumerate(parts))


def render_pdf(html: str, *, roots: list[Path], date: dt.datetime, base_url: Path | None = None,
               attachments: list[tuple[str, bytes, str]] | None = None, pdf_variant: str | None = None,
               forms: bool = False) -> tuple[bytes, list[str]]:
    """Render ``html`` to PDF bytes; returns the bytes and the URLs that were refused.

    ``attachments`` are (file name, bytes, description) embedded in the PDF. With ``forms``, ``<input>``
    and ``<textarea>`` become AcroForm fields, which name one simple WinAnsi font that every form filler
    can write with (:mod:`techpack.pdfforms`).
    """
    import weasyprint  # noqa: PLC0415 - heavy; only when a PDF is made

    from . import pdfforms, pdfstyles, stylecascade, svgtext, tableborders  # noqa: PLC0415 - imports WeasyPrint

    svgtext.install()  # a drawing sheet's texts drawn whole, not letter by letter
    tableborders.install()  # a table's alike collapsed borders stroked as one path
    stylecascade.install()  # an element whose style is shared is not cascaded first
    safe = SafeFetcher([TEMPLATES, *roots])
    fetcher = _fetcher_class()(safe)
    html = breakable_html(html)
    options: dict[str, Any] = {"pdf_identifier": hashlib.md5(html.encode()).hexdigest().encode()}  # noqa: S324
    base = (base_url or TEMPLATES).resolve()
    parsed: dict[str, Any] = {}
    styles = pdfstyles.take(html, base)  # the style sheets parsed once per process
    if styles is not None:
        html, sheets, fonts = styles
        parsed = {"stylesheets": sheets, "font_config": fonts}
    doc = _document(html, str(base) + "/", fetcher)
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    if forms:
        options["pdf_forms"] = True
    if attachments:
        options["attachments"] = [
            weasyprint.Attachment(string=data, name=name, description=desc, url_fetcher=fetcher,
                                  created=date, modified=date, relationship="Source")
            for name, data, desc in attachments]
    with _source_date(date), gc_paused():  # fontTools stamps embedded font subsets with SOURCE_DATE_EPOCH
        rendered = doc.render(pdf_forms=forms, **parsed)  # form fields are laid out at render time
        rendered.metadata.created = rendered.metadata.modified = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        cells = pdfforms.take_cells(rendered) if forms and pdfforms.ATTRIBUTE in html else []
        finisher = None
        if attachments:
            finisher = _attachment_finisher({hashlib.md5(data).hexdigest(): attachment_type(name)  # noqa: S324
                                             for name, data, _desc in attachments})
        data = rendered.write_pdf(finisher=finisher, **options)
    if forms:
        data = pdfforms.reader_safe(data, cells)
    return data, safe.refused


_HTML_ATTRIBUTES = {"base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"}


@functools.lru_cache(maxsize=16)
def _kept_base_url(base_url: str) -> str | None:
    """``base_url`` as WeasyPrint's ``HTML`` document keeps it (a path becomes a ``file:`` URL); None when that
    document holds other attributes than the five :func:`_document` sets (it makes one without the
    constructor, which parses): a WeasyPrint that holds more gets its own parser's documents."""
    import weasyprint  # noqa: PLC0415

    probe = weasyprint.HTML(string="<p>", base_url=base_url)
    return probe.base_url if set(vars(probe)) == _HTML_ATTRIBUTES else None


def _document(html: str, base_url: str, fetcher):
    """The WeasyPrint document of ``html``: its tree parsed by :mod:`techpack.fasthtml` (the tree tinyhtml5
    builds, 15 times sooner) where it can, else by WeasyPrint itself."""
    import cssselect2  # noqa: PLC0415
    import weasyprint  # noqa: PLC0415

    from . import fasthtml  # noqa: PLC0415

    kept = _kept_base_url(base_url)
    root = fasthtml.parse(html) if kept is not None else None
    if root is None:
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    doc = object.__new__(weasyprint.HTML)
    doc.base_url, doc.url_fetcher, doc.media_type = kept, fetcher, "print"
    doc.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    doc.etree_element = doc.wrapper_element.etree_element
    return doc


@contextlib.contextmanager
def _source_date(date: dt.datetime):
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(date.timestamp()))
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


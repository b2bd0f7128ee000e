"""Render the tech-pack PDF: gather drawings and attachments, fill the template, hand it to WeasyPrint."""

from __future__ import annotations

import functools
import hashlib
import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..pdf import attachment_type, new_template_env
from ..pdfsections import SectionLog
from . import assemble
from .context import build_context
from .model import AttachmentRow
from .sheets import Sheet, SheetError, place, svg_size_mm

if TYPE_CHECKING:
    from ..engine import Compilation
    from ..renderers.base import Output

TEMPLATE = "techpack/techpack.html"
PDF_A = "pdf/a-3b"


def drawing_sheets(comp: "Compilation", out: "Output | None") -> dict[str, tuple[Sheet | None, str]]:
    """Each part's SVG sheet from the drawings renderer, or why there is none."""
    found: dict[str, tuple[Sheet | None, str]] = {}
    for i, part in enumerate(comp.loaded.spec.parts, 1):
        path = f"drawings/{part.number}.svg"
        if out is None or path not in out.declared:
            found[part.number] = (None, "No drawing sheet was produced in this build (no drawings renderer); "
                                        "the data on this page and the 3D model define the part.")
            continue
        try:
            found[part.number] = (place(out.read(path), i), "")
        except SheetError as exc:
            found[part.number] = (None, f"The drawing sheet {path} could not be placed: {exc}.")
    return found


FLAT_MAX_MM = 180.0
"""Widest flat pattern shown at 1:1 on an A4 part page (the text column)."""


def flat_view(out: "Output | None", number: str):
    """The part's flat pattern SVG (flat renderer) for its page, or None."""
    import base64  # noqa: PLC0415

    from .parts import FlatView  # noqa: PLC0415

    path = f"flat/{number}.svg"
    if out is None or path not in out.declared:
        return None
    svg = out.read(path)
    try:
        w, _h = svg_size_mm(svg)
    except SheetError:
        return None
    scale = min(1.0, FLAT_MAX_MM / w)
    text = "1:1" if scale == 1.0 else f"reduced to {round(scale * 100)} %; use the DXF for sizes"
    return FlatView(f"flat/{number}.dxf", "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
                    f"{w * scale:.2f}mm", text)


def attachments(comp: "Compilation", out: "Output | None") -> list[tuple[str, bytes, str]]:
    """The files embedded in the PDF/A-3b: spec, capability data, 3D models, DXF drawings."""
    loaded = comp.loaded
    files: list[tuple[str, bytes, str]] = []
    for f in loaded.files:
        rel = loaded.relative(f.path, f.path.name)
        files.append((f"spec/{rel}", f.data, "Product spec (techpack YAML) this PDF was built from"))
    for f in comp.capability.files if comp.capability else []:
        files.append((f"capability/{f.path.name}", f.data,
                      "Capability data the capability report was computed with"))
    for part in loaded.spec.parts:
        if part.geometry is not None:
            path = (loaded.folder / part.geometry.path).resolve()
            data = loaded.blob(path)  # the bytes measured and checked, not a second read
            if path.is_relative_to(loaded.folder) and data is not None:
                files.append((f"models/{part.geometry.path}", data,
                              f"3D model of {part.number} ({'STEP' if part.geometry.kind == 'step' else 'cadquery'})"))
    for part in loaded.spec.parts:  # the re-exported STEP models (models renderer)
        step = f"models/{part.number}.step"
        if out is not None and step in out.declared:
            files.append((step, out.read(step), f"3D model of {part.number} {part.name} (STEP AP214, mm)"))
    for part in loaded.spec.parts:  # the sheet-metal flat patterns (flat renderer)
        flat = f"flat/{part.number}.dxf"
        if out is not None and flat in out.declared:
            files.append((flat, out.read(flat), f"Flat pattern of {part.number} {part.name} (DXF, 1:1, mm)"))
    for part in loaded.spec.parts:
        dxf = f"drawings/{part.number}.dxf"
        if out is not None and dxf in out.declared:
            files.append((dxf, out.read(dxf), f"Drawing of {part.number} {part.name} (DXF)"))
    return _unique(files)


def _unique(files: list[tuple[str, bytes, str]]) -> list[tuple[str, bytes, str]]:
    """One attachment per name: the same file twice is attached once, a different one renamed ``name-2``."""
    seen: dict[str, bytes] = {}
    out = []
    for name, data, desc in files:
        if seen.get(name) == data:
            continue
        stem, dot, ext = name.rpartition(".") if "." in name.rsplit("/", 1)[-1] else (name, "", "")
        n, unique = 2, name
        while unique in seen:
            unique = f"{stem}-{n}{dot}{ext}"
            n += 1
        seen[unique] = data
        out.append((unique, data, desc))
    return out


def _rows(files: list[tuple[str, bytes, str]]) -> list[AttachmentRow]:
    return [AttachmentRow(name, desc, f"{len(data):,} bytes".replace(",", "\u2009"),
                          hashlib.sha256(data).hexdigest(), attachment_type(name)) for name, data, desc in files]


LONG_ID = 26
"""IDs up to this length never wrap (so text extraction finds them whole); longer ones may, after ``.``/``-``."""


def break_opportunities(text: str) -> Markup:
    """``text`` escaped; when longer than :data:`LONG_ID`, with a line-break opportunity after ``.``, ``-``, ``/``."""
    escaped = str(escape(text))
    if len(text) <= LONG_ID:
        return Markup(escaped)
    return Markup(re.sub(r"([./-])", r"\1<wbr>", escaped))


@functools.lru_cache(maxsize=1)
def environment():
    """The strict, autoescaping Jinja2 environment with this document's one extra filter (one per process)."""
    env = new_template_env()
    env.filters["wbr"] = break_opportunities
    env.globals["long_id"] = LONG_ID
    return env


def render_html(comp: "Compilation", out: "Output | None" = None, pdf_a: bool = True) -> tuple[str, list]:
    """The document's HTML and its attachments (empty unless ``pdf_a``)."""
    files = attachments(comp, out) if pdf_a else []
    context = build_context(comp, drawing_sheets(comp, out), _rows(files), pdf_a)
    for page in context["parts"]:
        page.flat = flat_view(out, page.number)
    html = environment().get_template(TEMPLATE).render(**context)
    return html, files


def render_document(comp: "Compilation", out: "Output | None" = None, pdf_a: bool = True,
                    log: SectionLog | None = None) -> tuple[bytes, list[str]]:
    """The PDF bytes and the URLs the restricted fetcher refused (none, unless something tried; a section
    taken from the cache was checked when it was rendered). Sections are cached in the build's cache folder
    and rendered over the build's cores (:mod:`techpack.techpack_pdf.assemble`)."""
    from ..geometry.facts import default_cache_dir  # noqa: PLC0415
    from ..schedule import build_jobs  # noqa: PLC0415

    html, files = render_html(comp, out, pdf_a)
    return assemble.render(html, date=comp.date, roots=[comp.loaded.folder], attachments=files,
                           variant=PDF_A if pdf_a else None, cache=default_cache_dir(), workers=build_jobs(comp),
                           log=log)


def render_techpack_pdf(comp: "Compilation", out: "Output | None" = None, pdf_a: bool = True,
                        log: SectionLog | None = None) -> bytes:
    """The tech-pack PDF for ``comp`` (PDF/A-3b with attachments when ``pdf_a``)."""
    return render_document(comp, out, pdf_a, log)[0]

"""From a compiled spec to one part's drawing model: views, annotations, title block, notes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..dates import revision_day
from ..geometry.facts import default_cache_dir
from ..geometry.match import match_part
from ..schema.spec import Part
from . import layout_cache
from .flat_sheet import sheet_count
from .layout import Inputs, compose
from .model import Sheet, one_line_texts
from .revmarks import RevisionRow, place_marks
from .text import clean
from .titleblock import TitleData

if TYPE_CHECKING:
    from ..engine import Compilation


def _join(*parts: str | None) -> str:
    return ", ".join(clean(p) for p in parts if p)


def _mass(grams: Decimal | None) -> str:
    if grams is None:
        return "—"
    if grams >= 1000:
        return f"{(grams / 1000).quantize(Decimal('0.001'))} kg"
    return f"{grams.quantize(Decimal('0.1'))} g"


def title_data(comp: "Compilation", part: Part) -> TitleData:
    spec = comp.loaded.spec
    ctx = comp.context
    opts = spec.product.drawing
    mat = ctx.material(part)
    fin = next((f for f in spec.finishes if f.id == part.finish), None)
    finish = _join(fin.process, fin.specification, fin.colour, fin.thickness) if fin else "none (as machined)"
    return TitleData(
        owner=clean(spec.product.owner),
        product=f"{spec.product.number} {clean(spec.product.name)}",
        title=clean(part.name),
        number=part.number,
        material=_join(mat.designation, mat.temper if mat.temper and mat.temper not in mat.designation else None,
                       mat.standard) if mat else clean(part.material),
        finish=finish,
        general_tolerance=clean(part.general_tolerance or "—"),
        units=spec.product.units.value,
        scale="",
        first_angle=opts.projection.value == "first-angle",
        standard="ISO 1101" if opts.standard == "ISO" else "ASME Y14.5",
        revision=clean(part.revision),
        drawn_by=clean(opts.drawn_by or "—"),
        approved_by=clean(opts.approved_by or "—"),
        date=revision_day(spec.product, comp.date),
        sheet=f"1 / {sheet_count(comp, part)}",
        mass=_mass(ctx.part_mass_g(part)),
    )


def general_notes(comp: "Compilation", part: Part, views_error: str | None) -> list[str]:
    spec = comp.loaded.spec
    opts = spec.product.drawing
    ctx = comp.context
    units = "inches" if spec.product.units.value == "in" else spec.product.units.value
    general = f"; general tolerances {clean(part.general_tolerance)}" if part.general_tolerance else ""
    if opts.standard == "ISO":
        out = [f"Dimensions in {units}{general}. Tolerancing ISO 8015, ISO 1101; surface texture ISO 1302 (µm)."]
    else:
        out = [f"Dimensions in {units}{general}. Dimensioning and tolerancing per ASME Y14.5-2018; "
               "surface texture per ASME Y14.36 (µm)."]
    mat = ctx.material(part)
    if mat is not None and mat.certificate:
        out.append(f"Material certificate {clean(mat.certificate)}.")
    fin = next((f for f in spec.finishes if f.id == part.finish), None)
    if fin is not None and fin.masking:
        names = []
        for m in fin.masking:
            feat = next((f for f in part.features if f.id == m), None)
            names.append(f"{m} ({clean(feat.description)})" if feat is not None and feat.description else clean(m))
        out.append(f"{clean(fin.process).capitalize()}: mask " + "; ".join(names) + ".")
    out.append("Balloons: characteristic IDs of the inspection plan and the batch record.")
    if views_error:
        out.append(f"Views not available: {clean(views_error)}")
    return out


def changed_characteristics(comp: "Compilation", part: Part) -> list[str]:
    """With a baseline (``build --baseline``): the characteristics of ``part`` added or changed since it,
    as in the delta FAI; none for a part the baseline does not have (its first issue carries no marks)."""
    changes = getattr(comp, "changes", None)
    if changes is None:
        return []
    from ..revisions.scope import delta_fai  # noqa: PLC0415 - only with a baseline

    scope = next((s for s in delta_fai(changes) if s.part == part.number), None)
    return [] if scope is None or scope.full else scope.ids


def revision_rows(comp: "Compilation", part: Part, marked: bool) -> list[RevisionRow]:
    """The revision table's rows for ``part``'s sheet: the product history up to the part's revision.

    Shown when the sheet is marked against a baseline or the history has more than one revision (a first
    issue has an empty block).  A part revision the history does not list gets no table: the history would
    not be this sheet's.
    """
    product = comp.loaded.spec.product
    history = list(product.history)
    if not history or (len(history) < 2 and not marked):
        return []
    revs = [str(h.revision) for h in history]
    if part.revision not in revs:
        return []
    last = len(revs) - 1 - revs[::-1].index(part.revision)
    approver = product.drawing.approved_by
    rows = []
    for h in history[:last + 1]:
        approved = h.approved_by or (approver if str(h.revision) == part.revision else None) or "—"
        rows.append(RevisionRow(str(h.revision), h.description, str(h.date), approved))
    return rows


def make_sheet(comp: "Compilation", part: Part, *, timeout: float = 120.0, memory_mb: int = 4096,
               cache_dir: Path | None = None, changed: list[str] | None = None) -> Sheet:
    """The drawing of ``part``: views from its geometry (cached), every characteristic, title block.

    ``changed``: characteristic IDs that get a revision triangle with the part's revision letter; by
    default those changed since the build's baseline (:func:`changed_characteristics`).  A layout made
    before from the same inputs comes from the cache (:mod:`.layout_cache`).
    """
    inp, changed = sheet_inputs(comp, part, timeout=timeout, memory_mb=memory_mb, cache_dir=cache_dir, changed=changed)
    product = comp.loaded.spec.product
    key = layout_key(inp, changed, part, product)
    root = cache_dir if cache_dir is not None else default_cache_dir()
    sheet = layout_cache.get(root, key)
    if sheet is None:
        sheet = _laid_out(inp, part, changed, product)
        layout_cache.put(root, key, sheet)
    return sheet


def layout_key(inp: Inputs, changed: list[str], part: Part, product) -> str | None:
    """The layout cache key: everything :func:`_laid_out` reads (compose reads only ``inp``; the revision marks
    and the sheet's title the rest)."""
    return layout_cache.key_of(inp, list(changed), part.number, part.name, part.revision, product.number, product.name)


def sheet_inputs(comp: "Compilation", part: Part, *, timeout: float = 120.0, memory_mb: int = 4096,
                 cache_dir: Path | None = None, changed: list[str] | None = None) -> tuple[Inputs, list[str]]:
    """What ``part``'s sheet is laid out from, and the characteristics that get revision marks."""
    from ..geometry import GeometryError  # noqa: PLC0415
    from ..geometry.views import load_views, standard_projections  # noqa: PLC0415

    ctx = comp.context
    facts = ctx.geometry.get(part.number)
    projected: dict = {}
    error = None
    match = None
    cuts: list = []
    if facts is not None and part.geometry is not None:
        path = (comp.loaded.folder / part.geometry.path).resolve()
        try:
            projected = load_views(path, part.geometry.kind, standard_projections(facts.to_json()),
                                   timeout=timeout, memory_mb=memory_mb, cache_dir=cache_dir,
                                   data=comp.loaded.blob(path),
                                   basis=comp.loaded.basis(path, part.geometry.kind))
        except GeometryError as exc:
            error = str(exc)
        match = match_part(part, facts)
        if projected:
            cuts = _cut_views(comp, part, facts, match, path, timeout, memory_mb, cache_dir)
    elif part.geometry is None:
        error = "the part has no geometry"
    opts = comp.loaded.spec.product.drawing
    inp = Inputs(part=part, chars=ctx.characteristics.get(part.number, []), facts=facts, match=match,
                 projected=projected, first_angle=opts.projection.value == "first-angle", standard=opts.standard,
                 preferred_sheet=opts.sheet.value, general_notes=general_notes(comp, part, error),
                 title=title_data(comp, part), cuts=cuts)
    changed = changed_characteristics(comp, part) if changed is None else changed
    inp.revision_rows = revision_rows(comp, part, marked=bool(changed) or getattr(comp, "changes", None) is not None)
    return inp, changed


def _laid_out(inp: Inputs, part: Part, changed: list[str], product) -> Sheet:
    sheet = compose(inp)
    sheet.primitives = one_line_texts(sheet.primitives)
    for d in sheet.dimensions:
        d.graphics = one_line_texts(d.graphics)
    if changed:
        sheet.revision_marks, _missing = place_marks(sheet, changed, clean(part.revision))
    sheet.title = f"{part.number} {clean(part.name)} rev {clean(part.revision)}"
    sheet.description = f"{product.number} {clean(product.name)}"
    return sheet


def _cut_views(comp: "Compilation", part: Part, facts, match, path: Path, timeout: float, memory_mb: int,
               cache_dir: Path | None) -> list:
    """(plan, projected section) for every cut the part needs (:mod:`.cuts`); none when the worker fails (the
    drawing then has no section, and the depths stay in the hole callouts)."""
    from ..geometry import GeometryError  # noqa: PLC0415
    from ..geometry.views import load_views, standard_projections  # noqa: PLC0415
    from .cuts import plan_cuts  # noqa: PLC0415

    opts = comp.loaded.spec.product.drawing
    plans = plan_cuts(part, match, facts, standard_projections(facts.to_json()), opts.projection.value == "first-angle")
    if not plans:
        return []
    try:
        got = load_views(path, part.geometry.kind, [p.projection for p in plans], timeout=timeout,
                         memory_mb=memory_mb, cache_dir=cache_dir, data=comp.loaded.blob(path),
                         basis=comp.loaded.basis(path, part.geometry.kind))
    except GeometryError:
        return []
    return [(p, got[p.projection.name]) for p in plans if p.projection.name in got and got[p.projection.name].cut_loops]


def part_sheet(comp: "Compilation", part: Part) -> Sheet:
    """``part``'s drawing, made once per compilation: the drawings and the quality documents share it."""
    sheet = comp.sheets.get(part.number)
    if sheet is None:
        sheet = comp.sheets[part.number] = make_sheet(comp, part)
    return sheet


def balloon_refs(comp: "Compilation") -> dict[str, tuple[str, str]]:
    """Where each characteristic's balloon is: ``owner/id`` -> (sheet number, zone), for every part's drawing.

    The inspection plan, the AS9102 Form 3 reference location and the QIF ``LocationOnDrawing`` take it
    from here, so they name the zone the drawing really shows.
    """
    from .many import make_sheets  # noqa: PLC0415

    make_sheets(comp, comp.loaded.spec.parts)  # those not made yet, over the machine's cores
    out: dict[str, tuple[str, str]] = {}
    for part in comp.loaded.spec.parts:
        sheet = part_sheet(comp, part)
        for cid in sorted(sheet.balloons):
            zone = sheet.zone_of(cid)
            if zone:
                out[f"{part.number}/{cid}"] = (sheet.number, zone)
    return out

"""From a compiled spec to one part's drawing model: views, annotations, title block, notes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..dates import revision_day
from ..geometry.match import match_part
from ..schema.spec import Part
from .layout import Inputs, compose
from .model import Sheet, one_line_texts
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
        sheet="1 / 1",
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


def make_sheet(comp: "Compilation", part: Part, *, timeout: float = 120.0, memory_mb: int = 4096,
               cache_dir: Path | None = None) -> Sheet:
    """The drawing of ``part``: views from its geometry (cached), every characteristic, title block."""
    from ..geometry import GeometryError  # noqa: PLC0415
    from ..geometry.views import load_views, standard_projections  # noqa: PLC0415

    ctx = comp.context
    facts = ctx.geometry.get(part.number)
    projected: dict = {}
    error = None
    match = None
    if facts is not None and part.geometry is not None:
        path = (comp.loaded.folder / part.geometry.path).resolve()
        try:
            projected = load_views(path, part.geometry.kind, standard_projections(facts.to_json()),
                                   timeout=timeout, memory_mb=memory_mb, cache_dir=cache_dir,
                                   data=comp.loaded.blob(path))
        except GeometryError as exc:
            error = str(exc)
        match = match_part(part, facts)
    elif part.geometry is None:
        error = "the part has no geometry"
    opts = comp.loaded.spec.product.drawing
    inp = Inputs(part=part, chars=ctx.characteristics.get(part.number, []), facts=facts, match=match,
                 projected=projected, first_angle=opts.projection.value == "first-angle", standard=opts.standard,
                 preferred_sheet=opts.sheet.value, general_notes=general_notes(comp, part, error),
                 title=title_data(comp, part))
    sheet = compose(inp)
    sheet.primitives = one_line_texts(sheet.primitives)
    for d in sheet.dimensions:
        d.graphics = one_line_texts(d.graphics)
    sheet.title = f"{part.number} {clean(part.name)} rev {clean(part.revision)}"
    sheet.description = f"{comp.loaded.spec.product.number} {clean(comp.loaded.spec.product.name)}"
    return sheet

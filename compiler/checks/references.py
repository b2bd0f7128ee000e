"""References resolve and identifiers are unique (TP101–TP109)."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..schema.spec import BomLine
from .context import Context


def _unique(items, key: str, what: str, diags: Diagnostics, scope: str = "") -> set[str]:
    seen: dict[str, object] = {}
    for item in items:
        value = getattr(item, key)
        if value in seen:
            first = seen[value].loc(key)  # type: ignore[attr-defined]
            diags.add("TP101", f"duplicate {what} {value!r}{scope} (first at {first})", item.loc(key),
                      subject=value)
        else:
            seen[value] = item
    return set(seen)


def check(ctx: Context, diags: Diagnostics) -> None:
    spec = ctx.spec
    materials = _unique(spec.materials, "id", "material ID", diags)
    finishes = _unique(spec.finishes, "id", "finish ID", diags)
    parts = _unique(spec.parts, "number", "part number", diags)
    _case_collisions(spec.parts, diags)
    _item_field_names(spec, diags)
    for part in spec.parts:
        pn = part.number
        if part.material not in materials:
            diags.add("TP102", f"part {pn} names material {part.material!r}, which is not declared"
                      + _options(materials), part.loc("material"), subject=pn)
        if part.finish is not None and part.finish != "none" and part.finish not in finishes:
            diags.add("TP103", f"part {pn} names finish {part.finish!r}, which is not declared"
                      + _options(finishes | {"none"}), part.loc("finish"), subject=pn)
        features = _unique(part.features, "id", "feature ID", diags, f" in part {pn}")
        _unique(part.dimensions, "id", "dimension ID", diags, f" in part {pn}")
        _characteristic_ids(ctx, part, diags)
        for datum in part.datums:
            if datum.feature not in features:
                diags.add("TP106", f"datum {datum.label} names feature {datum.feature!r}, which part {pn} "
                          "does not have" + _options(features), datum.loc("feature"), subject=pn)
        for dim in part.dimensions:
            for i, ref in enumerate(dim.between):
                if ref not in features:
                    diags.add("TP106", f"dimension {dim.id} runs to feature {ref!r}, which part {pn} does not have",
                              dim.loc("between", i), subject=f"{pn}/{dim.id}")
        if part.geometry is not None:
            path = geometry_path(ctx.loaded.folder, part.geometry.path)
            if path is None:
                diags.add("TP109", f"geometry file name {part.geometry.path[:80]!r} is not usable (NUL character "
                          "or too long)", part.geometry.loc(part.geometry.kind), subject=pn)
            elif not path.is_relative_to(ctx.loaded.folder):
                diags.add("TP109", f"geometry file {part.geometry.path!r} is outside the product folder",
                          part.geometry.loc(part.geometry.kind), subject=pn)
            elif not path.is_file():
                diags.add("TP109", f"geometry file {part.geometry.path!r} not found",
                          part.geometry.loc(part.geometry.kind), subject=pn)
    items: dict[str, BomLine] = {}
    for line in _walk(spec.bom):
        if line.item in items:
            diags.add("TP101", f"duplicate BOM item {line.item!r} (first at {items[line.item].loc('item')})",
                      line.loc("item"), subject=f"bom/{line.item}")
        items[line.item] = line
        if line.part is not None and line.part not in parts:
            diags.add("TP105", f"BOM item {line.item} names part {line.part!r}, which is not declared"
                      + _options(parts), line.loc("part"), subject=f"bom/{line.item}")
    steps = set()
    for step in spec.assembly:
        if step.step in steps:
            diags.add("TP101", f"duplicate assembly step {step.step}", step.loc("step"))
        steps.add(step.step)
        for i, item in enumerate(step.items):
            if item not in items:
                diags.add("TP107", f"assembly step {step.step} uses BOM item {item!r}, which does not exist",
                          step.loc("items", i))
    if spec.production is not None:
        _unique(spec.production.process_parameters, "id", "process parameter ID", diags)
    _unique(spec.deviations, "id", "deviation ID", diags)


def geometry_path(folder, name: str):
    """The resolved geometry file, or None when the name cannot name a file at all."""
    try:
        path = (folder / name).resolve()
        path.is_file()
    except (OSError, ValueError):
        return None
    return path


def _case_collisions(parts, diags: Diagnostics) -> None:
    """Part numbers name files: two that differ only in letter case collide on Windows and macOS."""
    seen: dict[str, object] = {}
    for part in parts:
        key = part.number.casefold()
        other = seen.get(key)
        if other is not None and other.number != part.number:  # type: ignore[attr-defined]
            diags.add("TP101", f"part number {part.number!r} differs from {other.number!r} only in letter case; "  # type: ignore[attr-defined]
                      "their files would collide", part.loc("number"), subject=part.number)
        seen.setdefault(key, part)


def _item_field_names(spec, diags: Diagnostics) -> None:
    """BOM item numbers name batch-record fields (letters, digits, '.', '_', '-'): ``2/1``, ``2 1`` and ``2-1``
    would share one field, and a lot typed for one item would fill another."""
    from ..quality.fields import component  # noqa: PLC0415

    seen: dict[str, object] = {}
    for line in walk_bom(spec.bom):
        key = component(line.item).casefold()
        other = seen.get(key)
        if other is not None and other.item != line.item:  # type: ignore[attr-defined]
            diags.add("TP101", f"BOM items {other.item!r} and {line.item!r} would share the batch-record field "  # type: ignore[attr-defined]
                      f"name {component(line.item)!r} (field names keep letters, digits, '.', '_' and '-'); "
                      "number them apart", line.loc("item"), subject=spec.product.number)
        seen.setdefault(key, line)


def _characteristic_ids(ctx: Context, part, diags: Diagnostics) -> None:
    seen: dict[str, object] = {}
    for ch in ctx.characteristics.get(part.number, []):
        other = seen.get(ch.id)
        if other is not None:
            if ch.kind == "dimension" and other.kind == "dimension":  # type: ignore[attr-defined]
                continue  # already reported as a duplicate dimension ID, where it was written
            hint = ("give the feature control frame its own `id`" if ch.kind == "gdt"
                    else f"another {other.kind} of the part already has this ID; rename one")  # type: ignore[attr-defined]
            diags.add("TP101", f"duplicate characteristic ID {ch.id!r} in part {part.number}: {hint}", ch.loc,
                      subject=ch.subject)
        seen[ch.id] = ch


def _walk(lines: list[BomLine]):
    for line in lines:
        yield line
        yield from _walk(line.children)


def walk_bom(lines: list[BomLine]):
    """Every BOM line, depth first (parents before their children)."""
    return _walk(lines)


def _options(names: set[str]) -> str:
    if not names:
        return ""
    return f" (declared: {', '.join(sorted(names))})"

"""A compiled revision as plain, comparable facts.

Everything is keyed by what stays stable across edits — characteristic ID,
feature ID, material and finish ID, BOM item number, process-parameter ID —
never by position in a file, so reordering YAML or editing comments changes
nothing here.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..gcpause import gc_paused
from .sides import Side, SideError

CAPABILITY_CODES = frozenset({"TP301", "TP302", "TP303", "TP304", "TP305", "TP306", "TP307", "TP308", "TP309"})


@dataclass
class CharFacts:
    """One characteristic: what a supplier makes and inspects."""

    part: str
    id: str
    label: str
    kind: str
    feature: str | None
    facts: dict[str, str]
    loc: str = ""

    @property
    def subject(self) -> str:
        return f"{self.part}/{self.id}"


@dataclass
class Snapshot:
    label: str
    origin: str
    product: dict
    history: list[dict]
    parts: dict[str, dict] = field(default_factory=dict)
    part_names: dict[str, str] = field(default_factory=dict)
    part_revisions: dict[str, str] = field(default_factory=dict)
    chars: dict[tuple[str, str], CharFacts] = field(default_factory=dict)
    features: dict[tuple[str, str], dict] = field(default_factory=dict)
    locations: dict[tuple[str, str], list[tuple[float | None, float | None, float | None]]] = field(default_factory=dict)
    materials: dict[str, dict] = field(default_factory=dict)
    finishes: dict[str, dict] = field(default_factory=dict)
    bom: dict[str, dict] = field(default_factory=dict)
    assembly: dict[str, dict] = field(default_factory=dict)
    packaging: dict = field(default_factory=dict)
    production: dict = field(default_factory=dict)
    geometry: dict[str, dict | None] = field(default_factory=dict)
    capability: dict[str, str] = field(default_factory=dict)
    findings: dict[tuple[str, str], str] = field(default_factory=dict)
    pack: dict = field(default_factory=dict)
    folder: Path | None = None
    compilation: object | None = None  # the Compilation, for renderers (drawings) that need the models


def flat(value, prefix: str = "") -> dict[str, str]:
    """A JSON-like value as ``dotted.path → text`` (None and empty lists left out)."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flat(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        if value and all(not isinstance(v, (dict, list)) for v in value):
            out[prefix] = ", ".join(str(v) for v in value)
        else:
            for i, v in enumerate(value, 1):
                out.update(flat(v, f"{prefix}[{i}]"))
    elif value is not None:
        out[prefix] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def _dump(model, *exclude: str) -> dict:
    return model.model_dump(mode="json", exclude=set(exclude))


def snapshot(side: Side, *, geometry: bool = True, capability: list[Path] | None = None) -> Snapshot:
    """Compile SIDE and keep its comparable facts; raises :class:`SideError` when it does not load."""
    from ..engine import Options, compile_spec  # noqa: PLC0415

    comp = compile_spec(side.path, Options(capability=list(capability or []), geometry=geometry))
    if comp.loaded is None or comp.context is None:
        raise SideError(f"{side.label}: the spec does not load:\n" + _errors(comp.diagnostics)
                        + (f"\n(the pack was built by techpack {side.pack.get('techpack')})" if side.pack else ""))
    with gc_paused():
        return of_compilation(comp, side.label, side.origin, side.pack)


def of_compilation(comp, label: str, origin: str = "folder", pack: dict | None = None) -> Snapshot:
    """The comparable facts of a compilation that loaded (``comp.context`` is set)."""
    from ..quality.plan import build_plan  # noqa: PLC0415

    side = Side(label, comp.loaded.folder, origin, dict(pack or {}))
    spec = comp.loaded.spec
    p = spec.product
    snap = Snapshot(side.label, side.origin,
                    {"number": p.number, "name": p.name, "revision": p.revision,
                     "revision_date": str(p.revision_date or "")},
                    [_dump(h) for h in p.history], pack=dict(side.pack), folder=comp.loaded.folder, compilation=comp)
    snap.product.update({k: v for k, v in flat(_dump(p, "number", "name", "revision", "revision_date", "history")).items()})
    materials = {m.id: m for m in spec.materials}
    finishes = {f.id: f for f in spec.finishes}
    for m in spec.materials:
        snap.materials[m.id] = flat(_dump(m, "id"))
    for f in spec.finishes:
        snap.finishes[f.id] = flat(_dump(f, "id"))
    for part in spec.parts:
        facts = flat(_dump(part, "number", "name", "revision", "features", "dimensions", "notes", "material",
                           "finish", "quantity_per_product"))
        mat = materials.get(part.material)
        facts["material"] = mat.designation if mat else part.material
        for k, v in flat(_dump(mat, "id")).items() if mat else ():
            facts[f"material.{k}"] = v
        fin = finishes.get(part.finish) if part.finish else None
        facts["finish"] = (" ".join(x for x in (fin.process, fin.specification) if x) if fin else (part.finish or "none"))
        for k, v in flat(_dump(fin, "id")).items() if fin else ():
            facts[f"finish.{k}"] = v
        for feat in part.features:
            for k, v in flat(_dump(feat, "id", "description", "gdt", "notes", "roughness", "size", "length",
                                   "thread", "key", "critical", "locations")).items():
                snap.features.setdefault((part.number, feat.id), {})[k] = v
            snap.locations[(part.number, feat.id)] = [
                tuple(None if getattr(pos, a) is None else float(getattr(pos, a).nominal_mm) for a in "xyz")
                for pos in feat.locations]
        if part.geometry is not None:
            model = (comp.loaded.folder / part.geometry.path)
            facts["model file sha256"] = _file_sha(model)
        snap.parts[part.number] = facts
        snap.part_names[part.number] = part.name
        snap.part_revisions[part.number] = part.revision
    plan = build_plan(comp)
    for owner_items in plan.items.values():
        for item in owner_items:
            ch = item.source
            if ch is None:
                continue
            snap.chars[(ch.part.number, ch.id)] = CharFacts(
                ch.part.number, ch.id, ch.label, ch.kind, ch.feature.id if ch.feature else None,
                _char_facts(ch, item), str(ch.loc) if ch.loc else "")
    for line, path in _bom_lines(spec.bom, ""):
        snap.bom[path] = flat(_dump(line, "item", "children"))
    for step in spec.assembly:
        snap.assembly[str(step.step)] = flat(_dump(step, "step"))
    if spec.packaging is not None:
        snap.packaging = flat(_dump(spec.packaging))
    if spec.production is not None:
        prod = _dump(spec.production, "process_parameters")
        prod["process_parameters"] = {pp.id: _dump(pp, "id") for pp in spec.production.process_parameters}
        snap.production = flat(prod)
    for pn, facts in comp.context.geometry.items():
        snap.geometry[pn] = None if facts is None else {
            "volume_mm3": facts.volume_mm3, "size": tuple(facts.size),
            "holes": [(c.diameter, c.axis_origin) for c in facts.cylinders if c.internal]}
    for row in comp.context.capability_rows:
        snap.capability[row.subject] = (f"held by {row.machine} ({row.held})" if row.ok
                                        else f"NOT held ({row.held or 'no machine'})")
    for d in comp.diagnostics:
        if d.code in CAPABILITY_CODES and not d.waived:
            snap.findings[(d.code, d.subject or "")] = d.message
    return snap


def _file_sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


def _errors(diags: Diagnostics) -> str:
    return "\n".join(f"  {d.location or 'techpack'}: {d.severity.value} {d.code}: {d.message}"
                     for d in diags.sorted() if d.severity.value == "error")


def _bom_lines(lines, prefix: str):
    for line in lines:
        path = f"{prefix}{line.item}"
        yield line, path
        yield from _bom_lines(line.children, path + "/")


def _num(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def _char_facts(ch, item) -> dict[str, str]:
    """What defines a characteristic for the supplier: its requirement, limits, class, method, datum frame."""
    facts: dict[str, str] = {}
    if ch.dim is not None:
        d = ch.dim
        facts["requirement"] = d.text
        if d.lower is not None or d.upper is not None:
            facts["limits"] = f"{_num(d.lower)} .. {_num(d.upper)} {d.unit}"
    if ch.frame is not None:
        f = ch.frame
        facts["requirement"] = (f"{f.characteristic.value} {'Ø' if f.diameter else ''}{_num(f.tolerance.value)}"
                                f"{' ' + f.modifier.value if f.modifier else ''}")
        facts["datums"] = "|".join(f.datums) or "none"
    if ch.kind in ("thread", "note", "roughness"):
        facts["requirement"] = ch.label if ch.kind != "thread" else (ch.feature.thread or ch.label)
        if ch.kind == "roughness" and ch.feature is not None and ch.feature.roughness is not None:
            r = ch.feature.roughness
            facts["requirement"] = (f"Ra {r.ra.text}" if ch.id.endswith(".ra") else f"Rz {r.rz.text}") + \
                (f" lay {r.lay}" if r.lay else "") + (f" {r.process}" if r.process else "")
    facts["class"] = item.classification + (" key" if ch.key else "") + (" critical" if ch.critical else "")
    facts["method"] = item.method
    return facts


def distance(a: tuple, b: tuple) -> float | None:
    """Straight-line distance between two located instances (axes located on both sides)."""
    axes = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not axes:
        return None
    return math.sqrt(sum((x - y) ** 2 for x, y in axes))

"""The blank batch record: its sections and every fillable field, named for reading back by machine.

Field names (see :mod:`.fields` for the ``/`` and ``:`` convention):

=================================================  ===========================================
``batch/id``, ``batch/po``, ``batch/quantity-started``,  header
``batch/quantity-good``, ``batch/start-date``, ``batch/end-date``
``stage/<stage>/start|end|equipment|operator|signoff``   one row per process and inspection stage
``material/<material-id>/lot|heat|cert``                  one row per BOM material
``purchased/<item>/lot|cert``                             one row per purchased BOM line
``param/<parameter-id>/actual|by``                        process parameters
``result/<stage>/<part>/<characteristic>/<n>``            measured value of piece n
``inline/<part>/<characteristic>/first|last|checks|failed|ncr``
``fri/<part>/<characteristic>/nonconforming``             FRI: pieces failing this characteristic
``fri/<part>/<class>/inspected|accepted|found|accept|reject``  FRI per characteristic class: pieces
                                                          inspected, conforming, nonconforming; decision
``deviation/<id>/applies``, ``ncr/<n>/number|characteristic|description|disposition``
``gate/pp/approved|by|date``, ``gate/fai/passed|fair|by|date``,
``gate/fri/accept|reject|by|date``, ``gate/release/by|date``
=================================================  ===========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from .fields import name, slug
from .items import Item, limits, nominal, unit
from .plan import QualityPlan
from .stages import CLASSES, STAGE_BY_KEY

GRID_STAGES = ("sample", "pp", "fai", "top")
"""Stages whose results are recorded piece by piece."""
COLUMNS_PER_BLOCK = 10
NCR_ROWS = 6


@dataclass
class GridRow:
    item: Item
    limits: str
    fields: list[str]


@dataclass
class Grid:
    stage: str
    title: str
    owner: str
    owner_name: str
    pieces: int
    blocks: list[tuple[list[int], list[GridRow]]] = field(default_factory=list)


@dataclass
class PartRecord:
    """One part's (or the assembly's) pages of the record, together: its result grids stage by stage, its
    inline checks and its final random inspection. A section of its own in the PDF, so a change to one
    part re-renders its own pages only (``techpack.pdfsections``)."""

    owner: object
    grids: list[Grid]
    inline: list[dict]
    fri: dict | None


@dataclass
class BatchRecord:
    plan: QualityPlan
    qr: str
    stages: list[tuple[str, str, str]]  # (slug, title, kind)
    materials: list[dict]
    purchased: list[dict]
    params: list[dict]
    grids: list[Grid]
    inline: list[dict]
    fri: list[dict]
    deviations: list[dict]
    ncr_rows: list[int]

    @property
    def parts(self) -> list[PartRecord]:
        """Each part's pages in the plan's part order (the assembly last), parts with nothing to record left out."""
        out = []
        for owner in self.plan.owners:
            grids = [g for g in self.grids if g.owner == owner.number]
            inline = [i for i in self.inline if i["row"].item.owner == owner.number]
            fri = next((f for f in self.fri if f["owner"].number == owner.number), None)
            if grids or inline or fri is not None:
                out.append(PartRecord(owner, grids, inline, fri))
        return out

    def field_names(self) -> list[str]:
        """Every field the form holds, in document order (for tests and readers)."""
        names = ["batch/id", "batch/po", "batch/quantity-started", "batch/quantity-good", "batch/start-date",
                 "batch/end-date"]
        for s, _title, _kind in self.stages:
            names += [name("stage", s, k) for k in ("start", "end", "equipment", "operator", "signoff")]
        for m in self.materials:
            names += [m["lot"], m["heat"], m["cert"]]
        for p in self.purchased:
            names += [p["lot"], p["cert"]]
        for p in self.params:
            names += [p["actual"], p["by"]]
        for part in self.parts:
            for g in part.grids:
                for _cols, rows in g.blocks:
                    for r in rows:
                        names += r.fields
            for i in part.inline:
                names += [i[k] for k in ("first", "last", "checks", "failed", "ncr")]
            if part.fri is not None:
                names += [r["field"] for r in part.fri["rows"]]
                for c in part.fri["classes"]:
                    names += [c["inspected"], c["accepted"], c["found"], c["accept"], c["reject"]]
        for d in self.deviations:
            names.append(d["field"])
        for n in self.ncr_rows:
            names += [name("ncr", n, k) for k in ("number", "characteristic", "description", "disposition")]
        names += ["gate/pp/approved", "gate/pp/by", "gate/pp/date", "gate/fai/passed", "gate/fai/fair",
                  "gate/fai/by", "gate/fai/date", "gate/fri/accept", "gate/fri/reject", "gate/fri/by",
                  "gate/fri/date", "gate/release/by", "gate/release/date"]
        return names


def limits_text(item: Item) -> str:
    lo, hi = limits(item)
    u = unit(item)
    if lo and hi:
        return f"{lo} … {hi} {u}".strip()
    if hi:
        return f"≤ {hi} {u}".strip()
    if lo:
        return f"≥ {lo} {u}".strip()
    return nominal(item)


def build_record(plan: QualityPlan, qr: str) -> BatchRecord:
    """The batch record's content, sized from the plan."""
    spec = plan.spec
    prod = spec.production
    stages: list[tuple[str, str, str]] = [("material-receipt", "Material receipt and incoming inspection", "process")]
    seen = {"material-receipt"}
    for p in (prod.process_parameters if prod else []):
        s = slug(p.stage)
        if s not in seen:
            seen.add(s)
            stages.append((s, p.stage, "process"))
    if spec.assembly and "assembly" not in seen:
        seen.add("assembly")
        stages.append(("assembly", "assembly", "process"))
    for key in ("sample", "pp", "fai", "top", "fri"):
        if any(r.stage == key for r in plan.rows) and key not in seen:
            seen.add(key)
            stages.append((key, STAGE_BY_KEY[key].title, "inspection"))
    if "packing" not in seen:
        stages.append(("packing", "packing and labelling", "process"))

    used_by: dict[str, list[str]] = {}
    for part in spec.parts:
        used_by.setdefault(part.material, []).append(part.number)
    materials = [{"material": m, "used_by": ", ".join(used_by[m.id]), "lot": name("material", m.id, "lot"),
                  "heat": name("material", m.id, "heat"), "cert": name("material", m.id, "cert")}
                 for m in spec.materials if m.id in used_by]
    purchased = [{"item": i.extra["line"].item, "text": i.requirement, "qty": i.extra["line"].quantity,
                  "unit": i.extra["line"].unit, "lot": name("purchased", i.extra["key"], "lot"),
                  "cert": name("purchased", i.extra["key"], "cert")}
                 for i in plan.all_items() if i.kind == "purchased"]
    params = [{"p": p, "actual": name("param", p.id, "actual"), "by": name("param", p.id, "by")}
              for p in (prod.process_parameters if prod else [])]

    grids: list[Grid] = []
    for owner in plan.owners:  # part by part: each part's record is one section of the PDF
        for stage in GRID_STAGES:
            rows = [r for r in plan.rows_of(stage, owner.number) if r.pieces]
            if not rows:
                continue
            pieces = max(r.pieces or 0 for r in rows)
            grid = Grid(stage, STAGE_BY_KEY[stage].title, owner.number, owner.name, pieces)
            for b in range(ceil(pieces / COLUMNS_PER_BLOCK)):
                cols = list(range(b * COLUMNS_PER_BLOCK + 1, min(pieces, (b + 1) * COLUMNS_PER_BLOCK) + 1))
                grid.blocks.append((cols, [GridRow(r.item, limits_text(r.item),
                                                   [name("result", stage, owner.number, r.item.id, n) for n in cols])
                                           for r in rows]))
            grids.append(grid)

    inline = []
    for r in plan.rows_of("inline"):
        owner = plan.owner(r.item.owner)
        planned = ceil(owner.run / r.interval) if owner.run and r.interval else None
        base = ("inline", r.item.owner, r.item.id)
        inline.append({"row": r, "limits": limits_text(r.item), "planned": planned,
                       **{k: name(*base, k) for k in ("first", "last", "checks", "failed", "ncr")}})

    fri = []
    for owner in plan.owners:
        rows = [r for r in plan.rows_of("fri", owner.number) if r.item.measured]
        if not rows:
            continue
        classes = []
        for cls in CLASSES:
            fc = owner.fri.get(cls)
            if fc is None or not any(r.item.classification == cls for r in rows):
                continue
            base = ("fri", owner.number, cls)
            classes.append({"cls": cls, "fri": fc, "inspected": name(*base, "inspected"),
                            "accepted": name(*base, "accepted"), "found": name(*base, "found"),
                            "accept": name(*base, "accept"), "reject": name(*base, "reject")})
        fri.append({"owner": owner, "classes": classes,
                    "rows": [{"row": r, "limits": limits_text(r.item),
                              "field": name("fri", owner.number, r.item.id, "nonconforming")} for r in rows]})

    deviations = [{"d": d, "field": name("deviation", d.id, "applies")} for d in spec.deviations]
    return BatchRecord(plan, qr, stages, materials, purchased, params, grids, inline, fri, deviations,
                       list(range(1, NCR_ROWS + 1)))

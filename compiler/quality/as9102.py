"""AS9102 first-article inspection report: Forms 1, 2 and 3 pre-filled from the spec.

Field numbers follow AS9102 Rev B (``../shared/standards/as9102_forms.md``).
One FAIR per made part (detail FAI) and, when the product is assembled from
more than one line, one for the product (assembly FAI) whose Form 1 indexes
the sub-parts.  What only the supplier knows (serial number, organisation,
P.O., results, signatures) is left as a fillable field; the field names are
``fai/<part>/f1|f2|f3/<field>`` and ``fai/<part>/<characteristic>/result|tooling|ncr``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import component, name
from .items import Item
from .methods import NAMES
from .plan import QualityPlan

ATTRIBUTE_GAUGES = {"thread-gauge", "pin-gauge", "radius-gauge"}
"""AS9102 Form 3 field 10 records qualified attribute gauges, never calipers or micrometers."""


@dataclass
class Form3Row:
    item: Item
    reference: str
    tooling: str
    result: str
    tooling_field: str
    ncr: str


@dataclass
class Fair:
    number: str
    part_number: str
    part_name: str
    revision: str
    drawing_number: str
    drawing_revision: str
    kind: str  # Detail | Assembly
    index: list[dict] = field(default_factory=list)
    form2: list[dict] = field(default_factory=list)
    form3: list[Form3Row] = field(default_factory=list)

    def f(self, what: str) -> str:
        """The field name of ``what`` (``f1/serial``) on this FAIR's forms."""
        return name("fai", self.part_number, *what.split("/"))


def fair_number(part_number: str, revision: str) -> str:
    return f"FAIR-{part_number}-{revision}"


def build_fairs(plan: QualityPlan, refs: dict[str, tuple[str, str]] | None = None) -> list[Fair]:
    """The FAIRs of ``plan``; ``refs`` maps a subject to its drawing sheet and zone (Form 3 field 6)."""
    refs = refs or {}
    spec = plan.spec
    fairs: list[Fair] = []
    for part in spec.parts:
        fair = Fair(fair_number(part.number, part.revision), part.number, part.name, part.revision, part.number,
                    part.revision, "Detail")
        fair.form2 = _form2_part(plan, part)
        fair.form3 = [_row(fair, i, refs) for i in plan.items.get(part.number, [])]
        fairs.append(fair)
    product = spec.product
    assembled = len(list(_lines(spec.bom))) > 1 or bool(spec.assembly)
    if assembled and all(p.number != product.number for p in spec.parts):
        fair = Fair(fair_number(product.number, product.revision), product.number, product.name, product.revision,
                    product.number, product.revision, "Assembly")
        keys: set[str] = set()
        for line in _lines(spec.bom):
            if line.part is not None:
                part = next(p for p in spec.parts if p.number == line.part)
                number, name_, fair_no = part.number, part.name, fair_number(part.number, part.revision)
            elif line.subassembly is not None:
                number, name_, fair_no = line.subassembly.number, line.subassembly.name, ""
            else:
                continue
            key = component(line.item)
            while key in keys:  # two item texts that read the same as field-name components
                key += "-"
            keys.add(key)
            fair.index.append({"number": number, "name": name_, "fair": fair_no,
                               "serial": fair.f(f"f1/index/{key}/serial")})
        fair.form2 = [{"name": i.extra["line"].purchased.description, "spec": i.extra["line"].purchased.standard or "",
                       "supplier": i.extra["line"].purchased.supplier or "", "item": i}
                      for i in plan.items.get(product.number, []) if i.kind == "purchased"]
        fair.form3 = [_row(fair, i, refs) for i in plan.items.get(product.number, []) if i.kind != "purchased"]
        fairs.append(fair)
    for fair in fairs:
        for n, row in enumerate(fair.form2, 1):
            row["n"] = n
            for key in ("code", "supplier", "approval", "coc"):
                row[f"{key}_field"] = fair.f(f"f2/{n}/{key}")
    return fairs


def _form2_part(plan: QualityPlan, part) -> list[dict]:
    rows = []
    for i in plan.items.get(part.number, []):
        if i.kind == "material":
            m = i.extra["material"]
            rows.append({"name": f"{m.designation} ({m.form})" if m.form else m.designation,
                         "spec": "; ".join(x for x in (m.standard, m.certificate and f"certificate {m.certificate}") if x),
                         "supplier": "", "item": i})
        elif i.kind == "finish":
            f = i.extra["finish"]
            rows.append({"name": " ".join(x for x in (f.process, f.colour and f"({f.colour})") if x),
                         "spec": f.specification or "", "supplier": "", "item": i})
    return rows


def reference_location(ref: tuple[str, str] | None) -> str:
    """Form 3 field 6: the drawing sheet and zone of the characteristic's balloon (``sheet 1 zone C4``)."""
    if not ref or not ref[1]:
        return ""
    return f"sheet {ref[0]} zone {ref[1]}"


def _row(fair: Fair, item: Item, refs: dict[str, tuple[str, str]]) -> Form3Row:
    tooling = ""
    if item.method in ATTRIBUTE_GAUGES:
        tooling = f"{NAMES[item.method]} {item.source.feature.thread if item.kind == 'thread' and item.source else ''}".strip()
    base = ("fai", fair.part_number, item.id)
    return Form3Row(item, reference_location(refs.get(item.subject)), tooling, name(*base, "result"), name(*base, "tooling"), name(*base, "ncr"))


def _lines(lines):
    for line in lines:
        yield line
        yield from _lines(line.children)

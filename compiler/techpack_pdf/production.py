"""Production plan and gates, sampling, process parameters and packaging, filled in from the spec.

The gates are the staged release every batch goes through: DFM signed off →
sample batch within tolerance → PP sample from bulk material and production
tooling → FAI passed → inline QC within control limits → batch-ID labels
verified.  Each row states the acceptance criterion with the spec's numbers
and the evidence the supplier hands over; the go/no-go boxes are for the
people who sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..checks.context import Context
from ..diagnostics import Diagnostics, Severity
from ..standards import iso2859
from ..standards.tables import StandardsError
from . import fmt
from .parts import Fact


LABEL_FIELDS = {"part-number": "part number", "revision": "revision", "description": "description",
                "quantity": "quantity", "batch-id": "batch ID", "date": "date", "qr": "QR code",
                "supplier": "supplier", "customer-po": "customer PO number"}


def label_fields(fields: list[str]) -> str:
    return ", ".join(LABEL_FIELDS.get(f, f) for f in fields)


@dataclass(frozen=True)
class Gate:
    number: int
    name: str
    criterion: str
    evidence: str
    planned: bool


@dataclass(frozen=True)
class Sampling:
    klass: str
    definition: str
    count: int
    aql: str
    plan: str
    parts: str = ""  # the part numbers whose inspection lot this row is for
    lot: str = ""  # that lot, in pieces


@dataclass(frozen=True)
class Parameter:
    id: str
    stage: str
    name: str
    unit: str
    min: str
    nominal: str
    max: str


@dataclass
class ProductionPlan:
    facts: list[Fact]
    gates: list[Gate]
    sampling: list[Sampling]
    lot_size: str
    level: str
    parameters: list[Parameter]


def _plan_text(lot: int | None, aql: Decimal, level: str) -> str:
    if aql == 0:
        return "zero acceptance: every unit inspected (100 %), Ac 0 / Re 1"
    if lot is None:
        return "no lot size in the spec"
    try:
        return _sampling_text(iso2859.single_normal_plan(lot, aql, level))
    except StandardsError as exc:
        return str(exc)


def _fri_text(fri) -> str:
    """The inspection plan's FRI plan of one class (``quality.stages.FriClass``), as the table prints it."""
    if fri.lot is None:
        return "no lot size in the spec"
    if fri.plan is None:
        return f"100 % inspection, Ac 0 / Re 1 ({fri.note})"
    return _sampling_text(fri.plan)


def _sampling_text(p: iso2859.SamplingPlan) -> str:
    """``code J: n = 80, Ac 2 / Re 3`` (with the arrow's letter when the plan moved), or 100 % when n ≥ lot."""
    if p.hundred_percent:
        return f"code {p.code_letter}: 100 % inspection (n ≥ lot), Ac {p.ac} / Re {p.re}"
    letter = p.code_letter if p.plan_letter == p.code_letter else f"{p.code_letter}→{p.plan_letter}"
    return f"code {letter}: n = {p.sample_size}, Ac {p.ac} / Re {p.re}"


def _sampling_by_lot(owners: list, classes: dict[str, str], basis: tuple[str, ...]) -> list[Sampling]:
    """The inspection plan's FRI plans, one group of rows per lot size in pieces: a part used twice per
    product is inspected in lots twice as large, so its sample is the plan's, not the product's."""
    groups: dict[int | None, list] = {}
    for owner in owners:
        groups.setdefault(owner.lot, []).append(owner)
    rows = []
    for lot, group in groups.items():
        numbers = {o.number for o in group}
        names = ", ".join(o.number for o in group)
        for klass, why in zip(("critical", "major", "minor"), basis):
            fri = group[0].fri.get(klass)
            if fri is None:
                continue
            count = sum(1 for subject, k in classes.items() if k == klass and subject.split("/")[0] in numbers)
            rows.append(Sampling(klass, why, count, fmt.dec(fri.aql), _fri_text(fri), names,
                                 "—" if lot is None else str(lot)))
    return rows


def build_production(ctx: Context, diags: Diagnostics, classes: dict[str, str] | None,
                     owners: list | None = None) -> ProductionPlan:
    """The plan (without a ``production`` section, only the gates, marked not planned).

    ``classes`` maps characteristic subjects to critical / major / minor (the
    quality plan's); without it, critical and key marks decide. ``owners`` are the
    quality plan's parts with their inspection lots and FRI plans: when given, the
    sampling table is theirs, so the two documents give the same sample sizes.
    """
    spec = ctx.spec
    prod = spec.production
    chars = [c for cs in ctx.characteristics.values() for c in cs]
    if classes is None:
        classes = {c.subject: "critical" if c.critical else ("major" if c.key else "minor") for c in chars}
        basis = ("characteristics marked critical", "key characteristics", "all other characteristics")
    else:
        basis = ("classed critical in the inspection plan", "classed major in the inspection plan",
                 "classed minor in the inspection plan")
    count = {k: sum(1 for c in chars if classes.get(c.subject, "minor") == k) for k in ("critical", "major", "minor")}
    counting = [d for d in diags if not d.waived and d.severity is not Severity.INFO]
    waived = [d for d in diags if d.waived]
    label = spec.packaging.label if spec.packaging else None
    certs = sorted({m.certificate for m in spec.materials if m.certificate})
    n_parts = len(spec.parts)
    gates = [
        Gate(1, "DFM signed off",
             f"techpack check: 0 errors, {sum(d.severity is Severity.WARNING for d in counting)} warnings, "
             f"{len(waived)} waived findings (each with reason and owner, see the capability report). "
             "The supplier reviews drawings and capability report and returns a signed DFM review with any "
             "deviation requests before tooling is ordered.",
             "Signed DFM review; deviation requests", True),
    ]
    if prod is None:
        gates += [Gate(i, name, "not planned: the spec has no production section", "", False)
                  for i, name in enumerate(("Sample batch within tolerance",
                                            "PP sample from bulk material and production tooling", "FAI passed",
                                            "Inline QC within control limits", "Batch-ID labels verified"), 2)]
        return ProductionPlan([], gates, [], "—", "—", [])
    lot = prod.lot_size or prod.production_quantity
    gates.append(Gate(2, "Sample batch within tolerance",
                      f"{prod.sample_batch} units of each part made on the intended process; all {len(chars)} "
                      f"characteristics of the {n_parts} part number(s) measured on every unit; every value within "
                      "tolerance." if prod.sample_batch else "not planned: no sample_batch in the spec",
                      "Measurement report per unit, by characteristic ID", prod.sample_batch is not None))
    pp = prod.pp_sample
    gates.append(Gate(3, "PP sample from bulk material and production tooling",
                      (f"{pp.quantity} units made from the bulk material lot"
                       f"{'' if pp.from_bulk_material else ' (NOT required by the spec)'} on production tooling and "
                       f"settings{'' if pp.production_tooling else ' (NOT required by the spec)'}; all "
                       "characteristics within tolerance.") if pp else "not planned: no pp_sample in the spec",
                      "PP sample report; material certificates" + (f" ({', '.join(certs)})" if certs else ""),
                      pp is not None))
    gates.append(Gate(4, "FAI passed",
                      f"First article inspection of one part per part number ({n_parts}): every characteristic "
                      "measured against its characteristic ID, material and finish certificates checked.",
                      "FAI report (AS9102 forms 1-3 or equivalent)", True))
    key_ids = [c.subject for c in chars if c.key or c.critical]
    gates.append(Gate(5, "Inline QC within control limits",
                      (f"Key characteristics ({len(key_ids)}) charted during the run with predicted Cpk ≥ "
                       f"{fmt.dec(prod.cpk_min_key)} (others ≥ {fmt.dec(prod.cpk_min)}); "
                       f"{len(prod.process_parameters)} process parameters recorded per batch within the limits "
                       "below; final inspection to ISO 2859-1 as sampled below."),
                      "Control charts; batch record with process parameters; final inspection report", True))
    gates.append(Gate(6, "Batch-ID labels verified",
                      (f"Every pack and carton labelled with {label_fields(label.fields)}"
                       + (f" ({label.size})" if label.size else "") + (f", {label.placement}" if label.placement else "")
                       + "; batch ID traceable to the material certificate and the batch record."
                       + (f" Part marking: {spec.packaging.part_marking.rstrip('.')}." if spec.packaging and spec.packaging.part_marking
                          else ""))
                      if label else "not planned: the spec has no packaging section",
                      "Photo of labels; label check in the final inspection report", label is not None))
    level = prod.inspection_level.value
    if owners:
        sampling = _sampling_by_lot(owners, classes, basis)
    else:
        sampling = [Sampling(k, why, count[k], fmt.dec(aql), _plan_text(lot, aql, level))
                    for k, why, aql in zip(("critical", "major", "minor"), basis,
                                           (prod.aql.critical, prod.aql.major, prod.aql.minor))]
    facts = [
        Fact("Sample batch", f"{prod.sample_batch} units" if prod.sample_batch else "—"),
        Fact("PP sample", f"{pp.quantity} units" if pp else "—"),
        Fact("Production quantity", f"{prod.production_quantity} units" if prod.production_quantity else "—"),
        Fact("Minimum order quantity", f"{prod.moq} units" if prod.moq else "—"),
        Fact("Inspection lot size", (f"{lot} products; a part's lot is that times its quantity per product"
                                     if owners else f"{lot} units") if lot else "—"),
        Fact("Cpk required", f"{fmt.dec(prod.cpk_min)}; key and critical {fmt.dec(prod.cpk_min_key)}"),
    ]
    params = [Parameter(p.id, p.stage, p.name, p.unit, fmt.dec(p.min) if p.min is not None else "",
                        fmt.dec(p.nominal) if p.nominal is not None else "", fmt.dec(p.max) if p.max is not None else "")
              for p in prod.process_parameters]
    return ProductionPlan(facts, gates, sampling, str(lot) if lot else "—", level, params)


def packaging_facts(ctx: Context) -> list[Fact]:
    pk = ctx.spec.packaging
    if pk is None:
        return []
    rows = [Fact("Unit pack", pk.unit_pack),
            Fact("Units per pack", str(pk.units_per_pack) if pk.units_per_pack else ""),
            Fact("Carton", pk.carton or ""),
            Fact("Units per carton", str(pk.units_per_carton) if pk.units_per_carton else ""),
            Fact("Maximum carton mass", pk.max_carton_mass.text if pk.max_carton_mass else ""),
            Fact("Protection", pk.protection or ""),
            Fact("Label content", label_fields(pk.label.fields)),
            Fact("Label size", pk.label.size or ""),
            Fact("Label placement", pk.label.placement or ""),
            Fact("Part marking", pk.part_marking or "")]
    return [r for r in rows if r.value]

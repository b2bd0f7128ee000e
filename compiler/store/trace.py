"""Genealogy of a unit and containment sets of a suspect input (lot, heat, machine, operator, batch)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import and_, or_, select, union
from sqlalchemy.engine import Engine

from .errors import StoreError
from .tables import (batch, characteristic, fri_count, fri_result, gate, inline_check, issue, lot, lot_use,
                     measurement, parameter, revision, shipment, shipment_unit, stage_run, unit, unit_process)


@dataclass
class Contained:
    batch: str
    serial: str
    status: str
    shipment: str
    product: str
    revision: str


@dataclass
class Shipped:
    """A shipment holding units at risk."""

    shipment: str
    shipped_at: str
    destination: str
    units: int  # of the containment set


@dataclass
class Containment:
    by: str
    value: str
    units: list[Contained]
    batches: list[str] = field(default_factory=list)
    shipments: list[Shipped] = field(default_factory=list)
    checks: dict | None = None  # trace --batch: the batch record's in-line QC, FRI and gates


def _window(q, date_from: str | None, date_to: str | None):
    if date_from:
        q = q.where(or_(batch.c.ended_at.is_(None), batch.c.ended_at >= date_from))
    if date_to:
        q = q.where(batch.c.started_at <= date_to + "T99")
    return q


def containment(engine: Engine, by: str, value: str, date_from: str | None = None,
                date_to: str | None = None) -> Containment:
    """Every unit that shares ``value`` (a lot code, heat, machine, operator or batch)."""
    cols = [batch.c.code, unit.c.serial, unit.c.status, shipment.c.code.label("shipment"), revision.c.product,
            revision.c.revision, shipment.c.shipped_at, shipment.c.destination]
    base = select(*cols).select_from(
        unit.join(batch).join(revision).outerjoin(shipment_unit, shipment_unit.c.unit_id == unit.c.id)
        .outerjoin(shipment, shipment.c.id == shipment_unit.c.shipment_id))
    if by in ("lot", "heat"):
        cond = lot.c.code == value if by == "lot" else lot.c.heat == value
        q = base.join(lot_use, lot_use.c.unit_id == unit.c.id).join(lot, lot.c.id == lot_use.c.lot_id).where(cond)
    elif by in ("machine", "operator"):
        col = stage_run.c.equipment if by == "machine" else stage_run.c.operator
        stage_cond = [col == value]
        if date_from:
            stage_cond.append(or_(stage_run.c.ended_at.is_(None), stage_run.c.ended_at >= date_from))
        if date_to:
            stage_cond.append(stage_run.c.started_at <= date_to + "T99")
        runs = select(stage_run.c.batch_id).where(and_(*stage_cond))
        pcol = unit_process.c.machine if by == "machine" else unit_process.c.operator
        meas = select(unit_process.c.unit_id.label("uid")).where(pcol == value)
        if date_from:
            meas = meas.where(or_(unit_process.c.last_at.is_(None), unit_process.c.last_at >= date_from))
        if date_to:
            meas = meas.where(unit_process.c.first_at <= date_to + "T99")
        # two small indexed sets, joined once (an OR of the two would scan every unit)
        ids = union(select(unit.c.id.label("uid")).where(unit.c.batch_id.in_(runs)), meas).subquery()
        q = base.where(unit.c.id.in_(select(ids.c.uid)))
        date_from = date_to = None  # the window applied to the stage, not the batch
    elif by == "batch":
        q = base.where(batch.c.code == value)
    else:
        raise StoreError(f"cannot trace by {by}")
    q = _window(q, date_from, date_to).distinct().order_by(batch.c.code, unit.c.serial, shipment.c.code)
    with engine.connect() as conn:
        found = conn.execute(q).all()
        units: dict[tuple[str, str], Contained] = {}
        shipped: dict[str, Shipped] = {}
        for code, serial, status, ship, product, rev, shipped_at, destination in found:
            u = units.setdefault((code, serial), Contained(code, serial, status, "", product, rev))
            if ship:
                u.shipment = f"{u.shipment}, {ship}" if u.shipment else ship  # returned and shipped again: both
                s = shipped.setdefault(ship, Shipped(ship, shipped_at or "", destination or "", 0))
                s.units += 1
        checks = None
        if by == "batch":
            bid = conn.execute(select(batch.c.id).where(batch.c.code == value)).scalar()
            checks = batch_checks(conn, bid) if bid is not None else None
    rows = list(units.values())
    return Containment(by, value, rows, sorted({r.batch for r in rows}),
                       sorted(shipped.values(), key=lambda s: (s.shipped_at, s.shipment)), checks)


def genealogy(engine: Engine, serial: str) -> dict:
    """Everything that touched unit ``serial``: revision, batch, stages, lots, parameters, measurements, NCRs."""
    with engine.connect() as conn:
        u = conn.execute(select(unit, batch.c.code.label("batch"), batch.c.id.label("bid"), batch.c.po,
                                batch.c.started_at, batch.c.ended_at, revision.c.product, revision.c.revision,
                                revision.c.spec_sha256)
                         .select_from(unit.join(batch).join(revision)).where(unit.c.serial == serial)).first()
        if u is None:
            raise StoreError(f"no unit with serial {serial!r} in the store")
        stages = [dict(r._mapping) for r in conn.execute(
            select(stage_run.c.stage, stage_run.c.started_at, stage_run.c.ended_at, stage_run.c.equipment,
                   stage_run.c.operator, stage_run.c.signoff).where(stage_run.c.batch_id == u.bid)
            .order_by(stage_run.c.id))]
        lots = [dict(r._mapping) for r in conn.execute(
            select(lot.c.kind, lot.c.item, lot.c.code, lot.c.heat, lot.c.cert).join(lot_use)
            .where(lot_use.c.unit_id == u.id).order_by(lot.c.kind, lot.c.item, lot.c.code))]
        params = [dict(r._mapping) for r in conn.execute(
            select(parameter.c.param_id, parameter.c.actual, parameter.c.recorded_by)
            .where(parameter.c.batch_id == u.bid).order_by(parameter.c.param_id))]
        meas = [dict(r._mapping) for r in conn.execute(
            select(characteristic.c.subject, measurement.c.stage, measurement.c.value_text, characteristic.c.unit,
                   measurement.c.status, measurement.c.measured_at, measurement.c.machine, measurement.c.operator)
            .join(characteristic).where(measurement.c.unit_id == u.id)
            .order_by(characteristic.c.subject, measurement.c.stage))]
        ncrs = [dict(r._mapping) for r in conn.execute(
            select(issue.c.number, issue.c.subject, issue.c.description, issue.c.disposition, issue.c.status)
            .where(issue.c.batch_id == u.bid).order_by(issue.c.number))]
        ships = [dict(r._mapping) for r in conn.execute(
            select(shipment.c.code.label("shipment"), shipment.c.shipped_at, shipment.c.destination)
            .join(shipment_unit).where(shipment_unit.c.unit_id == u.id).order_by(shipment.c.code))]
        checks = batch_checks(conn, u.bid)
    return {"serial": u.serial, "status": u.status, "shipment": ", ".join(x["shipment"] for x in ships),
            "shipments": ships, **checks, "product": u.product,
            "revision": u.revision, "spec_sha256": u.spec_sha256, "batch": u.batch, "po": u.po,
            "batch_started": u.started_at, "batch_ended": u.ended_at, "stages": stages, "lots": lots,
            "parameters": params, "measurements": meas, "ncrs": ncrs}


def batch_checks(conn, batch_id: int) -> dict:
    """The batch record's in-line QC, FRI and gate rows of one batch."""
    inline = [dict(r._mapping) for r in conn.execute(
        select(characteristic.c.subject, inline_check.c.first_value, inline_check.c.first_status,
               inline_check.c.last_value, inline_check.c.last_status, inline_check.c.checks, inline_check.c.failed,
               inline_check.c.ncr).join(characteristic).where(inline_check.c.batch_id == batch_id)
        .order_by(characteristic.c.subject))]
    fri = [dict(r._mapping) for r in conn.execute(
        select(fri_result.c.part, fri_result.c.classification, fri_result.c.inspected, fri_result.c.accepted,
               fri_result.c.rejected, fri_result.c.sample_size, fri_result.c.ac, fri_result.c.re,
               fri_result.c.decision).where(fri_result.c.batch_id == batch_id)
        .order_by(fri_result.c.part, fri_result.c.classification))]
    counts = {r.subject: r.nonconforming for r in conn.execute(
        select(characteristic.c.subject, fri_count.c.nonconforming).join(characteristic)
        .where(fri_count.c.batch_id == batch_id))}
    gates = [dict(r._mapping) for r in conn.execute(
        select(gate.c.gate, gate.c.decision, gate.c.reference, gate.c.signed_by, gate.c.signed_at)
        .where(gate.c.batch_id == batch_id))]
    order = {"pp": 0, "fai": 1, "fri": 2, "release": 3}
    gates.sort(key=lambda g: order.get(g["gate"], 9))
    return {"inline": inline, "fri": fri, "fri_nonconforming": dict(sorted(counts.items())), "gates": gates}


# -- formats ---------------------------------------------------------------------------------------------------
def containment_text(c: Containment) -> str:
    lines = [f"{c.by} {c.value}: {len(c.units)} unit(s) in {len(c.batches)} batch(es)"]
    for b in c.batches:
        units = [u for u in c.units if u.batch == b]
        counts: dict[str, int] = {}
        for u in units:
            counts[u.status] = counts.get(u.status, 0) + 1
        lines.append(f"  batch {b} ({units[0].product} rev {units[0].revision}): {len(units)} unit(s), "
                     + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
        lines += [f"    {u.serial}  {u.status}{'  ' + u.shipment if u.shipment else ''}" for u in units]
    if c.shipments:
        lines.append(f"shipments holding units at risk: {len(c.shipments)}")
        lines += [f"  {s.shipment}  {s.shipped_at or 'date not recorded'}  {s.destination or 'destination not recorded'}"
                  f"  {s.units} unit(s)" for s in c.shipments]
    else:
        lines.append("shipments holding units at risk: none recorded")
    if c.checks:
        lines += checks_lines(c.checks)
    return "\n".join(lines) + "\n"


def containment_json(c: Containment) -> str:
    return json.dumps(asdict(c), indent=2, ensure_ascii=False) + "\n"


def containment_csv(c: Containment) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["batch", "serial", "status", "shipment", "product", "revision", "shipped_at", "destination"])
    ships = {s.shipment: s for s in c.shipments}
    for u in c.units:
        first = ships.get(u.shipment.split(", ")[0]) if u.shipment else None
        w.writerow([u.batch, u.serial, u.status, u.shipment, u.product, u.revision,
                    first.shipped_at if first else "", first.destination if first else ""])
    return buf.getvalue()


def checks_lines(g: dict) -> list[str]:
    """The batch record's in-line QC, FRI and gates as text lines."""
    out = []
    if g["inline"]:
        out.append("  in-line QC of the batch:")
        out += [f"    {x['subject']}: first {x['first_value'] or '-'} {x['first_status']}, last {x['last_value'] or '-'} "
                f"{x['last_status']}, {x['checks']} checks, {x['failed']} failed"
                + (f", NCR {x['ncr']}" if x["ncr"] else "") for x in g["inline"]]
    if g["fri"]:
        out.append("  final random inspection of the batch:")
        out += [f"    {x['part']} {x['classification']}: {x['inspected']} inspected "
                f"({'100 %' if x['sample_size'] is None else 'n=' + str(x['sample_size'])}, Ac {x['ac']} Re {x['re']}), "
                f"{x['accepted']} conforming, {x['rejected']} nonconforming: {x['decision']}" for x in g["fri"]]
    if g["gates"]:
        out.append("  gates:")
        out += [f"    {x['gate']}: {x['decision']}" + (f" {x['reference']}" if x["reference"] else "")
                + f", {x['signed_by'] or '?'} {x['signed_at'] or '?'}" for x in g["gates"]]
    return out


def genealogy_text(g: dict) -> str:
    out = [f"unit {g['serial']} ({g['status']}{', ' + g['shipment'] if g['shipment'] else ''}): {g['product']} rev "
           f"{g['revision']}, batch {g['batch']}" + (f", P.O. {g['po']}" if g["po"] else "")]
    out.append("  lots:")
    out += [f"    {x['kind']} {x['item']}: lot {x['code']}" + (f", heat {x['heat']}" if x["heat"] else "")
            + (f", cert {x['cert']}" if x["cert"] else "") for x in g["lots"]] or ["    (none recorded)"]
    out.append("  stages:")
    out += [f"    {s['stage']}: {s['started_at'] or '?'} … {s['ended_at'] or '?'}  equipment {s['equipment'] or '-'}"
            f"  operator {s['operator'] or '-'}" for s in g["stages"]] or ["    (none recorded)"]
    if g["parameters"]:
        out.append("  parameters:")
        out += [f"    {p['param_id']} = {p['actual']}" + (f" ({p['recorded_by']})" if p["recorded_by"] else "")
                for p in g["parameters"]]
    out.append(f"  measurements ({len(g['measurements'])}):")
    out += [f"    {m['subject']} [{m['stage']}] {m['value_text']} {m['unit']} {m['status']}" for m in g["measurements"]]
    for s in g["shipments"]:
        out.append(f"  shipment {s['shipment']}: {s['shipped_at'] or 'date not recorded'}, "
                   f"{s['destination'] or 'destination not recorded'}")
    out += checks_lines(g)
    if g["ncrs"]:
        out.append("  NCRs of the batch:")
        out += [f"    {n['number']} {n['subject']}: {n['description']} ({n['disposition'] or 'no disposition'}, "
                f"{n['status']})" for n in g["ncrs"]]
    return "\n".join(out) + "\n"


def genealogy_csv(g: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["serial", "batch", "kind", "what", "value", "detail"])
    for x in g["lots"]:
        w.writerow([g["serial"], g["batch"], "lot", f"{x['kind']} {x['item']}", x["code"], f"heat {x['heat']}"])
    for s in g["stages"]:
        w.writerow([g["serial"], g["batch"], "stage", s["stage"], s["equipment"], s["operator"]])
    for m in g["measurements"]:
        w.writerow([g["serial"], g["batch"], "measurement", f"{m['subject']} {m['stage']}", m["value_text"],
                    m["status"]])
    for x in g["inline"]:
        w.writerow([g["serial"], g["batch"], "inline", x["subject"], f"{x['checks']} checks, {x['failed']} failed",
                    x["ncr"]])
    for x in g["fri"]:
        w.writerow([g["serial"], g["batch"], "fri", f"{x['part']} {x['classification']}",
                    f"{x['inspected']} inspected, {x['rejected']} nonconforming", x["decision"]])
    for x in g["gates"]:
        w.writerow([g["serial"], g["batch"], "gate", x["gate"], x["decision"], f"{x['signed_by']} {x['signed_at'] or ''}"])
    for x in g["shipments"]:
        w.writerow([g["serial"], g["batch"], "shipment", x["shipment"], x["shipped_at"] or "", x["destination"]])
    return buf.getvalue()

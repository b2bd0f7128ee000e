"""Read a measurement CSV: the columns of ``inspection/plan.csv`` plus ``batch``, ``serial`` and ``value``.

Required columns: ``batch``, ``serial``, ``subject`` (or ``part`` and ``id``),
``stage``, ``unit``, ``value``.  Optional: ``product``, ``revision``,
``measured_at``, ``machine``, ``operator``, ``lot`` (material lot the unit was
made from), ``status`` (in stock / shipped / scrapped), ``shipment`` (its ID), ``shipped_at`` and
``destination`` (customer or address) of the shipment.  Limit
columns, when present, must equal the registered spec's: a file written from
another revision's plan is refused, not silently re-judged.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from .errors import StoreError
from .record import MAX_BYTES, Reading, Record, Value

REQUIRED = ("batch", "serial", "stage", "unit", "value")
STATUSES = ("in stock", "shipped", "scrapped")


def read_csv(path: Path) -> Record:
    where = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise StoreError("file is over the 50 MB limit; split it", where)
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read ({exc.strerror})", where) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoreError(f"not UTF-8 text (byte {exc.start})", where) from None
    rec = Record(where, "csv", hashlib.sha256(data).hexdigest())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    cols = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = cols
    missing = [c for c in REQUIRED if c not in cols]
    if "subject" not in cols and not ("part" in cols and "id" in cols):
        missing.append("subject (or part and id)")
    if missing:
        raise StoreError(f"missing column(s): {', '.join(missing)}", f"{where}:line 1")
    col = {c: n + 1 for n, c in enumerate(cols)}
    for row in reader:
        line = reader.line_num
        if None in row:
            rec.problem(f"{where}:line {line}", "more cells than header columns")
            continue

        def at(c: str, line=line) -> str:
            return f"{where}:line {line}:column {col.get(c, '?')} ({c})"

        def cell(c: str, row=row) -> str:
            return (row.get(c) or "").strip()

        subject = cell("subject") or f"{cell('part')}/{cell('id')}"
        for c, attr in (("product", "product"), ("revision", "revision")):
            v = cell(c)
            if v and getattr(rec, attr) and v != getattr(rec, attr):
                rec.problem(at(c), f"{c} {v} differs from {getattr(rec, attr)} earlier in the file")
            elif v:
                setattr(rec, attr, v)
        batch = cell("batch")
        if not batch:
            rec.problem(at("batch"), "required: the batch ID")
        if rec.batch.get("id") and batch and rec.batch["id"].text != batch:
            rec.problem(at("batch"), f"one batch per file: {batch} after {rec.batch['id'].text}")
        elif batch:
            rec.batch.setdefault("id", Value(batch, at("batch")))
        serial = cell("serial")
        if not serial:
            rec.problem(at("serial"), "required: the unit serial number")
        r = Reading(subject, cell("stage"), Value(cell("value"), at("value")), unit=cell("unit"), serial=serial,
                    measured_at=cell("measured_at"), machine=cell("machine"), operator=cell("operator"),
                    measured_where=at("measured_at"))
        rec.readings.append(r)
        if "lower_limit" in cols or "upper_limit" in cols:
            rec.limits.setdefault(subject, []).append((cell("lower_limit"), cell("upper_limit"), at("lower_limit")))
        lot = cell("lot")
        if lot and serial:
            lots = rec.unit_lots.setdefault(serial, [])
            if (lot, at("lot")) not in lots and all(code != lot for code, _ in lots):
                lots.append((lot, at("lot")))
        status = cell("status")
        shipment = cell("shipment")
        if shipment and not status:
            status = "shipped"  # a unit in a shipment has been shipped
        if status:
            if status not in STATUSES:
                rec.problem(at("status"), f"unknown unit status {status!r} (use {', '.join(STATUSES)})")
            elif shipment and status != "shipped":
                rec.problem(at("status"), f"unit {serial} is {status} but names shipment {shipment}")
            else:
                rec.unit_status[serial] = (status, shipment, at("status"))
        if shipment:
            known = rec.shipments.setdefault(shipment, {})
            for c in ("shipped_at", "destination"):
                v = cell(c)
                if v and c in known and known[c].text != v:
                    rec.problem(at(c), f"shipment {shipment}: {c} {v!r} differs from {known[c].text!r} at "
                                       f"{known[c].where}")
                elif v:
                    known.setdefault(c, Value(v, at(c)))
    if not rec.readings:
        raise StoreError("no measurement rows", where)
    return rec

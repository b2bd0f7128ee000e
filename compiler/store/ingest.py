"""Validate a :class:`~.record.Record` against its registered revision and store it whole, or refuse it whole.

Pass/fail is computed here from the registered limits (exact decimals), never
read from the form.  A file already imported (same SHA-256) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from .db import now
from .errors import RecordRefused, StoreError
from .qifresults import QIF_UNITS
from .record import Record, Value, day, parse_number, parse_when
from .batchchecks import fits, fri_rows, gate_rows, inline_rows
from .tables import (batch, characteristic, fri_count, fri_plan, fri_result, gate, inline_check, issue, lot, lot_use,
                     measurement, parameter, revision, shipment, shipment_unit, source, stage_run, unit, unit_process)

STAGES = ("sample", "pp", "fai", "top", "setup", "inline", "fri", "receiving", "production")
PASS_WORDS = {"ok", "pass", "go", "conforming", "yes", "accept"}
FAIL_WORDS = {"nok", "ng", "fail", "no-go", "nogo", "nonconforming", "no", "reject"}


@dataclass
class Imported:
    path: str
    batch: str
    units: int
    measurements: int
    failed: int
    ncrs: int
    already: bool = False


def read(path: Path) -> Record:
    from .csvdata import read_csv  # noqa: PLC0415
    from .pdfform import read_pdf  # noqa: PLC0415

    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".qif":
        from .qifresults import read_qif  # noqa: PLC0415

        return read_qif(path)
    raise StoreError("unknown record type (expected a filled batch-record .pdf, a measurement .csv or QIF results "
                     ".qif)", str(path))


def import_file(engine: Engine, path: Path) -> Imported:
    rec = read(path)
    with engine.begin() as conn:
        if conn.execute(select(source.c.id).where(source.c.sha256 == rec.sha256)).first():
            return Imported(rec.path, rec.batch.get("id", Value("", "")).text, 0, 0, 0, 0, already=True)
        return _store(conn, rec)


def _revision(conn: Connection, rec: Record, where: str):
    rows = conn.execute(select(revision).where(revision.c.product == rec.product)).all()
    match = [r for r in rows if r.revision == rec.revision]
    if not match:
        if rows:
            known = ", ".join(f"rev {r.revision}" for r in rows)
            raise StoreError(f"record is for {rec.product} rev {rec.revision}, but the store holds {rec.product} "
                             f"{known}: refused (register the pack of rev {rec.revision} first if it is real)", where)
        raise StoreError(f"{rec.product} rev {rec.revision} is not registered: run `techpack records register OUT` "
                         "on its built pack first", where)
    r = match[0]
    if rec.spec_sha256 and rec.spec_sha256 != r.spec_sha256:
        raise StoreError(f"record was generated from a different spec of {rec.product} rev {rec.revision} (sha256 "
                         f"{rec.spec_sha256[:12]}…) than the registered one ({r.spec_sha256[:12]}…): refused",
                         where)
    return r


def _int(rec: Record, v: Value, required: bool, what: str) -> int | None:
    if not v.text:
        if required:
            rec.problem(v.where, f"required: {what}")
        return None
    try:
        n = int(v.text)
    except ValueError:
        rec.problem(v.where, f"{what}: {v.text!r} is not a whole number")
        return None
    if n < 0 or n > 1_000_000:
        rec.problem(v.where, f"{what}: {n} is out of range")
        return None
    return n


def _when(rec: Record, v: Value, required: bool, what: str) -> str | None:
    if not v.text:
        if required:
            rec.problem(v.where, f"required: {what}")
        return None
    w = parse_when(v.text)
    if w is None:
        rec.problem(v.where, f"{what}: {v.text!r} is not a date (write YYYY-MM-DD or YYYY-MM-DD HH:MM)")
    return w


def judge(char, text: str, unit_written: str) -> tuple[float | None, str, str | None]:
    """(number, status, problem) for one value of ``char``; status from the registered limits only."""
    lo, hi = char.lsl, char.usl
    word = text.strip().lower()
    if not lo and not hi and (word in PASS_WORDS or word in FAIL_WORDS):
        return None, "pass" if word in PASS_WORDS else "fail", None
    num = parse_number(text)
    if num is None:
        if not lo and not hi:
            return None, "fail", f"{text!r} is neither a number nor OK / NOK"
        return None, "fail", f"{text!r} is not a number (limits {lo or '−∞'} … {hi or '+∞'} {char.unit})"
    value, written = num
    written = written or unit_written
    if written and char.unit and QIF_UNITS.get(written, written) != char.unit:  # a QIF's "inch" is the plan's "in"
        return None, "fail", f"unit {written} given where {char.subject} is measured in {char.unit}"
    if written and not char.unit:
        return None, "fail", f"unit {written} given where {char.subject} has no unit"
    if not lo and not hi:
        return float(value), "recorded", None
    ok = (not lo or value >= Decimal(lo)) and (not hi or value <= Decimal(hi))
    return float(value), "pass" if ok else "fail", None


def _store(conn: Connection, rec: Record) -> Imported:
    bid = rec.batch.get("id")
    existing = None
    if bid and bid.text:
        existing = conn.execute(select(batch).where(batch.c.code == bid.text)).first()
    if rec.kind != "pdf" and existing is not None:
        rev = conn.execute(select(revision).where(revision.c.id == existing.revision_id)).first()
        if rec.revision and (rec.product or rev.product, rec.revision) != (rev.product, rev.revision):
            raise StoreError(f"file says {rec.product or rev.product} rev {rec.revision}; batch {bid.text} was made "
                             f"to {rev.product} rev {rev.revision}: refused", rec.path)
    else:
        if not rec.product or not rec.revision:
            raise StoreError("new batch: the file must give product and revision columns", rec.path)
        rev = _revision(conn, rec, rec.path if rec.kind != "pdf" else f"{rec.path}:page 1")
    chars = {r.subject: r for r in conn.execute(select(characteristic).where(characteristic.c.revision_id == rev.id))}
    by_id: dict[str, list] = {}
    for c in chars.values():
        by_id.setdefault(c.char_id, []).append(c)

    # -- header ------------------------------------------------------------------------------------------------
    if rec.kind == "pdf":
        if not bid.text:
            rec.problem(bid.where, "required: the batch ID")
        elif existing is not None:
            raise StoreError(f"batch {bid.text} is already in the store (from another file); a corrected record "
                             "needs a new batch ID or an NCR", bid.where)
        qty = _int(rec, rec.batch["quantity-started"], True, "quantity started")
        good = _int(rec, rec.batch["quantity-good"], False, "quantity good")
        if qty is not None and good is not None and good > qty:
            rec.problem(rec.batch["quantity-good"].where, f"quantity good {good} is more than quantity started {qty}")
        start = _when(rec, rec.batch["start-date"], True, "batch start date")
        end = _when(rec, rec.batch["end-date"], False, "batch end date")
        if start and end and day(end) < day(start):
            rec.problem(rec.batch["end-date"].where, f"batch ends {end} before it starts {start}")
        stages = _stages(rec, start, end)
        width = max(3, len(str(qty or 0)))
        serials = {n: f"{bid.text}-{n:0{width}d}" for n in range(1, (qty or 0) + 1)}
    else:
        qty = good = None
        start = end = None
        stages = []
        serials = {}
        if existing is not None:
            serials = {r.piece or r.id: r.serial
                       for r in conn.execute(select(unit.c.id, unit.c.piece, unit.c.serial)
                                             .where(unit.c.batch_id == existing.id))}
    # -- lots --------------------------------------------------------------------------------------------------
    unit_lot_codes: dict[str, list[tuple[str, str, str]]] = {}  # serial -> [(kind, item, code)]
    covered: dict[str, list[tuple[int, int, str]]] = {}
    for e in rec.lots:
        if e.pieces:
            a, b = e.pieces
            if qty is not None and b > qty:
                rec.problem(e.where, f"lot {e.code}: pieces {a}-{b} beyond the {qty} started")
                continue
            for a2, b2, code2 in covered.get(e.item, []):
                if a <= b2 and a2 <= b:
                    rec.problem(e.where, f"lot {e.code} pieces {a}-{b} overlap lot {code2} pieces {a2}-{b2}")
            covered.setdefault(e.item, []).append((a, b, e.code))
        for n in range(e.pieces[0] if e.pieces else 1, (e.pieces[1] if e.pieces else (qty or 0)) + 1):
            unit_lot_codes.setdefault(serials[n], []).append((e.kind, e.item, e.code))
    for item, ranges in covered.items():
        have = {n for a, b, _c in ranges for n in range(a, b + 1)}
        gap = [n for n in range(1, (qty or 0) + 1) if n not in have]
        if gap:
            where = next(e.where for e in rec.lots if e.item == item)
            rec.problem(where, f"pieces {gap[0]}…{gap[-1]} ({len(gap)}) have no lot of {item}")

    # -- readings ----------------------------------------------------------------------------------------------
    rows = []
    seen: dict[tuple[str, str, str], str] = {}
    csv_serials: dict[str, str] = {}
    for r in rec.readings:
        char = chars.get(r.subject)
        if char is None:
            rec.problem(r.value.where, f"unknown characteristic {r.subject} (not in {rev.product} rev {rev.revision})")
            continue
        if r.stage not in STAGES:
            rec.problem(r.value.where, f"unknown stage {r.stage!r} (one of {', '.join(STAGES)})")
            continue
        if rec.kind == "pdf":
            if qty is None or r.piece is None or not 1 <= r.piece <= qty:
                rec.problem(r.value.where, f"piece {r.piece} beyond the {qty or 0} started")
                continue
            serial = serials[r.piece]
        else:
            serial = r.serial
            if not serial:
                continue
            csv_serials.setdefault(serial, r.value.where)
            if existing is not None and serials and serial not in serials.values():
                rec.problem(r.value.where, f"serial {serial} is not a unit of batch {existing.code}")
                continue
            if not r.unit and char.unit:
                rec.problem(r.value.where, f"required: the unit ({char.unit}) in the unit column")
                continue
        key = (serial, r.subject, r.stage)
        if key in seen:
            rec.problem(r.value.where, f"duplicate: serial {serial} {r.subject} at {r.stage} is already given at "
                                       f"{seen[key]}")
            continue
        seen[key] = r.value.where
        number, status, problem = judge(char, r.value.text, r.unit)
        if problem:
            rec.problem(r.value.where, problem)
            continue
        measured = None
        if r.measured_at:
            measured = parse_when(r.measured_at)
            if measured is None:
                rec.problem(r.measured_where or r.value.where,
                            f"{r.measured_at!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
                continue
        rows.append({"serial": serial, "characteristic_id": char.id, "stage": r.stage, "value": number,
                     "value_text": r.value.text, "status": status, "measured_at": measured or start,
                     "machine": r.machine, "operator": r.operator})
    for subject, limits in rec.limits.items():
        char = chars.get(subject)
        for lo, hi, where in limits:
            if char is not None and (lo, hi) != (char.lsl, char.usl):
                rec.problem(where, f"limits {lo} … {hi} differ from {rev.product} rev {rev.revision}'s "
                                   f"{char.lsl} … {char.usl} for {subject}: file from another revision?")
                break
    if rec.kind != "pdf" and existing is None:
        taken = conn.execute(select(unit.c.serial, batch.c.code).join(batch)
                             .where(unit.c.serial.in_(list(csv_serials)))).all()
        for s, code in taken:
            rec.problem(csv_serials[s], f"serial {s} already belongs to batch {code}")
    if rec.kind == "pdf" and serials:
        taken = conn.execute(select(unit.c.serial).where(unit.c.serial.in_(list(serials.values())))).scalars().all()
        for s in taken:
            rec.problem(bid.where, f"serial {s} already exists in the store")

    ncrs = _ncrs(conn, rec, chars, by_id)
    inline, fri, fri_counts, gates = [], [], [], []
    if rec.kind == "pdf":
        plans = {(p.part, p.classification): p
                 for p in conn.execute(select(fri_plan).where(fri_plan.c.revision_id == rev.id))}
        inline = inline_rows(rec, chars, judge)
        fri, fri_counts = fri_rows(rec, plans, chars, good if good is not None else qty)
        gates = gate_rows(rec, fri, bool(plans), start)
    shipments = _shipments(conn, rec)
    if rec.problems:
        raise RecordRefused(rec.problems)

    # -- store (one transaction: all or nothing) ----------------------------------------------------------------
    sid = conn.execute(source.insert().values(sha256=rec.sha256, kind=rec.kind, name=Path(rec.path).name,
                                              imported_at=now())).inserted_primary_key[0]
    if existing is None:
        batch_id = conn.execute(batch.insert().values(
            code=bid.text, revision_id=rev.id, po=rec.batch.get("po", Value("", "")).text, qty_started=qty,
            qty_good=good, started_at=start, ended_at=end, source_id=sid)).inserted_primary_key[0]
    else:
        batch_id = existing.id
    if rec.kind != "pdf" and existing is None:
        serials = {n: s for n, s in enumerate(csv_serials, 1)}
    new_units = [s for s in serials.values()] if existing is None else []
    if new_units:
        conn.execute(unit.insert(), [{"batch_id": batch_id, "serial": s, "piece": n, "status": "in stock"}
                                     for n, s in serials.items()])
    ids = dict(conn.execute(select(unit.c.serial, unit.c.id).where(unit.c.batch_id == batch_id)).all())
    for serial, (status, _shipment, _w) in rec.unit_status.items():
        if serial in ids:
            conn.execute(unit.update().where(unit.c.id == ids[serial]).values(status=status))
    _ship(conn, rec, shipments, ids)
    for table, rows_ in ((inline_check, inline), (fri_result, fri), (fri_count, fri_counts), (gate, gates)):
        if rows_:
            conn.execute(table.insert(), [{**r, "batch_id": batch_id} for r in rows_])
    if stages:
        conn.execute(stage_run.insert(), [{**s, "batch_id": batch_id} for s in stages])
    lot_ids: dict[tuple[str, str, str], int] = {}
    for e in rec.lots:
        lot_ids[(e.kind, e.item, e.code)] = _lot(conn, e.kind, e.item, e.code, e.heat, e.cert)
    for serial, codes in rec.unit_lots.items():
        for code, _where in codes:
            known = conn.execute(select(lot.c.id, lot.c.kind, lot.c.item).where(lot.c.code == code)).first()
            key = (known.kind, known.item, code) if known else ("material", "", code)
            lot_ids.setdefault(key, known.id if known else _lot(conn, "material", "", code, "", ""))
            unit_lot_codes.setdefault(serial, []).append(key)
    uses = {(lot_ids[k], ids[s]) for s, keys in unit_lot_codes.items() if s in ids for k in keys}
    have = set(conn.execute(select(lot_use.c.lot_id, lot_use.c.unit_id)
                            .where(lot_use.c.unit_id.in_(list(ids.values())))).all()) if uses else set()
    if uses - have:
        conn.execute(lot_use.insert(), [{"lot_id": a, "unit_id": b} for a, b in sorted(uses - have)])
    params = [{"batch_id": batch_id, "param_id": p, "actual": a.text, "recorded_by": by.text}
              for p, a, by in rec.params if a.text]
    if params:
        conn.execute(parameter.insert(), params)
    machine = next((s["equipment"] for s in stages if s["stage"] not in ("material-receipt", *STAGES)
                    and s["equipment"]), "")
    if rows:
        conn.execute(measurement.insert(), [
            {**{k: v for k, v in r.items() if k != "serial"}, "unit_id": ids[r["serial"]], "source_id": sid,
             "machine": r["machine"] or machine} for r in rows])
    _unit_process(conn, rows, ids)
    if ncrs:
        conn.execute(issue.insert(), [{**n, "revision_id": rev.id, "batch_id": batch_id, "source_id": sid,
                                       "opened_at": start or now()} for n in ncrs])
    return Imported(rec.path, bid.text, len(new_units) or len({r["serial"] for r in rows}), len(rows),
                    sum(r["status"] == "fail" for r in rows), len(ncrs))


def _shipments(conn: Connection, rec: Record) -> dict[str, dict]:
    """Shipment ID → its date and destination, checked against the file and the store (a shipment already stored
    keeps its date and destination: a file that says otherwise is refused)."""
    out: dict[str, dict] = {}
    for code in sorted({s for _st, s, _w in rec.unit_status.values() if s}):
        given = rec.shipments.get(code, {})
        when = None
        if "shipped_at" in given:
            when = parse_when(given["shipped_at"].text)
            if when is None:
                rec.problem(given["shipped_at"].where, f"{given['shipped_at'].text!r} is not a date (YYYY-MM-DD)")
        dest = fits(rec, given["destination"], 200, f"destination of shipment {code}") if "destination" in given else ""
        if len(code) > 100:
            rec.problem(rec.unit_status[next(k for k, v in rec.unit_status.items() if v[1] == code)][2],
                        f"shipment ID of {len(code)} characters, more than the 100 a store field holds")
        have = conn.execute(select(shipment).where(shipment.c.code == code)).first()
        if have is not None:
            for col, new, old in (("shipped_at", when, have.shipped_at), ("destination", dest, have.destination)):
                if new and old and new != old:
                    rec.problem(given[col].where, f"shipment {code} is stored with {col} {old}, not {new}")
        out[code] = {"code": code, "shipped_at": when, "destination": dest, "id": have.id if have else None,
                     "fill": {k: v for k, v in (("shipped_at", when), ("destination", dest))
                              if v and have is not None and not getattr(have, k)}}
    return out


def _ship(conn: Connection, rec: Record, shipments: dict[str, dict], ids: dict[str, int]) -> None:
    """Store the shipments and which units they hold."""
    for s in shipments.values():
        if s["id"] is None:
            s["id"] = conn.execute(shipment.insert().values(code=s["code"], shipped_at=s["shipped_at"],
                                                            destination=s["destination"])).inserted_primary_key[0]
        elif s["fill"]:
            conn.execute(shipment.update().where(shipment.c.id == s["id"]).values(**s["fill"]))
    links = {(shipments[code]["id"], ids[serial]) for serial, (_st, code, _w) in rec.unit_status.items()
             if code and serial in ids}
    if not links:
        return
    have = set(conn.execute(select(shipment_unit.c.shipment_id, shipment_unit.c.unit_id)
                            .where(shipment_unit.c.unit_id.in_([u for _s, u in links]))).all())
    if links - have:
        conn.execute(shipment_unit.insert(), [{"shipment_id": a, "unit_id": b} for a, b in sorted(links - have)])


def _unit_process(conn: Connection, rows: list[dict], ids: dict[str, int]) -> None:
    """Record which machine / operator a measurement file names for each unit (with the time span)."""
    spans: dict[tuple[int, str, str], list[str]] = {}
    for r in rows:
        if r["machine"] or r["operator"]:
            spans.setdefault((ids[r["serial"]], r["machine"], r["operator"]), []).append(r["measured_at"] or "")
    if not spans:
        return
    have = {(a, b, c): (f, la) for a, b, c, f, la in conn.execute(
        select(unit_process).where(unit_process.c.unit_id.in_({k[0] for k in spans})))}
    new = []
    for key, times in spans.items():
        times = sorted(x for x in times if x) or [None]
        if key in have:
            known = [x for x in (*have[key], *times) if x]
            lo, hi = (min(known), max(known)) if known else (None, None)
            conn.execute(unit_process.update().where(unit_process.c.unit_id == key[0],
                                                     unit_process.c.machine == key[1],
                                                     unit_process.c.operator == key[2])
                         .values(first_at=lo, last_at=hi))
        else:
            new.append({"unit_id": key[0], "machine": key[1], "operator": key[2], "first_at": times[0],
                        "last_at": times[-1]})
    if new:
        conn.execute(unit_process.insert(), new)


def _lot(conn: Connection, kind: str, item: str, code: str, heat: str, cert: str) -> int:
    row = conn.execute(select(lot.c.id).where(lot.c.kind == kind, lot.c.item == item, lot.c.code == code)).first()
    if row:
        return row.id
    return conn.execute(lot.insert().values(kind=kind, item=item, code=code, heat=heat, cert=cert)
                        ).inserted_primary_key[0]


def _stages(rec: Record, start: str | None, end: str | None) -> list[dict]:
    out = []
    last: tuple[str, str] | None = None
    for s in rec.stages:
        vals = {k: v for k, v in s.items() if k != "stage"}
        if not any(v.text for v in vals.values()):
            continue
        a = _when(rec, vals["start"], True, f"start of stage {s['stage']}")
        b = _when(rec, vals["end"], False, f"end of stage {s['stage']}")
        if a and b and day(b) < day(a):
            rec.problem(vals["end"].where, f"stage {s['stage']} ends {b} before it starts {a}")
        if a and start and day(a) < day(start):
            rec.problem(vals["start"].where, f"stage {s['stage']} starts {a}, before the batch starts {start}")
        if b and end and day(b) > day(end):
            rec.problem(vals["end"].where, f"stage {s['stage']} ends {b}, after the batch ends {end}")
        if a and last and day(a) < day(last[1]):
            rec.problem(vals["start"].where, f"stage {s['stage']} starts {a}, before the earlier stage {last[0]} "
                                             f"started {last[1]}: dates out of order")
        if a:
            last = (s["stage"], a)
        out.append({"stage": s["stage"], "started_at": a, "ended_at": b, "equipment": vals["equipment"].text,
                    "operator": vals["operator"].text, "signoff": vals["signoff"].text})
    return out


def _ncrs(conn: Connection, rec: Record, chars: dict, by_id: dict) -> list[dict]:
    out = []
    for n in rec.ncrs:
        number = n["number"]
        if not number.text:
            rec.problem(number.where, "required: the NCR number (the row has other entries)")
            continue
        ch = n["characteristic"].text
        subject = ch if ch in chars else None
        if subject is None and len(by_id.get(ch, [])) == 1:
            subject = by_id[ch][0].subject
        if subject is None:
            rec.problem(n["characteristic"].where, f"unknown characteristic {ch!r} for NCR {number.text}")
            continue
        if conn.execute(select(issue.c.id).where(issue.c.number == number.text)).first():
            rec.problem(number.where, f"NCR {number.text} is already in the store")
            continue
        out.append({"kind": "ncr", "number": number.text, "subject": subject, "description": n["description"].text,
                    "disposition": n["disposition"].text, "status": "open"})
    return out


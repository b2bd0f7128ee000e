"""Benchmark the traceability store: trace queries and a 300-unit record import, on SQLite and PostgreSQL.

    python benchmarks/bench_store.py --pack OUT [--db URL] [--batches 1000] [--units 100] [--per-unit 50]

OUT is a built bracket pack (``techpack build examples/bracket -o OUT``).  The
generator fills an empty store with ``batches`` × ``units`` units and
``per-unit`` measurements each (default 1,000 × 100 × 50 = 100,000 units and
5,000,000 measurements), 400 material lots (two per batch, split by piece
range), 20 machines and 30 operators; then it times (median of 7, warm, in
process) each kind of ``trace`` query and the import of a filled 300-unit
batch record (with its in-line QC, FRI counts and signed gates) plus its 300-unit measurement CSV.  Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "store"))

from sqlalchemy import func, insert, select, text  # noqa: E402

from techpack.store import tables as t  # noqa: E402
from techpack.store.db import display, open_engine, resolve_url  # noqa: E402
from techpack.store.register import register  # noqa: E402

CHUNK = 50_000


def _copy(engine, table, cols, rows) -> None:
    """Bulk load: COPY on PostgreSQL, executemany on SQLite."""
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
            raw.commit()
        finally:
            raw.close()
        return
    buf = []
    with engine.begin() as conn:
        for r in rows:
            buf.append(dict(zip(cols, r)))
            if len(buf) >= CHUNK:
                conn.execute(insert(table), buf)
                buf = []
        if buf:
            conn.execute(insert(table), buf)


def generate(engine, pack: Path, batches: int, units: int, per_unit: int) -> None:
    rng = random.Random(1)
    register(engine, pack)
    with engine.connect() as conn:
        rev = conn.execute(select(t.revision.c.id)).scalar()
        chars = conn.execute(select(t.characteristic.c.id, t.characteristic.c.lsl, t.characteristic.c.usl)
                             .where(t.characteristic.c.lsl != "")).all()
    _copy(engine, t.source, ["id", "sha256", "kind", "name", "imported_at"],
          [(1, "0" * 64, "csv", "generated", "2026-01-01T00:00:00Z")])
    _copy(engine, t.batch, ["id", "code", "revision_id", "po", "qty_started", "qty_good", "started_at", "ended_at",
                            "source_id"],
          ((b, f"G-{b:05d}", rev, "", units, units, f"2025-{1 + b * 12 // (batches + 1):02d}-01",
            f"2025-{1 + b * 12 // (batches + 1):02d}-05", 1) for b in range(1, batches + 1)))
    status = {(b, p): rng.choice(("in stock", "shipped", "shipped", "scrapped"))
              for b in range(1, batches + 1) for p in range(1, units + 1)}
    _copy(engine, t.unit, ["id", "batch_id", "serial", "piece", "status"],
          ((b * units + p, b, f"G-{b:05d}-{p:03d}", p, status[(b, p)])
           for b in range(1, batches + 1) for p in range(1, units + 1)))
    # one shipment per batch and customer: the shipped units of a batch go to one of 12 customers
    _copy(engine, t.shipment, ["id", "code", "shipped_at", "destination"],
          ((b, f"SH-{b:05d}", f"2025-{1 + b * 12 // (batches + 1):02d}-08", f"customer {b % 12:02d}")
           for b in range(1, batches + 1)))
    _copy(engine, t.shipment_unit, ["shipment_id", "unit_id"],
          ((b, b * units + p) for b in range(1, batches + 1) for p in range(1, units + 1)
           if status[(b, p)] == "shipped"))
    _copy(engine, t.stage_run, ["id", "batch_id", "stage", "started_at", "ended_at", "equipment", "operator",
                                "signoff"],
          ((b, b, "milling", f"2025-{1 + b * 12 // (batches + 1):02d}-01", f"2025-{1 + b * 12 // (batches + 1):02d}-04",
            f"M-{b % 20:02d}", f"op-{b % 30:02d}", "") for b in range(1, batches + 1)))
    nlots = max(2, batches * 2 // 5)
    _copy(engine, t.lot, ["id", "kind", "item", "code", "heat", "cert"],
          ((n, "material", "al6061", f"L-{n:04d}", f"H-{n // 4:04d}", f"C-{n}") for n in range(1, nlots + 1)))
    half = units // 2
    _copy(engine, t.lot_use, ["lot_id", "unit_id"],
          ((1 + (2 * b + (p > half)) % nlots, b * units + p) for b in range(1, batches + 1)
           for p in range(1, units + 1)))

    _copy(engine, t.unit_process, ["unit_id", "machine", "operator", "first_at", "last_at"],
          ((b * units + p, f"M-{b % 20:02d}", "", f"2025-{1 + b * 12 // (batches + 1):02d}-02",
            f"2025-{1 + b * 12 // (batches + 1):02d}-02") for b in range(1, batches + 1) for p in range(1, units + 1)))

    def meas():
        i = 0
        for b in range(1, batches + 1):
            for p in range(1, units + 1):
                u = b * units + p
                for k in range(per_unit):
                    cid, lo, hi = chars[k % len(chars)]
                    mid = (float(lo) + float(hi)) / 2
                    v = rng.gauss(mid, (float(hi) - float(lo)) / 8)
                    i += 1
                    yield (i, u, cid, "production", v, f"{v:.4f}", "pass" if float(lo) <= v <= float(hi) else "fail",
                           f"2025-{1 + b * 12 // (batches + 1):02d}-02", f"M-{b % 20:02d}", "", 1)
    _copy(engine, t.measurement, ["id", "unit_id", "characteristic_id", "stage", "value", "value_text", "status",
                                  "measured_at", "machine", "operator", "source_id"], meas())
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for tab in ("source", "batch", "unit", "stage_run", "lot", "measurement", "shipment"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{tab}', 'id'), "
                                  f"(SELECT max(id) FROM {tab}))"))
            conn.execute(text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def timed(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pack", type=Path, required=True)
    ap.add_argument("--db", help="store URL (default: a new SQLite file in a temporary folder); must be empty")
    ap.add_argument("--batches", type=int, default=1000)
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--per-unit", type=int, default=50)
    ap.add_argument("--reuse", action="store_true", help="the store already holds generated data: only time")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    url = resolve_url(args.db or str(tmp / "bench.sqlite"))
    engine = open_engine(url)
    print(f"store: {display(url)}")
    t0 = time.perf_counter()
    if not args.reuse:
        generate(engine, args.pack, args.batches, args.units, args.per_unit)
    with engine.connect() as conn:
        n = {k: conn.execute(select(func.count()).select_from(v)).scalar()
             for k, v in (("batches", t.batch), ("units", t.unit), ("measurements", t.measurement))}
    print(f"{'reused' if args.reuse else 'generated'} {n['batches']:,} batches, {n['units']:,} units, {n['measurements']:,} measurements "
          f"in {time.perf_counter() - t0:.0f} s")

    from techpack.store.trace import containment, genealogy

    mid = args.batches // 2
    nlots = max(2, args.batches * 2 // 5)
    queries = {
        "trace --lot": lambda: containment(engine, "lot", f"L-{1 + (2 * mid) % nlots:04d}"),
        "trace --heat": lambda: containment(engine, "heat", f"H-{(1 + (2 * mid) % nlots) // 4:04d}"),
        "trace --machine (one month)": lambda: containment(engine, "machine", "M-07", "2025-06-01", "2025-06-30"),
        "trace --operator": lambda: containment(engine, "operator", "op-11"),
        "trace --batch": lambda: containment(engine, "batch", f"G-{mid:05d}"),
        "trace --unit (genealogy)": lambda: genealogy(engine, f"G-{mid:05d}-007"),
    }
    for name, fn in queries.items():
        size = fn()
        count = len(size.units) if hasattr(size, "units") else len(size["measurements"])
        print(f"{name:30} {timed(fn) * 1000:8.1f} ms  ({count:,} rows)")

    from fill import fill_pdf, header, write_csv
    from techpack.store.ingest import import_file

    from fill import checks as batch_checks  # noqa: PLC0415

    values = header(f"BENCH-{n['batches']}", 300, lots="BL-1 [1-150]; BL-2 [151-300]", heat="BH-1; BH-2")
    values.update(batch_checks(args.pack))  # in-line QC, FRI counts and gates, all consistent
    pdf = fill_pdf(args.pack / "batch-record.pdf", tmp / "record.pdf", values)
    code = f"BENCH-{n['batches']}"
    rows = [{"batch": code, "serial": f"{code}-{p:03d}", "subject": "TP-1001-01/bore.size",
             "stage": "production", "unit": "mm", "value": "12.009", "lower_limit": "12",
             "upper_limit": "12.018", "machine": "mill-5ax"} for p in range(1, 301)]
    csvp = write_csv(tmp / "record.csv", rows)
    t0 = time.perf_counter()
    import_file(engine, pdf)
    t_pdf = time.perf_counter() - t0
    t0 = time.perf_counter()
    import_file(engine, csvp)
    t_csv = time.perf_counter() - t0
    print(f"import 300-unit batch record PDF {t_pdf * 1000:8.0f} ms; its 300-row measurement CSV "
          f"{t_csv * 1000:6.0f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()

"""Make tests/store/fixtures/tp540-records.sqlite, the store of tests/cases/TP540-repeated-deviations (its env.txt
names it; case folders stay small).

A store holding the valid base spec registered as rev A (its real plan.csv rows)
and two NCR/deviations on TP-2001-01/bore.size, written with 512-byte pages so
the case folder stays small.  Rerun after a store schema change.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

from techpack.engine import Options, compile_spec
from techpack.quality.csvplan import plan_csv
from techpack.store.db import open_engine, resolve_url
from techpack.store.issues import add
from techpack.store.register import register

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "store" / "fixtures" / "tp540-records.sqlite"


def main() -> None:
    result = compile_spec(ROOT / "tests" / "cases" / "_valid", Options(geometry=False))
    plan = result.context.quality_plan
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp)
        (pack / "inspection").mkdir()
        lines = plan_csv(plan).decode().splitlines(keepends=True)  # header and the bore rows: a small file
        (pack / "inspection" / "plan.csv").write_text(
            "".join(lines[:1] + [x for x in lines[1:] if x.startswith("TP-2001-01/bore.size,")]), encoding="utf-8")
        (pack / "manifest.json").write_text(json.dumps({"product": {"number": "TP-2001", "revision": "A"},
                                                        "spec_sha256": "a" * 64}))
        OUT.unlink(missing_ok=True)
        with sqlite3.connect(OUT) as conn:
            conn.execute("PRAGMA page_size=512")
            conn.execute("VACUUM")
        engine = open_engine(resolve_url(str(OUT)))
        register(engine, pack)
        add(engine, "TP-2001", "A", "TP-2001-01/bore.size", "bore oversize, batch 1", "NCR-1")
        add(engine, "TP-2001", "A", "TP-2001-01/bore.size", "bore oversize again, accepted as is", "DEV-1")
        engine.dispose()
    with sqlite3.connect(OUT) as conn:
        conn.execute("VACUUM")
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()

"""``techpack records register OUT``: store a built pack's revision, spec hash and characteristics."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .db import now
from .errors import StoreError
from .tables import characteristic, fri_plan, revision

PLAN = "inspection/plan.csv"


@dataclass
class Registered:
    product: str
    revision: str
    spec_sha256: str
    characteristics: int
    new: bool


def read_pack(out: Path) -> tuple[dict, list[dict]]:
    """The manifest and one row per characteristic (the first plan.csv row of each subject)."""
    mpath = out / "manifest.json"
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        product = manifest["product"]["number"], manifest["product"]["revision"], manifest["spec_sha256"]
    except FileNotFoundError:
        raise StoreError("no manifest.json: not a pack that `techpack build` wrote", str(out)) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"unreadable manifest ({exc})", str(mpath)) from None
    if not all(isinstance(v, str) for v in product):
        raise StoreError("manifest lacks product number, revision or spec_sha256", str(mpath))
    try:
        text = (out / PLAN).read_text(encoding="utf-8-sig")  # plan.csv carries a byte-order mark for Excel
    except OSError as exc:
        raise StoreError(f"cannot read the inspection plan ({exc.strerror})", str(out / PLAN)) from None
    rows, seen = [], set()
    for r in csv.DictReader(io.StringIO(text)):
        if r["subject"] not in seen:
            seen.add(r["subject"])
            rows.append(r)
    return manifest, rows


_FRI = re.compile(r"^(?:n=(?P<n>\d+)|(?P<all>100%)) Ac (?P<ac>\d+)$")


def fri_plans(rows: list[dict]) -> list[dict]:
    """The FRI plan per part and class from plan.csv's ``stage_fri`` (``n=50 Ac 1``, ``100% Ac 0``): single
    sampling, so Re = Ac + 1; rows without a plan (lot size not stated, document reviews) give none."""
    out: dict[tuple[str, str], dict] = {}
    for r in rows:
        m = _FRI.match((r.get("stage_fri") or "").strip())
        if not m or not r.get("classification"):
            continue
        ac = int(m["ac"])
        out.setdefault((r["part"], r["classification"]), {
            "part": r["part"], "classification": r["classification"],
            "sample_size": int(m["n"]) if m["n"] else None, "ac": ac, "re": ac + 1})
    return list(out.values())


def register(engine: Engine, out: Path) -> Registered:
    manifest, rows = read_pack(out)
    prod = manifest["product"]
    number, rev, sha = prod["number"], prod["revision"], manifest["spec_sha256"]
    with engine.begin() as conn:
        have = conn.execute(select(revision.c.id, revision.c.spec_sha256)
                            .where(revision.c.product == number, revision.c.revision == rev)).first()
        if have is not None:
            if have.spec_sha256 != sha:
                raise StoreError(f"{number} rev {rev} is already registered with spec sha256 "
                                 f"{have.spec_sha256[:12]}…; "
                                 f"this pack's spec is {sha[:12]}…: a changed spec needs a new revision", str(out))
            if not conn.execute(select(fri_plan.c.part).where(fri_plan.c.revision_id == have.id)).first():
                plans = fri_plans(rows)  # registered before the store kept FRI plans
                if plans:
                    conn.execute(fri_plan.insert(), [{**p, "revision_id": have.id} for p in plans])
            return Registered(number, rev, sha, len(rows), False)
        rid = conn.execute(revision.insert().values(
            product=number, revision=rev, spec_sha256=sha, source_date=manifest.get("source_date"),
            manifest=json.dumps(manifest, sort_keys=True), registered_at=now())).inserted_primary_key[0]
        conn.execute(characteristic.insert(), [
            {"revision_id": rid, "subject": r["subject"], "part": r["part"], "char_id": r["id"], "type": r["type"],
             "description": r["description"], "nominal": r["nominal"], "lsl": r["lower_limit"],
             "usl": r["upper_limit"], "unit": r["unit"], "key": r["key"] == "yes",
             "classification": r["classification"]} for r in rows])
        plans = fri_plans(rows)
        if plans:
            conn.execute(fri_plan.insert(), [{**p, "revision_id": rid} for p in plans])
    return Registered(number, rev, sha, len(rows), True)

"""``techpack capability learn``: a capability file whose machines carry the σ measured in the store.

Each machine of the base file (default: the shipped typical shop) that has
measurements gets:

* ``size_bands``: one band ending at each measured nominal size (mm) with the
  measured σ — the *overall* sample standard deviation, which includes
  batch-to-batch drift (what the parts really show).  A feature between two
  measured sizes uses the next larger measured size's σ; above the largest,
  the base figures still apply.
* ``gdt``: for a measured geometric tolerance, the zone held at ``cp_at_grade``
  (mean + 3·cp_at_grade·σ, rounded up to 1 µm) when it is larger than the
  base figure (learning never makes a machine look better than measured data).
* ``notes``: the provenance (batches, n, dates).

The file is written in the capability schema of :mod:`techpack.schema.capability`;
:func:`capability_document` is the one place that knows that layout.
"""

from __future__ import annotations

import math
from decimal import ROUND_UP, Decimal
from pathlib import Path

import yaml

from ..loader import DEFAULT_CAPABILITY
from .errors import StoreError
from .spc import Study, measured

SIZE_TYPES = {"size", "linear", "location"}
GDT_TYPES = {"flatness", "straightness", "perpendicularity", "parallelism", "angularity", "position", "symmetry",
             "profile-of-a-surface", "profile-of-a-line", "circularity", "cylindricity", "runout", "total-runout",
             "concentricity"}
STEP = Decimal("0.00001")


def _mm(x: float, step: Decimal = STEP) -> str:
    return f"{Decimal(repr(x)).quantize(step, rounding=ROUND_UP)} mm"


def _provenance(studies: list[Study]) -> str:
    batches = sorted({b for s in studies for b in s.batches})
    first = min(s.first for s in studies)[:10]
    last = max(s.last for s in studies)[:10]
    n = sum(s.n for s in studies)
    return (f"sigma measured by techpack capability learn: {len(studies)} characteristic(s), n={n}, "
            f"batches {', '.join(batches)}, {first} to {last}; sigma = overall sample standard deviation")


def capability_document(base: dict, learned: dict[str, dict]) -> dict:
    """The capability file (current schema) from ``base`` with ``learned[machine] = {"bands": [(upto_mm, sigma_mm)],
    "gdt": {type: zone_mm}, "notes": str}`` applied.  The only function that knows the file layout."""
    doc = dict(base)
    shop = dict(doc["shop"])
    shop["source"] = f"{shop.get('source', '').strip()} Measured sigma from the traceability store for: " \
                     f"{', '.join(sorted(learned))}."
    doc["shop"] = shop
    machines = []
    for m in doc["machines"]:
        m = dict(m)
        got = learned.get(m["id"])
        if got:
            if got["bands"]:
                m["size_bands"] = [{"upto": f"{upto} mm", "sigma": _mm(sig)} for upto, sig in got["bands"]]
            if got["gdt"]:
                gdt = dict(m.get("gdt") or {})
                gdt.update({k: _mm(v, Decimal("0.001")) for k, v in got["gdt"].items()})
                m["gdt"] = gdt
            m["notes"] = got["notes"]
        machines.append(m)
    doc["machines"] = machines
    return doc


def _to_mm(text: str) -> float:
    return float(str(text).split()[0])


def learn(engine, out: Path, base_path: Path | None = None, part: str | None = None) -> int:
    base_path = base_path or DEFAULT_CAPABILITY
    try:
        base = yaml.safe_load(base_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StoreError(f"cannot read the base capability file ({exc})", str(base_path)) from None
    if not isinstance(base, dict) or not isinstance(base.get("machines"), list):
        raise StoreError("not a capability file", str(base_path))
    known = {m.get("id") for m in base["machines"] if isinstance(m, dict)}
    studies = [s for s in measured(engine, part) if s.n >= 2 and s.unit == "mm"]
    from sqlalchemy import select  # noqa: PLC0415

    from .tables import characteristic, revision  # noqa: PLC0415

    with engine.connect() as conn:
        meta = {(r.product, r.revision, r.subject): r for r in conn.execute(
            select(revision.c.product, revision.c.revision, characteristic.c.subject, characteristic.c.type,
                   characteristic.c.nominal).join(characteristic))}
    by_machine: dict[str, list[Study]] = {}
    for s in studies:
        if s.machine in known:
            by_machine.setdefault(s.machine, []).append(s)
    if not by_machine:
        raise StoreError("no measurements with limits on any machine of the base capability file "
                         f"({', '.join(sorted(k for k in known if k))})")
    learned: dict[str, dict] = {}
    for mid, ss in sorted(by_machine.items()):
        bands: dict[Decimal, float] = {}
        gdt: dict[str, float] = {}
        base_m = next(m for m in base["machines"] if m.get("id") == mid)
        cp_ref = float(base_m.get("cp_at_grade", 1.33))
        for s in ss:
            info = meta[(s.product, s.revision, s.subject)]
            if info.type in SIZE_TYPES and info.nominal:
                size = Decimal(info.nominal).copy_abs()
                bands[size] = max(bands.get(size, 0.0), s.sigma_overall)
            elif info.type in GDT_TYPES:
                zone = s.mean + 3 * cp_ref * s.sigma_overall
                old = (base_m.get("gdt") or {}).get(info.type)
                if old is None or zone > _to_mm(old):
                    gdt[info.type] = max(gdt.get(info.type, 0.0), zone)
        # a smaller size never gets a smaller sigma than a larger one would give it (bands are read upwards)
        ordered = sorted(bands.items())
        learned[mid] = {"bands": [(f"{k.normalize():f}", v) for k, v in ordered if v > 0 and not math.isnan(v)],
                        "gdt": gdt, "notes": _provenance(ss)}
    doc = capability_document(base, learned)
    text = ("# Learned by `techpack capability learn` from measured data; see each machine's notes.\n"
            + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return len(learned)

"""The inspection plan as one table: one row per characteristic, one column per stage (``docs/plan-columns.md``).

Shared by ``plan.csv`` and ``plan.xlsx`` so the two never differ.  Cells are
``str`` (text), :class:`~decimal.Decimal` or ``int`` (numbers), or ``None``
(empty).  Numbers are in the characteristic's own unit (the ``unit`` column).
"""

from __future__ import annotations

from decimal import Decimal

from .items import Item, fmt, tolerance, unit
from .methods import NAMES
from .plan import QualityPlan
from .stages import STAGES, Row

STAGE_COLUMNS = tuple(f"stage_{s.key}" for s in STAGES)
COLUMNS = ("subject", "id", "part", "seq", "balloon", "sheet", "zone", "type", "description",
           "nominal", "lower_tolerance", "upper_tolerance", "lower_limit", "upper_limit", "unit", "places",
           "tolerance_text", "fit", "gdt_characteristic", "gdt_zone", "gdt_zone_shape", "gdt_modifier", "datums",
           "classification", "key", "method") + STAGE_COLUMNS
NUMERIC = frozenset({"seq", "sheet", "nominal", "lower_tolerance", "upper_tolerance", "lower_limit", "upper_limit",
                     "places", "gdt_zone"})
"""Columns that hold numbers (empty where the characteristic has none)."""
GDT_MODIFIERS = {"MMC": "MMC", "LMC": "LMC", "RFS": "RFS"}


def sampling(row: Row) -> str:
    """A stage's sampling as a short code: ``100%``, ``1 in 5``, ``n=3``, ``n=50 Ac 1``, ``first+last``.

    FRI is ISO 2859-1 single sampling, so Re is always Ac + 1 and is not repeated.
    """
    if row.pieces is None and row.stage != "inline" and row.stage != "setup":
        return row.sample  # document reviews: "1 set"
    if row.stage in ("sample", "pp"):
        return "100%"
    if row.stage == "inline":
        return "100%" if row.interval == 1 else f"1 in {row.interval}"
    if row.stage == "setup":
        return "first+last"
    if row.stage == "fri":
        if not row.ac:
            return row.sample  # lot size not stated
        if row.sample.startswith("100"):
            return f"100% Ac {row.ac}"
        return f"n={row.sample} Ac {row.ac}"
    return f"n={row.sample}"


def _places(*values: Decimal | None) -> int | None:
    found = [max(0, -v.normalize().as_tuple().exponent) for v in values if v is not None]
    return max(found) if found else None


def numbers(item: Item) -> dict[str, Decimal | int | None]:
    """Nominal, deviations, limits and decimal places of ``item`` as numbers."""
    nominal = lower_tol = upper_tol = lower = upper = zone = None
    if item.dim is not None:
        d = item.dim
        nominal, lower_tol, upper_tol, lower, upper = d.nominal, d.minus, d.plus, d.lower, d.upper
    elif item.frame is not None:
        zone = item.frame.tolerance.value
        upper = zone
    elif item.value is not None:
        v = item.value
        nominal, lower, upper = v.nominal, v.lower, v.upper
        if nominal is not None:
            lower_tol = None if lower is None else lower - nominal
            upper_tol = None if upper is None else upper - nominal
    elif item.kind == "roughness" and item.feature is not None and item.feature.roughness is not None:
        r = item.feature.roughness
        upper = (r.ra if item.id.endswith(".ra") else r.rz).value
    return {"nominal": nominal, "lower_tolerance": lower_tol, "upper_tolerance": upper_tol, "lower_limit": lower,
            "upper_limit": upper, "places": _places(nominal, lower_tol, upper_tol, lower, upper),
            "gdt_zone": zone}


def table(plan: QualityPlan, refs: dict[str, tuple[str, str]] | None = None) -> list[dict]:
    """One dict per characteristic (keys: :data:`COLUMNS`), in plan order: parts in spec order, then the product."""
    refs = refs or {}
    stages: dict[str, dict[str, str]] = {}
    for r in plan.rows:
        stages.setdefault(r.item.subject, {})[f"stage_{r.stage}"] = sampling(r)
    out = []
    for item in plan.all_items():
        sheet, zone = refs.get(item.subject, ("", ""))
        f = item.frame
        row: dict = {
            "subject": item.subject, "id": item.id, "part": item.owner, "seq": item.seq, "balloon": item.balloon,
            "sheet": int(sheet) if str(sheet).isdigit() else sheet, "zone": zone, "type": item.type_name, "description": item.requirement,
            **numbers(item),
            "unit": unit(item), "tolerance_text": tolerance(item), "fit": item.dim.fit if item.dim else "",
            "gdt_characteristic": f.characteristic.value if f else "",
            "gdt_zone_shape": ("diameter" if f.diameter else "width") if f else "",
            "gdt_modifier": (f.modifier.value if f.modifier else "RFS") if f else "",
            "datums": item.datums, "classification": item.classification, "key": "yes" if item.key else "no",
            "method": NAMES[item.method],
        }
        for col in STAGE_COLUMNS:
            row[col] = stages.get(item.subject, {}).get(col, "")
        out.append(row)
    return out


def text_of(value) -> str:
    """A cell as CSV text: numbers without exponent or trailing zeros, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)

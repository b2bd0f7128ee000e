"""ISO 965-1/-2 metric screw threads: limits of the major (external) and minor (internal) diameter.

A table lookup on ``iso965_metric_threads.csv`` (copied verbatim from the shared,
cross-checked reference table; its README cites the sources and the cell-by-cell
comparison).  Classes in the table: 6g, 6h, 4h6h (external), 6H (internal).  A
thread named without a class (``M6x1``) has no limits here: the caller decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .tables import StandardsError, load_table, to_decimal

FILE = "iso965_metric_threads.csv"
_DESIGNATION = re.compile(r"^\s*M\s*(?P<d>\d+(?:\.\d+)?)(?:\s*[x×]\s*(?P<p>\d+(?:\.\d+)?))?"
                          r"(?:\s*-\s*(?P<cls>(?:\d[a-hA-H])?\d[a-hA-H]))?\s*$")


@dataclass(frozen=True)
class ThreadLimits:
    """The diameter a size dimension of the thread names, with its limits (mm)."""

    designation: str
    external: bool
    diameter: str  # "major diameter d" | "minor diameter D1"
    nominal: Decimal
    low: Decimal
    high: Decimal | None  # None: ISO 965 gives no upper limit


def parse(designation: str) -> tuple[Decimal, Decimal | None, str | None] | None:
    """(major, pitch or None for coarse, class or None) of ``M6x1-6g``; None when it is not metric ISO."""
    m = _DESIGNATION.match(designation or "")
    if m is None:
        return None
    return to_decimal(m["d"]), (to_decimal(m["p"]) if m["p"] else None), m["cls"]


def limits(designation: str) -> ThreadLimits | None:
    """The size limits its class sets: 6g/6h/4h6h the major diameter, 6H the minor diameter D1.

    None when the designation has no class; StandardsError when the table lacks the thread or class.
    """
    parsed = parse(designation)
    if parsed is None or parsed[2] is None:
        return None
    d, p, cls = parsed
    table = load_table(FILE)
    col = table.column
    row = None
    for r in table.rows:
        if to_decimal(r[col("d")]) == d and (p is None and r[col("series")] == "coarse"
                                              or p is not None and to_decimal(r[col("P")]) == p):
            row = r
            break
    if row is None:
        raise StandardsError(f"ISO 965 limits for {designation} are not in techpack's table (M1.6–M24 coarse "
                             "and six fine sizes)")
    key = cls[-2:]
    if key in ("6g", "6h") and cls in ("6g", "6h", "4h6h"):
        pre = "g6" if key == "6g" else "h6"
        return ThreadLimits(designation, True, "major diameter d", d, to_decimal(row[col(f"{pre}_d_min")]),
                            to_decimal(row[col(f"{pre}_d_max")]))
    if cls == "6H":
        return ThreadLimits(designation, False, "minor diameter D1", to_decimal(row[col("D1_d1_basic")]),
                            to_decimal(row[col("H6_D1_min")]), to_decimal(row[col("H6_D1_max")]))
    raise StandardsError(f"thread class {cls} of {designation} is not in techpack's ISO 965 table (6g, 6h, 4h6h, "
                         "6H)")


def is_external(designation: str) -> bool | None:
    """True for an external class (lower-case letter, ``6g``), False for internal (``6H``), None without one."""
    parsed = parse(designation)
    if parsed is None or parsed[2] is None:
        return None
    return parsed[2][-1].islower()

"""``inspection/plan.csv``: one row per characteristic per stage, for import into a quality system.

RFC 4180 CSV, UTF-8, ``\\r\\n`` line ends, a header row.  Free text from the
spec that a spreadsheet would read as a formula (a leading ``=``, ``+``,
``-``, ``@``, tab or carriage return) is prefixed with ``'``.  Limits are plain
decimal numbers in the characteristic's unit.
"""

from __future__ import annotations

import csv
import io

from .fields import xml_text
from .items import limits, nominal, tolerance, unit
from .methods import NAMES
from .plan import QualityPlan
from .stages import STAGES

COLUMNS = ("subject", "id", "part", "balloon", "sheet", "zone", "type", "description", "nominal", "tolerance",
           "lower_limit", "upper_limit", "unit", "datums", "classification", "key", "method", "stage",
           "frequency", "sample_size", "ac", "re")


def _text(value: str) -> str:
    """Free text, defused for spreadsheets; control characters (NUL …) become U+FFFD."""
    value = xml_text(value)
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def plan_csv(plan: QualityPlan, refs: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The CSV bytes; ``refs`` maps a subject to its drawing sheet and zone when the drawings know them."""
    refs = refs or {}
    order = {s.key: n for n, s in enumerate(STAGES)}
    owner_order = {o.number: n for n, o in enumerate(plan.owners)}
    rows = sorted(plan.rows, key=lambda r: (owner_order[r.item.owner], r.item.seq, order[r.stage]))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows:
        i = r.item
        lo, hi = limits(i)
        sheet, zone = refs.get(i.subject, ("", ""))
        w.writerow([i.subject, i.id, i.owner, i.balloon, sheet, zone, i.type_name, _text(i.requirement),
                    nominal(i), tolerance(i), lo, hi, unit(i), i.datums, i.classification,
                    "yes" if i.key else "no", NAMES[i.method], r.stage, r.frequency, r.sample, r.ac, r.re])
    return buf.getvalue().encode("utf-8")

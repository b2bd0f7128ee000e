"""``inspection/plan.csv``: one row per characteristic, one column per stage, for spreadsheets and importers.

RFC 4180 CSV, UTF-8 **with a byte-order mark** (Excel reads BOM-less CSV in
the system code page and shows ``Ã˜`` for ``Ø``), ``\\r\\n`` line ends, one
header row, comma separated, ``.`` as decimal point.  Numeric columns
(:data:`~.table.NUMERIC`) hold plain decimal numbers and stay numbers.  A text
cell that a spreadsheet would read as a formula (a leading ``=``, ``+``, ``-``,
``@``, tab or carriage return, e.g. the tolerance text ``+0.1/-0.05``) is
prefixed with ``'``.  The columns are documented in ``docs/plan-columns.md``.
"""

from __future__ import annotations

import csv
import io

from .fields import xml_text
from .plan import QualityPlan
from .table import COLUMNS, NUMERIC, table, text_of

BOM = "\ufeff"


def safe_text(value: str) -> str:
    """Free text, defused for spreadsheets; control characters (NUL …) become U+FFFD."""
    value = xml_text(value)
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def plan_csv(plan: QualityPlan, refs: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The CSV bytes; ``refs`` maps a subject to its drawing sheet and zone when the drawings know them."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for row in table(plan, refs):
        w.writerow([text_of(row[c]) if c in NUMERIC else safe_text(text_of(row[c])) for c in COLUMNS])
    return (BOM + buf.getvalue()).encode("utf-8")

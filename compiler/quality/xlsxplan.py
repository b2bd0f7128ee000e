"""``inspection/plan.xlsx``: the plan table (:mod:`.table`) as an Excel workbook, numbers as numbers.

Written with openpyxl; text cells are typed as strings, so no spec text is
ever a formula.  Reproducible: the document properties carry the build date
and every zip entry the same fixed timestamp, so the same plan gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from .fields import xml_text
from .plan import QualityPlan
from .table import COLUMNS, NUMERIC, table


def plan_xlsx(plan: QualityPlan, refs: dict[str, tuple[str, str]] | None = None) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only when the workbook is written
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    wb = Workbook()
    ws = wb.active
    ws.title = "plan"
    ws.append(list(COLUMNS))
    for r, row in enumerate(table(plan, refs), 2):
        for c, col in enumerate(COLUMNS, 1):
            value = row[col]
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c)
            if col in NUMERIC:
                cell.value = float(value) if not isinstance(value, int) else value
                places = row["places"]
                if isinstance(places, int) and col not in ("seq", "sheet", "places"):
                    cell.number_format = "0" if places == 0 else "0." + "0" * places
            else:
                cell.value = xml_text(str(value))
                cell.data_type = "s"  # never a formula, whatever the text starts with
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"
    date = plan.date.replace(tzinfo=None)
    wb.properties.creator = "techpack"
    wb.properties.created = date
    wb.properties.modified = date
    wb.properties.lastModifiedBy = "techpack"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue(), date)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes, date: dt.datetime) -> bytes:
    """``data`` (a zip) rewritten with every entry stamped ``date`` (zip cannot go before 1980).

    openpyxl sets the document's *modified* property to the clock when it saves;
    it is put back to ``date`` here.
    """
    stamp = max(date, dt.datetime(1980, 1, 1)).timetuple()[:6]
    iso = date.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            dst.writestr(entry, content)
    return out.getvalue()

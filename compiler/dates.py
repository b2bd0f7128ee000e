"""The build date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the spec's revision date."""

from __future__ import annotations

import datetime as dt
import os

from .diagnostics import Diagnostics, Location


EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
"""The earliest date every file of a pack can carry (ZIP-based files such as .xlsx start in 1980)."""
LATEST = dt.datetime(9999, 12, 31, tzinfo=dt.timezone.utc)


def source_date(diags: Diagnostics, fallback: str | None = None, where: Location | None = None) -> dt.datetime:
    """The date stamped into outputs.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) wins; a malformed value is
    an error (TP005).  Otherwise the spec's ``revision_date`` at midnight UTC,
    and without one the current time.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is not None:
        text = raw.strip()
        if text.isdigit() and len(text) <= 12:
            if EARLIEST.timestamp() <= int(text) <= LATEST.timestamp():
                return dt.datetime.fromtimestamp(int(text), tz=dt.timezone.utc)
            diags.add("TP005", f"the environment variable SOURCE_DATE_EPOCH={text} lies outside 1980-01-01 .. "
                      "9999-12-31, the dates the files of a pack can carry")
            return EARLIEST
        diags.add("TP005", f"the environment variable SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of "
                  "seconds since 1970")
    if fallback:
        date = dt.datetime.fromisoformat(fallback).replace(tzinfo=dt.timezone.utc)
        if date < EARLIEST:
            diags.add("TP013", f"revision_date {fallback} is before 1980-01-01, the earliest date the files of a "
                      "pack can carry; give the date of the current revision (or set SOURCE_DATE_EPOCH)", where)
            return EARLIEST
        return date
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def revision_day(product, build: dt.datetime) -> str:
    """The date a title block and a cover show: the revision's date, not the build date.

    ``product.revision_date``; else the date of the current revision in ``product.history``;
    else (no revision date anywhere) the build date.
    """
    if product.revision_date:
        return str(product.revision_date)
    for rev in product.history:
        if rev.revision == product.revision and rev.date:
            return str(rev.date)
    return build.date().isoformat()

"""What ``check`` and ``build`` read from the traceability store: the open NCRs and deviations.

The store is ``TECHPACK_DB`` or ``techpack-records.sqlite`` in the product folder; with neither, nothing
is read.  Read-only: a store is never created or migrated here.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DEFAULT_NAME = "techpack-records.sqlite"  # = db.DEFAULT_NAME; not imported so that a build without a store
#                                           never loads SQLAlchemy


def configured(folder: Path) -> str | None:
    """The store's URL or path when there is one to read, else None."""
    db = os.environ.get("TECHPACK_DB")
    if db:
        return db
    return str(folder / DEFAULT_NAME) if (folder / DEFAULT_NAME).is_file() else None


def open_readonly(folder: Path):
    """An engine on the store (raises :class:`~.errors.StoreError`), or None when there is none."""
    db = configured(folder)
    if db is None:
        return None  # before the import: a build without a store never loads SQLAlchemy
    from .db import open_engine, resolve_url  # noqa: PLC0415

    return open_engine(resolve_url(db, folder), create=False, migrate=False)


def open_issues(engine, product: str, revision: str) -> list[dict]:
    from .issues import listing  # noqa: PLC0415

    return listing(engine, product, revision, open_only=True)


def digest(folder: Path) -> str:
    """A hash of every open NCR and deviation in the store ("" without a store, "unreadable" when it cannot be
    read), so a build is redone when the log changes."""
    from .errors import StoreError  # noqa: PLC0415

    try:
        engine = open_readonly(folder)
    except StoreError:
        return "unreadable"
    if engine is None:
        return ""
    try:
        from .issues import listing  # noqa: PLC0415

        rows = listing(engine, open_only=True)
    finally:
        engine.dispose()
    return hashlib.sha256(repr(sorted(tuple(sorted(r.items())) for r in rows)).encode()).hexdigest()

"""Opening a store: resolve the URL, refuse databases that are not ours or too new, migrate to the head.

URL: ``--db`` or ``TECHPACK_DB``; a plain path is an SQLite file; the default is
``techpack-records.sqlite`` in the product folder (or the working folder).
PostgreSQL: ``postgresql://user:pass@host/db`` (driver psycopg 3).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from .errors import StoreError
from .tables import store_info

from .pack import DEFAULT_NAME  # noqa: E402 - one name for the default store file
APP = "techpack"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def resolve_url(db: str | None, product_dir: Path | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (a URL or a file path), ``TECHPACK_DB``, or the default file."""
    db = db or os.environ.get("TECHPACK_DB") or str((product_dir or Path.cwd()) / DEFAULT_NAME)
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        if db.startswith(("sqlite:", "postgresql+psycopg:")):
            return db
        raise StoreError(f"unsupported database URL {db.split('://')[0]}://… (use a file path or postgresql://…)")
    return "sqlite:///" + str(Path(db).resolve())


def _script():
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return cfg, ScriptDirectory.from_config(cfg)


def head_revision() -> str:
    return _script()[1].get_current_head()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _check_sqlite_file(url: str) -> None:
    path = Path(url[len("sqlite:///"):])
    if path.is_dir():
        raise StoreError("is a folder, not a techpack store", str(path))
    if path.exists() and path.stat().st_size:
        with path.open("rb") as f:
            if f.read(16) != _SQLITE_MAGIC:
                raise StoreError("not a techpack store (not an SQLite database); nothing changed", str(path))


def _verify(conn: Connection, where: str) -> None:
    """Refuse a database that holds other tables, or a store made by a newer techpack."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    tables = set(inspect(conn).get_table_names())
    if tables and "techpack_store" not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StoreError(f"not a techpack store: it holds other tables ({shown}); nothing changed", where)
    if "techpack_store" in tables:
        app = conn.execute(select(store_info.c.value).where(store_info.c.key == "app")).scalar()
        if app != APP:
            raise StoreError("not a techpack store (no techpack marker); nothing changed", where)
    current = MigrationContext.configure(conn).get_current_revision()
    if current is not None:
        _cfg, script = _script()
        known = {r.revision for r in script.walk_revisions()}
        if current not in known:
            raise StoreError(f"store schema {current} was written by a newer techpack (this one knows up to "
                             f"{script.get_current_head()}); upgrade techpack. Nothing changed", where)


def _migrate(conn: Connection) -> None:
    from alembic import command  # noqa: PLC0415

    cfg, _script_dir = _script()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def display(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    return make_url(url).render_as_string(hide_password=True)


def open_engine(url: str, create: bool = True, migrate: bool = True) -> Engine:
    """An engine on a verified store at the head schema (created when ``create`` and empty).  With
    ``migrate=False`` (``check`` and ``build`` only read) a store at an older schema is an error, not upgraded."""
    where = display(url)
    if url.startswith("sqlite"):
        _check_sqlite_file(url)
        if not create and not Path(url[len("sqlite:///"):]).exists():
            raise StoreError("no store here yet (import or register a pack first)", where)
    engine = create_engine(url, future=True)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as conn:
            _verify(conn, where)
            if not migrate:
                from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

                current = MigrationContext.configure(conn).get_current_revision()
                if current != head_revision():
                    raise StoreError(f"store schema {current} is older than this techpack's "
                                     f"{head_revision()}: run any `techpack records` command to upgrade it", where)
                return engine
            _migrate(conn)
            if conn.execute(select(store_info.c.value).where(store_info.c.key == "app")).scalar() is None:
                conn.execute(store_info.insert(), [{"key": "app", "value": APP},
                                                   {"key": "created", "value": now()}])
    except StoreError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store: {str(exc.orig).strip().splitlines()[0]}", where) from None
    return engine


@contextmanager
def store(db: str | None, product_dir: Path | None = None, create: bool = True):
    engine = open_engine(resolve_url(db, product_dir), create)
    try:
        yield engine
    finally:
        engine.dispose()


def now() -> str:
    """The time now, ISO-8601 UTC (SOURCE_DATE_EPOCH does not apply: this is when a user acted)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")

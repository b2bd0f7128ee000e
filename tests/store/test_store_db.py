"""Opening a store: created and migrated on first use, refused when not ours or written by a newer techpack."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from techpack.store.db import head_revision, open_engine, resolve_url
from techpack.store.errors import StoreError


def test_new_store_is_migrated_to_head_and_marked(engine):
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert {"revision", "batch", "unit", "stage_run", "lot", "lot_use", "measurement", "issue",
                "techpack_store", "alembic_version"} <= tables
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert conn.execute(text("SELECT value FROM techpack_store WHERE key = 'app'")).scalar() == "techpack"


def test_reopening_keeps_data(db, registered):
    registered.dispose()
    e = open_engine(resolve_url(db))
    with e.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM characteristic")).scalar() > 20
    e.dispose()


def test_newer_schema_is_refused_and_left_alone(db, engine):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"schema 9999 was written by a newer techpack .*knows up to 0002"):
        open_engine(resolve_url(db))


def test_database_with_other_tables_is_refused(db):
    from sqlalchemy import create_engine

    e = create_engine(resolve_url(db))
    with e.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total TEXT)"))
    e.dispose()
    with pytest.raises(StoreError, match=r"not a techpack store: it holds other tables \(invoices\)"):
        open_engine(resolve_url(db))
    e = create_engine(resolve_url(db))
    with e.connect() as conn:  # nothing added
        assert set(inspect(conn).get_table_names()) == {"invoices"}
    e.dispose()


def test_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    f = tmp_path / "notes.sqlite"
    f.write_bytes(b"my notes, not a database\n" * 10)
    with pytest.raises(StoreError, match="not a techpack store \\(not an SQLite database\\)"):
        open_engine(resolve_url(str(f)))
    assert f.read_bytes() == b"my notes, not a database\n" * 10


def test_url_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("TECHPACK_DB", raising=False)
    assert resolve_url(None, tmp_path) == f"sqlite:///{tmp_path / 'techpack-records.sqlite'}"
    monkeypatch.setenv("TECHPACK_DB", str(tmp_path / "x.sqlite"))
    assert resolve_url(None, tmp_path) == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert resolve_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    with pytest.raises(StoreError, match="unsupported database URL mysql"):
        resolve_url("mysql://h/d")


def test_migrations_match_the_tables(engine):
    """The Alembic migrations build exactly the schema of tables.py (no drift on either database)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from techpack.store.tables import metadata

    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []

"""Store tests: a built bracket pack (once per session), a fresh store on SQLite and on PostgreSQL,
and helpers that fill the batch record like a PDF reader does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import fill  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TECHPACK_TEST_PG_URL", "")


@pytest.fixture(scope="session")
def bracket_pack(tmp_path_factory) -> Path:
    """The bracket example built once (the real batch-record.pdf, plan.csv and manifest)."""
    from techpack.build import BuildOptions, build

    out = tmp_path_factory.mktemp("bracket-pack") / "out"
    result = build(ROOT / "examples" / "bracket", out, BuildOptions(geometry_timeout=300))
    assert result.written, [str(d) for d in result.diagnostics.sorted()]
    return out


def _pg_available() -> str:
    if not PG_URL:
        return "TECHPACK_TEST_PG_URL is not set (.ci/run starts a local PostgreSQL and sets it)"
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001 - any failure means: no server here
        return f"PostgreSQL at TECHPACK_TEST_PG_URL is not reachable ({type(exc).__name__})"
    return ""


def _reset_pg() -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    """A URL of an empty store location on each database."""
    if request.param == "sqlite":
        return str(tmp_path / "records.sqlite")
    why = _pg_available()
    if why:
        pytest.skip(why)
    _reset_pg()
    return PG_URL


@pytest.fixture
def engine(db):
    from techpack.store.db import open_engine, resolve_url

    e = open_engine(resolve_url(db))
    yield e
    e.dispose()


@pytest.fixture
def registered(engine, bracket_pack):
    from techpack.store.register import register

    register(engine, bracket_pack)
    return engine


_FILLED: dict[frozenset, bytes] = {}


def _fill_cached(blank: Path, out: Path, values: dict[str, str]) -> Path:
    """Filling takes seconds: the same values (SQLite and PostgreSQL runs) are filled once."""
    key = frozenset(values.items())
    if key not in _FILLED:
        fill.fill_pdf(blank, out, values)
        _FILLED[key] = out.read_bytes()
    else:
        out.write_bytes(_FILLED[key])
    return out


@pytest.fixture
def forms(bracket_pack, tmp_path):
    """Helpers: ``forms.pdf(name, values)`` fills the blank record; ``forms.csv(name, rows)``; ``forms.header(...)``."""
    blank = bracket_pack / "batch-record.pdf"
    return SimpleNamespace(
        pdf=lambda name, values: _fill_cached(blank, tmp_path / name, values),
        csv=lambda name, rows: fill.write_csv(tmp_path / name, rows),
        header=fill.header, blank=blank, tmp=tmp_path)


def techpack(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as a user would."""
    return subprocess.run([sys.executable, "-m", "techpack.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture
def cli():
    return techpack



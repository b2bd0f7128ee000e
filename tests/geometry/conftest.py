"""Shared helpers for the geometry tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def write_model(tmp_path: Path):
    """Write a cadquery script (dedented) into tmp_path and return its path."""

    def _write(name: str, source: str) -> Path:
        p = tmp_path / name
        p.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
        return p

    return _write


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"

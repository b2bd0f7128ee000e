"""Shared test fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _isolated_geometry_cache(tmp_path_factory):
    """Tests share one geometry cache of their own, never the user's."""
    if "TECHPACK_CACHE_DIR" not in os.environ:
        os.environ["TECHPACK_CACHE_DIR"] = str(tmp_path_factory.mktemp("techpack-cache"))
    yield


@pytest.fixture
def example(tmp_path):
    """Copy an example folder to a temporary place so a test may change it."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(EXAMPLES / name, dest)
        return dest

    return copy

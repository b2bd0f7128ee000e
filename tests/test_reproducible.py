"""Same inputs, same bytes: every file of the pack, across processes with different hash seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def build(example: Path, out: Path, seed: str, cache: Path, **env_extra) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "TECHPACK_CACHE_DIR": str(cache)}
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(env_extra)
    proc = subprocess.run([sys.executable, "-m", "techpack.cli", "build", str(example), "-o", str(out)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["bracket", "enclosure"])
def test_two_processes_give_identical_packs(name, tmp_path):
    # separate geometry caches too, so the geometry facts are recomputed as well
    first = build(EXAMPLES / name, tmp_path / "a", "1", tmp_path / "cache-a")
    second = build(EXAMPLES / name, tmp_path / "b", "4242", tmp_path / "cache-b")
    assert first.keys() == second.keys()
    differ = [k for k in first if first[k] != second[k]]
    assert not differ, differ
    kinds = {f["kind"] for f in json.loads(first["manifest.json"])["files"]}
    assert kinds  # every kind the registry writes is covered by the comparison above


def test_source_date_epoch_is_honoured_and_changes_only_dated_outputs(tmp_path):
    a = build(EXAMPLES / "bracket", tmp_path / "a", "1", tmp_path / "cache", SOURCE_DATE_EPOCH="1767225600")
    manifest = json.loads(a["manifest.json"])
    assert manifest["source_date"] == "2026-01-01T00:00:00Z"
    b = build(EXAMPLES / "bracket", tmp_path / "b", "2", tmp_path / "cache", SOURCE_DATE_EPOCH="1767225600")
    assert a == b

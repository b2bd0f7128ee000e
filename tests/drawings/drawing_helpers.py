"""Shared constants and helpers of the drawing tests (imported by conftest and the tests)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PARTS = ["TP-1001-01", "TP-2001-01", "TP-3001-01", "TP-3001-02", "TP-3001-03"]


def compile_example(folder: Path):
    from techpack.engine import compile_spec

    comp = compile_spec(folder)
    assert comp.ok, [str(d) for d in comp.diagnostics if d.severity.value == "error"]
    return comp

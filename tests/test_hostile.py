"""The hostile-input corpus: each case under tests/hostile/ is built with `techpack build` in a fresh
process; it must exit with the expected code and message, write nothing outside OUT, and leave no
output folder when it fails.

A case folder holds the spec (and any files it names) and `expect.json`:
``{"exit": 1, "codes": ["TP013"], "message": "substring", "args": [...]}``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "expect.json").is_file())


def tree(root: Path, skip: set[str]) -> dict[str, bytes]:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if rel.parts[0] in skip or "__pycache__" in rel.parts:
            continue
        out[rel.as_posix()] = p.read_bytes() if p.is_file() and not p.is_symlink() else b"<dir>"
    return out


@pytest.mark.parametrize("case", CASES)
def test_hostile_case(case, tmp_path):
    """``expect.json`` may also give ``spec`` and ``out`` (the build's arguments, default ``spec`` and
    ``out``), ``cwd`` (relative to the work folder), ``setup`` (files to create in the work folder
    first) and ``env`` (variables for the build's environment)."""
    expect = json.loads((HOSTILE / case / "expect.json").read_text())
    work = tmp_path / "work"
    shutil.copytree(HOSTILE / case, work / "spec", ignore=shutil.ignore_patterns("expect.json"))
    for rel, text in expect.get("setup", {}).items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text)
    before = tree(tmp_path, {"cache"})
    cwd = work / expect.get("cwd", ".")
    out = expect.get("out", "out")
    env = {**os.environ, "TECHPACK_CACHE_DIR": str(tmp_path / "cache"), "PYTHONHASHSEED": "0", **expect.get("env", {})}
    proc = subprocess.run([sys.executable, "-m", "techpack.cli", "build", expect.get("spec", "spec"), "-o", out,
                           "--format", "json", *expect.get("args", [])],
                          cwd=cwd, capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == expect["exit"], proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout) if proc.stdout.strip() else {"diagnostics": []}
    codes = {d["code"] for d in report["diagnostics"] if d["severity"] == "error"}
    assert set(expect["codes"]) <= codes, report["diagnostics"]
    if expect["message"]:
        assert any(expect["message"] in d["message"] for d in report["diagnostics"]), report["diagnostics"]
    for d in report["diagnostics"]:
        if d["code"] in expect["codes"] and d["file"] and d["code"] not in ("TP007", "TP008"):
            assert d["line"] and d["column"], d  # located (an output-folder finding names the folder)
    after = tree(tmp_path, {"cache"})
    if expect["exit"] != 0:
        assert after == before, "the failed build wrote or changed files"
    else:
        pack = (cwd / out).resolve().relative_to(tmp_path).as_posix()
        assert {k: v for k, v in after.items() if k != pack and not k.startswith(pack + "/")} == before
        assert (cwd / out / "manifest.json").is_file()
    assert not list(tmp_path.rglob("pwned"))


def test_huge_bom_checks_in_bounded_time(tmp_path):
    """50,000 BOM lines: a clean result in seconds, not a hang or a crash."""
    base = (HOSTILE / "pn-case-collision" / "techpack.yaml").read_text()
    head, _, _ = base.partition("parts:\n")
    lines = [head, "bom:\n"]
    lines += [f'  - {{item: "{i}", purchased: {{description: Screw, standard: ISO 4762 M4x{8 + i % 30} A2-70}}, '
              f"quantity: {1 + i % 9}}}\n" for i in range(50_000)]
    lines.append("packaging: {unit_pack: bag}\nproduction: {sample_batch: 12, pp_sample: {quantity: 5}, "
                 "production_quantity: 300}\n")
    (tmp_path / "techpack.yaml").write_text("".join(lines))
    proc = subprocess.run([sys.executable, "-m", "techpack.cli", "check", str(tmp_path), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert json.loads(proc.stdout)["summary"]["errors"] == 0

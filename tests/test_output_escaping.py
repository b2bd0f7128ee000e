"""File names and messages reach every output format escaped: no raw newline (a GitHub Actions
workflow command on the next line), ESC/BEL (the terminal), bidi override or zero-width character."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from techpack.diagnostics import Diagnostic, Location, Severity
from techpack.formatters import FORMATTERS, visible

VALID = Path(__file__).resolve().parent / "cases" / "_valid" / "techpack.yaml"
EVIL_NAME = "inc\n::warning file=x.py::pwned\x1b[31m\x07\u202e.yaml"
EVIL_TEXT = "bad \x1b]0;title\x07 \u202eevil\u200b\r\n::error::forged"
BAD_CHARS = [chr(c) for c in (*range(0, 9), *range(11, 32), 0x7F, 0x9B, 0x202E, 0x200B, 0x2028)]


def diags():
    return [Diagnostic("TP013", Severity.ERROR, EVIL_TEXT, Location(EVIL_NAME, 3, 4), subject="P-1/x")]


def test_visible_is_one_line_with_escapes():
    assert visible("a\nb\x1b\u202e") == "a\\nb\\x1b\\u202e"
    assert visible("Ø12 H7 ±0.05 — 部品") == "Ø12 H7 ±0.05 — 部品"  # ordinary text is left alone


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_no_raw_control_or_bidi_character(fmt):
    out = FORMATTERS[fmt](diags())
    assert not any(c in out for c in BAD_CHARS), repr(out)
    assert not any(line.lstrip().startswith("::") and fmt != "github" for line in out.splitlines())
    if fmt == "github":
        assert len(out.splitlines()) == 1 and out.startswith("::error ")
    if fmt in ("json", "sarif"):
        doc = json.loads(out)  # escaped, not lost: the values decode to the originals
        if fmt == "json":
            assert doc["diagnostics"][0]["file"] == EVIL_NAME
            assert doc["diagnostics"][0]["message"] == EVIL_TEXT
        else:
            res = doc["runs"][0]["results"][0]
            assert res["message"]["text"] == EVIL_TEXT


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a file name with a newline")
@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_included_file_named_like_a_workflow_command(tmp_path, fmt):
    spec = tmp_path / "spec"
    spec.mkdir()
    shutil.copy(VALID, spec / "techpack.yaml")
    with open(spec / "techpack.yaml", "a", encoding="utf-8") as fh:
        fh.write("include: ['inc*.yaml']\n")
    (spec / EVIL_NAME).write_text("waivers:\n  - {code: TP999, unknown_key: 1}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "techpack.cli", "check", str(spec), "--no-geometry",
                           "--format", fmt], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "pwned" in proc.stdout  # the file is named in the output...
    assert not any(c in proc.stdout for c in BAD_CHARS)  # ...escaped
    lines = proc.stdout.splitlines()
    assert not any(ln.startswith("::warning") for ln in lines)

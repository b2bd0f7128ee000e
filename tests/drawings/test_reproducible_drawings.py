"""Byte-identical DXF and SVG across processes with different hash seeds, and listed in the manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from drawing_helpers import EXAMPLES

SCRIPT = """
import sys
from pathlib import Path
from techpack.build import build
from techpack.renderers import RENDERERS
result = build(Path(sys.argv[1]), Path(sys.argv[2]), renderers={"drawings": RENDERERS["drawings"]})
assert result.written, [str(d) for d in result.diagnostics]
"""


def _build(example, out, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(example), str(out)], capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_processes_write_the_same_bytes(tmp_path):
    for name in ("bracket", "enclosure"):
        first = _build(EXAMPLES / name, tmp_path / f"{name}-a", "0")
        second = _build(EXAMPLES / name, tmp_path / f"{name}-b", "977")
        assert first.keys() == second.keys()
        assert [k for k in first if first[k] != second[k]] == []
        drawings = sorted(k for k in first if k.startswith("drawings/"))
        assert drawings, first.keys()
        manifest = json.loads(first["manifest.json"])
        listed = {f["path"]: f["kind"] for f in manifest["files"]}
        for path in drawings:
            assert listed[path] == ("drawing-dxf" if path.endswith(".dxf") else "drawing-svg")
        dxf = first[drawings[0]] if drawings[0].endswith(".dxf") else first[drawings[1]]
        assert b"AC1027" in dxf[:2000]  # R2013


def _header(data: bytes, name: str) -> str:
    """A header variable's value as written (ezdxf resets the dates when it loads a file)."""
    lines = data.decode("utf-8").splitlines()
    i = lines.index(name)
    return lines[i + 2].strip()


def test_the_dxf_carries_the_build_date_not_the_clock(written, sheets):
    from ezdxf.tools.juliandate import calendardate

    comp, _part, _sheet = sheets["TP-1001-01"]
    data = written["TP-1001-01"][0].read_bytes()
    for var in ("$TDCREATE", "$TDUPDATE"):
        assert calendardate(float(_header(data, var))).date() == comp.date.date()
    assert _header(data, "$FINGERPRINTGUID") != "{00000000-0000-0000-0000-000000000000}"
    assert b"@ 20" not in data  # no ezdxf time stamp

"""Flat patterns: developed length = flats + BA (analytic), the DXF at 1:1 that readers take as drawn."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from techpack.sheetmetal.bending import bend_allowance, din_k, din_k_cad
from techpack.sheetmetal.dxf import loops, write_flat_dxf
from techpack.sheetmetal.flat import load_flat

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sheet-bracket"
SHARED = ROOT.parent / "shared" / "standards" / "din6935_k_factor_examples.csv"
DATE = dt.datetime(2026, 4, 14, tzinfo=dt.timezone.utc)

# An L of thickness T, inside radius R, bend angle THETA: base L1 and flange L2 (flat lengths on the
# inside, from the tangent lines), width W, the bend axis along Y.
MODEL = """
import math
import cadquery as cq
T, R, THETA, L1, L2, W = {t}, {r}, math.radians({theta}), {l1}, {l2}, {w}
c = (0.0, T + R)  # bend centre in XZ
def at(rad, a):
    return (c[0] + rad * math.sin(a), c[1] - rad * math.cos(a))
d = (math.cos(THETA), math.sin(THETA))
o_end, i_end = at(R + T, THETA), at(R, THETA)
prof = (cq.Workplane("XZ").moveTo(-L1, 0).lineTo(0, 0)
        .threePointArc(at(R + T, THETA / 2), o_end)
        .lineTo(o_end[0] + L2 * d[0], o_end[1] + L2 * d[1])
        .lineTo(i_end[0] + L2 * d[0], i_end[1] + L2 * d[1])
        .lineTo(*i_end)
        .threePointArc(at(R, THETA / 2), (0, T))
        .lineTo(-L1, T).close())
result = prof.extrude(-W)
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("flat-cache")


@pytest.mark.parametrize("theta,r,t,k", [(90, 2.0, 2.0, 0.325), (45, 1.5, 1.0, 0.42), (135, 3.0, 1.5, 0.3)])
def test_developed_length_is_flats_plus_bend_allowance(theta, r, t, k, tmp_path, cache):
    l1, l2, w = 40.0, 25.0, 30.0
    model = tmp_path / "l.py"
    model.write_text(textwrap.dedent(MODEL.format(t=t, r=r, theta=theta, l1=l1, l2=l2, w=w)), encoding="utf-8")
    flat = load_flat(model, "cadquery", k, cache_dir=cache)
    assert flat.problems == () and not flat.not_sheet
    assert flat.thickness == pytest.approx(t, abs=1e-6)
    (b,) = flat.bends
    ba = math.pi / 180 * theta * (r + k * t)  # BA = π/180·θ·(r + K·t)
    assert b.angle == pytest.approx(theta, abs=1e-6) and b.radius == pytest.approx(r, abs=1e-6)
    assert b.direction == "up" and b.length == pytest.approx(w, abs=1e-6)
    assert abs(b.ba - ba) < 0.01
    assert abs(flat.size[0] - (l1 + l2 + ba)) < 0.01  # the developed length
    assert flat.size[1] == pytest.approx(w, abs=1e-6)
    assert sorted(b.flanges) == pytest.approx(sorted([l1, l2]), abs=1e-6)
    # the bend line lies in the middle of the zone, the zone is BA wide and starts where the base ends
    (lo, hi), (lo2, _hi2) = b.tangents
    assert abs(lo2[0] - lo[0]) == pytest.approx(ba, abs=1e-3)
    assert min(lo[0], lo2[0]) == pytest.approx(l1, abs=1e-3)
    assert b.line[0][0] == pytest.approx(l1 + ba / 2, abs=1e-3)


def test_example_bracket_flat(cache):
    flat = load_flat(EXAMPLE / "geometry" / "bracket.py", "cadquery", 0.325, cache_dir=cache)
    (b,) = flat.bends
    ba = bend_allowance(90, 2.0, 0.325, 2.0)
    assert abs(flat.size[0] - (56 + 28 + ba)) < 0.01
    assert len(flat.holes) == 4 and {r for _c, r in flat.holes} == {2.75}
    slots = loops([p for p, inner in zip(flat.outline, flat.inner) if inner])
    assert len(slots) == 1  # the full-radius slot, one closed loop
    xs, ys = [p[0] for p in slots[0]], [p[1] for p in slots[0]]
    assert max(ys) - min(ys) == pytest.approx(16, abs=1e-3) and max(xs) - min(xs) == pytest.approx(6, abs=1e-3)
    # slot centre 20 above the underside = 20 - (R + T) = 16 along the flange's inner flat, after the bend zone
    assert (min(xs) + max(xs)) / 2 == pytest.approx(56 + ba + 16, abs=1e-3)


def test_din_k_matches_the_shared_test_vectors():
    rows = SHARED.read_text(encoding="utf-8").splitlines()[1:]
    for row in rows:
        ratio, k_din, k_cad = row.split(",")[:3]
        assert din_k(Decimal(ratio), Decimal(1)) == Decimal(k_din)
        assert din_k_cad(Decimal(ratio), Decimal(1)) == Decimal(k_cad)
        assert din_k_cad(Decimal(ratio) * 2, Decimal(2)) == Decimal(k_cad)  # r/t, not r


def test_flat_dxf_is_true_size_layered_and_reads_clean(cache, tmp_path):
    import ezdxf

    flat = load_flat(EXAMPLE / "geometry" / "bracket.py", "cadquery", 0.325, cache_dir=cache)
    data = write_flat_dxf(flat, "TP-4001-01 flat", DATE)
    assert data == write_flat_dxf(flat, "TP-4001-01 flat", DATE)  # reproducible
    path = tmp_path / "flat.dxf"
    path.write_bytes(data)
    doc = ezdxf.readfile(path)
    auditor = doc.audit()
    assert not auditor.has_errors and not auditor.has_fixes
    assert doc.header["$INSUNITS"] == 4
    msp = doc.modelspace()
    cut = msp.query('*[layer=="CUT"]')
    assert {e.dxftype() for e in cut} == {"LWPOLYLINE", "CIRCLE"}
    outer = max((e for e in cut if e.dxftype() == "LWPOLYLINE"), key=lambda e: max(p[0] for p in e.get_points("xy")))
    assert outer.closed
    xs = [p[0] for p in outer.get_points("xy")]
    ys = [p[1] for p in outer.get_points("xy")]
    assert max(xs) - min(xs) == pytest.approx(flat.size[0], abs=1e-6)  # 1:1 in model space
    assert max(ys) - min(ys) == pytest.approx(40, abs=1e-6)
    (bend,) = msp.query('LINE[layer=="BEND-UP"]')
    assert bend.dxf.start.x == pytest.approx(flat.bends[0].line[0][0], abs=1e-6)
    assert doc.layers.get("BEND-UP").dxf.linetype == "DASHED"
    notes = " ".join(e.dxf.text for e in msp.query('TEXT[layer=="NOTES"]'))
    assert "B1 UP 90° R2 K0.325" in notes and "4.163" in notes  # label and bend table (BA)
    if shutil.which("ogrinfo"):
        proc = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0 and "ERROR" not in proc.stderr, proc.stderr

"""The DXF as a supplier's software reads it: ezdxf audit, GDAL ogrinfo, LibreCAD dxf2pdf."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter

import ezdxf
import pytest
from ezdxf.tools.text import plain_mtext

from drawing_helpers import PARTS


@pytest.mark.parametrize("pn", PARTS)
def test_ezdxf_audit_finds_no_error(written, pn):
    doc = ezdxf.readfile(written[pn][0])
    assert doc.dxfversion >= "AC1027"  # R2013 or newer
    auditor = doc.audit()
    assert not auditor.errors, [str(e) for e in auditor.errors]
    assert not auditor.fixes, [str(e) for e in auditor.fixes]


def test_dimensions_are_dimension_entities_where_a_regenerating_reader_draws_them_as_drawn(written, sheets):
    """A value centred between its extension lines is a DIMENSION entity with the spec text; one a
    regenerating reader would move (value past the line's end, angles, hole callouts) is geometry."""
    from techpack.drawings.dxf import regenerates

    for pn, (_comp, _part, sheet) in sheets.items():
        doc = ezdxf.readfile(written[pn][0])
        dims = doc.modelspace().query("DIMENSION")
        expected = [d for d in sheet.dimensions if regenerates(d)]
        assert len(dims) == len(expected), pn
        assert {d.dxf.text for d in dims} == {"\\P".join(d.text.split("\n")) for d in expected}, pn
        assert all(d.dimtype & 0x0F == 0 for d in dims)  # linear
        for d in dims:
            block = doc.blocks.get(d.dxf.geometry)
            assert block is not None and len(block) > 0
            assert d.dxf.dimtype & 128  # the text is at the user's position (its midpoint)
        texts = {plain_mtext(m.text) for m in doc.modelspace().query("MTEXT")}
        for d in sheet.dimensions:
            if not regenerates(d):  # drawn as geometry: its value is there as text
                for line in d.text.split("\n"):
                    assert line in texts, (pn, line)
    bracket = {d.dxf.text for d in ezdxf.readfile(written["TP-1001-01"][0]).modelspace().query("DIMENSION")}
    assert {"80 ±0.1", "40 ±0.1"} <= bracket
    shaft = ezdxf.readfile(written["TP-2001-01"][0])
    assert "84 ±0.05" in {d.dxf.text for d in shaft.modelspace().query("DIMENSION")}
    texts = {plain_mtext(m.text) for m in shaft.modelspace().query("MTEXT")}
    assert {"Ø20 k6", "(+0.015/+0.002)"} <= texts  # fit code with its limits, beside its dimension
    holes = {plain_mtext(m.text) for m in ezdxf.readfile(written["TP-1001-01"][0]).modelspace().query("MTEXT")}
    assert {"Ø12 H7 (+0.018/0) THRU", "4× Ø6.6 ±0.1 THRU"} <= holes


def test_a_dimension_measures_the_model_at_true_size(written, sheets):
    """DIMLFAC is 1: every DIMENSION's definition points are its measurement apart in model space."""
    import math

    for pn, (_comp, _part, sheet) in sheets.items():
        doc = ezdxf.readfile(written[pn][0])
        assert doc.dimstyles.get("TECHPACK").dxf.dimlfac == 1.0
        for d in doc.modelspace().query("DIMENSION"):
            a = math.radians(d.dxf.angle)
            p1, p2 = d.dxf.defpoint2, d.dxf.defpoint3
            span = abs((p2.x - p1.x) * math.cos(a) + (p2.y - p1.y) * math.sin(a))
            assert span == pytest.approx(d.dxf.actual_measurement, abs=2e-3), (pn, d.dxf.text)


def test_every_layer_has_its_linetype(written):
    doc = ezdxf.readfile(written["TP-1001-01"][0])
    layers = {layer.dxf.name: layer.dxf.linetype for layer in doc.layers}
    assert layers["HIDDEN"] == "HIDDEN" and layers["CENTER"] == "CENTER"
    used = Counter(e.dxf.layer for e in doc.modelspace())
    assert used["VISIBLE"] and used["HIDDEN"] and used["CENTER"]


def test_text_is_what_the_spec_says(written):
    doc = ezdxf.readfile(written["TP-1001-01"][0])
    texts = {plain_mtext(m.text) for m in doc.modelspace().query("MTEXT")}
    assert "bore.position" in texts and "note.1" in texts
    assert "Sensor mounting bracket" in " ".join(texts)


@pytest.mark.parametrize("pn", PARTS)
def test_ogrinfo_reads_the_sheet(written, pn):
    if shutil.which("ogrinfo") is None:
        pytest.skip("GDAL's ogrinfo is not installed")
    proc = subprocess.run(["ogrinfo", "--config", "DXF_ENCODING", "UTF-8", "-q", str(written[pn][0]), "entities"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "ERROR" not in proc.stderr
    assert "Layer (String) = VISIBLE" in proc.stdout
    assert "Layer (String) = DIMENSIONS" in proc.stdout
    assert f"Text (String) = {pn}" in proc.stdout


@pytest.mark.parametrize("pn", PARTS)
def test_librecad_renders_the_sheet(written, pn, tmp_path):
    if shutil.which("librecad") is None:
        pytest.skip("LibreCAD is not installed")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(["librecad", "dxf2pdf", "-a", "-t", str(tmp_path), str(written[pn][0])],
                          capture_output=True, text=True, timeout=180, env=env)
    pdf = tmp_path / f"{pn}.pdf"
    assert pdf.is_file(), proc.stdout + proc.stderr
    assert pdf.stat().st_size > 5000
    if shutil.which("pdftoppm"):
        png = tmp_path / "page"
        subprocess.run(["pdftoppm", "-r", "20", "-gray", "-singlefile", str(pdf), str(png)], check=True, timeout=60)
        data = (tmp_path / "page.pgm").read_bytes()
        dark = sum(1 for b in data[-50000:] if b < 128)
        assert dark > 200  # ink on the page, not a blank sheet

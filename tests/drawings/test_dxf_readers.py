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


def _dimension_kinds(path) -> Counter:
    doc = ezdxf.readfile(path)
    return Counter(d.dimtype & 0x0F for d in doc.modelspace().query("DIMENSION"))


def test_dimensions_are_real_dimension_entities_with_the_spec_text(written):
    kinds = _dimension_kinds(written["TP-1001-01"][0])
    assert kinds[0] >= 10  # linear (incl. the basic ones)
    holes = {d.dxf.text for d in ezdxf.readfile(written["TP-1001-01"][0]).modelspace().query("DIMENSION")
             if d.dimtype & 0x0F == 3}
    assert holes == {"Ø12 H7 (+0.018/0) THRU", "4× Ø6.6 ±0.1 THRU"}  # hole sizes are diameter dimensions
    shaft = ezdxf.readfile(written["TP-2001-01"][0]).modelspace().query("DIMENSION")
    across = [d for d in shaft if d.dxf.text.startswith("Ø") and d.dxf.angle == 90]
    assert len(across) == 4  # four diameters across the shaft, linear with their Ø
    assert _dimension_kinds(written["TP-3001-01"][0])[2] == 2  # the two bend angles
    doc = ezdxf.readfile(written["TP-2001-01"][0])
    texts = {d.dxf.text for d in doc.modelspace().query("DIMENSION")}
    assert "Ø20 k6\\P(+0.015/+0.002)" in texts  # fit code with its limits
    assert "84 ±0.05" in texts
    for d in doc.modelspace().query("DIMENSION"):
        block = doc.blocks.get(d.dxf.geometry)
        assert block is not None and len(block) > 0


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

"""PDF/A-3b by default, with the spec, capability data, models and DXF drawings attached; plain PDF on request."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pypdf

from .conftest import EXAMPLES, ROOT, fakes


def xmp(reader: pypdf.PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_default_is_pdf_a_3b_with_xmp_and_output_intent(built):
    reader = pypdf.PdfReader(built("bracket"))
    assert reader.pdf_header == "%PDF-1.7"
    meta = xmp(reader)
    assert re.search(r'pdfaid:part="3"', meta) and re.search(r'pdfaid:conformance="B"', meta)
    assert "<dc:title>" in meta and "TP-1001 Sensor mounting bracket" in meta
    assert "2026-03-02T00:00:00Z" in meta  # the build date, not the time of the build
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0]["/S"] == "/GTS_PDFA1"
    assert "sRGB" in intents[0]["/OutputConditionIdentifier"]
    assert intents[0]["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # an ICC profile


def test_attachments_hold_spec_capability_models_and_dxf(built):
    folder = EXAMPLES / "enclosure"
    reader = pypdf.PdfReader(built("enclosure", drawings=True))
    attached = {name: data[0] for name, data in reader.attachments.items()}
    expected = {
        "spec/techpack.yaml": (folder / "techpack.yaml").read_bytes(),
        "spec/parts/body.yaml": (folder / "parts" / "body.yaml").read_bytes(),
        "spec/parts/lid.yaml": (folder / "parts" / "lid.yaml").read_bytes(),
        "spec/parts/standoff.yaml": (folder / "parts" / "standoff.yaml").read_bytes(),
        "capability/default-capability.yaml": (ROOT / "compiler" / "data" / "default-capability.yaml").read_bytes(),
        "models/geometry/body.py": (folder / "geometry" / "body.py").read_bytes(),
        "drawings/TP-3001-02.dxf": fakes.dxf_bytes("TP-3001-02"),
    }
    for name, data in expected.items():
        assert attached.get(name) == data, name
    assert sorted(n for n in attached if n.startswith("drawings/")) == [
        "drawings/TP-3001-01.dxf", "drawings/TP-3001-02.dxf", "drawings/TP-3001-03.dxf"]
    # every embedded file is declared associated (PDF/A-3) and listed, with its hash, in the document
    root = reader.trailer["/Root"]
    assert len({ref.idnum for ref in root["/AF"]}) == len(attached)
    text = "".join(p.extract_text() for p in reader.pages)
    for name, data in attached.items():
        assert hashlib.sha256(data).hexdigest()[:20] in text.replace("\n", "")


def test_without_drawings_there_is_no_dxf_attachment(built):
    names = set(pypdf.PdfReader(built("bracket")).attachments)
    assert names == {"spec/techpack.yaml", "capability/default-capability.yaml", "models/geometry/bracket.py"}


def test_no_pdf_a_gives_a_plain_pdf_without_attachments(built):
    reader = pypdf.PdfReader(built("bracket", pdf_a=False))
    assert not reader.attachments
    assert "/OutputIntents" not in reader.trailer["/Root"]
    root = reader.trailer["/Root"]
    if "/Metadata" in root:
        assert "pdfaid" not in xmp(reader)
    assert "Attached files" not in "".join(p.extract_text() for p in reader.pages)
    assert Path(built("bracket", pdf_a=False)).stat().st_size < Path(built("bracket")).stat().st_size

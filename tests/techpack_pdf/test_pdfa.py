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
    assert len(root["/AF"]) == len(attached)  # each file once (WeasyPrint alone lists each twice)
    text = "".join(p.extract_text() for p in reader.pages)
    for name, data in attached.items():
        assert hashlib.sha256(data).hexdigest()[:20] in text.replace("\n", "")
    # real media types: YAML is application/yaml (RFC 9512), not application/octet-stream
    types = {}
    for spec in root["/AF"]:
        spec = spec.get_object()
        types[str(spec["/F"])] = str(spec["/EF"]["/F"].get_object()["/Subtype"])
    assert types["spec/parts/body.yaml"] == "/application/yaml"
    assert types["models/geometry/body.py"] == "/text/x-python"
    assert types["drawings/TP-3001-02.dxf"] == "/image/vnd.dxf"
    # the spec hash printed on the forms is recomputable from the attachments alone (docs/identity.md)
    lines = sorted((name[len("spec/"):], hashlib.sha256(data).hexdigest()) for name, data in attached.items()
                   if name.startswith("spec/"))
    listing = "".join(f"{digest}  {path}\n" for path, digest in lines)
    spec_hash = hashlib.sha256(listing.encode()).hexdigest()
    assert spec_hash in text.replace("\n", "").replace(" ", "")


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


def test_the_embedded_files_name_tree_is_sorted(built):
    """ISO 32000-1, 7.9.6: a name tree's keys are in lexical order (a reader looks a name up by bisection).
    WeasyPrint lists the attachments in the order they were given (the spec first, the drawings last); the
    merged PDF sorts them, and qpdf reads the tree without a repair."""
    import pikepdf

    with pikepdf.open(built("enclosure", drawings=True)) as pdf:
        tree = pdf.Root.Names.EmbeddedFiles
        assert "/Kids" not in tree
        keys = [bytes(key) for key in list(tree.Names)[0::2]]
        assert len(keys) > 5 and keys == sorted(keys)
        assert {key.decode() for key in keys} == set(pikepdf.NameTree(tree).keys())
        assert not [w for w in pdf.check_pdf_syntax() if "tree" in w.lower()]

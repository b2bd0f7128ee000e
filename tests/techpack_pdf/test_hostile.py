"""No spec string can inject markup or make WeasyPrint read a file: hostile text shows literally, nothing leaks."""

from __future__ import annotations

import io
import secrets
import shutil
from pathlib import Path

import pypdf
import pytest

from techpack.engine import Options, compile_spec
from techpack.renderers.base import Output
from techpack.techpack_pdf import render_document, render_html

from .conftest import EXAMPLES, build_pdf, fakes, pdftotext

PASSWD = Path("/etc/passwd")
HOSTNAME = Path("/etc/hostname")


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def hostile(tmp_path):
    """The bracket with hostile text in many fields; secrets planted outside the product folder."""
    token = secrets.token_hex(16)
    secret = tmp_path / "secret.txt"
    secret.write_text(f"SECRET-{token}\n", encoding="utf-8")
    folder = tmp_path / "product"
    folder.mkdir()
    spec = (EXAMPLES / "bracket" / "techpack.yaml").read_text(encoding="utf-8")
    (folder / "geometry").mkdir()
    for f in (EXAMPLES / "bracket" / "geometry").iterdir():
        (folder / "geometry" / f.name).write_bytes(f.read_bytes())
    payloads = {
        "link": "<link rel=attachment href=file:///etc/passwd>",
        "img": "<img src=file:///etc/hostname>",
        "css": "<style>@import url(file:///etc/passwd); body { background: url(file:///etc/passwd) }</style>",
        "inline": '<p style="background-image: url(\'file:///etc/passwd\')">x</p>',
        "relative": f"<img src=../secret.txt><link rel=attachment href=../secret.txt><img src=file://{secret}>",
        "js": "<a href=javascript:alert(1)>click</a><script>alert(1)</script>",
        "svg": f"<svg><image href=\"file://{secret}\"/></svg>",
        "close": "</td></tr></table></section><h1>Injected heading</h1>",
    }
    edits = [
        ("  name: Sensor mounting bracket\n", f"  name: {_yaml_text('Bracket ' + payloads['link'])}\n"),
        ("  owner: Northfield Instruments Ltd\n", f"  owner: {_yaml_text(payloads['css'])}\n"),
        ("    name: Dana Whitlock\n", f"    name: {_yaml_text(payloads['img'])}\n"),
        ("      description: First release for prototypes.\n",
         f"      description: {_yaml_text(payloads['relative'])}\n"),
        ("    certificate: EN 10204 3.1\n", f"    certificate: {_yaml_text(payloads['inline'])}\n"),
        ("    notes: Mask the Ø12 H7 bore with a plug; seal in hot water.\n",
         f"    notes: {_yaml_text(payloads['js'])}\n"),
        ("  description: >-\n    L-shaped bracket that carries a 12 mm sensor barrel in its centre bore and\n"
         "    mounts to the machine frame with four M6 screws.\n", f"  description: {_yaml_text(payloads['svg'])}\n"),
        ("      - No burrs in the Ø12 bore.\n", "      - \"<b>No</b> burrs in the <i>Ø12</i> bore.\"\n"),
        ("  unit_pack: VCI bag, one bracket per bag\n", f"  unit_pack: {_yaml_text(payloads['close'])}\n"),
    ]
    for old, new in edits:
        assert old in spec, old
        spec = spec.replace(old, new, 1)
    (folder / "techpack.yaml").write_text(spec, encoding="utf-8")
    return folder, payloads, token


def _streams(reader: pypdf.PdfReader) -> bytes:
    """Every stream of the file, decompressed, concatenated."""
    out = []
    for num in range(1, reader.trailer["/Size"]):
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001 - free or damaged entries are not streams
            continue
        if isinstance(obj, pypdf.generic.StreamObject):
            out.append(obj.get_data())
    return b"\n".join(out)


def _leaks(pdf: bytes, reader: pypdf.PdfReader, text: str, token: str) -> list[str]:
    found = []
    passwd_line = PASSWD.read_text().splitlines()[0] if PASSWD.is_file() else None
    hostname = HOSTNAME.read_text().strip() if HOSTNAME.is_file() else ""
    haystacks = {"raw": pdf, "streams": _streams(reader), "text": text.encode(),
                 "attachments": b"".join(d for v in reader.attachments.values() for d in v)}
    for where, hay in haystacks.items():
        if token.encode() in hay:
            found.append(f"secret in {where}")
        if passwd_line and passwd_line.encode() in hay:
            found.append(f"/etc/passwd in {where}")
        if len(hostname) >= 8 and f"\n{hostname}\n".encode() in hay:
            found.append(f"/etc/hostname in {where}")
    return found


def test_hostile_text_is_escaped_in_the_html(hostile):
    folder, payloads, _ = hostile
    comp = compile_spec(folder, Options())
    assert comp.ok, [d.message for d in comp.diagnostics if d.severity.value == "error"]
    html, _ = render_html(comp)
    for payload in payloads.values():
        assert payload not in html
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in html
    assert "<script" not in html and "javascript:" not in html.replace("javascript:alert", "")
    assert "<h1>Injected heading</h1>" not in html


def test_nothing_is_fetched_and_nothing_leaks(hostile):
    folder, payloads, token = hostile
    comp = compile_spec(folder, Options())
    pdf, refused = render_document(comp)
    assert refused == []  # no hostile string even became a request
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert not _leaks(pdf, reader, text, token)
    # the only attachments are the product's own files
    assert set(reader.attachments) == {"spec/techpack.yaml", "capability/default-capability.yaml",
                                       "models/geometry/bracket.py"}


def test_hostile_text_shows_literally_in_the_pdf(hostile, tmp_path):
    folder, payloads, token = hostile
    build_pdf(folder, tmp_path / "out")
    pdf_path = tmp_path / "out" / "techpack.pdf"
    text = "".join(pdftotext(pdf_path).split())
    for name in ("link", "img", "css", "js", "svg", "close", "relative"):
        assert "".join(payloads[name].split()) in text, name
    assert not _leaks(pdf_path.read_bytes(), pypdf.PdfReader(pdf_path), text, token)


def test_a_drawing_that_references_files_fetches_nothing(tmp_path):
    """Even a hostile SVG from a renderer goes through the restricted fetcher: refused, nothing leaks."""
    token = secrets.token_hex(16)
    secret = tmp_path / "secret.txt"
    secret.write_text(f"SECRET-{token}\n", encoding="utf-8")
    folder = tmp_path / "bracket"
    shutil.copytree(EXAMPLES / "bracket", folder)
    extra = (f'<image x="0" y="0" width="10" height="10" href="file://{secret}"/>'
             '<image x="0" y="0" width="10" height="10" xlink:href="file:///etc/passwd"/>'
             '<image x="0" y="0" width="10" height="10" href="../secret.txt"/>'
             '<image x="0" y="0" width="10" height="10" href="http://127.0.0.1:9/x.png"/>')
    comp = compile_spec(folder, Options())
    drawings = fakes.FakeDrawings(extra=extra)
    targets = drawings.targets(comp)
    (tmp_path / "stage").mkdir()
    out = Output(tmp_path / "stage", {t.path: t for t in targets})
    drawings.render(comp, out, targets)
    pdf, refused = render_document(comp, out)
    assert f"file://{secret}" in refused and "file:///etc/passwd" in refused
    assert any(u.startswith("http://") for u in refused)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert not _leaks(pdf, reader, text, token)
    assert "FAKE SHEET TP-1001-01" in text  # the sheet itself still renders
    assert set(reader.attachments) == {"spec/techpack.yaml", "capability/default-capability.yaml",
                                       "models/geometry/bracket.py", "drawings/TP-1001-01.dxf"}

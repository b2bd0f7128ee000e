"""SVG text drawn whole (techpack.svgtext): which texts, where they land, and that they are one run each."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from xml.etree import ElementTree

import pytest

from techpack import svgtext
from techpack.pdf import render_pdf

DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _nodes(body: str) -> dict:
    """WeasyPrint's SVG nodes of an SVG whose elements carry ids, by id."""
    from weasyprint.svg import SVG

    svg = SVG(ElementTree.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>'), None, None)
    found, todo = {}, [svg.tree]
    while todo:
        node = todo.pop()
        if node.get("id"):
            found[node.get("id")] = node
        todo += list(node)
    return found


def test_which_texts_are_drawn_whole():
    nodes = _nodes(
        '<text id="plain" x="1" y="2">Plate 0</text>'
        '<text id="anchored" x="1" y="2" text-anchor="middle" transform="rotate(-90 1 2)">12 ±0.1</text>'
        '<text id="xs" x="1 2 3" y="2">abc</text>'
        '<text id="ys" x="1" y="2,3">abc</text>'
        '<text id="dx" x="1" y="2" dx="1">abc</text>'
        '<text id="rotate" x="1" y="2" rotate="10">abc</text>'
        '<text id="length" x="1" y="2" textLength="30">abc</text>'
        '<g letter-spacing="2"><text id="spaced" x="1" y="2">abc</text></g>'
        '<text id="rtl" x="1" y="2" direction="rtl">abc</text>'
        '<text id="empty" x="1" y="2"></text>'
        '<text id="parent" x="1" y="2">Hello <tspan id="span">world</tspan></text>')
    whole = {name for name, node in nodes.items() if svgtext.whole(node)}
    # "parent" ends with the space before its tspan: its width stays WeasyPrint's letter-by-letter one
    assert whole == {"plain", "anchored", "span"}


def test_known_is_the_source_not_the_name():
    def text(svg, node, font_size):  # same name, other code
        return None

    assert not svgtext.known(text)
    assert not svgtext.known(None)


def _sheet_pdf(body: str) -> bytes:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="40mm" viewBox="0 0 100 40">'
           f'<g font-family="DejaVu Sans" font-size="5">{body}</g></svg>')
    url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    html = ('<html><head><style>@page { size: 100mm 40mm; margin: 0 } body { margin: 0 } '
            'img { display: block }</style></head>'
            f'<body><img src="{url}" style="width:100mm;height:40mm"></body></html>')
    data, _refused = render_pdf(html, roots=[], date=DATE)
    return data


def _text_runs(data: bytes) -> int:
    """Text-showing operators in the page and the forms it draws."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    streams, todo = [], [pdf.pages[0].obj]
    while todo:
        holder = todo.pop()
        streams.append(holder.Contents.read_bytes() if "/Contents" in holder else holder.read_bytes())
        for xobject in holder.get("/Resources", {}).get("/XObject", {}).values():
            todo.append(xobject)
    return sum(len(re.findall(rb"(?:TJ|Tj)\s", s)) for s in streams)


@pytest.mark.skipif(not svgtext.install(), reason="this WeasyPrint's SVG text drawing is not the one "
                                                  "techpack.svgtext was written against: it draws it letter by letter")
def test_a_text_is_one_run():
    assert _text_runs(_sheet_pdf('<text x="10" y="20">AVATAR</text>')) == 1
    # a text that places its glyphs keeps WeasyPrint's letter-by-letter drawing
    assert _text_runs(_sheet_pdf('<text x="10 20 30 40 50 60" y="20">AVATAR</text>')) == 6


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize(("anchor", "edge"), [("start", "xMin"), ("middle", "middle"), ("end", "xMax")])
def test_a_text_lands_at_its_anchor(tmp_path, anchor, edge):
    """The whole text keeps WeasyPrint's placing: start at x, middle centred on x, end ending at x; its word
    reads as one (letter by letter, a reader may see the letters apart)."""
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(_sheet_pdf(f'<text x="50" y="20" text-anchor="{anchor}">Tolerancing ISO</text>'))
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = {m["word"]: m for m in re.finditer(
        r'<word xMin="(?P<xMin>[0-9.]+)" yMin="[0-9.]+" xMax="(?P<xMax>[0-9.]+)" yMax="[0-9.]+">(?P<word>[^<]+)</word>',
        out)}
    assert set(words) == {"Tolerancing", "ISO"}
    mm = 72 / 25.4
    left, right = float(words["Tolerancing"]["xMin"]) / mm, float(words["ISO"]["xMax"]) / mm
    at = {"xMin": left, "xMax": right, "middle": (left + right) / 2}[edge]
    assert at == pytest.approx(50, abs=0.3)
    assert 30 < right - left < 50  # 15 characters of 5 mm type


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))

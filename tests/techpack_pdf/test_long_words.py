"""A word longer than any line (a part name or number without spaces) wraps inside its cell or heading:
nothing runs off the page, nothing is inserted into the text, ordinary words never break."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from techpack.pdf import LONG_RUN, PIECE, breakable_html

from .conftest import EXAMPLES, build_pdf, need, pdftotext


def test_a_long_word_becomes_short_inline_pieces():
    word = "N" * 100
    out = breakable_html(f"<td>{word}</td>")
    pieces = re.findall(r"<span>([^<]*)</span>", out)
    assert "".join(pieces) == word and {len(p) for p in pieces[:-1]} == {PIECE}
    assert out.startswith('<td><span class="lw"><span>') and out.endswith("</span></span></td>")


def test_ordinary_text_hashes_attributes_style_and_title_are_untouched():
    ok = "x" * LONG_RUN
    digest = "0a684ab2ea7ae1aef8fcdd5dae775366d60cc3c4d9f8a3cd4d6414b2883a2952"
    long = "N" * 200
    html = (f'<title>{long}</title><style>.{long} {{ color: red }}</style>'
            f'<input name="{long}" value="{long}"><img src="data:image/png;base64,{long}">'
            f"<p>{ok} {digest} words that fit</p>")
    assert breakable_html(html) == html


def test_entities_are_never_cut():
    word = "&lt;" + "A&amp;B" * 30 + "&#34;"
    out = breakable_html(f"<p>{word}</p>")
    assert "".join(re.findall(r"<span>([^<]*)</span>", out)) == word
    for piece in re.findall(r"<span>([^<]*)</span>", out):
        assert re.fullmatch(r"(?:&#?[0-9A-Za-z]+;|[^&])+", piece), piece


@pytest.fixture
def long_named(tmp_path):
    """The bracket with a 600-character part name and a 300-character product name, no spaces in either."""
    folder = tmp_path / "product"
    shutil.copytree(EXAMPLES / "bracket", folder)
    spec = (folder / "techpack.yaml").read_text(encoding="utf-8")
    assert "  name: Sensor mounting bracket\n" in spec and "    name: Bracket\n" in spec
    spec = spec.replace("  name: Sensor mounting bracket\n", f"  name: {'P' * 300}\n", 1)
    spec = spec.replace("    name: Bracket\n", f"    name: {'Q' * 600}\n", 1)
    (folder / "techpack.yaml").write_text(spec, encoding="utf-8")
    return folder


def test_a_long_name_wraps_inside_the_page_and_is_kept_whole(long_named, tmp_path):
    need("pdftotext")
    build_pdf(long_named, tmp_path / "out")
    pdf = tmp_path / "out" / "techpack.pdf"
    text = "".join(pdftotext(pdf).split())
    assert "Q" * 600 in text and "P" * 300 in text  # nothing lost, nothing inserted
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S)
    mm = 72 / 25.4
    outside = []
    for n, (width, _height, body) in enumerate(pages, 1):
        for xmin, ymin, xmax, word in re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                                                 r'yMax="[\d.-]+">([^<]*)</word>', body):
            if float(ymin) < 19 * mm:
                continue  # the running header (clipped to its box; the page itself shows the name whole)
            if float(xmin) < 14 * mm - 1 or float(xmax) > float(width) - 14 * mm + 1:
                outside.append((n, word[:20], xmin, xmax))
    assert not outside, outside[:5]
    no_cmap_warnings = subprocess.run(["pdftotext", str(pdf), "/dev/null"], capture_output=True, text=True)
    assert "ToUnicode" not in no_cmap_warnings.stderr

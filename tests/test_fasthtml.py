"""techpack.fasthtml builds the tree tinyhtml5 (WeasyPrint's parser) builds, or leaves the document to it: for
every document the examples render, for the repairs it makes, and for the markup it must not guess at."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinyhtml5

from techpack import fasthtml, pdf, pdfstyles
from techpack.build import build

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DATE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def _difference(a: ET.Element, b: ET.Element, path: str = "html") -> str | None:
    """Where the trees ``a`` and ``b`` differ (tag, attributes, text, tail, children), or None."""
    if (a.tag, dict(a.attrib), a.text or "", a.tail or "", len(a)) != (b.tag, dict(b.attrib), b.text or "",
                                                                       b.tail or "", len(b)):
        return (f"{path}: {a.tag!r} {dict(a.attrib)} {a.text!r} {a.tail!r} {len(a)} children != "
                f"{b.tag!r} {dict(b.attrib)} {b.text!r} {b.tail!r} {len(b)} children")
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if (found := _difference(x, y, f"{path}/{x.tag}[{i}]")) is not None:
            return found
    return None


def _tiny(html: str) -> ET.Element:
    return tinyhtml5.parse(html, namespace_html_elements=False)


@pytest.fixture(scope="module")
def rendered_documents(tmp_path_factory):
    """The HTML of every document the four examples render (sections, overlays, headers), as WeasyPrint is
    given it; the renders run in forked processes, so each writes its document to a folder."""
    folder = tmp_path_factory.mktemp("documents")
    seen = folder / "html"
    seen.mkdir()
    real = pdf._document

    def record(html, base_url, fetcher):
        (seen / f"{os.getpid()}-{len(list(seen.iterdir()))}-{hash(html)}.html").write_text(html, encoding="utf-8")
        return real(html, base_url, fetcher)

    pdf._document = record
    cache = os.environ.get("TECHPACK_CACHE_DIR")
    os.environ["TECHPACK_CACHE_DIR"] = str(folder / "cache")  # every section rendered, none from a cache
    try:
        for name in ("bracket", "enclosure", "shaft", "sheet-bracket"):
            result = build(EXAMPLES / name, folder / name)
            assert result.written, name
    finally:
        pdf._document = real
        if cache is None:
            del os.environ["TECHPACK_CACHE_DIR"]
        else:
            os.environ["TECHPACK_CACHE_DIR"] = cache
    return [p.read_text(encoding="utf-8") for p in sorted(seen.iterdir())]


def test_every_document_the_examples_render_parses_to_tinyhtml5s_tree(rendered_documents):
    assert len(rendered_documents) > 60
    for html in rendered_documents:
        mine = fasthtml.parse(html)
        assert mine is not None, html[:300]  # none is left to the slow parser
        assert _difference(_tiny(html), mine) is None


def test_a_document_parsed_either_way_gives_the_same_pdf(rendered_documents, monkeypatch):
    """Byte for byte: the largest documents (a section with most fields, the longest tables), both ways."""
    largest = sorted(rendered_documents, key=len)[-3:]
    for html in largest:
        forms = "data-tp-field" in html or "<input" in html
        fast, _ = pdf.render_pdf(html, roots=[], date=DATE, forms=forms)
        with monkeypatch.context() as m:
            m.setattr(pdf, "_kept_base_url", lambda _base_url: None)
            slow, _ = pdf.render_pdf(html, roots=[], date=DATE, forms=forms)
        assert fast == slow


HEAD = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t &amp; u</title>\n</head>\n<body>'


@pytest.mark.parametrize("body", [
    '<p>a<br>b<wbr>c</p><img src="x.png" alt="y"><input type="text" name="a/b">\n',  # void elements
    "<p>&nbsp;&ndash;&rarr;&bull;&#176;&#x3A9;&amp;&lt;&quot;</p>",  # character references
    '<table><colgroup><col style="width:3mm"><col></colgroup>\n<tr><td>a</td></tr>\n<tr><td>b</td></tr>\n'
    "</table>",  # the rows of a table without a tbody go in one
    "<table>\n<thead><tr><th>h</th></tr></thead>\n<tr><td>a</td></tr>\n</table>",
    '<section id="parts"><p>one</p>\n',  # open at the end: a section a later chunk closes
    "</section></div><p>stray end tags</p>",  # closed in an earlier chunk
    "<div><p>x</p>\n</body>\n</html>\n",  # whitespace after </body> goes into what is open
    "<!--tp-section:a--><p>x</p><!-- c -->",
    '<p title="a &gt; b" class="x">&#8212;</p>',
])
def test_the_repairs_give_tinyhtml5s_tree(body):
    html = HEAD + body
    mine = fasthtml.parse(html)
    assert mine is not None
    assert _difference(_tiny(html), mine) is None


@pytest.mark.parametrize("body", [
    "<p>a<div>b</div></p>",  # HTML5 ends the p before the div
    "<ul><li>a<li>b</ul>",  # ... and the first li at the second
    "<table><tr><td>a<td>b</table>",
    "<table>text<tr><td>a</td></tr></table>",  # foster parenting
    "<table><td>a</td></table>",  # an implied row
    "<table><col><tr><td>a</td></tr></table>",  # an implied colgroup
    '<td colspan=2>a</td>', "<input checked>",  # unquoted and valueless attributes
    '<P CLASS="x">a</P>', '<p CLASS="x">a</p>',  # HTML5 lowers names
    "<div/>", "<p>a & b</p>", "<p>&unknownentity;</p>", "<p>&#128;</p>", "<p>\x01</p>",
    '<svg width="3"><rect/></svg>', "<style>p > b { }</style>", "<script>1</script>",
    "<textarea>\nx</textarea>", "<a href='#'>a<a href='#'>b</a></a>", "<body><p>two bodies</p>",
    "<a href='#'>a<span><a href='#'>b</a></span></a>", "<dl><dt>a<dd>b</dd></dt></dl>",
    "<ul><li>a<div><li>b</li></div></li></ul>", "<table><tr><!-- c --><td>a</td></tr></table>",
])
def test_markup_that_html5_repairs_otherwise_is_left_to_tinyhtml5(body):
    assert fasthtml.parse(HEAD + body) is None


def test_a_document_without_a_head_element_of_its_own_is_left_to_tinyhtml5():
    assert fasthtml.parse("<p>x</p>") is None
    assert fasthtml.parse('<html><head><div>x</div></head><body></body></html>') is None
    assert fasthtml.parse("<html><head></head>text<body></body></html>") is None  # HTML5 starts the body there
    assert fasthtml.parse("<html><body><p>x</p></body></html>") is None  # an implied head


def test_the_style_sheets_are_lifted_before_parsing():
    """render_pdf lifts <link> and <style> (pdfstyles) first; a document that keeps a <style> is parsed by
    tinyhtml5, and the result is the same tree."""
    html = HEAD.replace("</head>", '<link rel="stylesheet" href="base.css"><style>p { }</style></head>') + "<p>x</p>"
    taken = pdfstyles.take(html, pdf.TEMPLATES.resolve())
    assert taken is not None and fasthtml.parse(taken[0]) is not None
    assert fasthtml.parse(html) is None

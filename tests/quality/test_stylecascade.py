"""Shared computed styles not cascaded first (techpack.stylecascade): the same PDF bytes as WeasyPrint's own
constructor, on documents with pseudo-elements, counters, list markers and style attributes, and on the
enclosure's quality documents."""

from __future__ import annotations

import datetime as dt

import pytest

from techpack import stylecascade
from techpack.pdf import render_pdf

DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
INSTALLED = pytest.mark.skipif(not stylecascade.install(), reason="this WeasyPrint's StyleFor is not the one "
                               "techpack.stylecascade was written against: it styles as it always did")

PSEUDO = """<html><head><style>
@page { size: A5; margin: 10mm; @bottom-center { content: "p. " counter(page) } }
body { font: 8pt 'DejaVu Sans'; counter-reset: row }
td { border: 0.3pt solid #000; padding: 1pt }
tr { counter-increment: row }
tr td:first-child::before { content: counter(row) ". " }
td.f::after { content: "*"; color: #c00 }
td.f:nth-child(odd) { background: #eee }
li::marker { color: #c00 }
p::first-letter { font-weight: bold }
.x { color: #00c }
</style></head><body>
<p>First letter bold, and a list:</p><ul><li>one</li><li class="x">two</li><li style="color: #080">three</li></ul>
<table>""" + "".join(
    "<tr>" + "".join(f'<td class="f"{" style=&quot;color: #080&quot;" if (r + c) % 5 == 0 else ""}>{r}.{c}</td>'
                     .replace("&quot;", '"') for c in range(6)) + "</tr>" for r in range(40)) + """</table>
<p class="x" style="font-size: 10pt">the end</p></body></html>"""


def _both(monkeypatch, render) -> tuple[bytes, bytes]:
    from weasyprint.css import StyleFor

    ours = render()
    monkeypatch.setattr(StyleFor, "__init__", stylecascade._init.stock)
    try:
        stock = render()
    finally:
        monkeypatch.undo()
    return stock, ours


def test_known_is_the_source_not_the_name():
    def __init__(self, html, sheets, presentational_hints, font_config, target_collector):  # same name, other code
        return None

    assert not stylecascade.known(__init__)
    assert not stylecascade.known(None)


@INSTALLED
def test_pseudo_elements_counters_markers_and_style_attributes(monkeypatch):
    stock, ours = _both(monkeypatch, lambda: render_pdf(PSEUDO, roots=[], date=DATE)[0])
    assert stock == ours


@INSTALLED
@pytest.mark.parametrize("document", ["batch-record", "plan", "labels"])
def test_the_enclosure_documents_are_the_same_bytes(monkeypatch, compiled, plan_of, document):
    from techpack.renderers import quality

    comp, plan = compiled("enclosure"), plan_of("enclosure")
    monkeypatch.setattr(quality, "default_cache_dir", lambda: None)  # every section laid out, none cached
    render = {"batch-record": quality.batch_record_pdf, "plan": quality.plan_pdf,
              "labels": quality.labels_pdf}[document]
    stock, ours = _both(monkeypatch, lambda: render(comp, plan))
    assert stock == ours

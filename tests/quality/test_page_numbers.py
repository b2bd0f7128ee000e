""""Page n of N" written directly (techpack.pagenumbers) lands where WeasyPrint's overlay pages put it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from techpack import pagenumbers, pdfsections

from .conftest import build_quality

WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')


def _footers(pdf) -> list[list[tuple]]:
    """Each page's words from "Page" on, with their boxes (pt), as pdftotext reads them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = [(m[5], *(float(m[i]) for i in range(1, 5))) for m in WORD.finditer(page)]
        start = max(i for i, w in enumerate(words) if w[0] == "Page")
        pages.append(words[start:start + 4])
    return pages


def _number_fonts(pdf) -> set[str]:
    """The fonts the page-number overlay (the form XObject each page draws as /TPrun) names, over all pages."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return {str(name) for page in doc.pages
                for name in page.obj.Resources.XObject.TPrun.get("/Resources", {}).get("/Font", {}).keys()}


@pytest.fixture
def sectioned(monkeypatch, tmp_path):
    monkeypatch.setattr(pdfsections, "MIN_GROUP", 1)  # the enclosure's quality documents in several sections
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_page_numbers_land_where_weasyprint_puts_them(sectioned, example, tmp_path, monkeypatch):
    spec = example("enclosure")
    written = build_quality(spec, tmp_path / "direct")
    assert written.written, [str(d) for d in written.diagnostics]
    monkeypatch.setattr(pagenumbers, "calibrate", lambda pdf, total: None)  # every page laid out by WeasyPrint
    laid_out = build_quality(spec, tmp_path / "laid-out")
    assert laid_out.written
    for name in ("batch-record.pdf", "inspection/plan.pdf", "inspection/fai-as9102.pdf"):
        # written directly: each page's number overlay draws with the form font; laid out: with WeasyPrint's
        assert _number_fonts(tmp_path / "direct" / name) == {f"/{pagenumbers.FONT}"}
        assert f"/{pagenumbers.FONT}" not in _number_fonts(tmp_path / "laid-out" / name)
        direct, reference = _footers(tmp_path / "direct" / name), _footers(tmp_path / "laid-out" / name)
        assert len(direct) == len(reference) > 1
        for n, (ours, theirs) in enumerate(zip(direct, reference), 1):
            assert [w[0] for w in ours] == ["Page", str(n), "of", str(len(direct))] == [w[0] for w in theirs]
            for a, b in zip(ours, theirs):
                assert a[1:] == pytest.approx(b[1:], abs=0.01), (name, n, a, b)


def test_the_kerning_of_the_fixed_words_is_kept():
    placement = pagenumbers.Placement((0, 0, 842, 595), 800.0, 20.0, 7.5, "0 g", (44.0, 0, 0, 0, 0), (0, 0, 0, 0))
    assert pagenumbers._tj("Page 7 of 12", placement) == "[(P) 44 (age 7 of 12)] TJ"


def test_a_page_that_is_not_one_run_is_not_calibrated():
    import io

    import pikepdf

    pdf = pikepdf.new()
    for body in (b"BT /F 10 Tf 1 0 0 1 5 5 Tm [<0001>] TJ ET BT /F 10 Tf 1 0 0 1 9 5 Tm [<0002>] TJ ET", b""):
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 100, 100],
                                                         Contents=pdf.make_stream(body))))
    buf = io.BytesIO()
    pdf.save(buf)
    assert pagenumbers.calibrate(buf.getvalue(), 2) is None


@pytest.mark.parametrize(("style", "calibrated"), [("", True), ("font-weight: bold", False),
                                                   ("letter-spacing: 1pt", False)])
def test_only_the_regular_sans_is_calibrated(style, calibrated):
    """Numbers in another weight, or spaced, would not be where the form font's widths put them: laid out."""
    import datetime as dt

    from techpack.pdf import render_pdf

    head = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n'
            '<link rel="stylesheet" href="base.css">\n<link rel="stylesheet" href="quality/quality.css">\n'
            f'<style>@page {{ @bottom-right {{ {style} }} }}</style>\n</head>\n<body>')
    total = 12
    data, _refused = render_pdf(pdfsections.numbers_html(head, (1, total), [None] * total), roots=[],
                                date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert (pagenumbers.calibrate(data, total) is not None) is calibrated

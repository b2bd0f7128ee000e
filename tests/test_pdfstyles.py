"""Style sheets parsed once per process (techpack.pdfstyles): the same PDF bytes as WeasyPrint reading them."""

from __future__ import annotations

import hashlib

from techpack import pdfstyles
from techpack.build import BuildOptions, build
from techpack.pdf import TEMPLATES

HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>'
        '<link rel="stylesheet" href="base.css"><link rel="stylesheet" href="quality/quality.css">'
        '<style>@page { size: 40mm 20mm; }</style></head><body><p>x</p></body></html>')


def test_take_lifts_every_sheet_in_order_and_parses_each_once():
    html, sheets, fonts = pdfstyles.take(HEAD, TEMPLATES.resolve())
    assert "<link" not in html and "<style" not in html and html.endswith("<body><p>x</p></body></html>")
    assert "<title>t</title>" in html
    assert len(sheets) == 3
    _html, again, same_fonts = pdfstyles.take(HEAD, TEMPLATES.resolve())
    assert [id(s) for s in again] == [id(s) for s in sheets] and same_fonts is fonts  # parsed once, then reused
    assert sheets[2].page_rules  # the <style> block's @page, kept in its place (last)


def test_each_set_of_linked_sheets_has_fonts_of_its_own():
    """A document sees its own sheets' @font-face rules only, as when WeasyPrint parses its head: the batch
    record's form font is not the labels' or the tech pack's."""
    base = TEMPLATES.resolve()
    one = pdfstyles.take(HEAD, base)
    other = pdfstyles.take(HEAD.replace("quality/quality.css", "quality/labels.css"), base)
    with_overlay = pdfstyles.take(HEAD.replace("</head>", '<link rel="stylesheet" href="overlay.css"></head>'), base)
    assert len({id(one[2]), id(other[2]), id(with_overlay[2])}) == 3
    assert one[1][0] is not other[1][0]  # base.css parsed for each set, its fonts registered in each


def test_take_leaves_a_head_it_cannot_take_to_weasyprint(tmp_path):
    base = TEMPLATES.resolve()
    outside = tmp_path / "x.css"
    outside.write_text("p { color: red }", encoding="utf-8")
    cases = [
        HEAD.replace('href="base.css"', f'href="{outside.as_uri()}"'),  # not a shipped sheet
        HEAD.replace('href="base.css"', 'href="../../x.css"'),  # outside the templates
        HEAD.replace('href="base.css"', 'href="missing.css"'),
        HEAD.replace("@page { size: 40mm 20mm; }", "p { background: url(x.png) }"),  # a <style> that fetches
        HEAD.replace("@page { size: 40mm 20mm; }", '@font-face { font-family: x; src: local("x") }'),
        HEAD.replace('<link rel="stylesheet" href="base.css">', '<link href="base.css" rel="stylesheet">'),
        HEAD.replace("<style>", '<style media="print">'),
        "<p>no head at all</p>",
        '<html><head><title>none</title></head><body></body></html>',
    ]
    for html in cases:
        assert pdfstyles.take(html, base) is None, html


def test_a_changed_sheet_is_parsed_again(tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    folder.mkdir()
    sheet = folder / "a.css"
    sheet.write_text("p { color: red }", encoding="utf-8")
    monkeypatch.setattr(pdfstyles, "TEMPLATES", folder)
    html = '<html><head><link rel="stylesheet" href="a.css"></head><body></body></html>'
    first = pdfstyles.take(html, folder.resolve())[1][0]
    sheet.write_text("p { color: blue; margin: 0 }", encoding="utf-8")
    second = pdfstyles.take(html, folder.resolve())[1][0]
    assert first is not second


def _pdfs(out):
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*.pdf"))}


def test_every_pdf_of_a_pack_is_the_same_bytes_with_the_sheets_parsed_once(example, tmp_path, monkeypatch):
    folder = example("enclosure")
    taken = []
    real_take = pdfstyles.take

    def counting(html, base):
        got = real_take(html, base)
        taken.append(got is not None)
        return got

    monkeypatch.setattr(pdfstyles, "take", counting)
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache-a"))
    assert build(folder, tmp_path / "a", BuildOptions(jobs=1)).written
    assert taken and all(taken)  # every document of the pack (sections, overlays, labels) took the cache
    monkeypatch.setattr(pdfstyles, "take", lambda html, base: None)  # WeasyPrint reads every head itself
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache-b"))  # and no section comes from a cache
    assert build(folder, tmp_path / "b", BuildOptions(jobs=1)).written
    a, b = _pdfs(tmp_path / "a"), _pdfs(tmp_path / "b")
    assert len(a) == 5 and a == b  # tech pack, plan, FAI, batch record, labels


def _child_parses_a_set_of_its_own(conn):
    fonts = pdfstyles.take(HEAD.replace("quality/quality.css", "quality/fai.css"), TEMPLATES.resolve())[2]
    pdfstyles.take(HEAD, TEMPLATES.resolve())  # the inherited set, used
    conn.send(str(fonts._folder))
    conn.close()


def test_a_forked_render_removes_its_own_fonts_folder_and_leaves_the_inherited_ones():
    """A render job forked from the render host parses a set the host did not; on its way out it removes that
    set's fonts folder (no /tmp/weasyprint-* left behind) but never the host's, which its other jobs use."""
    import multiprocessing
    from pathlib import Path

    inherited = Path(pdfstyles.take(HEAD, TEMPLATES.resolve())[2]._folder)  # WeasyPrint's private folder
    assert inherited.is_dir()
    ctx = multiprocessing.get_context("fork")
    ours, theirs = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_parses_a_set_of_its_own, args=(theirs,))
    child.start()
    own = Path(ours.recv())
    child.join()
    assert child.exitcode == 0
    assert own != inherited and not own.exists()
    assert inherited.is_dir() and any(inherited.iterdir())


def test_a_parallel_build_leaves_no_fonts_folder_behind(example, tmp_path, monkeypatch):
    """Every render process removes the fonts folders of the sets it parsed (the render host's, a job's), also
    when the documents rendered with them are still alive as it ends: each leaked a /tmp/weasyprint-* folder."""
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(pdfstyles, "_sets", {})  # nothing parsed yet,
    monkeypatch.setattr(pdfstyles, "template_heads", lambda: [])  # nor by the host: its jobs parse their own
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache"))
    assert build(example("enclosure"), tmp_path / "out", BuildOptions(jobs=2)).written
    assert sorted(p.name for p in temp.iterdir() if p.name.startswith("weasyprint-")) == []

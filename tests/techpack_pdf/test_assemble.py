"""The tech-pack PDF rendered in chunks and merged (techpack.techpack_pdf.assemble): however it is cut, the
same pages, running headers, page numbers, contents, outline and links; unchanged chunks from the cache."""

from __future__ import annotations

import glob
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from techpack import pdfsections
from techpack.engine import Options, compile_spec
from techpack.pdfmerge import LINK, MergeError, Merged
from techpack.renderers.base import Output
from techpack.techpack_pdf import assemble, render_html
from techpack.techpack_pdf.document import PDF_A

from .conftest import EXAMPLES, fakes, need

SIZES = {"TP-3001-02": (594, 420), "TP-3001-03": (297, 210)}  # a reduced A2 and an A4 landscape sheet


@pytest.fixture(scope="module")
def enclosure(tmp_path_factory):
    """The enclosure's marked tech-pack HTML (fake drawing sheets of three sizes), its attachments and its
    compilation."""
    base = tmp_path_factory.mktemp("assemble")
    folder = base / "enclosure"
    shutil.copytree(EXAMPLES / "enclosure", folder)
    comp = compile_spec(folder, Options())
    assert comp.ok
    drawings = fakes.FakeDrawings(SIZES)
    targets = drawings.targets(comp)
    (base / "stage").mkdir()
    out = Output(base / "stage", {t.path: t for t in targets})
    drawings.render(comp, out, targets)
    html, files = render_html(comp, out)
    return html, files, comp


def render(enclosure, cache=None, workers=1, log=None, html=None):
    source, files, comp = enclosure
    data, refused = assemble.render(html or source, date=comp.date, roots=[comp.loaded.folder], attachments=files,
                                    variant=PDF_A, cache=cache, workers=workers, log=log)
    assert refused == []
    return data


def page_texts(data: bytes, tmp_path: Path) -> list[str]:
    need("pdftotext")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout
    return text.split("\f")[:-1]


def structure(data: bytes):
    """(page sizes, outline as (depth, title, page, count), links as (page, target page), dest names)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        dests = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())

        def target(d):
            if isinstance(d, pikepdf.String):
                d = dests[str(d)]
            return index[d[0].objgen]

        outline = []

        def walk(item, depth):
            while item is not None:
                dest = item.get("/Dest")
                outline.append((depth, str(item.Title), target(dest if dest is not None else item.A.D),
                                int(item.get("/Count", 0))))
                if "/First" in item:
                    walk(item.First, depth + 1)
                item = item.get("/Next")

        walk(pdf.Root.Outlines.First, 0)
        links = []
        for i, page in enumerate(pdf.pages):
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                assert action is None or action.S != pikepdf.Name.URI or not str(action.URI).startswith(LINK)
                dest = annot.get("/Dest") if action is None else action.get("/D")
                if dest is not None:
                    links.append((i, target(dest)))
        sizes = [tuple(round(float(v), 1) for v in p.mediabox) for p in pdf.pages]
        return sizes, outline, links, {name: target(d) for name, d in dests.items()}, int(pdf.Root.Outlines.Count)


def pixels_equal(a: bytes, b: bytes, tmp_path: Path) -> list[int]:
    """The pages (1-based) whose 40 dpi images differ."""
    need("pdftoppm")
    from PIL import Image, ImageChops

    for name, data in (("a", a), ("b", b)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
                       check=True)
    pa, pb = sorted(glob.glob(str(tmp_path / "a-*.png"))), sorted(glob.glob(str(tmp_path / "b-*.png")))
    assert len(pa) == len(pb)
    return [i for i, (x, y) in enumerate(zip(pa, pb), 1)
            if ImageChops.difference(Image.open(x).convert("L"), Image.open(y).convert("L")).getbbox()]


def test_cut_into_sections_or_not_the_pages_are_the_same(enclosure, tmp_path, monkeypatch):
    """Every section a chunk of its own, or the whole body one chunk: the same pages pixel for pixel, the
    same running headers and page numbers, outline, links and named destinations."""
    log = pdfsections.SectionLog()
    each = render(enclosure, log=log)  # up to 32 sections: one chunk each
    monkeypatch.setattr(assemble, "EACH_SECTION_UP_TO", 0)
    monkeypatch.setattr(pdfsections, "MIN_GROUP", 10**9)
    whole = render(enclosure)
    assert len(log.rendered) == len(pdfsections.split(enclosure[0])[2]) >= 9
    assert structure(each) == structure(whole)
    assert page_texts(each, tmp_path) == page_texts(whole, tmp_path)
    assert pixels_equal(each, whole, tmp_path) == []


def test_running_headers_page_numbers_contents_and_outline(enclosure, tmp_path):
    data = render(enclosure)
    sizes, outline, links, dests, count = structure(data)
    texts = page_texts(data, tmp_path)
    n = len(texts)
    comp = enclosure[2]
    product = comp.loaded.spec.product
    for i, text in enumerate(texts, 1):
        assert text.count(f"Page {i} of {n}") == 1, i  # stamped once, never also in the chunk
        if i > 1:
            assert f"{product.number} {product.name}" in text and f"Revision {product.revision}" in text
    # the sheets keep their own page sizes: A3 for the reduced A2, A4 landscape, A3 for the default
    assert {s[2:] for s in sizes} >= {(595.3, 841.9), (1190.6, 841.9), (841.9, 595.3)}
    # every section's running title at the top of its first page
    for title, anchor in (("Materials and certificates", "materials"), ("Capability report", "capability")):
        first = texts[dests[anchor]].splitlines()[0]
        assert title in first and product.number in first
    # the contents give each entry's page, which is where its anchor is
    cover = texts[0]
    for anchor, page in dests.items():
        if anchor.startswith(assemble.PAGE_ANCHOR):
            continue
        m = re.search(r"(?:\.\s*){3,}(\d+)\s*$", _toc_line(cover, anchor, comp), re.M)
        assert m and int(m[1]) == page + 1, anchor
    # the parts sit under "Parts", each with its characteristics and drawing, on increasing pages
    start = next(i for i, o in enumerate(outline) if o[:2] == (0, "Parts"))
    end = next(i for i, o in enumerate(outline) if i > start and o[0] == 0)
    parts = [o for o in outline[start:end] if o[0] == 1]
    assert [p[1].split()[0] for p in parts] == [p.number for p in comp.loaded.spec.parts]
    assert [o[1] for o in outline[start:end] if o[0] == 2] == ["Characteristics", "Drawing"] * len(parts)
    assert [o[2] for o in outline] == sorted(o[2] for o in outline)
    # every entry is open: its /Count is the number of its descendants, the root's the number of entries
    assert count == len(outline)
    for i, (depth, title, _page, n) in enumerate(outline):
        after = [o[0] for o in outline[i + 1:]]
        below = next((k for k, d in enumerate(after) if d <= depth), len(after))
        assert n == below, title
    # every link lands on the page of the element it names
    bom_links = [target for page, target in links if page == dests["bom"]]
    assert {dests[f"part-{i}"] for i in range(1, 4)} <= set(bom_links)


def _toc_line(cover: str, anchor: str, comp) -> str:
    from techpack.techpack_pdf.context import part_anchors, sections

    titles = {s.anchor: s.title for s in sections(comp, [], True)}
    for part in comp.loaded.spec.parts:
        titles[part_anchors(comp.loaded.spec)[part.number]] = f"{part.number} {part.name}"
    title = titles[anchor]
    return next(line for line in cover.splitlines() if line.strip().startswith(title))


def test_pdf_a_catalogue_comes_from_the_cover_with_its_attachments(enclosure):
    data = render(enclosure)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        xmp = root.Metadata.read_bytes()
        assert re.search(rb"pdfaid:part(>|=\")3", xmp) and re.search(rb"pdfaid:conformance(>|=\")B", xmp)
        assert root.OutputIntents[0].S == pikepdf.Name.GTS_PDFA1
        embedded = dict(pikepdf.NameTree(root.Names.EmbeddedFiles).items())
        assert set(embedded) == {name for name, _data, _desc in enclosure[1]}
        assert {spec.objgen for spec in root.AF} == {spec.objgen for spec in embedded.values()}
        assert all(spec.AFRelationship == pikepdf.Name.Source for spec in root.AF)
        assert str(root.Lang) == "en"


def test_an_edited_part_renders_its_own_chunk_only(enclosure, tmp_path, monkeypatch):
    """A change inside one part's section (its page count unchanged) renders that chunk alone: the cover's
    contents and the overlay's page numbers are what they were, so they come from the cache; and the bytes
    are the same as a render without any cache, serial or over two processes."""
    cache = tmp_path / "cache"
    render(enclosure, cache)
    html = enclosure[0]
    m = re.search(r'(<div class="part[^"]*" id="part-3">.*?<h2>)(TP-3001-03)', html, re.S)
    edited = html[:m.end(1)] + "TP-3001-03 " + html[m.end(1):]
    log = pdfsections.SectionLog()
    rendered: list[str] = []
    real = pdfsections._render_one
    monkeypatch.setattr(pdfsections, "_render_one", lambda job: rendered.append(job[0]) or real(job))
    warm = render(enclosure, cache, log=log, html=edited)
    assert log.rendered == ["part:part-3"]
    assert len(rendered) == 1  # neither the page numbers nor the running strings laid out again
    monkeypatch.setattr(pdfsections, "_render_one", real)
    assert "cover" in log.reused and len(log.reused) >= 5
    monkeypatch.setattr(pdfsections, "FORK_ABOVE", 0)
    assert render(enclosure, None, workers=2, html=edited) == warm
    assert render(enclosure, None, workers=1, html=edited) == warm


def test_a_link_to_an_anchor_no_section_holds_is_refused(tmp_path):
    import weasyprint

    first = weasyprint.HTML(string='<p id="a"><a href="tp-link:b">to b</a></p>').write_pdf()
    other = weasyprint.HTML(string='<p id="b"><a href="tp-link:a">to a</a></p>').write_pdf()
    second = weasyprint.HTML(string='<p><a href="tp-link:nowhere">to nowhere</a></p>').write_pdf()
    merged = Merged([first, other])
    assert set(merged.dests) == {"a", "b"}
    pages = list(merged.pdf.pages)
    for page, target in ((0, "b"), (1, "a")):
        action = pages[page].Annots[0].A
        assert action.S == pikepdf.Name.GoTo and str(action.D) == target
    plain = weasyprint.HTML(string='<p id="a">a</p>').write_pdf()
    with pytest.raises(MergeError, match="#nowhere"):
        Merged([plain, second])
    with pytest.raises(MergeError, match="two sections"):
        Merged([plain, plain])


def test_a_cover_of_several_pages_numbers_its_contents_after_itself(tmp_path, monkeypatch):
    """A contents list longer than a page: the cover is laid out again with its own page count in the numbers,
    and the next render starts from the count it found (one layout of the cover, not two)."""
    import datetime as dt

    date = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    n = 90
    toc = "".join(f'<li><a href="#s{i}" data-toc="s{i}">Section {i}</a></li>' for i in range(n))
    body = "".join(f'<!--tp-section:s{i}--><section class="section new-page" id="s{i}"><h1>Section {i}</h1>'
                   f'<p>{"text " * (400 if i % 7 == 0 else 20)}</p></section>' for i in range(n))
    html = ('<html><head><link rel="stylesheet" href="base.css"><link rel="stylesheet" href="techpack/techpack.css">'
            '</head><body><div class="runners"><span class="run-product">P-1 Widget</span></div>'
            f'<!--tp-section:cover--><section class="cover"><h1 class="cover-title">P-1</h1><ul class="toc">{toc}</ul>'
            f'</section>{body}</body></html>')
    covers: list[str] = []
    real = pdfsections._render_one
    monkeypatch.setattr(pdfsections, "_render_one",
                        lambda job: (covers.append(job[0]) if 'class="cover"' in job[0] else None) or real(job))
    data, _ = assemble.render(html, date=date, roots=[], attachments=[], variant=None, cache=tmp_path, workers=1)
    _sizes, _outline, links, dests, _count = structure(data)
    texts = page_texts(data, tmp_path)
    cover_pages = min(dests.values())
    assert cover_pages >= 2 and len(covers) == 2  # laid out with a guess of one page, then with the right count
    for i in range(n):
        m = re.search(rf"Section {i}\s+(?:\.\s*)+(\d+)", "".join(texts[:cover_pages]))
        assert m and int(m[1]) == dests[f"s{i}"] + 1, i
        assert f"Section {i}" in texts[dests[f"s{i}"]].splitlines()[0]  # its running title on that page
    assert {(page, target) for page, target in links} >= {(0, dests["s0"])}
    covers.clear()
    edited = html.replace('data-toc="s3">Section 3</a>', 'data-toc="s3">Section three</a>')  # the cover alone
    assert assemble.render(edited, date=date, roots=[], attachments=[], variant=None, cache=tmp_path,
                           workers=1)[0] != data
    assert len(covers) == 1  # laid out once, with the page count the last layout found


def test_each_subset_of_a_font_has_its_own_tag(enclosure, monkeypatch):
    """Each chunk embeds its own subset of a font under the tag WeasyPrint derives from the font alone; the
    merged file gives different subsets different tags (ISO 32000-1, 9.6.4), the same subset one."""
    import hashlib

    data = render(enclosure)
    files: dict[str, set[str]] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor:
                name = str(obj.FontName)
                assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), name
                files.setdefault(name[1:7], set()).add(hashlib.sha256(obj.FontFile2.read_raw_bytes()).hexdigest())
        fonts = [obj for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font
                 and "/DescendantFonts" in obj]
        for font in fonts:  # the font's name says the tag of the subset it embeds
            assert str(font.BaseFont)[1:7] == str(font.DescendantFonts[0].FontDescriptor.FontName)[1:7]
    assert len(files) > 4 and all(len(digests) == 1 for digests in files.values()), files


def test_the_merged_outline_keeps_each_entry_open_or_closed():
    """A closed entry stays closed (its /Count minus the entries under it, adopted ones included) and does not
    count towards the root's visible entries; an open one counts its visible descendants."""
    import weasyprint

    css = ("<style>h1 { bookmark-level: 1 } h2 { bookmark-level: 2 } h3 { bookmark-level: 3 }"
           " .shut { bookmark-state: closed } .tp-outline-parent { bookmark-level: 1;"
           " bookmark-label: 'tp-outline-parent' }</style>")
    first = weasyprint.HTML(string=f'{css}<h1 class="shut">A</h1><h2>A1</h2><h1>B</h1><h2>B1</h2>').write_pdf()
    second = weasyprint.HTML(string=f'{css}<div class="tp-outline-parent"><h2>B2</h2><h3>B2a</h3></div>'
                                    '<h1 class="shut">C</h1><h2>C1</h2><h2>C2</h2>').write_pdf()
    pdf = Merged([first, second]).pdf
    root = pdf.Root.Outlines
    tops = {}
    item = root.First
    while item is not None:
        tops[str(item.Title)] = item
        item = item.get("/Next")
    assert list(tops) == ["A", "B", "C"]
    assert int(tops["A"].Count) == -1 and int(tops["C"].Count) == -2  # closed, as they were
    assert int(tops["B"].Count) == 3  # open: B1, B2 and B2a (B2 open) under it
    assert [str(tops["B"].Last.Title), str(tops["B"].Last.First.Title)] == ["B2", "B2a"]
    assert int(root.Count) == 3 + 3  # the three top entries and B's three visible descendants

"""Long quality documents render as cached sections, merged and stamped (techpack.pdfsections).

Each part's pages are a section of their own. These tests set the smallest chunk to one byte, so that
every section is a chunk whatever its length: the enclosure's batch record renders as six chunks (header,
one per part and the assembly, deviations and gates), each its own render, cache entry and merge input,
as a many-part product's chunks of sections do.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
from pypdf import PdfReader, PdfWriter

from techpack import pdfsections
from techpack.quality.batchrecord import build_record

from .conftest import EXAMPLES, build_quality
from .test_quality_forms import widgets

ENCLOSURE_LID = "TP-3001-02"
SECTIONED = ("batch-record.pdf", "inspection/plan.pdf", "inspection/fai-as9102.pdf")


@pytest.fixture
def sectioned(monkeypatch, tmp_path):
    """One section per render, each in a process of its own, with a section cache of this test's own."""
    monkeypatch.setattr(pdfsections, "MIN_GROUP", 1)
    monkeypatch.setattr(pdfsections, "FORK_ABOVE", 0)  # the forked renders a long document's chunks get
    cache = tmp_path / "cache"
    shutil.copytree(__import__("os").environ["TECHPACK_CACHE_DIR"], cache, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("pdf-sections"))
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(cache))
    return cache


def _page_texts(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


def _outline_titles(reader: PdfReader) -> list[str]:
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(item.title)

    walk(reader.outline)
    return out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_sectioned_batch_record_pages_fields_outline_and_cache(sectioned, example, tmp_path, plan_of):
    spec = example("enclosure")
    first = build_quality(spec, tmp_path / "a")
    assert first.written, [str(d) for d in first.diagnostics]
    log = first.sections["batch-record.pdf"]
    keys = log["rendered"]
    assert log["reused"] == [] and len(keys) == len(set(keys))  # every section, each once
    assert keys == ["header", "part/TP-3001-01", f"part/{ENCLOSURE_LID}", "part/TP-3001-03", "part/EX-3001",
                    "deviations-and-gates"]
    pdf = tmp_path / "a" / "batch-record.pdf"

    # page numbers and running headers stamped after the merge: page i says "Page i of N"
    pages = _page_texts(pdf)
    assert len(pages) == log["pages"] == len(PdfReader(str(pdf)).pages)
    for i, text in enumerate(pages, 1):
        assert re.search(rf"Page {i} of {len(pages)}\b", text), (i, text[-300:])
        assert "Batch record" in text and "spec sha256" in text
    # the form fields: all of the record's, each once, across the merged sections
    record = build_record(plan_of("enclosure"), "")
    names = [n for n, _ in widgets(pdf)]
    assert len(names) == len(set(names)), [n for n, c in Counter(names).items() if c > 1]
    assert set(names) == set(record.field_names())
    reader = PdfReader(str(pdf))
    assert set(reader.get_fields()) == set(names)  # one AcroForm holds them all
    # bookmarks: every section's headings, in document order
    titles = _outline_titles(reader)
    assert titles[0].startswith("Batch record") and titles[-1] == "Gate sign-offs"
    assert any(t.startswith("Final random inspection: " + ENCLOSURE_LID) for t in titles)

    # the fields fill in and read back
    writer = PdfWriter()
    writer.append(reader)
    values = {"batch/id": "B-1", f"fri/{ENCLOSURE_LID}/major/inspected": "32", "gate/release/by": "A. Q."}
    values = {k: v for k, v in values.items() if k in names}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    buf = io.BytesIO()
    writer.write(buf)
    got = PdfReader(io.BytesIO(buf.getvalue())).get_fields()
    assert values and all(got[k].get("/V") == v for k, v in values.items())

    # one part's pages together: its grids stage by stage, its inline checks, its final inspection
    headed = [(i, m.group(1)) for i, text in enumerate(pages)
              for m in re.finditer(r"\w: +(TP-3001-0\d|EX-3001) ", text)]
    lid = [i for i, number in headed if number == ENCLOSURE_LID]
    assert len(lid) >= 3 and all(not lid[0] <= i <= lid[-1] for i, number in headed if number != ENCLOSURE_LID), headed

    # every section embeds the whole form font: the merged file keeps one copy of each embedded font file
    import hashlib

    import pikepdf

    with pikepdf.open(pdf) as doc:
        files = [obj.get(k) for obj in doc.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor
                 for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in obj]
        digests = {f.objgen: hashlib.sha256(f.read_raw_bytes()).hexdigest() for f in files}
        assert len(files) > len(digests) and len(set(digests.values())) == len(digests)
        # the merged form names one simple WinAnsi font for all its fields, as a whole render does (pdfforms)
        form = doc.Root.AcroForm
        assert list(form.DR.Font.keys()) == ["/TPForm"] and str(form.DR.Font.TPForm.Encoding) == "/WinAnsiEncoding"
        das = {str(f.DA) for f in form.Fields if "/DA" in f}
        assert das and all(re.fullmatch(r"/TPForm [0-9.]+ Tf [0-9. ]+ (g|rg)", da) for da in das), das

    # the same inputs, cold again, in one process: the same bytes as the parallel build; warm: the same again
    shutil.rmtree(sectioned / "pdf-sections")
    serial = build(spec, tmp_path / "b", jobs=1)
    assert serial.sections["batch-record.pdf"]["rendered"] == keys
    warm = build(spec, tmp_path / "w", jobs=2)
    assert warm.sections["batch-record.pdf"]["rendered"] == []
    for path in SECTIONED:
        assert (tmp_path / "b" / path).read_bytes() == (tmp_path / "a" / path).read_bytes(), path
        assert (tmp_path / "w" / path).read_bytes() == (tmp_path / "a" / path).read_bytes(), path
        assert first.sections[path]["rendered"] and warm.sections[path]["rendered"] == [], path

    # one part renamed: its own sections render again (and the product-level ones that name it: the header's
    # parts table, the assembly's index of parts), every other part's come from the cache
    lid = spec / "parts" / "lid.yaml"
    lid.write_text(lid.read_text(encoding="utf-8").replace("name: ", "name: Revised ", 1), encoding="utf-8")
    changed = build(spec, tmp_path / "c", jobs=2)
    log = changed.sections["batch-record.pdf"]
    assert sorted(log["rendered"] + log["reused"]) == sorted(keys)
    assert log["rendered"] == ["header", f"part/{ENCLOSURE_LID}"], log
    assert changed.sections["inspection/plan.pdf"]["rendered"] == ["header", f"part/{ENCLOSURE_LID}"]
    assert changed.sections["inspection/fai-as9102.pdf"]["rendered"] == [f"fair/{ENCLOSURE_LID}", "fair/EX-3001"]
    text = "".join(_page_texts(tmp_path / "c" / "batch-record.pdf"))
    assert "Revised" in text and (tmp_path / "c" / "batch-record.pdf").read_bytes() != pdf.read_bytes()


def build(spec, out, jobs):
    from techpack.build import BuildOptions
    from techpack.build import build as run
    from techpack.renderers.quality import RENDERER

    result = run(spec, out, BuildOptions(jobs=jobs, force=True), renderers={RENDERER.name: RENDERER})
    assert result.written, [str(d) for d in result.diagnostics]
    return result


def test_small_documents_render_whole_larger_ones_in_cached_chunks(tmp_path, monkeypatch):
    """Under the smallest chunk a marked document is one render (no merge, no overlay, no cache entry);
    above it, cached chunks merged: the same text, and the second time every chunk comes from the cache."""
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache"))
    import datetime as dt

    from techpack.pdf import render_pdf

    date = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    html = ('<html><head><link rel="stylesheet" href="base.css"></head><body><div class="runners"></div>'
            '<!--tp-section:a--><p>one</p><!--tp-section:b--><p style="break-before: page">two</p></body></html>')
    log = pdfsections.SectionLog()
    data = pdfsections.render_sectioned(html, date=date, forms=False, cache=tmp_path / "cache", workers=2, log=log)
    assert log.rendered == ["a", "b"] and not (tmp_path / "cache" / "pdf-sections").exists()
    assert data == render_pdf(html, roots=[], date=date)[0]

    monkeypatch.setattr(pdfsections, "MIN_GROUP", 1)
    log = pdfsections.SectionLog()
    data = pdfsections.render_sectioned(html, date=date, forms=False, cache=tmp_path / "cache", workers=2, log=log)
    assert log.rendered == ["a", "b"] and log.pages == 2 and (tmp_path / "cache" / "pdf-sections").exists()
    again = pdfsections.SectionLog()
    assert pdfsections.render_sectioned(html, date=date, forms=False, cache=tmp_path / "cache", workers=1,
                                        log=again) == data
    assert again.rendered == [] and again.reused == ["a", "b"]
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert "one" in texts[0] and "two" in texts[1] and "Page 2 of 2" in texts[1]


def test_a_new_running_header_renders_one_page_not_every_page_number(tmp_path, monkeypatch):
    """The running header (it shows the spec hash, so it changes with every edit) is one overlay page stamped
    on every page; the page numbers are an overlay of their own, taken from the cache while the page count
    holds. So an edit to the header alone lays out one page, and each page still shows both."""
    import datetime as dt

    monkeypatch.setattr(pdfsections, "MIN_GROUP", 1)
    date = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    body = "".join(f'<!--tp-section:s{i}--><p style="break-before: page">section {i}</p>' for i in range(5))

    def doc(run: str) -> str:
        return ('<html><head><link rel="stylesheet" href="base.css"><link rel="stylesheet" href="quality/quality.css">'
                f'</head><body><div class="runners"><span class="run-doc">{run}</span></div>{body}</body></html>')

    rendered: list[str] = []
    real = pdfsections._render_one
    monkeypatch.setattr(pdfsections, "_render_one", lambda job: rendered.append(job[0]) or real(job))
    pdfsections.render_sectioned(doc("Header one"), date=date, forms=False, cache=tmp_path, workers=1)
    assert len(rendered) == 5 + 1 + 1  # the sections, the page numbers, the header
    rendered.clear()
    data = pdfsections.render_sectioned(doc("Header two"), date=date, forms=False, cache=tmp_path, workers=1)
    assert len(rendered) == 1 and "Header two" in rendered[0] and "Page" not in rendered[0]
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert all(f"section {i}" in t and "Header two" in t and f"Page {i + 1} of 5" in t and "Header one" not in t
               for i, t in enumerate(texts))


def test_chunk_size_grows_in_powers_of_two_and_the_header_stands_alone():
    """A document of tiny sections is one chunk; a short one of part-sized sections is a chunk per section; a
    long one gets chunks of MIN_GROUP × 2^k, at most about MAX_CHUNKS of them (a 100-part product's record is
    not 100 renders), and its first section (the header, which shows the spec hash) is a chunk of its own."""
    tiny = [(f"s{i}", "x" * 300) for i in range(10)]
    assert pdfsections.chunks(tiny, pdfsections.chunk_size(tiny)) == [list(range(10))]
    parts = [(f"s{i}", "x" * 40_000) for i in range(6)]
    assert pdfsections.chunks(parts, pdfsections.chunk_size(parts)) == [[i] for i in range(6)]
    many = [(f"s{i}", "x" * 45_000) for i in range(300)]
    size = pdfsections.chunk_size(many)
    ratio = size // pdfsections.MIN_GROUP
    assert size % pdfsections.MIN_GROUP == 0 and ratio & (ratio - 1) == 0
    groups = pdfsections.chunks(many, size)
    assert groups[0] == [0] and [i for g in groups for i in g] == list(range(300))
    assert len(groups) <= pdfsections.MAX_CHUNKS + 1
    assert all(size <= sum(len(many[i][1]) for i in g) <= 2 * size + 45_000 for g in groups[2:-1])
    grown = many[:-1] + [("s-last", "x" * 60_000)]  # a little larger: the same size, the same boundaries before
    assert pdfsections.chunk_size(grown) == size
    assert pdfsections.chunks(grown, size)[:-1] == groups[:-1]


def test_section_marks_must_be_unique():
    with pytest.raises(ValueError, match="unique section marks"):
        pdfsections.split("<html><head></head><body><!--tp-section:a-->x<!--tp-section:a-->y</body></html>")


def test_chunks_group_neighbours_and_keep_order():
    sections = [(f"s{i}", "x" * 100) for i in range(50)]
    groups = pdfsections.chunks(sections, 1000)
    assert [i for g in groups for i in g] == list(range(50))
    assert groups[0] == [0] and all(1000 <= sum(len(sections[i][1]) for i in g) <= 2000 for g in groups[2:-1])
    assert pdfsections.chunks(sections, 10**9) == [list(range(50))]
    assert pdfsections.chunks(sections, 1) == [[i] for i in range(50)]


def test_more_chunks_than_workers_each_in_a_process_of_its_own(monkeypatch):
    """Seven renders over two processes come back complete and in order, the same as in one process; a short
    document's chunks render in the job's own process (a fork costs more than they take)."""
    import datetime as dt

    date = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    jobs = [(f"<html><head></head><body><p>chunk {i}</p></body></html>", False, date) for i in range(7)]
    serial = pdfsections.render_all(jobs, 1)
    with monkeypatch.context() as m:
        m.setattr(pdfsections.multiprocessing, "get_context", lambda *_: pytest.fail("forked for a short document"))
        assert pdfsections.render_all(jobs, 2) == serial
    monkeypatch.setattr(pdfsections, "FORK_ABOVE", 0)
    assert pdfsections.render_all(jobs, 2) == serial
    with pytest.raises(RuntimeError, match="AttributeError"):  # a failed render fails the document
        pdfsections.render_all([jobs[0], ("<html><body>", "not a bool", "not a date")], 2)


def test_a_merged_form_holds_every_font_its_fields_name(tmp_path):
    """The merged form's defaults come from the first section with a form; a later section's field font that
    those lack (here: the first section has only a check box) is added to the form's resources, so every
    field's /DA names a font the form holds."""
    import datetime as dt

    import pikepdf

    from techpack.pdf import render_pdf
    from techpack.pdfmerge import Merged

    date = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    head = '<html><head><link rel="stylesheet" href="base.css"><link rel="stylesheet" href="quality/quality.css"></head><body>'
    boxes = render_pdf(head + '<input type="checkbox" name="a/ok"></body></html>', roots=[], date=date, forms=True)[0]
    text = render_pdf(head + '<input type="text" name="b/value"></body></html>', roots=[], date=date, forms=True)[0]
    merged = pikepdf.open(io.BytesIO(Merged([boxes, text]).write()))
    form = merged.Root.AcroForm
    das = [str(f.DA) for f in form.Fields if "/DA" in f]
    assert das and all(re.match(r"/TPForm ", da) for da in das), das
    assert str(form.DR.Font.TPForm.Encoding) == "/WinAnsiEncoding"
    assert sorted(str(f.T) for f in form.Fields) == ["a/ok", "b/value"]

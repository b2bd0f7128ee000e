"""Long quality documents render as cached sections, merged and stamped (techpack.pdfsections).

The examples are small enough to render whole, so these tests shrink the chunk size: the enclosure's
batch record then renders as six chunks of sections, each its own render, cache entry and merge input,
as a 100-part product's does.
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


@pytest.fixture
def sectioned(monkeypatch, tmp_path):
    """A few sections per render, with a section cache of this test's own."""
    monkeypatch.setattr(pdfsections, "CHUNK_BYTES", 20_000)
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
    assert log["reused"] == [] and len(keys) == len(set(keys)) > 10  # every section, each once
    assert {"header", "inline", "deviations-and-gates", f"grid/fai/{ENCLOSURE_LID}", f"fri/{ENCLOSURE_LID}"} <= set(keys)
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

    # every section embeds the whole form font: the merged file keeps one copy of each embedded font file
    import hashlib

    import pikepdf

    with pikepdf.open(pdf) as doc:
        files = [obj.get(k) for obj in doc.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor
                 for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in obj]
        digests = {f.objgen: hashlib.sha256(f.read_raw_bytes()).hexdigest() for f in files}
        assert len(files) > len(digests) and len(set(digests.values())) == len(digests)

    # the same inputs, cold again, in one process: the same bytes as the parallel build
    shutil.rmtree(sectioned / "pdf-sections")
    serial = build(spec, tmp_path / "b", jobs=1)
    assert serial.sections["batch-record.pdf"]["rendered"] == keys
    for path in ("batch-record.pdf", "inspection/plan.pdf"):
        assert (tmp_path / "b" / path).read_bytes() == (tmp_path / "a" / path).read_bytes(), path

    # one part changed: the chunks holding its sections render again, the others come from the cache
    lid = spec / "parts" / "lid.yaml"
    lid.write_text(lid.read_text(encoding="utf-8").replace("name: ", "name: Revised ", 1), encoding="utf-8")
    changed = build(spec, tmp_path / "c", jobs=2)
    log = changed.sections["batch-record.pdf"]
    assert sorted(log["rendered"] + log["reused"]) == sorted(keys)
    assert {"header"} | {k for k in keys if k.endswith("/" + ENCLOSURE_LID)} <= set(log["rendered"])
    assert {"grid/sample/TP-3001-03", "grid/sample/EX-3001"} <= set(log["reused"]), log
    plan_log = changed.sections["inspection/plan.pdf"]
    assert f"part/{ENCLOSURE_LID}" in plan_log["rendered"], plan_log
    text = "".join(_page_texts(tmp_path / "c" / "batch-record.pdf"))
    assert "Revised" in text and (tmp_path / "c" / "batch-record.pdf").read_bytes() != pdf.read_bytes()


def build(spec, out, jobs):
    from techpack.build import BuildOptions
    from techpack.build import build as run
    from techpack.renderers.quality import RENDERER

    result = run(spec, out, BuildOptions(jobs=jobs, force=True), renderers={RENDERER.name: RENDERER})
    assert result.written, [str(d) for d in result.diagnostics]
    return result


def test_small_documents_render_whole(tmp_path, monkeypatch):
    """Under the chunk size a marked document is one render: no merge, no overlay, no cache entry."""
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache"))
    import datetime as dt

    html = ('<html><head><link rel="stylesheet" href="base.css"></head><body><div class="runners"></div>'
            '<!--tp-section:a--><p>one</p><!--tp-section:b--><p>two</p></body></html>')
    log = pdfsections.SectionLog()
    date = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    data = pdfsections.render_sectioned(html, date=date, forms=False, cache=tmp_path / "cache", workers=2, log=log)
    assert log.rendered == ["a", "b"] and not (tmp_path / "cache" / "pdf-sections").exists()
    from techpack.pdf import render_pdf

    assert data == render_pdf(html, roots=[], date=date)[0]


def test_section_marks_must_be_unique():
    with pytest.raises(ValueError, match="unique section marks"):
        pdfsections.split("<html><head></head><body><!--tp-section:a-->x<!--tp-section:a-->y</body></html>")


def test_chunks_group_neighbours_and_keep_order():
    sections = [(f"s{i}", "x" * 100) for i in range(50)]
    groups = pdfsections.chunks(sections, 1000)
    assert [i for g in groups for i in g] == list(range(50))
    assert all(1000 <= sum(len(sections[i][1]) for i in g) <= 2000 for g in groups[:-1])
    assert pdfsections.chunks(sections, 10**9) == [list(range(50))]
    assert pdfsections.chunks(sections, 1) == [[i] for i in range(50)]


def test_more_chunks_than_workers_each_in_a_process_of_its_own():
    """Seven renders over two processes come back complete and in order, the same as in one process."""
    import datetime as dt

    date = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    jobs = [(f"<html><head></head><body><p>chunk {i}</p></body></html>", False, date) for i in range(7)]
    assert pdfsections.render_all(jobs, 2) == pdfsections.render_all(jobs, 1)
    with pytest.raises(RuntimeError, match="AttributeError"):  # a failed render fails the document
        pdfsections.render_all([jobs[0], ("<html><body>", "not a bool", "not a date")], 2)

"""The three examples' tech-pack PDFs: complete, navigable, fonts embedded, symbols as symbols."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from techpack.engine import Options, compile_spec
from techpack.renderers import RENDERERS
from techpack.renderers.techpack_pdf import RENDERER

from .conftest import EXAMPLE_NAMES, EXAMPLES, ROOT, need, pdffonts, pdftotext


def compiled(name: str):
    comp = compile_spec(EXAMPLES / name, Options())
    assert comp.ok
    return comp


def bom_numbers(lines) -> list[str]:
    out = []
    for line in lines:
        if line.part:
            out.append(line.part)
        if line.subassembly:
            out.append(line.subassembly.number)
        out += bom_numbers(line.children)
    return out


def outline_titles(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def test_registered_last_and_depends_on_spec_capability_and_parts():
    assert list(RENDERERS)[-1] == "techpack-pdf"
    comp = compiled("enclosure")
    (target,) = RENDERER.targets(comp)
    assert (target.path, target.kind) == ("techpack.pdf", "techpack-pdf")
    assert {"spec", "capability", "part:TP-3001-01", "part:TP-3001-02", "part:TP-3001-03"} == set(target.depends)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_bom_part_number_and_characteristic_id_is_in_the_text(built, name):
    comp = compiled(name)
    text = pdftotext(built(name))
    words = set(text.split())
    numbers = bom_numbers(comp.loaded.spec.bom)
    assert numbers
    missing = [n for n in numbers if n not in words]
    assert not missing
    ids = [ch.id for chars in comp.context.characteristics.values() for ch in chars]
    assert len(ids) > 10
    assert not [i for i in ids if i not in words]
    for std in [line.purchased.standard for line in _all_lines(comp.loaded.spec.bom) if line.purchased]:
        assert " ".join(std.split()) in " ".join(text.split())


def _all_lines(lines):
    for line in lines:
        yield line
        yield from _all_lines(line.children)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_font_is_embedded_and_ours(built, name):
    rows = pdffonts(built(name))
    assert rows
    for row in rows:
        # name type [type] encoding emb sub uni object ID: emb is the 5th column from the end
        assert row[-5] == "yes", row
        assert "techpack" in row[0], f"a font outside the shipped set was used: {row[0]}"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_character_has_a_glyph_in_the_shipped_fonts(built, name):
    fonts = [TTFont(p) for p in sorted((ROOT / "templates" / "fonts").glob("*.ttf"))]
    covered = set().union(*(set(f.getBestCmap()) for f in fonts))
    text = pdftotext(built(name))
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in covered and c != "\f"})
    assert not missing


def test_gdt_symbols_are_text_in_the_gdt_font(built):
    text = pdftotext(built("bracket"))
    for symbol in "⌖⏥⟂Ⓜ":
        assert symbol in text
    assert any("techpack-GDT" in row[0] for row in pdffonts(built("bracket")))
    shaft = pdftotext(built("shaft"))
    for symbol in "⌭↗⌯":
        assert symbol in shaft


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_metadata_outline_and_running_header(built, name):
    comp = compiled(name)
    p = comp.loaded.spec.product
    reader = pypdf.PdfReader(built(name))
    meta = reader.metadata
    assert meta.title == f"{p.number} {p.name}, revision {p.revision}: tech pack"
    assert meta.author == p.owner
    assert p.number in meta.subject and "quotation" in meta.subject
    assert all(part.number in meta["/Keywords"] for part in comp.loaded.spec.parts)
    assert meta["/CreationDate"].startswith("D:" + comp.date.strftime("%Y%m%d"))
    titles = outline_titles(reader)
    top = [t for d, t, _ in titles if d == 0]
    for section in ("Cover", "Revision history", "Bill of materials", "Materials and certificates", "Parts",
                    "Capability report", "Production plan and gates", "Standards referenced", "Attached files"):
        assert section in top
    for part in comp.loaded.spec.parts:
        assert any(d == 1 and t.startswith(f"{part.number} {part.name}") for d, t, _ in titles)
    # page numbers increase along the outline
    pages = [page for _, _, page in titles]
    assert pages == sorted(pages)
    n = len(reader.pages)
    for i, page in enumerate(reader.pages[1:], 2):
        text = page.extract_text()
        assert f"Page {i} of {n}" in text
        assert f"{p.number} {p.name}" in text and f"Revision {p.revision}" in text


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_with_several_parts_each_part_starts_a_page_of_its_own(built, name):
    """The list of parts is a page of its own and every part starts one (so one part's pages can be handed out
    alone, and renaming a part lays out the list and that part, not the first part too); a single part
    follows the list on its page."""
    parts = compiled(name).loaded.spec.parts
    titles = outline_titles(pypdf.PdfReader(built(name)))
    start = next(i for i, (d, t, _) in enumerate(titles) if (d, t) == (0, "Parts"))
    listed = titles[start][2]
    firsts = [page for d, t, page in titles[start + 1:] if d == 1][:len(parts)]
    assert len(firsts) == len(parts) and len(set(firsts)) == len(parts)
    if len(parts) > 1:
        assert listed < firsts[0]
    else:
        assert firsts == [listed]


def test_sections_in_order_and_gates_from_the_spec(built):
    reader = pypdf.PdfReader(built("enclosure"))
    top = [t for d, t, _ in outline_titles(reader) if d == 0]
    assert top == ["Cover", "Revision history", "Bill of materials", "Materials and certificates", "Finishes",
                   "Parts", "Assembly sequence", "Capability report", "Production plan and gates",
                   "Packaging and labelling", "Standards referenced", "Attached files"]
    text = " ".join(pdftotext(built("enclosure")).split())
    from techpack.techpack_pdf.production import build_production

    comp = compiled("enclosure")
    plan = build_production(comp.context, comp.diagnostics, None)
    assert [g.name for g in plan.gates] == [
        "DFM signed off", "Sample batch within tolerance", "PP sample from bulk material and production tooling",
        "FAI passed", "Inline QC within control limits", "Batch-ID labels verified"]
    assert all(g.planned for g in plan.gates)
    for g in plan.gates:
        assert g.name.split()[0] in text and g.criterion.split(".")[0][:40] in text
    assert "10 units of each part" in text  # sample_batch: 10
    assert "3 units made from the bulk material lot" in text  # pp_sample quantity 3
    assert "EN 10204 3.1" in text and "EN 10204 2.2" in text
    assert "Qualicoat class 1" in text and "RAL 9005" in text


def test_bom_is_multi_level_with_masses(built):
    comp = compiled("enclosure")
    ctx = comp.context
    parts = {p.number: p for p in comp.loaded.spec.parts}
    text = pdftotext(built("enclosure"), layout=True)
    body, lid, standoff = (ctx.part_mass_g(parts[n]) for n in ("TP-3001-01", "TP-3001-02", "TP-3001-03"))
    assert body and lid and standoff
    total = body + lid + 4 * standoff
    shown = f"{total:.1f}".replace(",", "")
    assert shown in text.replace("\u2009", "")
    assert "EX-3001-10" in text and "Body assembly" in text
    assert "without items 1.3, 3, 4, 5" in " ".join(text.split())


def test_a_table_that_breaks_across_pages_repeats_its_header(built):
    reader = pypdf.PdfReader(built("shaft"))
    pages = [p.extract_text() for p in reader.pages]
    first = next(i for i, t in enumerate(pages) if "seat-a.size" in t and "Characteristics of" in t)
    last = next(i for i, t in enumerate(pages) if "keyway-start" in t and "Characteristics of" not in t
                and "Capability" not in t)
    assert last > first  # the shaft's characteristics table runs onto a second page
    for text in (pages[first], pages[last]):
        assert "ID Requirement Limits Class" in " ".join(text.split())


def test_characteristics_table_of_the_bracket(built):
    text = " ".join(pdftotext(built("bracket"), layout=True).split())
    # bore: Ø12 H7 = 12.000 .. 12.018, a key characteristic
    assert "bore.size" in text and "12.018" in text
    assert "KEY" in text
    assert "Break all sharp edges" in text and "No burrs in the Ø12 bore." in text
    # a note's limits are the plan's: the supplier reads the same numbers in both documents
    assert re.search(r"note\.1 Break all sharp edges 0\.2-0\.5 mm\. 0\.2 – 0\.5 mm minor", text), text
    assert re.search(r"note\.2 No burrs in the Ø12 bore\. minor", text)


def test_drawing_missing_is_said_and_present_is_shown_at_true_scale(built):
    plain = pypdf.PdfReader(built("enclosure"))
    assert "Drawing not available" in pdftotext(built("enclosure"))
    assert all(round(float(p.mediabox.width)) == 595 for p in plain.pages)  # all A4
    path = built("enclosure", drawings=True)
    reader = pypdf.PdfReader(path)
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert (1191, 842) in sizes  # the body's A3 sheet on an A3 page
    assert (842, 595) in sizes  # the standoff's A4 landscape sheet on its own size
    assert sizes.count((1191, 842)) == 2  # the lid's A2 sheet reduced onto A3
    text = " ".join(pdftotext(path).split())
    assert "Drawing not available" not in text
    assert "FAKE SHEET TP-3001-01" in text
    assert "Sheet A3, printed at actual size" in text
    assert "Sheet A2, printed reduced to 71 % of the A2 original" in text
    titles = outline_titles(reader)
    drawing_pages = [page for d, t, page in titles if d == 2 and t == "Drawing"]
    assert len(drawing_pages) == 3
    assert all(sizes[page - 1] != (595, 842) for page in drawing_pages)


def test_every_page_renders(built, tmp_path):
    need("pdftoppm")
    path = built("enclosure", drawings=True)
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(pypdf.PdfReader(path).pages)
    assert all(p.stat().st_size > 500 for p in pngs)


def test_the_real_drawings_renderer_is_picked_up(tmp_path):
    """With the whole registry, the drawings renderer's SVG sheets land in the PDF at true scale."""
    if "drawings" not in RENDERERS:
        pytest.skip("no drawings renderer registered yet")
    from techpack.build import BuildOptions, build

    folder = tmp_path / "bracket"
    import shutil

    shutil.copytree(EXAMPLES / "bracket", folder)
    result = build(folder, tmp_path / "out", BuildOptions())
    assert result.written
    assert list(RENDERERS).index("drawings") < list(RENDERERS).index("techpack-pdf")
    path = tmp_path / "out" / "techpack.pdf"
    reader = pypdf.PdfReader(path)
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert (1191, 842) in sizes  # the bracket's A3 sheet, printed at actual size
    text = pdftotext(path)
    text = " ".join(text.split())
    # drawn at 1:1, beside the revision table of its history (A, B)
    assert "Drawing not available" not in text and "Sheet A3, drawn at 1:1, printed at actual size" in text
    # the title block says the same scale: on the drawing's page "1:1" stands in its Scale cell and in the footer
    page = next(p for p in pdftotext(path).split("\f") if "Sheet A3, drawn at 1:1" in " ".join(p.split()))
    words = page.split()
    assert "Scale" in words and words.count("1:1") + words.count("1:1,") >= 2
    assert "drawings/TP-1001-01.dxf" in reader.attachments
    assert all(row[-5] == "yes" for row in pdffonts(path))


def test_part_size_is_the_models_box_along_x_y_z(built):
    """Not sorted: the shaft's axis is Z, so it reads 25 x 25 x 150, as the drawing's views show it."""
    text = " ".join(pdftotext(built("shaft"), layout=True).split())
    assert "Size (bounding box) 25 x 25 x 150 mm (X x Y x Z)" in text


def test_part_page_names_the_routing_the_capability_check_assessed(built):
    text = " ".join(pdftotext(built("bracket"), layout=True).split())
    assert "Processes milling-3axis → drilling → tapping (derived from its features;" in text
    text = " ".join(pdftotext(built("enclosure"), layout=True).split())
    assert "Processes laser-cutting → bending" in text  # the body lists its processes

"""The data behind the PDF: BOM roll-up with masses, drawing sheet placement, formatting."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from techpack.engine import Options, compile_spec
from techpack.techpack_pdf import fmt
from techpack.techpack_pdf.bom import build_bom
from techpack.techpack_pdf.context import part_anchors, quantities_per_product
from techpack.techpack_pdf.sheets import SheetError, place, svg_size_mm

SPEC = """\
techpack: "1"
product: {number: P-1, name: Roll-up, revision: A, revision_date: 2026-01-05, owner: Tests}
materials:
  - {id: al, designation: EN AW-6061-T6, family: aluminium}
parts:
  - {number: P-1-01, name: Plate, revision: A, material: al, mass: 10 g, envelope: 50 x 40 x 5}
  - {number: P-1-02, name: Pin, revision: A, material: al, mass: 0.5 kg, envelope: 10 x 10 x 40}
  - {number: P-1-03, name: Spacer, revision: A, material: al, envelope: 10 x 10 x 5}
bom:
  - item: "1"
    subassembly: {number: P-1-10, name: Frame}
    quantity: 2
    children:
      - {item: "1.1", part: P-1-01, quantity: 3}
      - item: "1.2"
        subassembly: {number: P-1-11, name: Pin set}
        quantity: 2
        children:
          - {item: "1.2.1", part: P-1-02, quantity: 1}
  - {item: "2", part: P-1-03, quantity: 4}
  - {item: "3", purchased: {description: Grease}, quantity: "0.25", unit: kg}
  - {item: "4", purchased: {description: Screw, standard: ISO 4762 M4x8}, quantity: 6}
"""


@pytest.fixture
def comp(tmp_path):
    (tmp_path / "techpack.yaml").write_text(textwrap.dedent(SPEC), encoding="utf-8")
    result = compile_spec(tmp_path, Options(geometry=False))
    assert result.context is not None, [d.message for d in result.diagnostics]
    return result


def test_bom_rolls_masses_up_through_every_level(comp):
    bom = build_bom(comp.context, part_anchors(comp.loaded.spec))
    rows = {r.item: r for r in bom.rows}
    assert [r.item for r in bom.rows] == ["1", "1.1", "1.2", "1.2.1", "2", "3", "4"]
    assert [r.level for r in bom.rows] == [0, 1, 1, 2, 0, 0, 0]
    assert rows["1.1"].extended_quantity == "6" and rows["1.1"].line_mass == "60.0"
    assert rows["1.2.1"].extended_quantity == "4" and rows["1.2.1"].line_mass == fmt.grams(Decimal(2000))
    assert rows["1.2"].unit_mass == fmt.grams(Decimal(500))  # one pin set = one pin
    assert rows["1"].unit_mass == fmt.grams(Decimal(1030))  # 3 plates + 2 pin sets
    assert rows["1"].line_mass == fmt.grams(Decimal(2060))
    assert rows["3"].line_mass == fmt.grams(Decimal(250))  # 0.25 kg of grease
    assert rows["2"].unit_mass == "—"  # no mass, no geometry
    assert bom.unknown_mass_lines == ["2", "4"]
    assert bom.total_mass == fmt.grams(Decimal(60 + 2000 + 250))
    assert (bom.make_count, bom.buy_count) == (3, 2)
    assert rows["1.1"].anchor == "part-1" and rows["4"].anchor is None
    assert rows["4"].details == ["ISO 4762 M4x8"]


def test_quantities_per_product(comp):
    qty = quantities_per_product(comp.loaded.spec.bom)
    assert qty == {"P-1-01": Decimal(6), "P-1-02": Decimal(4), "P-1-03": Decimal(4)}


def _svg(w: str, h: str, box: str = "") -> bytes:
    vb = f' viewBox="{box}"' if box else ""
    return f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"{vb}></svg>'.encode()


def test_a3_sheet_at_true_scale_on_its_own_page():
    s = place(_svg("420mm", "297mm"), 1)
    assert (s.sheet_name, s.scale, s.page_width, s.page_height) == ("A3", 1.0, "420mm", "297mm")
    assert (s.image_width, s.image_height) == ("420mm", "297mm")
    assert s.scale_text == "printed at actual size"


def test_larger_sheets_are_reduced_and_say_so():
    a1 = place(_svg("841mm", "594mm"), 2)
    assert (a1.sheet_name, a1.page_width, a1.page_height) == ("A1", "420mm", "297mm")
    assert a1.scale == pytest.approx(0.4994, abs=1e-3) and "reduced to 50 %" in a1.scale_text
    ansi_d = place(_svg("34in", "22in"), 3)
    assert ansi_d.sheet_name == "ANSI D" and (ansi_d.page_width, ansi_d.page_height) == ("431.8mm", "279.4mm")
    portrait = place(_svg("210mm", "297mm"), 4)
    assert (portrait.sheet_name, portrait.scale, portrait.page_width) == ("A4", 1.0, "210mm")


def test_sheet_sizes_from_units_or_viewbox():
    assert svg_size_mm(_svg("11in", "8.5in")) == pytest.approx((279.4, 215.9))
    assert svg_size_mm(_svg("", "", "0 0 420 297")) == (420.0, 297.0)
    with pytest.raises(SheetError):
        svg_size_mm(b"<html></html>")
    with pytest.raises(SheetError):
        svg_size_mm(_svg("100%", "100%"))


def test_number_formats_are_plain_and_stable():
    assert fmt.dec(Decimal("12.0180")) == "12.018" and fmt.dec(Decimal("1E+1")) == "10"
    assert fmt.grams(Decimal("1234.56")) == "1\u2009234.6"
    assert fmt.percent(0.296) == "+30 %" and fmt.percent(-0.05) == "-5 %"
    assert fmt.fixed(None) == "—" and fmt.fixed(-0.0001) == "0.00"


def test_a_minimal_spec_renders_and_says_what_is_missing(comp):
    from techpack.techpack_pdf import render_html
    from techpack.techpack_pdf.production import build_production

    plan = build_production(comp.context, comp.diagnostics, None)
    assert [g.planned for g in plan.gates] == [True, False, False, False, False, False]
    html, files = render_html(comp, pdf_a=False)
    assert files == []
    assert "The spec has no production section" in html
    assert "No RFQ contact in the spec." in html
    assert "The spec records no revision history" in html
    assert "Drawing not available" in html
    assert 'id="finishes"' not in html and 'id="assembly"' not in html and 'id="attachments"' not in html


def test_a_kit_without_made_parts_with_a_deviations_log(tmp_path):
    from techpack.techpack_pdf import render_document, render_html

    (tmp_path / "techpack.yaml").write_text(textwrap.dedent("""\
        techpack: "1"
        product: {number: P-9, name: Kit, revision: A, revision_date: 2026-01-05, owner: Tests}
        bom:
          - {item: "1", purchased: {description: Screw, standard: ISO 4762 M4x8}, quantity: 6}
        deviations:
          - {id: D-1, description: "Screw length <b>10</b> allowed", affects: [P-9], status: approved, owner: QA}
        """), encoding="utf-8")
    comp = compile_spec(tmp_path, Options(geometry=False))
    assert comp.context is not None
    html, files = render_html(comp)
    assert "The spec declares no made parts" in html
    assert 'id="deviations"' in html and "Screw length &lt;b&gt;10&lt;/b&gt; allowed" in html
    assert [name for name, _, _ in files] == ["spec/techpack.yaml", "capability/default-capability.yaml"]
    assert "It carries the spec and the capability data as attachments" in html
    pdf, refused = render_document(comp)
    assert pdf.startswith(b"%PDF-1.7") and refused == []

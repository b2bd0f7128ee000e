"""One truth on every page: the scale the PDF states is the sheet's own, the title block's date the revision's."""

from __future__ import annotations

import datetime as dt
import re

from techpack.dates import revision_day
from techpack.drawings.sheet import title_data
from techpack.drawings.svg import write_svg
from techpack.techpack_pdf.sheets import place


def _title_scale(sheet) -> str:
    """The scale the title block prints (the text beside its "Scale" label)."""
    texts = [p for p in sheet.primitives if getattr(p, "text", None) is not None]
    labels = [t for t in texts if t.text == "Scale"]
    assert len(labels) == 1
    lab = labels[0]
    near = [t for t in texts if re.fullmatch(r"\d+:\d+|—", t.text) and abs(t.x - lab.x) < 3 and 0 < lab.y - t.y < 13]
    assert len(near) == 1, [t.text for t in near]
    return near[0].text


def test_the_pdf_states_the_scale_the_sheet_is_drawn_at(sheets):
    seen = set()
    for pn, (_comp, _part, sheet) in sheets.items():
        drawn = f"{sheet.scale[0]}:{sheet.scale[1]}"
        assert _title_scale(sheet) == drawn, pn
        placed = place(write_svg(sheet), 1)
        assert placed.drawing_scale == drawn
        assert f", drawn at {drawn}, " in placed.description
        assert "1:1 (" not in placed.description  # the print scale is never written as a drawing scale
        seen.add(drawn)
    assert len(seen) > 1  # the examples hold sheets at several scales (the enclosure's 1:2 and 5:1)


def test_title_block_date_is_the_revision_date_not_the_build_date(sheets, monkeypatch):
    comp, part, _sheet = sheets["TP-3001-01"]
    product = comp.loaded.spec.product
    assert product.revision_date
    later = comp.date + dt.timedelta(days=400)
    monkeypatch.setattr(comp, "date", later)
    assert title_data(comp, part).date == str(product.revision_date)
    assert revision_day(product, later) != later.date().isoformat()


def test_revision_day_falls_back_to_history_then_build_date(sheets):
    comp, _part, _sheet = sheets["TP-3001-01"]
    product = comp.loaded.spec.product
    build = dt.datetime(2030, 1, 2, tzinfo=dt.timezone.utc)
    no_date = product.model_copy(update={"revision_date": None})
    current = [r for r in product.history if r.revision == product.revision]
    if current:
        assert revision_day(no_date, build) == str(current[0].date)
    bare = no_date.model_copy(update={"history": []})
    assert revision_day(bare, build) == "2030-01-02"

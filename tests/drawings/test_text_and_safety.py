"""Spec strings reach the DXF and SVG literally; layer names and coordinates are checked."""

from __future__ import annotations

import io
import math

import ezdxf
import pytest
from ezdxf.tools.text import plain_mtext
from lxml import etree

from techpack.drawings.model import Dimension, DrawingError, Line, Sheet, Text, check_layer
from techpack.drawings.text import dimension_text_escape, mtext_escape

HOSTILE = [
    "A\\P{\\fArial;B}^J%%c<>",  # paragraph, font group, caret newline, diameter code, dimension placeholder
    "50% off, 100%%p",
    "x^y ^ z and \\S1^2; stacked",
    "{\\C1;red} ~\\~ []",
    "%%%",
    "a\\\\b",
]


def _roundtrip(content: str) -> str:
    doc = ezdxf.new("R2013")
    doc.modelspace().add_mtext(content)
    stream = io.StringIO()
    doc.write(stream)
    back = ezdxf.read(io.StringIO(stream.getvalue()))
    return plain_mtext(back.modelspace().query("MTEXT")[0].text)


@pytest.mark.parametrize("text", HOSTILE)
def test_mtext_control_codes_show_literally(text):
    assert _roundtrip(mtext_escape(text)) == text


def test_line_breaks_and_control_characters_become_spaces():
    assert mtext_escape("one\ntwo\r\nthree\tfour\x07") == "one two three four"


def test_dimension_text_cannot_pull_in_the_measurement():
    assert "<>" not in dimension_text_escape("see <> and []")
    assert _roundtrip(dimension_text_escape("see <> and []")) == "see <> and []"


def test_layer_names_are_checked():
    assert check_layer("VISIBLE") == "VISIBLE"
    for bad in ("visible", "MY LAYER", "A/B", "", "NEW"):
        with pytest.raises(DrawingError):
            check_layer(bad)
    with pytest.raises(DrawingError):
        Line("Layer 0", 0, 0, 1, 1)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_coordinates_are_rejected(bad):
    with pytest.raises(DrawingError):
        Line("VISIBLE", 0, 0, bad, 1)
    with pytest.raises(DrawingError):
        Text("ANNOTATION", bad, 0, 2.5, "x")


def test_the_dxf_writer_rejects_a_non_finite_dimension_point():
    import datetime as dt

    from techpack.drawings.dxf import write_dxf

    sheet = Sheet("A3", 420.0, 297.0, (1, 1))
    sheet.dimensions.append(Dimension("linear", "10", 10.0, {"p1": (0, 0), "p2": (10, math.nan), "line": (10, 5)},
                                      (5, 6), []))
    with pytest.raises(DrawingError):
        write_dxf(sheet, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))


def test_hostile_spec_strings_reach_both_formats_literally(copy_example):
    from techpack.drawings import make_sheet
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.svg import write_svg

    from drawing_helpers import compile_example

    folder = copy_example("bracket")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    name = "Bracket \\P{\\fArial;x}^J%%c <script>alert(1)</script> & <>"
    note = "Deburr {\\C1;red} 50% ^I tab \\S1^2; %%p0.1 ]]> --> &amp;"
    text = text.replace("    name: Bracket\n", f"    name: '{name}'\n")
    text = text.replace("      - Break all sharp edges 0.2-0.5 mm.\n", f"      - '{note}'\n")
    spec.write_text(text, encoding="utf-8")
    comp = compile_example(folder)
    part = comp.loaded.spec.parts[0]
    assert part.name == name and part.notes[0] == note
    sheet = make_sheet(comp, part)

    doc = ezdxf.read(io.StringIO(write_dxf(sheet, comp.date).decode("utf-8")))
    texts = [plain_mtext(m.text) for m in doc.modelspace().query("MTEXT")]
    assert name in " ".join(texts)  # the title, shown literally (wrapped onto two lines at 2.5 mm, ISO 3098)
    assert any(note in t for t in texts)

    svg = write_svg(sheet)
    root = etree.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert not root.findall(".//s:script", ns)
    contents = ["".join(t.itertext()) for t in root.iterfind(".//s:text", ns)]
    assert name in " ".join(contents)
    assert any(note in c for c in contents)

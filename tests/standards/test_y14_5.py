"""Values as an ASME Y14.5 (or ISO) drawing writes them, and the title-block tolerance block."""

from __future__ import annotations

from decimal import Decimal

import pytest

from techpack.schema.quantities import parse_dimension
from techpack.standards.general_tolerance import parse_general_tolerance
from techpack.standards.tables import StandardsError
from techpack.standards.y14_5 import drawing_text, in_report_unit, mm_as_inch, one_line, tolerance_text


@pytest.mark.parametrize("written, unit, asme, iso", [
    # inch: no leading zero; the dimension and its tolerance with the same places
    ("Ø.257 ±.004", "in", "Ø.257 ±.004", "Ø.257 ±.004"),
    (".5 ±.005", "in", ".500 ±.005", ".5 ±.005"),
    (".500 ±.01", "in", ".500 ±.010", ".500 ±.01"),
    ("1.25 +.01/-.005", "in", "1.250 +.010/-.005", "1.25 +.01/-.005"),
    # unilateral: the nil deviation with the other's places and its sign
    (".500 +.005/0", "in", ".500 +.005/-.000", ".500 +.005/0"),
    (".500 0/-.005", "in", ".500 +.000/-.005", ".500 0/-.005"),
    # basic: no leading zero, the places written (ISO keeps the leading zero)
    (".75 basic", "in", ".75", "0.75"),
    ("2 basic", "in", "2", "2"),
    ("1.25 basic", "in", "1.25", "1.25"),
    ("2.00", "in", "2.00", "2.00"),
    (".50 max", "in", ".50 MAX", ".50 max"),
    # limits: upper over lower, both with the same places
    ("Ø.500..0.504", "in", "Ø.504\nØ.500", "Ø0.504\nØ0.500"),
    ("Ø34.8..35.2", "mm", "Ø35.2\nØ34.8", "Ø35.2\nØ34.8"),
    ("34.8..35.25", "mm", "35.25\n34.80", "35.25\n34.80"),
    # millimetres on an ASME drawing: leading zero, no trailing zeros on the nominal,
    # nil deviation a single 0, both deviations with the same places
    ("32 +0.25/-0.1", "mm", "32 +0.25/-0.10", "32 +0.25/-0.1"),
    ("32 0/-0.02", "mm", "32 0/-0.02", "32 0/-0.02"),
    ("0.50 ±0.05", "mm", "0.5 ±0.05", "0.50 ±0.05"),
    ("12.0 basic", "mm", "12", "12"),
    ("12 H7", "mm", "12 H7 (+0.018/0)", "12 H7 (+0.018/0)"),
    ("20 js6", "mm", "20 js6 (±0.0065)", "20 js6 (±0.0065)"),
    ("90° ±1°", "in", "90° ±1°", "90° ±1°"),
])
def test_drawing_text(written, unit, asme, iso):
    dim = parse_dimension(written, unit)
    assert drawing_text(dim, "ASME") == asme
    assert drawing_text(dim, "ISO") == iso


def test_one_line_and_tolerance_texts():
    limits = parse_dimension("Ø.500..0.504", "in")
    assert one_line(limits, "ASME") == "Ø.500-.504"  # on one line the low limit first
    assert tolerance_text(limits, "ASME") == ".500-.504"
    assert one_line(parse_dimension("Ø34.8..35.2"), "ISO") == "Ø34.8..35.2"
    assert tolerance_text(parse_dimension("Ø34.8..35.2"), "ISO") == "34.8..35.2"
    assert tolerance_text(parse_dimension(".500 +.005/0", "in"), "ASME") == "+.005/-.000"
    assert tolerance_text(parse_dimension(".500 +.005/0", "in"), "ISO") == "+0.005/0"


def test_tolerance_block_by_places():
    g = parse_general_tolerance("UNLESS OTHERWISE SPECIFIED: .XX ±.01 .XXX ±.005 ANGLES ±1°", "in")
    assert g.is_block and g.linear and g.unit == "in"
    assert g.by_places == {2: Decimal(".01"), 3: Decimal(".005")}
    assert g.angular == Decimal(1)
    assert g.block_pm(1) is None and g.places_listed() == ".XX, .XXX"
    g = parse_general_tolerance("TOLERANCES: X.X ±0.2 X.XX ±0.05 X ±0.5 ANGLES ±0°30'")
    assert g.by_places == {1: Decimal("0.2"), 2: Decimal("0.05"), 0: Decimal("0.5")}
    assert g.angular == Decimal("0.5")
    iso = parse_general_tolerance("ISO 2768-mK")
    assert (iso.linear_class, iso.geometric_class, iso.is_block) == ("m", "K", False)


@pytest.mark.parametrize("text, message", [
    ("UNLESS OTHERWISE SPECIFIED: .XX ±.01 FRACTIONS ±1/64", "cannot read 'FRACTIONS ±1/64'"),
    ("per drawing", "is neither an ISO 2768 callout"),
    (".XX ±.01 .XX ±.02", ".XX is given twice"),
    (".XX ±0", "must be greater than zero"),
    ("ISO 2768-x", "is not an ISO 2768 general-tolerance callout"),
])
def test_tolerance_block_refused(text, message):
    with pytest.raises(StandardsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_general_tolerance(text)


def test_capability_figures_in_inches():
    assert mm_as_inch(Decimal("0.01")) == ".00039"
    assert mm_as_inch(Decimal("25.4")) == "1"
    assert in_report_unit("flatness 0.01 mm", "in") == "flatness 0.01 mm (≈.00039 in)"
    assert in_report_unit("σ 0.003 mm up to 30 mm", "in") == "σ 0.003 mm (≈.00012 in) up to 30 mm (≈1.1811 in)"
    assert in_report_unit("flatness 0.01 mm", "mm") == "flatness 0.01 mm"


@pytest.mark.parametrize("text", ["X" * 20000, "." + "X" * 20000, "X." * 10000, "x" * 20000 + " ±1",
                                  "ANGLES ±" + "1" * 20000])
def test_tolerance_block_reads_long_text_in_linear_time(text):
    """A run of 20,000 X was read again from each of its characters (47 s); it is read once."""
    import time

    start = time.perf_counter()
    try:
        parse_general_tolerance(text)
    except StandardsError:
        pass
    assert time.perf_counter() - start < 5.0

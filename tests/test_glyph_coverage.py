"""The shipped list of code points the fonts draw (templates/fonts/coverage.txt) is the fonts' own."""

from __future__ import annotations

from techpack.checks import glyphs


def test_the_coverage_file_holds_exactly_the_fonts_code_points():
    glyphs.covered.cache_clear()
    points = glyphs.from_fonts()
    assert glyphs.covered() == points
    assert glyphs.COVERAGE.read_text(encoding="ascii") == glyphs.coverage_text(points)
    assert {ord("A"), ord("±"), ord("Ø"), ord("⌀"), ord("⌖")} <= points and ord("中") not in points


def test_ranges_round_trip():
    points = frozenset({0x20, 0x21, 0x22, 0x41, 0x2300, 0x2301, 0x1F600})
    text = glyphs.coverage_text(points)
    assert text == "0020-0022\n0041\n2300-2301\n1F600\n"

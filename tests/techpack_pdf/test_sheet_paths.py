"""The sheet as the PDF page draws it (techpack_pdf.sheets.for_pdf): runs of lines become paths, the strokes stay."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from techpack.drawings.svg import write_svg
from techpack.techpack_pdf.sheets import for_pdf

SVG = "{http://www.w3.org/2000/svg}"


def _segments(svg: bytes) -> list[tuple[str, list[tuple[float, ...]]]]:
    """Each group's straight segments, in order, whether written as lines or as a path's M/L subpaths."""
    out = []
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        segs = []
        for el in group:
            if el.tag == f"{SVG}line":
                segs.append(tuple(float(el.get(k)) for k in ("x1", "y1", "x2", "y2")))
            elif el.tag == f"{SVG}path" and "A" not in el.get("d"):
                for m in re.finditer(r"M(-?[0-9.]+) (-?[0-9.]+)L(-?[0-9.]+) (-?[0-9.]+)", el.get("d")):
                    segs.append(tuple(float(v) for v in m.groups()))
        out.append((group.get("id") or group.get("style") or "", segs))
    return out


def test_a_sheet_draws_the_same_segments_with_fewer_elements(example):
    from techpack.drawings.sheet import make_sheet
    from techpack.engine import Options, compile_spec

    comp = compile_spec(example("bracket") / "techpack.yaml", Options())
    svg = write_svg(make_sheet(comp, comp.loaded.spec.parts[0]))
    pdf_svg = for_pdf(svg)
    assert _segments(pdf_svg) == _segments(svg)
    assert svg.count(b"<line") > 100 and pdf_svg.count(b"<line") == 0
    before, after = (len(list(ElementTree.fromstring(s).iter())) for s in (svg, pdf_svg))
    assert after < before - svg.count(b"<line") * 3 / 4  # a path for a run of lines, not one per line
    # everything that is not a run of plain lines is left as it was
    assert re.sub(rb"<path d=\"M[^\"]*\"/>\n|<line [^>]*/>\n", b"", pdf_svg) == \
        re.sub(rb"<path d=\"M[^\"]*\"/>\n|<line [^>]*/>\n", b"", svg)


def test_only_runs_of_plain_lines_merge():
    one = b'<g>\n<line x1="1" y1="2" x2="3" y2="4"/>\n<circle cx="1" cy="1" r="1"/>\n</g>\n'
    assert for_pdf(one) == one  # a single line stays a line
    styled = (b'<g>\n<line x1="1" y1="2" x2="3" y2="4" stroke="red"/>\n'
              b'<line x1="5" y1="6" x2="7" y2="8" stroke="red"/>\n</g>\n')
    assert for_pdf(styled) == styled  # a line with attributes of its own keeps them
    run = b'<g>\n<line x1="1" y1="2" x2="3" y2="4"/>\n<line x1="-5" y1="6.5" x2="7" y2="8"/>\n</g>\n'
    assert for_pdf(run) == b'<g>\n<path d="M1 2L3 4M-5 6.5L7 8"/>\n</g>\n'
    switch = b"<switch>\n" + run + b"</switch>\n"
    assert for_pdf(switch) == switch  # a switch draws only its first child that applies

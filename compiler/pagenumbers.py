""""Page n of N" stamps written directly, placed as WeasyPrint places them.

A sectioned document's page numbers were an overlay document of empty pages, one per page, each carrying its
"Page n of N" in the page's bottom-right margin box (:mod:`techpack.pdfsections`): about 9 ms of WeasyPrint
layout a page, 15 CPU-s over the 1,600 pages of the 100-part product's quality documents, for one line of
text a page.

Now WeasyPrint lays out two of those pages only, "Page 1 of N" and "Page N of N" (:func:`calibrate` reads
where it put the text: the right end, the baseline, the size, the colour and the kerning of "Page " and " of N"),
and :func:`overlay` writes every page's line with the form font (``templates/fonts/techpack-form.ttf``: DejaVu
Sans's outlines and widths, embedded whole as a simple WinAnsi font, :mod:`techpack.pdfforms`), right-aligned
at that end. On the batch record's 60 first pages every word's box (pdftotext) is within 0.002 pt of
WeasyPrint's. :func:`calibrate` returns None, and the caller lays the pages out as before, when the two pages
disagree on the right end or the baseline, when a kerning adjustment touches the number, or when the text is
not one run, without rotation or spacing of its own, in the regular sans of base.css (DejaVu Sans, whose widths
the form font has).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

FONT = "TPnum"
TOLERANCE = 0.01  # pt: how far the two calibration pages' right ends may differ
_SANS = re.compile(r"/(?:[A-Z]{6}\+)?techpack-sans$")  # DejaVuSans.ttf as base.css names it, regular
_SPACING = frozenset(("Tc", "Tw", "Tz", "Ts", "Tr"))  # text state this module does not reproduce


@dataclass(frozen=True)
class Placement:
    """Where a document's page number goes, in PDF points of its page."""

    mediabox: tuple[float, ...]
    right: float
    baseline: float
    size: float
    colour: str  # the fill colour operator, e.g. "0.066667 0.066667 0.066667 rg"
    prefix: tuple[float, ...]  # TJ adjustment after each character of "Page " (thousandths of an em)
    suffix: tuple[float, ...]  # ... and after each of " of N"


def text(n: int, total: int) -> str:
    return f"Page {n} of {total}"


def _advance(line: str, adjustments) -> float:
    """The width of ``line`` in the form font, less its TJ ``adjustments`` (thousandths of an em)."""
    from .pdfforms import form_widths  # noqa: PLC0415

    widths = form_widths()
    return sum(widths[ord(ch) - 32] for ch in line) - sum(adjustments)


def _mul(m: tuple, n: tuple) -> tuple:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2)


def _run(page) -> tuple | None:
    """(text rendering matrix, font size, colour operator, TJ array) of the page's only text, or None (also when
    it is not drawn in the shipped regular sans, or with character, word or horizontal spacing of its own)."""
    import pikepdf  # noqa: PLC0415

    ctm, stack, colour, tm, size, shown, font = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), [], "0 g", None, None, [], None
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op in _SPACING:
            return None
        if op == "q":
            stack.append((ctm, colour))
        elif op == "Q":
            ctm, colour = stack.pop()
        elif op == "cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif op in ("rg", "g", "k"):
            colour = " ".join(f"{float(v):g}" for v in operands) + " " + op
        elif op == "Tm":
            tm = tuple(float(v) for v in operands)
        elif op == "Tf":
            font, size = operands[0], float(operands[1])
        elif op in ("TJ", "Tj", "'", '"', "Td", "TD", "T*"):
            if op != "TJ":
                return None  # not the one positioned run this reads
            base = page.obj.get("/Resources", {}).get("/Font", {}).get(str(font), {}).get("/BaseFont")
            if base is None or not _SANS.match(str(base)):
                return None  # another font than the one whose widths place the numbers
            shown.append((_mul(tm, ctm) if tm is not None else None, size, colour, list(operands[0])))
    return shown[0] if len(shown) == 1 and shown[0][0] is not None and shown[0][1] else None


def _adjustments(array: list, length: int) -> list[float] | None:
    """The TJ adjustment after each of ``length`` glyphs (Identity-H: two bytes a glyph), or None."""
    import pikepdf  # noqa: PLC0415

    after, glyphs = [0.0] * length, 0
    for item in array:
        if isinstance(item, pikepdf.String):
            glyphs += len(bytes(item)) // 2
        elif glyphs:
            if glyphs > length:
                return None
            after[glyphs - 1] += float(item)
        else:
            return None  # an adjustment before the first glyph
    return after if glyphs == length else None


def calibrate(pdf: bytes, total: int) -> Placement | None:
    """The placement that WeasyPrint's two-page overlay ``pdf`` ("Page 1 of total", "Page total of total") shows,
    or None when the pages cannot be reproduced as this module writes them (see the module)."""
    import pikepdf  # noqa: PLC0415

    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if len(doc.pages) != 2:
            return None
        for page, n in zip(doc.pages, (1, total)):
            run = _run(page)
            if run is None:
                return None
            trm, size, colour, array = run
            line = text(n, total)
            after = _adjustments(array, len(line))
            if after is None or trm[1] or trm[2] or trm[0] <= 0 or abs(trm[0] - trm[3]) > 1e-9:
                return None
            em = size * trm[0]  # the font size in points
            right = trm[4] + _advance(line, after) * em / 1000
            found.append((tuple(float(v) for v in page.mediabox), right, trm[5], em, colour, after, len(str(n))))
    (box1, right1, base1, em1, colour1, after1, d1), (box2, right2, base2, em2, colour2, after2, d2) = found
    prefix, suffix = len("Page "), len(f" of {total}")
    if (box1 != box2 or abs(right1 - right2) > TOLERANCE or abs(base1 - base2) > TOLERANCE or em1 != em2
            or colour1 != colour2 or after1[:prefix] != after2[:prefix] or after1[-suffix:] != after2[-suffix:]
            or any(after1[prefix - 1:prefix + d1]) or any(after2[prefix - 1:prefix + d2])):
        return None
    return Placement(box1, right1, base1, em1, colour1, tuple(after1[:prefix]), tuple(after1[-suffix:]))


def _tj(line: str, placement: Placement) -> str:
    after = list(placement.prefix) + [0.0] * (len(line) - len(placement.prefix) - len(placement.suffix)) \
        + list(placement.suffix)
    parts, run = [], ""
    for ch, adjust in zip(line, after):
        run += ch
        if adjust:
            parts.append(f"({run}) {adjust:g}")
            run = ""
    return "[" + " ".join(parts + ([f"({run})"] if run else [])) + "] TJ"


def overlay(placement: Placement, total: int) -> bytes:
    """A PDF of ``total`` pages, page *n* carrying "Page n of total" where ``placement`` says."""
    import pikepdf  # noqa: PLC0415

    from .pdfforms import form_font  # noqa: PLC0415

    pdf = pikepdf.new()
    resources = pdf.make_indirect(pikepdf.Dictionary(Font=pikepdf.Dictionary({f"/{FONT}": form_font(pdf)})))
    box = pikepdf.Array(list(placement.mediabox))
    for n in range(1, total + 1):
        line = text(n, total)
        x = placement.right - _advance(line, placement.prefix + placement.suffix) * placement.size / 1000
        body = (f"q {placement.colour} BT /{FONT} {placement.size:.4f} Tf {x:.4f} {placement.baseline:.4f} Td "
                f"{_tj(line, placement)} ET Q\n")
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=box, Resources=resources, Contents=pdf.make_stream(body.encode()))))
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return buf.getvalue()

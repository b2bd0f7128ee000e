"""Collapsed table borders stroked in runs (techpack.tableborders): the same pixels as WeasyPrint's own drawing,
fewer strokes, and WeasyPrint's drawing for every border that is not solid and opaque."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest

from techpack import tableborders
from techpack.pdf import render_pdf

DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
INSTALLED = pytest.mark.skipif(not tableborders.install(), reason="this WeasyPrint's collapsed-border drawing is "
                               "not the one techpack.tableborders was written against: it draws them itself")


def _table(cells: str, css: str = "") -> str:
    return ("<html><head><style>@page { size: 120mm 80mm; margin: 5mm } body { font: 7pt 'DejaVu Sans' } "
            "table { border-collapse: collapse; width: 100% } td { border: 0.3pt solid #000; padding: 1mm } "
            f"{css}</style></head><body><table>{cells}</table></body></html>")


GRID = "".join("<tr>" + "".join(f"<td>{r}.{c}</td>" for c in range(6)) + "</tr>" for r in range(8))
MIXED = "".join(
    "<tr>" + "".join(f'<td class="k{(r * 7 + c) % 9}">{r}{c}</td>' for c in range(5)) + "</tr>" for r in range(9))
MIXED_CSS = (".k1 { border: 2pt solid #c00 } .k2 { border: 1.5pt dashed #00c } .k3 { border: 3pt double #000 } "
             ".k4 { border: 1pt dotted #080 } .k5 { border: 2pt solid rgba(0, 0, 200, 0.4) } "
             ".k6 { border: 2.5pt ridge #888 } .k7 { border: 1pt solid #000; border-top: 4pt solid #c00 } "
             ".k8 { border: 2pt inset #666 }")


def _render(html: str, monkeypatch, stock: bool) -> bytes:
    import weasyprint.draw as draw

    if stock:
        monkeypatch.setattr(draw, "draw_collapsed_borders", draw.draw_collapsed_borders.stock)
    try:
        return render_pdf(html, roots=[], date=DATE)[0]
    finally:
        monkeypatch.undo()


def _strokes(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        content = pdf.pages[0].obj.Contents.read_bytes()
    return len(re.findall(rb"(?<![A-Za-z])S\s", content))


def _pixels(tmp_path, name: str, data: bytes) -> list[bytes]:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "200", "-gray", str(pdf), str(tmp_path / name)], check=True)
    return [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pgm"))]


def test_known_is_the_source_not_the_name():
    def draw_collapsed_borders(stream, table):  # same name, other code
        return None

    def draw_line(stream, x1, y1, x2, y2, thickness, style, color, offset=0):
        return None

    assert not tableborders.known(draw_collapsed_borders, draw_line)
    assert not tableborders.known(None, None)


@INSTALLED
def test_alike_borders_are_one_stroke(monkeypatch):
    """A grid of 0.3 pt black borders: WeasyPrint strokes each of its 110 cell sides apart; in runs, once."""
    html = _table(GRID)
    assert _strokes(_render(html, monkeypatch, stock=True)) == 8 * 7 + 9 * 6
    assert _strokes(_render(html, monkeypatch, stock=False)) == 1


@INSTALLED
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
@pytest.mark.parametrize(("cells", "css"), [(GRID, ""), (MIXED, MIXED_CSS)], ids=["grid", "mixed-styles"])
def test_the_same_pixels_as_weasyprint(tmp_path, monkeypatch, cells, css):
    """Solid, dashed, double, dotted, ridge, inset and translucent borders of several widths and colours, the
    wider winning the collapse: every pixel at 200 dpi is WeasyPrint's; the mixed table still strokes its runs
    together (fewer strokes), and draws the others as WeasyPrint does."""
    html = _table(cells, css)
    stock, runs = _render(html, monkeypatch, stock=True), _render(html, monkeypatch, stock=False)
    assert stock != runs
    assert _pixels(tmp_path, "stock", stock) == _pixels(tmp_path, "runs", runs)
    assert _strokes(runs) < _strokes(stock)

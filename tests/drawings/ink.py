"""Compare two renderings of a sheet by their ink: where each one draws, does the other draw nearby?

Both are rasterised at the same resolution on the same paper (pdftoppm, grey); a pixel darker than
``INK_LEVEL`` is ink.  The *match* of A against B is the share of A's ink pixels that lie within
``radius_mm`` of some ink pixel of B (B dilated by a disc).  The comparison passes when both matches
reach ``threshold``.  On failure, :func:`failure_image` paints A-only ink red, B-only ink blue and
matched ink grey, so the failing regions can be seen.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

INK_LEVEL = 160
DPI = 100


def _pgm(pdf: Path, dpi: int) -> np.ndarray:
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", str(pdf), str(stem)], check=True, timeout=120)
    return np.asarray(Image.open(stem.with_suffix(".pgm")))


def librecad_ink(dxf: Path, folder: Path, dpi: int = DPI) -> np.ndarray:
    """The DXF as LibreCAD prints it (``dxf2pdf`` without fit-to-page: the DXF's own paper and scale)."""
    out = folder / "librecad"
    out.mkdir(exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(["librecad", "dxf2pdf", "-m", "-t", str(out), str(dxf)], capture_output=True, text=True,
                          timeout=180, env=env)
    pdf = out / (dxf.stem + ".pdf")
    assert pdf.is_file(), proc.stdout + proc.stderr
    return _pgm(pdf, dpi) < INK_LEVEL


def svg_ink(svg: Path, width: float, height: float, folder: Path, dpi: int = DPI) -> np.ndarray:
    """The SVG as techpack's PDF path prints it (WeasyPrint, one page of the sheet's size)."""
    import datetime as dt

    from techpack.pdf import render_pdf

    url = "data:image/svg+xml;base64," + base64.b64encode(svg.read_bytes()).decode()
    html = (f"<html><head><style>@page {{ size: {width}mm {height}mm; margin: 0 }} body {{ margin: 0 }}"
            f"img {{ display: block; width: {width}mm; height: {height}mm }}</style></head>"
            f'<body><img src="{url}"></body></html>')
    data, _refused = render_pdf(html, roots=[], date=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    out = folder / "svg"
    out.mkdir(exist_ok=True)
    pdf = out / (svg.stem + ".pdf")
    pdf.write_bytes(data)
    return _pgm(pdf, dpi) < INK_LEVEL


def _dilate(ink: np.ndarray, r: int) -> np.ndarray:
    out = ink.copy()
    h, w = ink.shape
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dx * dx + dy * dy > r * r or (dx == 0 and dy == 0):
                continue
            src = ink[max(0, -dy):h - max(0, dy), max(0, -dx):w - max(0, dx)]
            out[max(0, dy):h - max(0, -dy), max(0, dx):w - max(0, -dx)] |= src
    return out


@dataclass
class Match:
    a_in_b: float  # share of A's ink near B's ink
    b_in_a: float
    a_only: np.ndarray
    b_only: np.ndarray
    both: np.ndarray


def compare(a: np.ndarray, b: np.ndarray, radius_mm: float, dpi: int = DPI) -> Match:
    if abs(a.shape[0] - b.shape[0]) > 2 or abs(a.shape[1] - b.shape[1]) > 2:
        raise AssertionError(f"the renderings differ in size: {a.shape} and {b.shape}")
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])  # Qt rounds the page to whole points
    a, b = a[:h, :w], b[:h, :w]
    r = max(1, round(radius_mm / 25.4 * dpi))
    near_a, near_b = _dilate(a, r), _dilate(b, r)
    a_ok, b_ok = a & near_b, b & near_a
    return Match(float(a_ok.sum()) / max(1, int(a.sum())), float(b_ok.sum()) / max(1, int(b.sum())),
                 a & ~near_b, b & ~near_a, a_ok | b_ok)


def failure_image(m: Match, path: Path) -> Path:
    rgb = np.full(m.both.shape + (3,), 255, dtype=np.uint8)
    rgb[m.both] = (170, 170, 170)
    grown_a, grown_b = _dilate(m.a_only, 1), _dilate(m.b_only, 1)
    rgb[grown_a] = (220, 0, 0)
    rgb[grown_b] = (0, 60, 230)
    Image.fromarray(rgb).save(path)
    return path


def have_tools() -> bool:
    return bool(shutil.which("librecad") and shutil.which("pdftoppm"))


def worst_window(mask: np.ndarray, size_mm: float, dpi: int = DPI) -> tuple[int, tuple[float, float]]:
    """The most ink of ``mask`` in any square window of ``size_mm``, and where (x, y mm from the top left)."""
    k = max(1, round(size_mm / 25.4 * dpi))
    c = np.pad(mask.astype(np.int64).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    s = c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]
    y, x = np.unravel_index(int(s.argmax()), s.shape)
    return int(s.max()), (x * 25.4 / dpi, y * 25.4 / dpi)


def blank_boxes(img: np.ndarray, boxes, sheet_height: float, grow_mm: float = 1.0, dpi: int = DPI) -> None:
    """Clear the pixels of sheet boxes (paper mm, origin bottom left) in place."""
    f = dpi / 25.4
    for b in boxes:
        x0, x1 = int((b.x0 - grow_mm) * f), int((b.x1 + grow_mm) * f) + 1
        y0, y1 = int((sheet_height - b.y1 - grow_mm) * f), int((sheet_height - b.y0 + grow_mm) * f) + 1
        img[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = False


def crop(img: np.ndarray, box, sheet_height: float, dpi: int = DPI) -> np.ndarray:
    """The pixels of a sheet box (paper mm, origin bottom left)."""
    f = dpi / 25.4
    x0, x1 = int(box.x0 * f), int(box.x1 * f) + 1
    y0, y1 = int((sheet_height - box.y1) * f), int((sheet_height - box.y0) * f) + 1
    return img[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]


def librecad_matches_in(dxf: Path, svg: Path, sheet, box, folder: Path) -> tuple[float, float, int]:
    """Within ``box`` of the sheet: (share of LibreCAD's ink near ours, share of ours near LibreCAD's, our ink
    pixels), within 0.5 mm."""
    folder.mkdir(parents=True, exist_ok=True)
    lc = librecad_ink(dxf, folder)
    ours = svg_ink(svg, sheet.width, sheet.height, folder)
    h, w = min(lc.shape[0], ours.shape[0]), min(lc.shape[1], ours.shape[1])
    a, b = crop(lc[:h, :w], box, sheet.height), crop(ours[:h, :w], box, sheet.height)
    m = compare(a, b, 0.5)
    return m.a_in_b, m.b_in_a, int(b.sum())

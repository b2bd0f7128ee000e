"""The pack's own drawings carry the revision marks: triangles by the changed balloons, and the revision table.

``build B --baseline A`` (the bracket's history: centre bore to Ø12 H7, upright M5 holes added) must put a
revision triangle with the letter B beside exactly the balloons of ``bore.size`` and the six
``upright-threads.*`` characteristics, in the DXF, the SVG and the tech-pack PDF's drawing page, with a
revision table (rows A and B) above the title block; the same inputs give the same bytes.  Without a
baseline the table still lists the history and there are no triangles.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from techpack.cli import main

HERE = Path(__file__).parent
A, B = HERE / "bracket-A", HERE / "bracket-B"
# the M5 threads' size is their 6H class (upright-threads.thread), not a characteristic of its own
CHANGED = {"bore.size", "upright-threads.x.1", "upright-threads.z.1",
           "upright-threads.x.2", "upright-threads.z.2", "upright-threads.thread"}
EPOCH = "1772409600"  # 2026-03-02


def _build(out: Path, *extra: str) -> None:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        result = CliRunner().invoke(main, ["build", str(B), "-o", str(out), *extra], catch_exceptions=False)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("marked") / "pack"
    _build(out, "--baseline", str(A))
    return out


def _gap(a, b) -> float:
    """Distance between two boxes (x0, y0, x1, y1); 0 when they touch or overlap."""
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return (dx * dx + dy * dy) ** 0.5


def _dxf_marks(path: Path) -> tuple[dict[str, float], list[str]]:
    """Balloon ID beside each revision triangle (with its distance in mm), and the triangles' letters."""
    import ezdxf  # noqa: PLC0415

    from techpack.drawings.symbols import BALLOON_H, BALLOON_R  # noqa: PLC0415
    from techpack.drawings.text import text_width  # noqa: PLC0415

    doc = ezdxf.readfile(path)
    assert not doc.audit().has_errors
    msp = doc.modelspace()
    balloons = {}
    for t in msp.query('MTEXT[layer=="BALLOONS"]'):
        x, y = t.dxf.insert.x, t.dxf.insert.y
        half = text_width(t.text, BALLOON_H) / 2 + BALLOON_R
        balloons[t.text] = (x - half, y - BALLOON_R, x + half, y + BALLOON_R)
    found: dict[str, float] = {}
    triangles = [e for e in msp.query('LWPOLYLINE[layer=="REVISIONS"]') if e.closed and len(e) == 3]
    for tri in triangles:
        xs = [p[0] for p in tri.get_points("xy")]
        ys = [p[1] for p in tri.get_points("xy")]
        box = (min(xs), min(ys), max(xs), max(ys))
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        # beside a balloon: on its centre line, just left or right of it (or centred just above or below it)
        beside = [(k, _gap(box, b)) for k, b in balloons.items()
                  if _gap(box, b) <= 1.0 and (abs(cy - (b[1] + b[3]) / 2) < 0.05 or abs(cx - (b[0] + b[2]) / 2) < 0.05)]
        assert len(beside) == 1, (box, beside)
        cid, gap = beside[0]
        assert cid not in found, f"two triangles by {cid}"
        found[cid] = gap
    letters = [t.text for t in msp.query('MTEXT[layer=="REVISIONS"]')
               if any(tri_contains(tri, t.dxf.insert) for tri in triangles)]
    return found, letters


def tri_contains(tri, p) -> bool:
    xs = [q[0] for q in tri.get_points("xy")]
    ys = [q[1] for q in tri.get_points("xy")]
    return min(xs) <= p.x <= max(xs) and min(ys) <= p.y <= max(ys)


def _table_rows(path: Path) -> list[list[str]]:
    """The revision table's rows as read from the DXF: texts on the REVISIONS layer outside the triangles,
    grouped by line (top first), each line left to right."""
    import ezdxf  # noqa: PLC0415

    msp = ezdxf.readfile(path).modelspace()
    triangles = [e for e in msp.query('LWPOLYLINE[layer=="REVISIONS"]') if e.closed and len(e) == 3]
    lines: dict[float, list[tuple[float, str]]] = {}
    for t in msp.query('MTEXT[layer=="REVISIONS"]'):
        if any(tri_contains(tri, t.dxf.insert) for tri in triangles):
            continue
        lines.setdefault(round(t.dxf.insert.y, 1), []).append((t.dxf.insert.x, t.text))
    return [[s for _, s in sorted(v)] for _, v in sorted(lines.items(), reverse=True)]


def test_build_with_a_baseline_marks_exactly_the_changed_balloons_in_the_dxf(pack):
    changes = json.loads((pack / "changes.json").read_text())
    assert set(changes["delta_fai"][0]["characteristics"]) == CHANGED
    found, letters = _dxf_marks(pack / "drawings" / "TP-1001-01.dxf")
    assert set(found) == CHANGED
    assert all(gap <= 1.0 for gap in found.values()), found  # right beside its balloon
    assert letters == ["B"] * len(CHANGED)


def test_the_revision_table_lists_a_then_b_with_date_and_approval(pack):
    rows = _table_rows(pack / "drawings" / "TP-1001-01.dxf")
    assert rows[0] == ["REVISIONS"]
    assert rows[1] == ["REV", "DESCRIPTION", "DATE", "APPROVED"]
    assert rows[2] == ["A", "First release for prototypes.", "2025-11-18", "—"]
    assert rows[3][0] == "B" and rows[3][2:] == ["2026-03-02", "R. Okafor"]  # approver of the current issue
    assert rows[3][1].startswith("Centre bore changed to Ø12 H7")
    assert " ".join(rows[3][1:2] + rows[4]) == ("Centre bore changed to Ø12 H7 for a sliding fit; upright M5 "
                                                "holes added.")  # wrapped, nothing lost
    assert len(rows) == 5


def test_the_svg_and_the_pdf_drawing_page_carry_the_same_marks(pack):
    from pypdf import PdfReader  # noqa: PLC0415

    svg = (pack / "drawings" / "TP-1001-01.svg").read_text(encoding="utf-8")
    group = svg.split('<g id="revisions"', 1)[1]  # the last layer
    triangles = re.findall(r'<polygon points="([^"]+)"/>', group)
    assert len(triangles) == len(CHANGED) and all(len(t.split()) == 3 for t in triangles)
    assert group.count(">B</text>") == len(CHANGED) + 1  # the triangles and the table's row B
    assert ">REVISIONS</text>" in group and ">First release for prototypes.</text>" in group
    pages = [p.extract_text() for p in PdfReader(pack / "techpack.pdf").pages]
    drawing = next(t for t in pages if "REVISIONS" in t)
    assert "First release for prototypes." in drawing and "2025-11-18" in drawing
    assert "upright-threads.thread" in drawing


def test_same_bytes_twice(pack, tmp_path):
    again = tmp_path / "again"
    _build(again, "--baseline", str(A))

    def files(root):
        return {f["path"]: f["sha256"] for f in json.loads((root / "manifest.json").read_text())["files"]}

    first, second = files(pack), files(again)
    assert first == second
    for name in ("drawings/TP-1001-01.dxf", "drawings/TP-1001-01.svg", "techpack.pdf"):
        assert (pack / name).read_bytes() == (again / name).read_bytes()


def test_without_a_baseline_the_table_lists_the_history_and_there_are_no_triangles(pack, tmp_path):
    plain = tmp_path / "plain"
    _build(plain)
    dxf = plain / "drawings" / "TP-1001-01.dxf"
    found, _ = _dxf_marks(dxf)
    assert found == {}
    rows = _table_rows(dxf)
    assert [r[0] for r in rows[2:4]] == ["A", "B"]
    assert "<polygon" not in (plain / "drawings" / "TP-1001-01.svg").read_text().split('<g id="revisions"', 1)[1]
    assert (plain / "drawings" / "TP-1001-01.dxf").read_bytes() != (pack / "drawings" / "TP-1001-01.dxf").read_bytes()

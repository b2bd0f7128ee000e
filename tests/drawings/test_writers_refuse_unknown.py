"""A primitive or dimension kind a writer does not know is an error, never silently left out of the drawing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from techpack.drawings.dxf import write_dxf
from techpack.drawings.model import Dimension, DrawingError, Line, Sheet, Text
from techpack.drawings.svg import write_svg

DATE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Hatch:  # a primitive the writers have not been taught
    layer: str = "VISIBLE"

    def box(self):  # pragma: no cover - only the writers look at it
        raise AssertionError

    def moved(self, dx, dy):  # pragma: no cover
        return self


def _sheet(**kw) -> Sheet:
    return Sheet("A4", 297.0, 210.0, (1, 2), primitives=[Line("VISIBLE", 10, 10, 50, 10)], **kw)


def test_a_known_sheet_is_written():
    sheet = _sheet()
    sheet.primitives.append(Text("ANNOTATION", 20, 20, 2.5, "ok"))
    assert write_dxf(sheet, DATE) and write_svg(sheet)


@pytest.mark.parametrize("write", [lambda s: write_dxf(s, DATE), write_svg], ids=["dxf", "svg"])
def test_an_unknown_primitive_is_refused(write):
    sheet = _sheet()
    sheet.primitives.append(Hatch())
    with pytest.raises(DrawingError, match="Hatch"):
        write(sheet)


def test_an_unknown_primitive_inside_a_dimension_is_refused():
    dim = Dimension("linear", "40", 80.0, {"p1": (10, 10), "p2": (50, 10), "line": (50, 20)}, (30, 21),
                    [Line("DIMENSIONS", 10, 20, 50, 20), Text("DIMENSIONS", 30, 21, 2.5, "40", "center"), Hatch()])
    with pytest.raises(DrawingError, match="Hatch"):
        write_dxf(_sheet(dimensions=[dim]), DATE)


def test_an_unknown_dimension_kind_is_refused():
    dim = Dimension("ordinate", "40", 40.0, {"p1": (10, 10)}, (30, 21), [Line("DIMENSIONS", 10, 20, 50, 20)])
    with pytest.raises(DrawingError, match="ordinate"):
        write_dxf(_sheet(dimensions=[dim]), DATE)

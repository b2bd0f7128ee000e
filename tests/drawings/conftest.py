"""Fixtures for the drawing tests: every example part's sheet, made once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import importlib.util
import sys

import pytest


def _helpers(name: str = "drawing_helpers"):
    """A helper module of this folder by file name (the folder is not on sys.path), registered for the tests."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_h = _helpers()
_helpers("ink")  # the LibreCAD-versus-SVG ink comparison
EXAMPLES, PARTS, compile_example = _h.EXAMPLES, _h.PARTS, _h.compile_example


@pytest.fixture(scope="session")
def compiled():
    """Example name -> Compilation."""
    return {name: compile_example(EXAMPLES / name) for name in ("bracket", "shaft", "enclosure")}


@pytest.fixture(scope="session")
def sheets(compiled):
    """Part number -> (Compilation, Part, Sheet) for every example part."""
    from techpack.drawings import make_sheet

    out = {}
    for comp in compiled.values():
        for part in comp.loaded.spec.parts:
            out[part.number] = (comp, part, make_sheet(comp, part))
    assert sorted(out) == sorted(PARTS)
    return out


@pytest.fixture(scope="session")
def written(sheets, tmp_path_factory):
    """Part number -> (dxf path, svg path), written once."""
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.svg import write_svg

    folder = tmp_path_factory.mktemp("drawings")
    out = {}
    for pn, (comp, _part, sheet) in sheets.items():
        dxf = folder / f"{pn}.dxf"
        svg = folder / f"{pn}.svg"
        dxf.write_bytes(write_dxf(sheet, comp.date))
        svg.write_bytes(write_svg(sheet))
        out[pn] = (dxf, svg)
    return out


@pytest.fixture
def copy_example(tmp_path):
    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(EXAMPLES / name, dest)
        return dest

    return copy

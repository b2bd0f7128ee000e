"""TP209: basic coordinates locate a feature only through a locating tolerance (ISO 5458 / ASME Y14.5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from techpack.engine import Options, compile_spec

VALID = Path(__file__).resolve().parent / "cases" / "_valid"
FRAME = "          - {characteristic: position, tolerance: 0.1, diameter: true, datums: [A, B]}\n"


def _check(tmp_path, location: str, frame: str = "", general: str | None = None) -> list[str]:
    folder = tmp_path / f"p{len(list(tmp_path.iterdir()))}"
    shutil.copytree(VALID, folder)
    spec = folder / "techpack.yaml"
    text = spec.read_text()
    assert "          - {x: 30 basic, y: 20 basic}\n        gdt:\n" + FRAME in text
    text = text.replace("          - {x: 30 basic, y: 20 basic}\n        gdt:\n" + FRAME,
                        f"          - {location}\n" + (f"        gdt:\n{frame}" if frame else ""))
    if general is not None:
        assert "general_tolerance: ISO 2768-mK" in text
        text = text.replace("general_tolerance: ISO 2768-mK", f"general_tolerance: {general}")
    spec.write_text(text)
    result = compile_spec(folder, Options(geometry=False))
    return [d.message for d in result.diagnostics if d.code == "TP209"]


@pytest.mark.parametrize("frame", [
    FRAME,
    "          - {characteristic: profile-of-a-surface, tolerance: 0.2, datums: [A, B]}\n",
    "          - {characteristic: symmetry, tolerance: 0.1, datums: [B]}\n",
])
def test_a_locating_tolerance_controls_basic_coordinates(tmp_path, frame):
    assert _check(tmp_path, "{x: 30 basic, y: 20 basic}", frame) == []


def test_a_form_or_orientation_tolerance_does_not_locate(tmp_path):
    found = _check(tmp_path, "{x: 30 basic, y: 20 basic}",
                   "          - {characteristic: perpendicularity, tolerance: 0.05, diameter: true, datums: [A]}\n")
    assert len(found) == 1 and "(x 30 basic, y 20 basic)" in found[0]


def test_toleranced_coordinates_need_no_frame(tmp_path):
    assert _check(tmp_path, "{x: 30 ±0.1, y: 20 ±0.1}") == []


def test_only_the_basic_coordinates_are_named(tmp_path):
    found = _check(tmp_path, "{x: 30 ±0.1, y: 20 basic}")
    assert len(found) == 1 and "(y 20 basic)" in found[0] and "'20 ±0.1'" in found[0]


def test_on_the_origin_the_general_geometric_class_holds_it(tmp_path):
    assert _check(tmp_path, "{x: 0 basic, y: 0 basic}") == []  # ISO 2768-mK: class K
    found = _check(tmp_path, "{x: 0 basic, y: 0 basic}", general="ISO 2768-m")  # no geometric class
    assert len(found) == 1
    assert len(_check(tmp_path, "{x: 0 basic, y: 12 basic}")) == 1  # off the origin: K does not locate it


def test_a_zero_coordinate_without_tolerance_says_what_to_write(tmp_path):
    folder = tmp_path / "zero"
    shutil.copytree(VALID, folder)
    spec = folder / "techpack.yaml"
    text = spec.read_text()
    spec.write_text(text.replace("          - {x: 30 basic, y: 20 basic}\n", "          - {x: 30 basic, y: 0}\n"))
    result = compile_spec(folder, Options(geometry=False))
    found = [d for d in result.diagnostics if d.code == "TP409"]
    assert len(found) == 1
    assert "no tolerance to a coordinate of 0" in found[0].message and "'0 basic'" in found[0].message
    assert "must be positive" not in found[0].message


def test_a_coordinate_along_the_features_own_axis_is_not_a_location(tmp_path):
    """The bore runs along Z: z picks which end or segment is meant, x and y locate its axis."""
    assert _check(tmp_path, "{z: 0 basic}") == []
    found = _check(tmp_path, "{x: 30 basic, z: 0 basic}")
    assert len(found) == 1 and "(x 30 basic)" in found[0]

"""The worker's face-merging rule, on synthetic faces (no cadquery needed)."""

from __future__ import annotations

from techpack.geometry import worker


def face(r, origin, length, d=(0.0, 0.0, 1.0), internal=True):
    return {"radius": r, "origin": origin, "dir": d, "length": length, "internal": internal}


def test_halves_with_same_extent_merge():
    out = worker._merge_cylinders([face(3, (1, 2, 0), 8), face(3, (1, 2, 0), 8)])
    assert len(out) == 1 and out[0]["length"] == 8


def test_overlapping_and_touching_extents_merge_into_their_union():
    out = worker._merge_cylinders([face(3, (0, 0, 5), 10), face(3, (0, 0, 0), 6),
                                   face(3, (0, 0, 15), 5)])
    assert len(out) == 1
    assert out[0]["origin"] == (0.0, 0.0, 0.0) and out[0]["length"] == 20


def test_separate_coaxial_features_stay_apart():
    out = worker._merge_cylinders([face(3, (0, 0, 0), 5), face(3, (0, 0, 10), 5)])
    assert len(out) == 2


def test_different_radius_axis_or_side_stay_apart():
    base = face(3, (0, 0, 0), 5)
    others = [
        face(3.5, (0, 0, 0), 5),
        face(3, (1, 0, 0), 5),
        face(3, (0, 0, 0), 5, d=(1.0, 0.0, 0.0)),
        face(3, (0, 0, 0), 5, internal=False),
    ]
    assert len(worker._merge_cylinders([base, *others])) == 5


def test_canonical_direction():
    assert worker._canonical_dir((0.0, 0.0, -1.0)) == (0.0, 0.0, 1.0)
    assert worker._canonical_dir((0.0, -0.6, 0.8)) == (0.0, 0.6, -0.8)
    assert worker._canonical_dir((1e-12, 1.0, 0.0)) == (1e-12, 1.0, 0.0)


def test_rounding_never_gives_negative_zero():
    assert str(worker._r(-1.1e-14)) == "0.0"
    assert worker._r(1.23456789) == 1.234568

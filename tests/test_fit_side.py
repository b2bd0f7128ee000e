"""TP133: an ISO 286 hole letter on a shaft, or a shaft letter on a hole (dimension_rules.fit_side_problem)."""

from __future__ import annotations

import pytest

from techpack.dimension_rules import fit_side_problem
from techpack.schema.spec import Feature


def feature(kind: str, size: str) -> Feature:
    return Feature.model_validate({"id": "f", "type": kind, "size": size})


@pytest.mark.parametrize("kind, size, says", [
    ("bore", "Ø12 k6", "(K6)"),  # a shaft letter on a hole
    ("shaft", "Ø12 H7", "(h7)"),  # a hole letter on a shaft
    ("slot", "8 h9", "(H9)"),
    ("tab", "8 N9", "(n9)"),
])
def test_the_wrong_side_is_named_with_the_letter_it_takes(kind, size, says):
    problem = fit_side_problem(feature(kind, size))
    assert problem is not None and says in problem


@pytest.mark.parametrize("kind, size", [("bore", "Ø12 H7"), ("shaft", "Ø12 k6"), ("slot", "8 N9"), ("tab", "8 h9"),
                                        ("bore", "Ø12 ±0.1")])
def test_the_right_side_passes(kind, size):
    assert fit_side_problem(feature(kind, size)) is None


@pytest.mark.parametrize("size", ["Ø14 h11", "Ø30 H11"])
def test_a_round_groove_may_be_either_side(size):
    """An undercut on a shaft takes h11, a ring groove in a bore H11: only the model tells which it is."""
    assert fit_side_problem(feature("groove", size)) is None

"""Sheet metal in the spec (``parts[].sheet_metal``) and in capability data (``machines[].press_brake``, ``.laser``).

Kept apart from ``spec.py`` and ``capability.py`` so the sheet-metal fields are one
block each there.  The K-factor convention matters: the CAD/ANSI K puts the
neutral fibre at r + K·t (0 < K ≤ 0.5), DIN 6935's k at r + k·t/2 (K = k/2); see
``docs/sheet-metal.md``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import model_validator

from .base import Model
from .quantities import Length
from .values import Dec, Text


class SheetMetal(Model):
    """A part made from flat sheet by cutting and bending."""

    thickness: Length
    """Sheet thickness; the model must be this thick everywhere."""
    bend_radius: Length
    """Inside radius of the bends (the model's bends must have it)."""
    k_factor: Optional[Dec] = None
    """Neutral-fibre position for the flat pattern in the convention ``k_standard``. Absent: the
    supplier's bend table in the capability data (``press_brake.tooling[].k_factor``), else
    DIN 6935: k = 0.65 + 0.5·log10(r/t), capped at 1 (r/t > 5), K = k/2."""
    k_standard: Literal["ansi", "din"] = "ansi"
    """``ansi`` (CAD K-factor, neutral fibre at r + K·t, 0 < K ≤ 0.5) or ``din`` (DIN 6935 k,
    neutral fibre at r + k·t/2, 0 < k ≤ 1)."""

    @model_validator(mode="after")
    def _k_range(self):
        if self.k_factor is not None:
            top = Decimal("0.5") if self.k_standard == "ansi" else Decimal(1)
            if not (Decimal(0) < self.k_factor <= top):
                hint = " (a value like 0.65 is a DIN 6935 k: write k_standard: din)" if self.k_standard == "ansi" else ""
                raise ValueError(f"k_factor {self.k_factor} is outside 0 < K ≤ {top} for k_standard "
                                 f"{self.k_standard}{hint}")
        return self

    @property
    def ansi_k(self) -> Optional[Decimal]:
        """The K-factor in the CAD/ANSI convention, or None when not stated."""
        if self.k_factor is None:
            return None
        return self.k_factor if self.k_standard == "ansi" else self.k_factor / 2


class BendTooling(Model):
    """What a press brake bends for one material family up to one thickness."""

    material: Text
    """Material family (``aluminium``, ``steel``, ``stainless``, …) as in the spec's materials."""
    thickness_max: Length
    """The row applies to sheets up to this thickness (the thinnest row that covers the sheet is used)."""
    min_radius: Length
    """Smallest inside bend radius the tooling makes in this material and thickness."""
    min_flange: Length
    """Shortest flange, measured on the flat from the bend's tangent line to the flange's far edge."""
    k_factor: Optional[Dec] = None
    """The supplier's K-factor (CAD/ANSI, 0 < K ≤ 0.5) for this row, used when the spec states none."""


class PressBrake(Model):
    """Press-brake figures of a bending machine."""

    max_bend_length: Length
    """Longest bend (the press brake's working length)."""
    angle_tolerance: Dec
    """Bend angle tolerance held, ± degrees."""
    tooling: list[BendTooling]
    """Minimum radius and flange by material and thickness."""
    hole_to_bend_factor: Dec = Decimal("2.5")
    """Holes and slots keep at least factor·t + r from a bend's tangent line on the flat (the common
    vendor DFM rule 2.5·t + r; not a DIN/ISO requirement)."""


class Laser(Model):
    """Laser-cutting figures of a cutting machine."""

    thickness_min: Length
    """Thinnest sheet cut."""
    thickness_max: Length
    """Thickest sheet cut."""
    min_hole_factor: Dec = Decimal(1)
    """Smallest hole diameter as a multiple of the thickness (with ``min_hole`` as the floor)."""
    min_hole: Optional[Length] = None
    """Smallest hole diameter whatever the thickness."""

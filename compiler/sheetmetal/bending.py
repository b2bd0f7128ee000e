"""Bend arithmetic in exact decimals where thresholds are compared.

Formulas from ``standards/sheet_metal_bending.md`` (high confidence):
DIN 6935 k = 0.65 + 0.5·log10(r/t) for r/t ≤ 5, else 1; the CAD/ANSI K-factor is k/2;
bend allowance BA = π/180·θ·(r + K·t).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from ..schema.capability import Capability, Machine
    from ..schema.sheetmetal import BendTooling, SheetMetal


def din_k(r: Decimal, t: Decimal) -> Decimal:
    """DIN 6935 k for inside radius ``r`` and thickness ``t`` (4 decimals, as the standard's test vectors)."""
    ratio = r / t
    if ratio > 5:
        return Decimal(1)
    k = Decimal("0.65") + Decimal("0.5") * Decimal(str(math.log10(float(ratio))))
    return k.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


def din_k_cad(r: Decimal, t: Decimal) -> Decimal:
    """The CAD/ANSI K-factor from DIN 6935: k/2 of the unrounded k (4 decimals)."""
    ratio = r / t
    if ratio > 5:
        return Decimal("0.5")
    k = 0.65 + 0.5 * math.log10(float(ratio))
    return Decimal(str(k / 2)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


def bend_allowance(angle_deg: float, r: float, k: float, t: float) -> float:
    """BA = π/180·θ·(r + K·t), K in the CAD/ANSI convention."""
    return math.pi / 180.0 * angle_deg * (r + k * t)


@dataclass(frozen=True)
class KChoice:
    k: Decimal  # CAD/ANSI
    source: str  # where it came from, for the bend table


def press_brakes(cap: "Capability | None") -> list["Machine"]:
    return [m for m in (cap.machines if cap else []) if m.press_brake is not None]


def tooling_for(machine: "Machine", family: str, t: Decimal) -> Optional["BendTooling"]:
    """The thinnest tooling row of ``machine`` for ``family`` that covers thickness ``t``."""
    rows = [r for r in machine.press_brake.tooling if r.material == family and t <= r.thickness_max.base]
    return min(rows, key=lambda r: r.thickness_max.base) if rows else None


def choose_k(sm: "SheetMetal", family: str | None, cap: "Capability | None") -> KChoice:
    """The K-factor for the flat pattern: the spec's, else the supplier's bend table, else DIN 6935."""
    if sm.ansi_k is not None:
        return KChoice(sm.ansi_k, f"spec ({sm.k_standard.upper()} {sm.k_factor})")
    t = sm.thickness.base
    for m in press_brakes(cap):
        row = tooling_for(m, family or "", t)
        if row is not None and row.k_factor is not None:
            return KChoice(row.k_factor, f"bend table of {m.id}")
    k = din_k(sm.bend_radius.base, t)
    return KChoice(din_k_cad(sm.bend_radius.base, t), f"DIN 6935 (k = {k} at r/t = {sm.bend_radius.base / t:.3g})")

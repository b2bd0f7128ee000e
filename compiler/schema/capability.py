"""Capability data: a shop, its machines and what each can hold.

How a machine's figures turn into a predicted Cpk (see ``docs/capability.md``):

* ``it_grade`` is the finest ISO 286 grade the machine holds *at Cpk =
  cp_at_grade* (default 1.33): a tolerance band exactly IT\\ *n* wide at
  that size is made at that Cpk.  So σ(D) = IT\\ *n*\\ (D) / (6 · cp_at_grade).
  ``sigma`` by size band overrides this with measured process spread.
* Predicted Cp = band / 6σ; Cpk = Cp − ``mean_shift`` / 3, where
  ``mean_shift`` is the expected offset of the process mean in σ.
* Geometric tolerances: ``gdt`` gives the smallest zone held at
  cp_at_grade; predicted Cpk = cp_at_grade · tolerance / that figure.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, model_validator

from .base import Model
from .quantities import Length, Mass, Roughness
from .sheetmetal import Laser, PressBrake
from .spec import FeatureType, GdtCharacteristic, MaterialFamily
from .values import Dec, Ident, Int, PositiveInt, Text

CAPABILITY_VERSION = "1"


class Process(str, Enum):
    milling_3axis = "milling-3axis"
    milling_5axis = "milling-5axis"
    turning = "turning"
    turn_mill = "turn-mill"
    grinding_cylindrical = "grinding-cylindrical"
    grinding_surface = "grinding-surface"
    drilling = "drilling"
    reaming = "reaming"
    tapping = "tapping"
    boring = "boring"
    honing = "honing"
    edm_wire = "edm-wire"
    sawing = "sawing"
    laser_cutting = "laser-cutting"
    waterjet = "waterjet"
    punching = "punching"
    bending = "bending"
    welding = "welding"
    additive = "additive"


class Envelope(Model):
    x: Optional[Length] = None
    """Travel / largest part size along X (milling, cutting, bending length)."""
    y: Optional[Length] = None
    """Along Y."""
    z: Optional[Length] = None
    """Along Z (for sheet processes: the thickest sheet)."""
    diameter: Optional[Length] = None
    """Largest turned diameter (swing) for lathes and cylindrical grinders."""
    length: Optional[Length] = None
    """Largest length between centres for lathes and cylindrical grinders."""

    @model_validator(mode="after")
    def _shape(self):
        box = [self.x, self.y, self.z]
        if any(v is not None for v in box) and not all(v is not None for v in box):
            raise ValueError("give all of x, y and z, or diameter and length")
        if (self.diameter is None) != (self.length is None):
            raise ValueError("give both diameter and length")
        if all(v is None for v in box) and self.diameter is None:
            raise ValueError("give x, y and z, or diameter and length")
        return self

    @property
    def is_round(self) -> bool:
        return self.diameter is not None


class SizeBand(Model):
    upto: Length
    """Upper end of the size band (inclusive)."""
    it_grade: Optional[Int] = None
    """ISO 286 grade held in this band."""
    sigma: Optional[Length] = None
    """Measured process standard deviation in this band."""

    @model_validator(mode="after")
    def _one(self):
        if self.it_grade is None and self.sigma is None:
            raise ValueError("give it_grade or sigma")
        return self


def _within(lo: str | None, hi: str | None, what: str) -> AfterValidator:
    """A physical range for a capability figure: outside it the figure is a typo, not a machine."""
    low, high = (Decimal(lo) if lo is not None else None), (Decimal(hi) if hi is not None else None)

    def check(v: Decimal) -> Decimal:
        too_low = low is not None and (v <= low if low == 0 else v < low)  # "0" means: above zero
        if too_low or (high is not None and v > high):
            raise ValueError(f"{v} is not a plausible {what}")
        return v

    return AfterValidator(check)


class Machine(Model):
    id: Ident
    """Machine ID used in reports, e.g. ``mill-3ax``."""
    name: Text
    """Make and model, or a description."""
    process: Process
    """What the machine does."""
    envelope: Envelope
    """Work envelope."""
    max_mass: Optional[Mass] = None
    """Heaviest workpiece."""
    materials: list[MaterialFamily]
    """Material families it machines."""
    features: list[FeatureType]
    """Feature kinds it can produce."""
    it_grade: Optional[Int] = None
    """Finest ISO 286 grade held at ``cp_at_grade`` for any size (see size_bands for size-dependent values)."""
    size_bands: list[SizeBand] = []
    """Grade or sigma by size band, smallest first; overrides ``it_grade``."""
    feature_grades: dict[FeatureType, Int] = {}
    """Finer (or coarser) grade for particular feature kinds, e.g. ``{bore: 7}`` where bores are reamed or fine-bored."""
    cp_at_grade: Annotated[Dec, _within("0.5", "10", "Cp (between 0.5 and 10; 1.33 is usual)")] = Decimal("1.33")
    """Cp at which ``it_grade`` is held (a physical Cp: 0.5 to 10; 1.33 is usual)."""
    mean_shift: Annotated[Dec, _within("-3", "3", "mean shift in σ (between -3 and 3)")] = Decimal("0")
    """Expected offset of the process mean, in σ (0 = centred; -3 to 3: beyond 3 σ the process is not in control)."""
    linear_pm: Optional[Length] = None
    """For processes without an IT grade (laser, bending): the ± tolerance held at cp_at_grade."""
    per_bend_pm: Optional[Length] = None
    """Press brakes: ± added to ``linear_pm`` (held across one bend) for each further bend a linear characteristic crosses, e.g. ±0.2 mm across one bend and 0.1 mm per further bend."""
    angle_pm: Optional[Annotated[Dec, _within("0", "45", "angle tolerance in degrees (above 0, at most 45)")]] = None
    """± angle (degrees) held at cp_at_grade, e.g. bend angles on a press brake."""
    ra_min: Optional[Roughness] = None
    """Finest Ra the machine reaches."""
    rz_min: Optional[Roughness] = None
    """Finest Rz the machine reaches."""
    min_hole_diameter: Optional[Length] = None
    """Smallest hole it makes."""
    max_depth_ratio: Optional[Annotated[Dec, _within("0", "200", "depth / diameter ratio (above 0, at most 200)")]] = None
    """Deepest hole as depth / diameter (above 0, at most 200: gun drilling reaches about 100)."""
    gdt: dict[GdtCharacteristic, Length] = {}
    """Smallest geometric tolerance zone held at cp_at_grade, per characteristic."""
    refixture_pm: Optional[Length] = None
    """± error of setting a part up on this machine from features an earlier operation made (vise, collet, centres), held at cp_at_grade; used for characteristics that span operations."""
    notes: Optional[Text] = None
    """Where the figures come from."""
    # -- sheet metal (schema/sheetmetal.py) --
    press_brake: Optional[PressBrake] = None
    """Press-brake figures (bending machines): minimum radius and flange by material and thickness, …"""
    laser: Optional[Laser] = None
    """Laser-cutting figures: thickness range, smallest hole by thickness."""


class Shop(Model):
    """The supplier a capability file describes (one file = one supplier)."""

    name: Text
    """Supplier name; ``--supplier NAME`` picks it, so it is unique among the files of one run."""
    source: Text
    """Where the figures come from (measured Cpk history, published typical values, …)."""
    contact: Optional[Text] = None
    """Who to send the RFQ to and ask about the data (name, e-mail, phone)."""
    certifications: list[Text] = []
    """Quality-system certifications, e.g. ``[ISO 9001:2015, AS9100D]``."""
    lead_time: Optional[Text] = None
    """Typical lead time, e.g. ``3 weeks``."""
    moq: Optional[PositiveInt] = None
    """Minimum order quantity."""
    price_class: Optional[Literal["low", "medium", "high"]] = None
    """Relative price level, for comparing suppliers."""


class Capability(Model):
    """A shop's capability data."""

    capability: Text = CAPABILITY_VERSION
    """Capability format version; this techpack reads ``1``."""
    shop: Shop
    """The shop the data describes."""
    machines: list[Machine]
    """Machines and their capability."""

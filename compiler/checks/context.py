"""What every check sees: the spec, its characteristics, geometry facts and capability data."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..characteristics import Characteristic
from ..loader import LoadedSpec
from ..schema.capability import Capability
from ..schema.spec import Material, Part, Spec

if TYPE_CHECKING:
    import datetime as dt

    from ..geometry import GeometryFacts
    from ..quality import QualityPlan


@dataclass
class CapabilityRow:
    """One line of the capability report: how well the best machine holds a characteristic."""

    subject: str
    label: str
    machine: str | None
    required: str  # e.g. "IT7", "Ra 0.4 µm", "position 0.05"
    held: str  # e.g. "IT6", "Ra 0.2 µm"
    cpk: float | None
    cpk_min: float
    margin: float | None  # cpk / cpk_min - 1; None when not assessed
    ok: bool


@dataclass
class Context:
    loaded: LoadedSpec
    characteristics: dict[str, list[Characteristic]]
    capability: Capability | None = None
    geometry: dict[str, "GeometryFacts | None"] = field(default_factory=dict)
    capability_rows: list[CapabilityRow] = field(default_factory=list)
    machines_by_part: dict[str, list[str]] = field(default_factory=dict)
    date: "dt.datetime | None" = None
    """The build date (see :mod:`techpack.dates`)."""
    quality_plan: "QualityPlan | None" = None
    """Classes, methods and staged inspection of every characteristic (made by the ``quality`` check)."""
    store_deviations: list[dict] = field(default_factory=list)
    """Open NCRs and deviations of this revision in the traceability store (made by the ``deviations`` check)."""

    @property
    def spec(self) -> Spec:
        return self.loaded.spec

    def material(self, part: Part) -> Material | None:
        return next((m for m in self.spec.materials if m.id == part.material), None)

    def part_size_mm(self, part: Part) -> tuple[Decimal, Decimal, Decimal] | None:
        """The part's bounding size (sorted ascending), from geometry or the declared envelope."""
        facts = self.geometry.get(part.number)
        if facts is not None:
            return tuple(sorted(Decimal(str(round(v, 6))) for v in facts.size))  # type: ignore[return-value]
        if part.envelope is not None:
            return part.envelope.sorted_mm
        return None

    def part_mass_g(self, part: Part) -> Decimal | None:
        """The part's mass in grams: declared, or geometry volume × material density."""
        if part.mass is not None:
            return part.mass.base
        facts = self.geometry.get(part.number)
        mat = self.material(part)
        if facts is not None and mat is not None and mat.density is not None:
            return Decimal(str(round(facts.volume_mm3, 3))) / 1000 * mat.density.base
        return None

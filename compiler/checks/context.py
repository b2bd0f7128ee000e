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

    from ..standards.capability import Index

    from ..geometry import GeometryFacts
    from ..quality import QualityPlan


@dataclass(slots=True)
class CapabilityRow:
    """One line of the capability report: the operation(s) and machine(s) that make a characteristic, and how well.

    ``cp``, ``cpk`` and ``margin`` are Decimals for display and sorting; every verdict
    (``ok``, ``thin``, :meth:`margin_below`) is decided exactly on ``index``, and the
    ``*_text`` fields print enough digits to agree with it (see
    :func:`techpack.standards.capability.shown`).
    """

    subject: str
    label: str
    machine: str | None  # "lathe-cnc", or "lathe-cnc + mill-5ax" for a stack
    required: str  # e.g. "IT7", "Ra 0.4 µm", "position 0.05"
    held: str  # e.g. "IT6 at 10-18 mm", "Ra 0.2 µm"
    cpk: Decimal | None
    cpk_min: Decimal
    margin: Decimal | None  # cpk / cpk_min - 1; None when not assessed
    ok: bool
    operations: tuple[str, ...] = ()
    cp: Decimal | None = None
    thin: bool = False
    model: str = ""  # "single" | "same set-up" | "RSS" | "bend"
    cp_text: str = "—"
    cpk_text: str = "—"
    margin_text: str = "—"
    index: "Index | None" = None

    def margin_below(self, margin: Decimal) -> bool:
        """Exactly: is Cpk / cpk_min − 1 below ``margin``?"""
        if self.index is None:
            return False
        return self.index.lt(self.cpk_min * (1 + margin))


@dataclass
class SupplierResult:
    """One supplier's answer for the whole product: routing with machines, rows, what it can make."""

    name: str
    capability: Capability
    file: str
    routes: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    rows: list[CapabilityRow] = field(default_factory=list)
    can_make: dict[str, bool] = field(default_factory=dict)
    worst: dict[str, CapabilityRow | None] = field(default_factory=dict)
    blocking: dict[str, str] = field(default_factory=dict)
    """Per part: the first finding that stops this supplier making it (code: message)."""


@dataclass
class Context:
    loaded: LoadedSpec
    characteristics: dict[str, list[Characteristic]]
    capability: Capability | None = None
    geometry: dict[str, "GeometryFacts | None"] = field(default_factory=dict)
    capability_rows: list[CapabilityRow] = field(default_factory=list)
    machines_by_part: dict[str, list[str]] = field(default_factory=dict)
    suppliers: list[Capability] = field(default_factory=list)
    """Every supplier's capability data (one file each); ``capability`` is the one the pack is addressed to."""
    supplier_files: list[str] = field(default_factory=list)
    supplier_results: list[SupplierResult] = field(default_factory=list)
    routings: dict = field(default_factory=dict)
    """Routing (:class:`techpack.routing.Routing`) per part number."""
    date: "dt.datetime | None" = None
    """The build date (see :mod:`techpack.dates`)."""
    quality_plan: "QualityPlan | None" = None
    """Classes, methods and staged inspection of every characteristic (made by the ``quality`` check)."""
    flat_patterns: dict = field(default_factory=dict)
    """Part number -> FlatPattern of each sheet-metal part that unfolded (made by the ``sheetmetal`` check)."""
    store_deviations: list[dict] = field(default_factory=list)
    """Open NCRs and deviations of this revision in the traceability store (made by the ``deviations`` check)."""

    @property
    def spec(self) -> Spec:
        return self.loaded.spec

    def material(self, part: Part) -> Material | None:
        return next((m for m in self.spec.materials if m.id == part.material), None)

    def part_box_mm(self, part: Part) -> tuple[Decimal, Decimal, Decimal] | None:
        """The part's bounding box along X, Y, Z, from geometry or the declared envelope."""
        facts = self.geometry.get(part.number)
        if facts is not None:
            return tuple(Decimal(str(round(v, 6))) for v in facts.size)  # type: ignore[return-value]
        if part.envelope is not None:
            return part.envelope.x, part.envelope.y, part.envelope.z
        return None

    def part_size_mm(self, part: Part) -> tuple[Decimal, Decimal, Decimal] | None:
        """The part's bounding size (sorted ascending), as machine envelopes are compared."""
        box = self.part_box_mm(part)
        return None if box is None else tuple(sorted(box))  # type: ignore[return-value]

    def part_mass_g(self, part: Part) -> Decimal | None:
        """The part's mass in grams: declared, or geometry volume × material density."""
        if part.mass is not None:
            return part.mass.base
        facts = self.geometry.get(part.number)
        mat = self.material(part)
        if facts is not None and mat is not None and mat.density is not None:
            return Decimal(str(round(facts.volume_mm3, 3))) / 1000 * mat.density.base
        return None

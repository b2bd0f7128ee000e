"""The product spec: what a designer writes, as typed classes with a docstring per field.

``specs/techpack.schema.json`` and ``docs/spec-reference.md`` are generated
from these classes (``python -m techpack.docgen``); never edit them by hand.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal, Optional, Union

from pydantic import BeforeValidator, Field, PlainSerializer, ValidationInfo, WithJsonSchema, model_validator

from .base import Model
from .quantities import (
    CHAMFER_PATTERN,
    DIMENSION_PATTERN,
    BoxSize,
    Coordinate,
    Density,
    Dim,
    Dimension,
    Length,
    Mass,
    Roughness,
    _dimension_validator,
    _units_of,
    parse_chamfer,
)
from .sheetmetal import SheetMetal
from .values import Bool, DatumLabel, Date, Dec, Ident, Int, PartNumber, PositiveInt, RevisionText, Text

SPEC_VERSION = "1"


class Units(str, Enum):
    mm = "mm"
    inch = "in"


class MaterialFamily(str, Enum):
    """Material families the capability data refers to."""

    aluminium = "aluminium"
    steel = "steel"
    stainless = "stainless"
    tool_steel = "tool-steel"
    titanium = "titanium"
    copper_alloy = "copper-alloy"
    nickel_alloy = "nickel-alloy"
    plastic = "plastic"
    rubber = "rubber"
    other = "other"


class FeatureType(str, Enum):
    """Kinds of feature.  Features of size (can take MMC/LMC) are marked in :data:`FEATURES_OF_SIZE`."""

    hole = "hole"
    bore = "bore"
    boss = "boss"
    shaft = "shaft"
    pin = "pin"
    slot = "slot"
    keyway = "keyway"
    tab = "tab"
    width = "width"
    groove = "groove"
    thread = "thread"
    pocket = "pocket"
    face = "face"
    edge = "edge"
    chamfer = "chamfer"
    fillet = "fillet"
    profile = "profile"
    bend = "bend"
    flange = "flange"
    surface = "surface"
    knurl = "knurl"


class KnurlPattern(str, Enum):
    """Knurl patterns of DIN 82 (ISO 13444 names the same forms)."""

    RAA = "RAA"  # straight (axial) knurl
    RBL = "RBL"  # diagonal, left hand
    RBR = "RBR"  # diagonal, right hand
    RGE = "RGE"  # left and right hand, points raised
    RGV = "RGV"  # left and right hand, points depressed
    RKE = "RKE"  # crossed (diamond), points raised
    RKV = "RKV"  # crossed (diamond), points depressed


KNURL_NAMES = {
    KnurlPattern.RAA: "straight", KnurlPattern.RBL: "diagonal, left hand", KnurlPattern.RBR: "diagonal, right hand",
    KnurlPattern.RGE: "left/right hand, points raised", KnurlPattern.RGV: "left/right hand, points depressed",
    KnurlPattern.RKE: "crossed, points raised", KnurlPattern.RKV: "crossed, points depressed",
}
KNURL_PITCHES = (Decimal("0.5"), Decimal("0.6"), Decimal("0.8"), Decimal("1"), Decimal("1.2"), Decimal("1.6"))
"""The DIN 82 pitch series, mm."""


FEATURES_OF_SIZE = frozenset({FeatureType.hole, FeatureType.bore, FeatureType.boss, FeatureType.shaft,
                              FeatureType.pin, FeatureType.slot, FeatureType.keyway, FeatureType.tab,
                              FeatureType.width, FeatureType.groove, FeatureType.thread})
ROUND_FEATURES = frozenset({FeatureType.hole, FeatureType.bore, FeatureType.boss, FeatureType.shaft,
                            FeatureType.pin, FeatureType.thread})


class Contact(Model):
    name: Text
    """Person the supplier talks to."""
    email: Optional[Text] = None
    """E-mail address."""
    phone: Optional[Text] = None
    """Telephone number, as it should be dialled."""
    company: Optional[Text] = None
    """Company name."""


class Revision(Model):
    revision: RevisionText
    """Revision letter or number, exactly as written (``A``, ``1.10``)."""
    date: Date
    """Release date of the revision (``YYYY-MM-DD``)."""
    author: Optional[Text] = None
    """Who made the change."""
    approved_by: Optional[Text] = None
    """Who approved the revision: the *approved* column of the drawings' revision table. Left out, the current
    revision shows the drawing's ``approved_by`` (the title block's approver) and an earlier one shows "—"."""
    description: Text
    """What changed."""


class Projection(str, Enum):
    first_angle = "first-angle"
    third_angle = "third-angle"


class SheetSize(str, Enum):
    A4 = "A4"
    A3 = "A3"
    A2 = "A2"
    A1 = "A1"
    A0 = "A0"
    ANSI_A = "ANSI-A"
    ANSI_B = "ANSI-B"
    ANSI_C = "ANSI-C"
    ANSI_D = "ANSI-D"
    ANSI_E = "ANSI-E"


class DrawingOptions(Model):
    standard: Literal["ISO", "ASME"] = "ISO"
    """Drawing and GD&T standard: ISO (ISO 1101, ISO 128) or ASME (Y14.5)."""
    projection: Projection = Projection.first_angle
    """Projection method; first-angle is the ISO default, third-angle the ASME one."""
    sheet: SheetSize = SheetSize.A3
    """Preferred sheet size; a larger one is chosen when the views do not fit."""
    drawn_by: Optional[Text] = None
    """Name for the title block's *drawn by* field."""
    approved_by: Optional[Text] = None
    """Name for the title block's *approved by* field."""


class Product(Model):
    number: PartNumber
    """Product (top assembly) number, e.g. ``TP-1001``."""
    name: Text
    """Product name."""
    revision: RevisionText
    """Current revision, exactly as written (``B``, ``02``, ``1.10``)."""
    revision_date: Optional[Date] = None
    """Release date of the current revision; the build date when ``SOURCE_DATE_EPOCH`` is unset."""
    owner: Text
    """Company or person responsible for the design."""
    units: Units = Units.mm
    """Default unit of lengths written without one: ``mm`` or ``in``."""
    description: Optional[Text] = None
    """One paragraph on what the product is and does."""
    rfq_contact: Optional[Contact] = None
    """Who answers the supplier's questions during quoting."""
    history: list[Revision] = []
    """Revision history, oldest first."""
    drawing: DrawingOptions = DrawingOptions()
    """Drawing standard, projection and sheet size."""


class Material(Model):
    id: Ident
    """Identifier parts use to name this material."""
    designation: Text
    """Material designation, e.g. ``EN AW-6061-T6`` or ``X8CrNiS18-9 (1.4305)``."""
    standard: Optional[Text] = None
    """Standard the material is supplied to, e.g. ``ASTM B221`` or ``EN 10088-3``."""
    grade: Optional[Text] = None
    """Grade or alloy, e.g. ``6061``."""
    temper: Optional[Text] = None
    """Temper or condition, e.g. ``T6``, ``annealed``, ``cold drawn``."""
    family: MaterialFamily
    """Material family, matched against the machines' supported materials."""
    form: Optional[Literal["bar", "plate", "sheet", "tube", "extrusion", "casting", "forging", "wire", "granulate", "other"]] = None
    """Semi-finished form the part is made from."""
    density: Optional[Density] = None
    """Density, e.g. ``2.70 g/cm3``; with the geometry it gives the part mass."""
    certificate: Optional[Text] = None
    """Inspection document required with the material, e.g. ``EN 10204 3.1``."""
    notes: Optional[Text] = None
    """Anything else the supplier must know (RoHS, REACH, country of origin, …)."""


class Finish(Model):
    id: Ident
    """Identifier parts use to name this finish."""
    process: Text
    """Process, e.g. ``anodising``, ``powder coating``, ``passivation``, ``zinc plating``."""
    specification: Optional[Text] = None
    """Process specification, e.g. ``MIL-A-8625 Type II Class 2`` or ``ASTM A967 Nitric 2``."""
    colour: Optional[Text] = None
    """Colour, e.g. ``black`` or ``RAL 9005``."""
    thickness: Optional[Text] = None
    """Coating thickness, e.g. ``10-15 µm``."""
    masking: list[Text] = []
    """Surfaces to mask: feature IDs of the part, or plain words."""
    notes: Optional[Text] = None
    """Anything else: sealing, gloss, salt-spray hours, …"""


class GdtCharacteristic(str, Enum):
    straightness = "straightness"
    flatness = "flatness"
    circularity = "circularity"
    cylindricity = "cylindricity"
    profile_line = "profile-of-a-line"
    profile_surface = "profile-of-a-surface"
    perpendicularity = "perpendicularity"
    parallelism = "parallelism"
    angularity = "angularity"
    position = "position"
    concentricity = "concentricity"
    coaxiality = "coaxiality"
    symmetry = "symmetry"
    circular_runout = "circular-runout"
    total_runout = "total-runout"


FORM = frozenset({GdtCharacteristic.straightness, GdtCharacteristic.flatness, GdtCharacteristic.circularity,
                  GdtCharacteristic.cylindricity})
NEEDS_DATUM = frozenset({GdtCharacteristic.perpendicularity, GdtCharacteristic.parallelism,
                         GdtCharacteristic.angularity, GdtCharacteristic.position, GdtCharacteristic.concentricity,
                         GdtCharacteristic.coaxiality, GdtCharacteristic.symmetry,
                         GdtCharacteristic.circular_runout, GdtCharacteristic.total_runout})
RUNOUT = frozenset({GdtCharacteristic.circular_runout, GdtCharacteristic.total_runout})
PROFILE = frozenset({GdtCharacteristic.profile_line, GdtCharacteristic.profile_surface})
DIAMETER_ZONE_OK = frozenset({GdtCharacteristic.position, GdtCharacteristic.straightness,
                              GdtCharacteristic.concentricity, GdtCharacteristic.coaxiality,
                              GdtCharacteristic.perpendicularity, GdtCharacteristic.parallelism,
                              GdtCharacteristic.angularity})


class MaterialCondition(str, Enum):
    MMC = "MMC"
    LMC = "LMC"
    RFS = "RFS"


def _datum_ref(value):
    if not isinstance(value, str):
        raise ValueError(f"expected a datum reference such as 'A', 'B(M)' or 'A-B', got {value!r}")
    return value


DatumRef = Annotated[str, BeforeValidator(_datum_ref), Field(pattern=r"^[A-Z]{1,2}(-[A-Z]{1,2})*(\((M|L)\))?$")]
"""A datum reference: a letter, a common datum ``A-B``, optionally with a material boundary modifier ``(M)``/``(L)``."""


class ControlFrame(Model):
    characteristic: GdtCharacteristic
    """Geometric characteristic (ASME Y14.5 / ISO 1101)."""
    tolerance: Length
    """Tolerance zone width (or diameter with ``diameter: true``)."""
    diameter: Bool = False
    """The zone is cylindrical (Ø), as for the position of a hole."""
    modifier: Optional[MaterialCondition] = None
    """Material condition on the tolerance: MMC (Ⓜ), LMC (Ⓛ); RFS is the default."""
    datums: list[DatumRef] = []
    """Datum reference frame, primary first, e.g. ``[A, B, C(M)]``."""
    id: Optional[Ident] = None
    """Optional explicit characteristic ID suffix; defaults to the characteristic name."""
    key: Bool = False
    """A key characteristic (tighter Cpk requirement, inline control)."""
    critical: Bool = False
    """A critical characteristic (safety or function; zero acceptance)."""
    all_around: Bool = False
    """Profile only: the tolerance applies all around the outline seen in the view (the circle at the
    leader's elbow, ASME Y14.5 / ISO 1101)."""
    all_over: Bool = False
    """Profile only: the tolerance applies all over the part's outer surface (the double circle, ASME
    Y14.5-2018)."""

    @model_validator(mode="after")
    def _extent_on_profile(self):
        if (self.all_around or self.all_over) and self.characteristic not in PROFILE:
            which = "all_around" if self.all_around else "all_over"
            raise ValueError(f"{which} applies only to profile-of-a-line and profile-of-a-surface, "
                             f"not {self.characteristic.value}")
        if self.all_around and self.all_over:
            raise ValueError("give all_around or all_over, not both")
        return self

    @property
    def extent(self) -> str | None:
        """``all-around`` | ``all-over`` | None."""
        return "all-around" if self.all_around else ("all-over" if self.all_over else None)


class RoughnessSpec(Model):
    ra: Optional[Roughness] = None
    """Maximum arithmetic mean roughness Ra (µm unless written ``uin``)."""
    rz: Optional[Roughness] = None
    """Maximum Rz."""
    lay: Optional[Literal["=", "⊥", "X", "M", "C", "R", "P"]] = None
    """Direction of lay symbol (ISO 1302)."""
    process: Optional[Text] = None
    """Production method required by the surface symbol, e.g. ``ground``."""

    @model_validator(mode="after")
    def _one_parameter(self):
        if self.ra is None and self.rz is None:
            raise ValueError("give ra or rz")
        return self


class Position(Model):
    x: Optional[Coordinate] = None
    """Location along X from the datum reference frame origin."""
    y: Optional[Coordinate] = None
    """Location along Y."""
    z: Optional[Coordinate] = None
    """Location along Z."""


def _depth(value, info: ValidationInfo):
    if value == "through":
        return value
    return _dimension_validator(value, info)


Depth = Annotated[
    Union[Dim, str],
    BeforeValidator(_depth),
    PlainSerializer(lambda d: d if isinstance(d, str) else d.text, return_type=str),
    WithJsonSchema({"type": ["string", "number"], "description": "a dimension, or 'through'"}),
]
"""A depth: a dimension, or ``through``."""


class Knurl(Model):
    pattern: KnurlPattern
    """DIN 82 pattern: ``RAA`` straight, ``RBL``/``RBR`` diagonal left/right hand, ``RGE``/``RGV`` left and right
    hand with points raised/depressed, ``RKE``/``RKV`` crossed with points raised/depressed."""
    pitch: Length
    """Pitch of the knurl teeth, from the DIN 82 series 0.5, 0.6, 0.8, 1, 1.2, 1.6 mm."""

    @model_validator(mode="after")
    def _standard_pitch(self):
        if self.pitch.base not in KNURL_PITCHES:
            raise ValueError(f"knurl pitch {self.pitch.text} is not in the DIN 82 series "
                             f"({', '.join(format(p, 'f') for p in KNURL_PITCHES)} mm)")
        return self

    @property
    def designation(self) -> str:
        return f"DIN 82 - {self.pattern.value} {format(self.pitch.base.normalize(), 'f')}"


class Counterbore(Model):
    size: Dimension
    """Diameter of the counterbore, e.g. ``Ø11 H13``."""
    depth: Dimension
    """Depth of the counterbore from the face it is sunk in."""


class Countersink(Model):
    size: Dimension
    """Diameter of the countersink at the face, e.g. ``Ø12.4``."""
    angle: Dimension
    """Included angle, e.g. ``90°`` (ISO 15065 for countersunk screws)."""


def _feature_size(value, info: ValidationInfo) -> Dim:
    """A feature's size; a chamfer's may be written ``C1``, ``1x45°`` or ``0.5 × 30°`` (its leg, then its angle)."""
    if isinstance(value, Dim):
        return value
    if info.data.get("type") is FeatureType.chamfer:
        chamfer = parse_chamfer(value, _units_of(info))
        if chamfer is not None:
            return chamfer[0]
    return _dimension_validator(value, info)


FeatureSize = Annotated[
    Dim,
    BeforeValidator(_feature_size),
    PlainSerializer(lambda d: d.text, return_type=str),
    WithJsonSchema({"anyOf": [{"type": ["string", "number"], "pattern": DIMENSION_PATTERN},
                              {"type": "string", "pattern": CHAMFER_PATTERN}],
                    "description": "a dimension ('Ø12 H7', '6 ±0.1'); a chamfer's leg and angle: 'C1', "
                                   "'1 × 45°', '0.5 ±0.1 × 30°'"}),
]
"""A feature's size: a dimension, or for a chamfer its leg and angle."""


class Feature(Model):
    id: Ident
    """Feature ID, unique within the part; characteristic IDs derive from it."""
    type: FeatureType
    """Kind of feature."""
    description: Optional[Text] = None
    """How the drawing names the feature, e.g. ``bearing seat``."""
    count: PositiveInt = 1
    """Number of identical instances (a pattern); ``locations`` gives each one."""
    size: Optional[FeatureSize] = None
    """Size: diameter of a hole, boss or pin; width of a slot, keyway or tab; a chamfer's leg (``C1``, ``1 × 45°``,
    ``0.5 × 30°``: the leg along the edge's axis or face, then the angle from it)."""
    depth: Optional[Depth] = None
    """Depth of a hole or pocket, or ``through``."""
    length: Optional[Dimension] = None
    """Length of a slot, keyway, pin or cylindrical seat."""
    axis: Optional[Literal["x", "y", "z"]] = None
    """Direction of a hole, boss or shaft axis."""
    locations: list[Position] = []
    """Where each instance is: one entry per instance, dimensions from the datum frame (``basic`` for positioned features)."""
    thread: Optional[Text] = None
    """Thread designation, e.g. ``M6x1-6H`` (internal) or ``M6x1-6g`` (external) or ``1/4-20 UNC-2B``."""
    counterbore: Optional[Counterbore] = None
    """A hole's counterbore (⌴): its diameter and depth."""
    countersink: Optional[Countersink] = None
    """A hole's countersink (⌵): its diameter at the face and included angle."""
    knurl: Optional[Knurl] = None
    """A knurl (``type: knurl``; ``size`` is the blank diameter, ``length`` the knurled length)."""
    angle: Optional[Dimension] = None
    """A chamfer's angle from the axis or face its leg runs along; 45° unless stated (``size: 0.5 × 30°`` states it)."""
    gdt: list[ControlFrame] = []
    """Feature control frames on this feature."""
    roughness: Optional[RoughnessSpec] = None
    """Surface texture requirement."""
    key: Bool = False
    """The feature's size is a key characteristic."""
    critical: Bool = False
    """The feature's size is a critical characteristic."""
    notes: Optional[Text] = None
    """A requirement in words, e.g. ``no burrs``; it becomes a characteristic too."""
    made_by: list[Text] = []
    """Operations (processes) that make this feature, overriding the routing rules, e.g. ``[edm-wire]``; ``[stock]``: as supplied (not assessed)."""

    @model_validator(mode="after")
    def _count_matches_locations(self):
        if self.locations and len(self.locations) != self.count and "count" in self.model_fields_set:
            raise ValueError(f"count is {self.count} but {len(self.locations)} locations are given")
        if self.locations and "count" not in self.model_fields_set:
            self.count = len(self.locations)
        return self

    @model_validator(mode="after")
    def _chamfer_angle(self):
        if self.angle is not None and self.type is not FeatureType.chamfer:
            raise ValueError(f"angle: only a chamfer has one here (a {self.type.value}'s angle is not a feature "
                             "size; a countersink's is countersink.angle)")
        if self.type is FeatureType.chamfer and self.size is not None:
            stated = parse_chamfer(self.size.text, self.size.unit)
            if stated is not None and self.angle is not None:
                raise ValueError(f"the chamfer's angle is given twice: in size ({self.size.text}) and angle "
                                 f"({self.angle.text}); keep one")
            if stated is not None:
                self.angle = stated[1]
        return self


class Datum(Model):
    label: DatumLabel
    """Datum letter, e.g. ``A``."""
    feature: Ident
    """ID of the datum feature."""


class DimensionKind(str, Enum):
    linear = "linear"
    angle = "angle"
    radius = "radius"
    chamfer = "chamfer"
    diameter = "diameter"


class PartDimension(Model):
    id: Ident
    """Dimension ID, unique within the part."""
    type: DimensionKind = DimensionKind.linear
    """Kind of dimension."""
    value: Dimension
    """The dimension with its tolerance, e.g. ``80 ±0.1``."""
    description: Optional[Text] = None
    """What it measures, e.g. ``overall length``."""
    between: list[Ident] = []
    """Feature IDs it runs between (from, to): the pair of the model it is drawn and checked on."""
    reference: Bool = False
    """A reference dimension: drawn in parentheses for information, not toleranced or inspected (the one
    that closes a chain of dimensions, or repeats one)."""
    key: Bool = False
    """Key characteristic."""
    critical: Bool = False
    """Critical characteristic."""
    made_by: list[Text] = []
    """Operations that set this dimension, overriding the routing rules; ``[stock]``: set by the stock (e.g. sheet thickness)."""


class Geometry(Model):
    step: Optional[Text] = None
    """STEP file (AP203/AP214/AP242), relative to the product folder (where ``techpack.yaml`` is)."""
    cadquery: Optional[Text] = None
    """cadquery model: a Python file, relative to the product folder, that binds ``result``."""

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.step is None) == (self.cadquery is None):
            raise ValueError("give exactly one of step or cadquery")
        return self

    @property
    def path(self) -> str:
        return self.step or self.cadquery or ""

    @property
    def kind(self) -> str:
        return "step" if self.step else "cadquery"


class Part(Model):
    number: PartNumber
    """Part number; also names the part's drawing files."""
    name: Text
    """Part name."""
    revision: RevisionText
    """Part revision, exactly as written."""
    material: Ident
    """ID of the material (see ``materials``)."""
    finish: Optional[Ident] = None
    """ID of the finish (see ``finishes``), or ``none`` when left as machined."""
    geometry: Optional[Geometry] = None
    """3D geometry: a STEP file or a cadquery model."""
    process: list[Text] = []
    """The part's routing: operations in order, e.g. ``[turning, grinding-cylindrical]``; empty = derived by the routing rules (docs/capability.md) from any capable machine."""
    envelope: Optional[BoxSize] = None
    """Bounding size ``X x Y x Z`` when there is no geometry, e.g. ``80 x 50 x 40``."""
    mass: Optional[Mass] = None
    """Part mass, when it is not computed from geometry and density."""
    general_tolerance: Optional[Text] = None
    """General tolerance for untoleranced dimensions: an ISO 2768 class, e.g. ``ISO 2768-mK``, or a
    title-block tolerance block by decimal places, e.g. ``UNLESS OTHERWISE SPECIFIED: .XX ±.01 .XXX ±.005
    ANGLES ±1°`` (in ``product.units``; a dimension written with places the block does not list is reported)."""
    datums: list[Datum] = []
    """Datum features, primary first."""
    features: list[Feature] = []
    """Features with their sizes, locations, GD&T and surface texture."""
    dimensions: list[PartDimension] = []
    """Other dimensions (overall sizes, steps, angles)."""
    notes: list[Text] = []
    """Drawing notes; each states a requirement."""
    quantity_per_product: Optional[PositiveInt] = None
    """Informational; the BOM is authoritative."""
    sheet_metal: Optional[SheetMetal] = None
    """Made from flat sheet (cut and bent): thickness, inside bend radius, K-factor. The model's bends are
    found and checked, and the pack holds the flat pattern ``flat/<part>.dxf``."""


class Purchased(Model):
    description: Text
    """What it is, e.g. ``Button head screw``."""
    standard: Optional[Text] = None
    """Standard designation, e.g. ``ISO 7380-1 M4x8 A2-70``."""
    supplier: Optional[Text] = None
    """Supplier or manufacturer."""
    mpn: Optional[Text] = None
    """Manufacturer part number."""
    material: Optional[Text] = None
    """Material, when the standard leaves it open."""


class SubAssembly(Model):
    number: PartNumber
    """Sub-assembly number."""
    name: Text
    """Sub-assembly name."""
    revision: Optional[Text] = None
    """Sub-assembly revision."""


class BomLine(Model):
    item: Text
    """Item number as written on the BOM, e.g. ``1`` or ``2.3``; unique across the BOM."""
    part: Optional[PartNumber] = None
    """Number of a made part declared under ``parts``."""
    purchased: Optional[Purchased] = None
    """A bought-out item."""
    subassembly: Optional[SubAssembly] = None
    """A sub-assembly; its ``children`` are its lines."""
    quantity: Optional[Dec] = None
    """Quantity per parent assembly."""
    unit: Literal["pcs", "m", "kg", "l", "set"] = "pcs"
    """Unit of the quantity."""
    make_buy: Optional[Literal["make", "buy"]] = None
    """Made to this pack or bought in; defaults from the line kind."""
    notes: Optional[Text] = None
    """Remarks for the buyer."""
    children: list["BomLine"] = []
    """Lines of a sub-assembly (multi-level BOM)."""

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in ("part", "purchased", "subassembly") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a BOM line names exactly one of part, purchased or subassembly")
        if self.children and self.subassembly is None:
            raise ValueError("only a subassembly line has children")
        if self.make_buy is None:
            self.make_buy = "buy" if self.purchased is not None else "make"
        return self


class AssemblyStep(Model):
    step: PositiveInt
    """Step number; steps run in ascending order."""
    description: Text
    """What to do."""
    items: list[Text] = []
    """BOM item numbers used in this step."""
    tools: list[Text] = []
    """Tools and fixtures."""
    torque: Optional[Text] = None
    """Tightening torque, e.g. ``2.5 N·m ±10 %``."""
    check: Optional[Text] = None
    """What to verify after the step."""


class Label(Model):
    fields: list[Literal["part-number", "revision", "description", "quantity", "batch-id", "date", "qr", "supplier", "customer-po"]] = ["part-number", "revision", "quantity", "batch-id", "qr"]
    """What the label shows."""
    size: Optional[Text] = None
    """Label size, e.g. ``100 x 50 mm``."""
    placement: Optional[Text] = None
    """Where the label goes."""


class Packaging(Model):
    unit_pack: Text
    """How single units are packed, e.g. ``VCI bag, one part per bag``."""
    units_per_pack: Optional[PositiveInt] = None
    """Units per inner pack."""
    carton: Optional[Text] = None
    """Outer packaging."""
    units_per_carton: Optional[PositiveInt] = None
    """Units per carton."""
    max_carton_mass: Optional[Mass] = None
    """Maximum gross carton mass."""
    protection: Optional[Text] = None
    """Surface protection, corrosion protection, separators."""
    label: Label = Label()
    """Carton and pack label content."""
    part_marking: Optional[Text] = None
    """Marking on the part itself, e.g. ``laser-mark part number and batch ID, 2 mm text``."""


class InspectionLevel(str, Enum):
    S1 = "S-1"
    S2 = "S-2"
    S3 = "S-3"
    S4 = "S-4"
    I = "I"
    II = "II"
    III = "III"


class Aql(Model):
    critical: Dec = Decimal("0")
    """AQL for critical characteristics; 0 means zero acceptance (100 % or c=0)."""
    major: Dec = Decimal("1.0")
    """AQL for major characteristics, e.g. ``1.0``."""
    minor: Dec = Decimal("2.5")
    """AQL for minor characteristics, e.g. ``2.5``."""


class PpSample(Model):
    quantity: PositiveInt
    """Units in the production-part sample."""
    from_bulk_material: Bool = True
    """Made from the production material lot."""
    production_tooling: Bool = True
    """Made on production tooling and settings."""


class ProcessParameter(Model):
    id: Ident
    """Parameter ID; names its batch-record field."""
    name: Text
    """What it is, e.g. ``Spindle speed, finishing pass``."""
    stage: Text
    """Process stage it belongs to, e.g. ``milling``."""
    unit: Text
    """Unit, e.g. ``rpm`` or ``°C``."""
    min: Optional[Dec] = None
    """Lower limit."""
    max: Optional[Dec] = None
    """Upper limit."""
    nominal: Optional[Dec] = None
    """Set point."""


class InspectionMethod(str, Enum):
    """How a characteristic is inspected (the rules that choose one are in ``docs/quality.md``)."""

    caliper = "caliper"
    micrometer = "micrometer"
    bore_gauge = "bore-gauge"
    pin_gauge = "pin-gauge"
    thread_gauge = "thread-gauge"
    height_gauge = "height-gauge"
    dial_indicator = "dial-indicator"
    protractor = "protractor"
    radius_gauge = "radius-gauge"
    cmm = "cmm"
    profilometer = "profilometer"
    coating_gauge = "coating-thickness-gauge"
    torque_wrench = "torque-wrench"
    certificate = "certificate-review"
    visual = "visual"


class InspectionOverride(Model):
    target: Text
    """Characteristic it changes: ``PART/ID`` such as ``TP-1001-01/bore.size``, or a prefix (``TP-1001-01/bore``)."""
    method: Optional[InspectionMethod] = None
    """Inspection method to use instead of the one the rules choose."""
    classification: Optional[Literal["critical", "major", "minor"]] = None
    """Classification to use instead of the one the rules choose."""
    reason: Optional[Text] = None
    """Why; printed in the inspection plan."""


class Inspection(Model):
    overrides: list[InspectionOverride] = []
    """Per-characteristic changes to the chosen inspection method or classification."""
    top_units: PositiveInt = 3
    """First completed production units checked in the top-of-production (TOP) inspection."""


class Production(Model):
    sample_batch: Optional[PositiveInt] = None
    """Units in the sample batch before production (typically 10-20)."""
    pp_sample: Optional[PpSample] = None
    """Production-part sample from bulk material and production tooling."""
    production_quantity: Optional[PositiveInt] = None
    """Units in the production run."""
    moq: Optional[PositiveInt] = None
    """The supplier's minimum order quantity."""
    lot_size: Optional[PositiveInt] = None
    """Inspection lot size; defaults to the production quantity."""
    inspection_level: InspectionLevel = InspectionLevel.II
    """ISO 2859-1 inspection level for final random inspection."""
    aql: Aql = Aql()
    """AQL per characteristic class."""
    cpk_min: Dec = Decimal("1.33")
    """Minimum predicted Cpk for ordinary characteristics."""
    cpk_min_key: Dec = Decimal("1.67")
    """Minimum predicted Cpk for key and critical characteristics."""
    cpk_thin_margin: Dec = Decimal("0.10")
    """TP308 warns when the predicted Cpk is below the minimum × (1 + this margin), unless the tolerance is at least the machine's stated capability."""
    process_parameters: list[ProcessParameter] = []
    """Process parameters to record in the batch record, with their limits."""
    inspection: Inspection = Inspection()
    """Inspection plan options: method and classification overrides, TOP quantity."""


class Deviation(Model):
    id: Ident
    """Deviation number."""
    description: Text
    """What deviates from the spec."""
    affects: list[Text] = []
    """Part numbers or characteristic IDs affected."""
    status: Literal["open", "approved", "rejected", "closed"] = "open"
    """State of the deviation."""
    owner: Optional[Text] = None
    """Who owns it."""


class Waiver(Model):
    code: Annotated[str, Field(pattern=r"^TP\d{3}$")]
    """Diagnostic code to waive, e.g. ``TP301``."""
    target: Text
    """What it applies to: a part number, ``part/feature`` or ``part/characteristic``; the diagnostic's subject or a prefix of it."""
    reason: Text
    """Why the finding is acceptable."""
    owner: Text
    """Who accepted it."""
    expires: Optional[Date] = None
    """Date after which the waiver no longer applies."""


class Spec(Model):
    """A techpack product spec."""

    techpack: Text = SPEC_VERSION
    """Spec format version; this techpack reads ``1``."""
    include: list[Text] = []
    """Further spec files (relative paths or globs inside the product folder); their sections are merged in."""
    product: Product
    """The product: number, name, revision, owner, units."""
    materials: list[Material] = []
    """Materials parts are made from."""
    finishes: list[Finish] = []
    """Finishes parts receive."""
    parts: list[Part] = []
    """Made parts."""
    bom: list[BomLine] = []
    """Bill of materials, multi-level through ``children``."""
    assembly: list[AssemblyStep] = []
    """Assembly sequence."""
    packaging: Optional[Packaging] = None
    """Packaging and labelling."""
    production: Optional[Production] = None
    """Batch plan: sample batch, PP sample, quantities, AQL, process parameters."""
    deviations: list[Deviation] = []
    """Open deviations log."""
    waivers: list[Waiver] = []
    """Accepted findings, each with a reason and an owner."""

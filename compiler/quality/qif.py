"""QIF 3.0 (ISO 23952) plan document: product, characteristic definitions, nominals, items, measurement plan.

* The document's QPId is a UUID5 of the product, revision and spec hash; each
  characteristic designator's UUID is a UUID5 of its subject (``PART/ID``), so
  it survives revisions.  QIF ids are numbered in document order.  Nothing is
  random and nothing depends on the clock but the build date.
* Items are named by their subject (``TP-1001-01/bore.size``), the ID that runs
  through drawing balloon, plan row and batch-record field; the designator is
  the ID as the drawing's balloon shows it.
* Lengths are written in the product's unit (``product.units``: millimetres, or
  inches with ``LinearUnit`` inch, factor 0.0254), angles in degrees, roughness in
  the same linear unit (QIF linear values follow the file units).  Inch values of
  an inch product are written as the spec states them; millimetres become inches
  (÷ 25.4) to 0.1 µin; model geometry (mm) likewise.
* A limit dimension (``Ø.500..0.504``) is written as its limits, ``DefinedAsLimit``
  true; other tolerances as deviations, ``DefinedAsLimit`` false.
* A profile tolerance all around / all over carries ``Extent`` ``ALL_AROUND`` /
  ``ALL_OVER``, as NIST CTC-01 does.
* The plan is an ordered list of stages (sample batch … FRI), each an unordered
  group of *measure and evaluate* actions on the characteristic items it covers,
  with the stage's frequency and sample size as attributes.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from lxml import etree

from .. import __version__
from ..schema.quantities import LENGTH_UNITS, limit_texts
from ..schema.spec import FORM, GdtCharacteristic
from .fields import xml_text
from .items import Item, fmt
from .methods import NAMES
from .plan import QualityPlan
from .qif_features import Links, write_features
from .stages import STAGES

NS = "http://qifstandards.org/xsd/qif3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
UUID_NS = uuid.UUID("6f1d1a36-52a3-5b8e-9c1f-7465636870ab")  # techpack's namespace for UUID5 names

GDT_TYPES = {
    GdtCharacteristic.straightness: "Straightness", GdtCharacteristic.flatness: "Flatness",
    GdtCharacteristic.circularity: "Circularity", GdtCharacteristic.cylindricity: "Cylindricity",
    GdtCharacteristic.profile_line: "LineProfile", GdtCharacteristic.profile_surface: "SurfaceProfile",
    GdtCharacteristic.perpendicularity: "Perpendicularity", GdtCharacteristic.parallelism: "Parallelism",
    GdtCharacteristic.angularity: "Angularity", GdtCharacteristic.position: "Position",
    GdtCharacteristic.concentricity: "Concentricity", GdtCharacteristic.coaxiality: "Coaxiality",
    GdtCharacteristic.symmetry: "Symmetry", GdtCharacteristic.circular_runout: "CircularRunout",
    GdtCharacteristic.total_runout: "TotalRunout",
}
ORIENTATION = frozenset({GdtCharacteristic.perpendicularity, GdtCharacteristic.parallelism,
                         GdtCharacteristic.angularity})
MODIFIER = {"MMC": "MAXIMUM", "LMC": "LEAST", "RFS": "REGARDLESS", None: "REGARDLESS"}
PRECEDENCE = ("PRIMARY", "SECONDARY", "TERTIARY")
AXIS = {"x": "XAXIS", "y": "YAXIS", "z": "ZAXIS"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def uuid_of(text: str) -> str:
    return str(uuid.uuid5(UUID_NS, text))


MM_PER_INCH = Decimal("25.4")
TENTH_MICROINCH = Decimal("1e-7")


class _Doc:
    """Element construction with sequential QIF ids."""

    def __init__(self, unit: str = "mm") -> None:
        self.next_id = 0
        self.unit = unit  # the file's linear unit: mm | in

    def length(self, value: Decimal, unit: str) -> str:
        """A length of ``unit`` (mm, in, µm) in the file's unit, exact in Decimal (25.4 mm to the inch)."""
        if unit == self.unit:
            return fmt(value)
        mm = value * LENGTH_UNITS[unit]
        if self.unit == "mm":
            return fmt(mm)
        return fmt((mm / MM_PER_INCH).quantize(TENTH_MICROINCH))

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    @staticmethod
    def sub(parent, tag: str, text: str | None = None, **attrs: str):
        el = etree.SubElement(parent, _q(tag), {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_text(text)
        return el

    def ids(self, parent, tag: str, ids: list[str]):
        arr = self.sub(parent, tag, n=str(len(ids)))
        for i in ids:
            self.sub(arr, "Id", i)
        return arr


def write_qif(plan: QualityPlan, refs: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The QIF document of ``plan`` as UTF-8 bytes; ``refs`` maps a subject to its drawing sheet and zone."""
    refs = refs or {}
    spec = plan.spec
    product = spec.product
    d = _Doc(product.units.value)
    root = etree.Element(_q("QIFDocument"), nsmap={None: NS, "xsi": XSI})
    root.set("versionQIF", "3.0.0")
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} ../QIFApplications/QIFDocument.xsd")
    d.sub(root, "QPId", uuid_of(f"document/{product.number}/{product.revision}/{plan.sha256}"))
    attrs = d.sub(root, "Attributes", n="3")
    d.sub(attrs, "AttributeStr", name="techpack:product", value=product.number)
    d.sub(attrs, "AttributeStr", name="techpack:revision", value=product.revision)
    d.sub(attrs, "AttributeStr", name="techpack:spec-sha256", value=plan.sha256)
    version = d.sub(root, "Version")
    d.sub(version, "TimeCreated", plan.date.strftime("%Y-%m-%dT%H:%M:%SZ"))
    header = d.sub(root, "Header")
    app = d.sub(header, "Application")
    d.sub(app, "Name", f"techpack {__version__}")
    d.sub(app, "Organization", "techpack")

    standards = d.sub(root, "StandardsDefinitions", n="1")
    std_id = d.new_id()
    std = d.sub(standards, "Standard", id=std_id)
    org = d.sub(std, "Organization")
    asme = product.drawing.standard == "ASME"
    d.sub(org, "StandardsOrganizationEnum", "ASME" if asme else "ISO")
    d.sub(std, "Designator", "Y14.5" if asme else "1101")

    units = d.sub(d.sub(root, "FileUnits"), "PrimaryUnits")
    linear = ("LinearUnit", "meter", "inch", "0.0254") if d.unit == "in" else ("LinearUnit", "meter", "mm", "0.001")
    for tag, si, name_, factor in (("AngularUnit", "radian", "degree", "0.017453292519943"), linear):
        u = d.sub(units, tag)
        d.sub(u, "SIUnitName", si)
        d.sub(u, "UnitName", name_)
        d.sub(d.sub(u, "UnitConversion"), "Factor", factor)

    items = plan.all_items()
    links = write_features(d, root, plan, items)
    datum_ids, drf_ids = _datums(d, root, plan, items, links)
    devices = _devices(d, root, items)
    threads = _threads(d, root, items)
    product_el = d.sub(root, "Product")
    owner_ids: dict[str, str] = {}  # owner number -> QIF id of its Part or Assembly
    part_set = d.sub(product_el, "PartSet", n=str(len(spec.parts)))
    part_els = {}
    for part in spec.parts:
        pid = d.new_id()
        el = d.sub(part_set, "Part", id=pid)
        part_els[part.number] = el
        owner_ids[part.number] = pid
    assembly_el = None
    components: list[str] = []
    if any(o.number == product.number for o in plan.owners) and product.number not in part_els:
        aset = d.sub(product_el, "AssemblySet", n="1")
        aid = d.new_id()
        assembly_el = d.sub(aset, "Assembly", id=aid)
        owner_ids[product.number] = aid
        cset = d.sub(product_el, "ComponentSet", n=str(len(spec.parts)))
        for part in spec.parts:
            components.append(d.new_id())
            comp = d.sub(cset, "Component", id=components[-1])
            d.sub(comp, "UUID", uuid_of(f"component/{product.number}/{part.number}"))
            d.sub(d.sub(comp, "Part"), "Id", owner_ids[part.number])

    chars = d.sub(root, "Characteristics")
    d.sub(chars, "FormalStandardId", std_id)
    defs = d.sub(chars, "CharacteristicDefinitions", n=str(len(items)))
    noms = d.sub(chars, "CharacteristicNominals", n=str(len(items)))
    its = d.sub(chars, "CharacteristicItems", n=str(len(items)))
    item_ids: dict[str, str] = {}
    nominal_by_owner: dict[str, list[str]] = {}
    # Drawings are declared on the parts before their characteristics reference them.
    drawing_of: dict[str, str] = {}
    for number in owner_ids:
        drawing_of[number] = d.new_id()
    for item in items:
        def_id, nom_id, item_id = d.new_id(), d.new_id(), d.new_id()
        tag = _type_tag(item)
        _definition(d, defs, tag, def_id, item, drf_ids, threads)
        _nominal(d, noms, tag, nom_id, def_id, item, links.by_subject.get(item.subject, []))
        _item(d, its, tag, item_id, nom_id, item, devices, drawing_of[item.owner], refs.get(item.subject))
        item_ids[item.subject] = item_id
        nominal_by_owner.setdefault(item.owner, []).append(nom_id)

    for part in spec.parts:
        _describe(d, part_els[part.number], part.name, part.number, part.revision, drawing_of[part.number],
                  nominal_by_owner.get(part.number, []), datum_ids.get(part.number, []),
                  drf_ids.get(("__part__", part.number), []), model=model_path(part.number))
    if assembly_el is not None:
        _describe(d, assembly_el, product.name, product.number, product.revision, drawing_of[product.number],
                  nominal_by_owner.get(product.number, []), [], [], components)

    _plan(d, root, plan, item_ids)
    root.set("idMax", str(d.next_id))
    _reorder(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


ORDER = ("QPId", "Attributes", "Version", "Header", "StandardsDefinitions", "FileUnits", "DatumDefinitions",
         "DatumReferenceFrames", "MeasurementResources", "ThreadSpecifications", "Product", "Features",
         "Characteristics", "Plan")


def _reorder(root) -> None:
    """Children in the order the schema's sequence requires (sections are built as their data is known)."""
    kids = list(root)
    kids.sort(key=lambda el: ORDER.index(etree.QName(el).localname))
    for el in kids:
        root.append(el)


def model_path(number: str) -> str:
    """Where the pack holds a part's STEP model, relative to the pack root (the QIF is in ``inspection/``)."""
    return f"models/{number}.step"


def _describe(d: _Doc, el, name_: str, number: str, revision: str, drawing_id: str, nominals: list[str],
              datums: list[str], drfs: list[str], components: list[str] | None = None,
              model: str | None = None) -> None:
    header = d.sub(el, "Header")
    d.sub(header, "Name", name_)
    d.sub(el, "UUID", uuid_of(f"part/{number}"))
    d.sub(el, "ModelNumber", number)
    d.sub(el, "Version", revision)
    if nominals:
        d.ids(el, "CharacteristicNominalIds", nominals)
    if datums:
        d.ids(el, "DatumDefinitionIds", datums)
    if drfs:
        d.ids(el, "DatumReferenceFrameIds", drfs)
    if components is not None:
        d.ids(el, "ComponentIds", components)
    ext = d.sub(el, "DefinitionExternal", id=d.new_id(), n="2" if model else "1")
    drawing = d.sub(ext, "PrintedDrawing", id=drawing_id)
    d.sub(drawing, "Name", f"{number} {name_}")
    d.sub(drawing, "Version", revision)
    d.sub(drawing, "DrawingNumber", number)
    if model:
        digital = d.sub(ext, "DigitalModel", id=d.new_id())
        d.sub(digital, "Name", f"{number} {name_} 3D model")
        f = d.sub(digital, "File")
        d.sub(f, "Name", model)
        d.sub(f, "Version", revision)
        d.sub(d.sub(f, "Format"), "DigitalModelFormatEnum", "STEPAP214")
        d.sub(digital, "Description", f"STEP model of {number}: {model}, relative to the root of the tech pack "
              "(this file is inspection/…qif); the feature nominals of this file are in its coordinates, millimetres")


def _datums(d: _Doc, root, plan: QualityPlan, items: list[Item], links: Links):
    """Datum definitions per part and letter, and one reference frame per distinct frame of a part."""
    defs: dict[tuple[str, str], str] = {}
    frames: dict[tuple[str, tuple[str, ...]], str] = {}
    for item in items:
        if item.frame is None or not item.frame.datums:
            continue
        for ref in item.frame.datums:
            for letter in ref.split("(")[0].split("-"):
                defs.setdefault((item.owner, letter), "")
        frames.setdefault((item.owner, tuple(item.frame.datums)), "")
    if not defs:
        return {}, {}
    dd = d.sub(root, "DatumDefinitions", n=str(len(defs)))
    by_part: dict[str, list[str]] = {}
    for key in sorted(defs):
        defs[key] = d.new_id()
        el = d.sub(dd, "DatumDefinition", id=defs[key])
        d.sub(el, "DatumLabel", key[1])
        if links.datums.get(key):
            d.ids(el, "FeatureNominalIds", links.datums[key])
        by_part.setdefault(key[0], []).append(defs[key])
    drf = d.sub(root, "DatumReferenceFrames", n=str(len(frames)))
    out: dict = {}
    for key in frames:  # first-use order
        owner, refs = key
        frames[key] = fid = d.new_id()
        out[key] = fid
        out.setdefault(("__part__", owner), []).append(fid)
        el = d.sub(drf, "DatumReferenceFrame", id=fid)
        datums = d.sub(el, "Datums", n=str(min(len(refs), 5)))
        for n, ref in enumerate(refs[:5]):
            letters, _, mod = ref.partition("(")
            modifier = {"M": "MAXIMUM", "L": "LEAST"}.get(mod.rstrip(")"), "NONE")
            dw = d.sub(datums, "Datum")
            parts = letters.split("-")
            if len(parts) == 1:
                _simple(d, dw, "SimpleDatum", defs[(owner, parts[0])], modifier)
            else:
                comp = d.sub(dw, "CompoundDatum", n=str(len(parts)))
                for k, letter in enumerate(parts, 1):
                    sd = d.sub(comp, "Datum")
                    _simple(d, sd, "SimpleDatum", defs[(owner, letter)], modifier)
                    d.sub(sd, "SequenceNumber", str(k))
            prec = d.sub(dw, "Precedence")
            if n < len(PRECEDENCE):
                d.sub(prec, "PrecedenceEnum", PRECEDENCE[n])
            else:
                d.sub(prec, "OtherPrecedence", str(n + 1))
    return by_part, out


def _simple(d: _Doc, parent, tag: str, def_id: str, modifier: str) -> None:
    sd = d.sub(parent, tag)
    d.sub(sd, "DatumDefinitionId", def_id)
    d.sub(sd, "MaterialModifier", modifier)
    d.sub(sd, "ReferencedComponent", "NOMINAL")  # a plan: the datum feature as designed


DEVICE_TYPES = {
    "caliper": "Caliper", "micrometer": "Micrometer", "cmm": "CMM", "bore-gauge": "GageDevice",
    "pin-gauge": "GageDevice", "thread-gauge": "GageDevice", "height-gauge": "GageDevice",
    "dial-indicator": "GageDevice", "radius-gauge": "GageDevice", "protractor": "GageDevice",
    "profilometer": "ManualMeasurementDevice", "coating-thickness-gauge": "ManualMeasurementDevice",
    "torque-wrench": "ManualMeasurementDevice",
}
"""QIF element of each measuring method; visual checks and certificate reviews use no device."""


def _devices(d: _Doc, root, items: list[Item]) -> dict[str, str]:
    from .methods import UNCERTAINTY  # noqa: PLC0415

    methods = sorted({i.method for i in items if i.method in DEVICE_TYPES})
    if not methods:
        return {}
    res = d.sub(root, "MeasurementResources")
    devs = d.sub(res, "MeasurementDevices", n=str(len(methods)))
    out = {}
    for m in methods:
        out[m] = d.new_id()
        el = d.sub(devs, DEVICE_TYPES[m], id=out[m])
        d.sub(el, "Name", NAMES[m])
        if m in UNCERTAINTY:
            u = "°" if m == "protractor" else " mm"
            also = f" ({d.length(UNCERTAINTY[m], 'mm')} in)" if d.unit == "in" and m != "protractor" else ""
            d.sub(el, "Description", f"{NAMES[m]}; the plan assumes a typical expanded uncertainty U = "
                  f"{fmt(UNCERTAINTY[m])}{u}{also} (k=2) in workshop use")
        else:
            d.sub(el, "Description", NAMES[m])
    return out


def _threads(d: _Doc, root, items: list[Item]) -> dict[str, str]:
    specs = []
    for i in items:
        if i.kind == "thread" and i.feature is not None and i.feature.thread and i.feature.thread not in specs:
            specs.append(i.feature.thread)
    if not specs:
        return {}
    el = d.sub(root, "ThreadSpecifications", n=str(len(specs)))
    out = {}
    for text in specs:
        out[text] = d.new_id()
        ts = d.sub(el, "ThreadSpecification")
        tt = d.sub(ts, "TextThreadSpecification", id=out[text])
        d.sub(tt, "TextSpecification", text)
    return out


def _type_tag(item: Item) -> str:
    if item.frame is not None:
        return GDT_TYPES[item.frame.characteristic]
    if item.kind == "thread":
        return "Thread"
    if item.kind == "roughness":
        return "SurfaceTexture" if item.id.endswith(".ra") else "UserDefinedLinear"
    if item.dim is not None:
        if item.dim.is_angle or item.dimension_type == "angle":
            return "Angle"
        if item.kind == "location":
            return "LinearCoordinate"
        if item.kind == "depth":
            return "Depth"
        if item.kind == "size":
            return "Diameter" if item.dim.diameter or _round(item) else "Width"
        if item.dimension_type == "diameter" or item.dim.diameter:
            return "Diameter"
        if item.dimension_type == "radius":
            return "Radius"
        return "Length"
    return "UserDefinedAttribute"


def _round(item: Item) -> bool:
    from ..schema.spec import ROUND_FEATURES  # noqa: PLC0415

    return item.feature is not None and item.feature.type in ROUND_FEATURES


def _len(d: _Doc, item: Item, value: Decimal) -> str:
    """A value of the item's dimension in the file's unit (angles in degrees)."""
    return d.length(value, item.dim.unit) if item.dim is not None and not item.dim.is_angle else fmt(value)


def _definition(d: _Doc, parent, tag: str, def_id: str, item: Item, drfs: dict, threads: dict) -> None:
    el = d.sub(parent, f"{tag}CharacteristicDefinition", id=def_id)
    d.sub(el, "Name", item.subject)
    if tag == "UserDefinedAttribute":
        d.sub(el, "WhatToMeasure", item.requirement)
        return
    if tag == "Thread":
        d.sub(el, "ThreadSpecificationId", threads[item.feature.thread])
        return
    if tag == "SurfaceTexture":
        d.sub(el, "RoughnessAverage", d.length(item.feature.roughness.ra.base, "µm"))
        return
    if tag == "UserDefinedLinear":  # Rz: a one-sided limit in mm
        d.sub(el, "WhatToMeasure", f"Rz (ISO 21920-2) of {item.label}")
        tol = d.sub(el, "Tolerance")
        d.sub(tol, "MaxValue", d.length(item.feature.roughness.rz.base, "µm"))
        d.sub(tol, "DefinedAsLimit", "true")
        return
    if item.frame is not None:
        _gdt_definition(d, el, item, drfs)
        return
    dim = item.dim
    tol = d.sub(el, "Tolerance")
    if dim.kind == "limits":  # kept as the limits the drawing states
        lo, hi = limit_texts(dim)
        d.sub(tol, "MaxValue", _len(d, item, hi))
        d.sub(tol, "MinValue", _len(d, item, lo))
        d.sub(tol, "DefinedAsLimit", "true")
        return
    if dim.plus is not None:
        d.sub(tol, "MaxValue", _len(d, item, dim.plus))
    if dim.minus is not None:
        d.sub(tol, "MinValue", _len(d, item, dim.minus))
    d.sub(tol, "DefinedAsLimit", "false")


def _gdt_definition(d: _Doc, el, item: Item, drfs: dict) -> None:
    f = item.frame
    ch = f.characteristic
    d.sub(el, "ToleranceValue", d.length(f.tolerance.value, f.tolerance.unit))
    if ch in FORM:
        return
    if f.datums:
        d.sub(el, "DatumReferenceFrameId", drfs[(item.owner, tuple(f.datums))])
    if f.extent is not None:  # all around / all over, as NIST CTC-01 writes it
        d.sub(d.sub(el, "Extent"), "ExtentEnum", {"all-around": "ALL_AROUND", "all-over": "ALL_OVER"}[f.extent])
    mod = MODIFIER[f.modifier.value if f.modifier else None]
    if ch in ORIENTATION:
        d.sub(el, "MaterialCondition", mod)
        zone = d.sub(el, "ZoneShape")
        d.sub(zone, "DiametricalZone" if f.diameter else "PlanarZone")
    elif ch is GdtCharacteristic.position:
        d.sub(el, "MaterialCondition", mod)
        zone = d.sub(el, "ZoneShape")
        d.sub(zone, "DiametricalZone" if f.diameter else "NonDiametricalZone")


def _nominal(d: _Doc, parent, tag: str, nom_id: str, def_id: str, item: Item, features: list[str]) -> None:
    el = d.sub(parent, f"{tag}CharacteristicNominal", id=nom_id)
    d.sub(el, "CharacteristicDefinitionId", def_id)
    if features:
        d.ids(el, "FeatureNominalIds", features)
    d.sub(el, "Name", item.subject)
    if item.dim is not None and item.frame is None and tag not in ("UserDefinedAttribute",):
        if tag == "Angle":
            d.sub(el, "TargetValue", fmt(item.dim.nominal))
        else:
            d.sub(el, "TargetValue", _len(d, item, item.dim.nominal))
        if tag == "LinearCoordinate":
            axis = item.id.split(".")[-2] if item.id.split(".")[-1].isdigit() else item.id.split(".")[-1]
            d.sub(el, "Direction", AXIS.get(axis, "XAXIS"))
    if tag == "UserDefinedAttribute":
        pv = d.sub(el, "PassValues", n="1")
        d.sub(pv, "StringValue", "conforms")


def _item(d: _Doc, parent, tag: str, item_id: str, nom_id: str, item: Item, devices: dict, drawing_id: str,
          ref: tuple[str, str] | None = None) -> None:
    el = d.sub(parent, f"{tag}CharacteristicItem", id=item_id)
    attrs = d.sub(el, "Attributes", n="4")
    d.sub(attrs, "AttributeStr", name="techpack:subject", value=item.subject)
    d.sub(attrs, "AttributeStr", name="techpack:classification", value=item.classification)
    d.sub(attrs, "AttributeBool", name="techpack:key", value="true" if item.key else "false")
    d.sub(attrs, "AttributeStr", name="techpack:method", value=item.method)
    d.sub(el, "Description", item.requirement)
    d.sub(el, "Name", item.subject)
    des = d.sub(el, "CharacteristicDesignator")
    d.sub(des, "Designator", item.id)
    d.sub(des, "UUID", uuid_of(f"characteristic/{item.subject}"))
    crit = d.sub(des, "Criticality")
    d.sub(crit, "LevelEnum", item.classification.upper())
    if item.method in devices:
        d.ids(el, "MeasurementDeviceIds", [devices[item.method]])
    d.sub(el, "CharacteristicNominalId", nom_id)
    loc = d.sub(el, "LocationOnDrawing")
    d.sub(loc, "DrawingId", drawing_id)
    sheet, zone = ref or ("", "")
    if sheet:
        d.sub(loc, "SheetNumber", sheet)
    if zone:
        d.sub(loc, "DrawingZone", zone)


def _plan(d: _Doc, root, plan: QualityPlan, item_ids: dict[str, str]) -> None:
    stages = [s for s in STAGES if plan.rows_of(s.key)]
    el = d.sub(root, "Plan")
    version = d.sub(el, "Version")
    d.sub(version, "TimeCreated", plan.date.strftime("%Y-%m-%dT%H:%M:%SZ"))
    instr_ids = {}
    wis = d.sub(el, "WorkInstructions", n=str(len(stages)))
    for s in stages:
        instr_ids[s.key] = d.new_id()
        wi = d.sub(wis, "TextInstruction", id=instr_ids[s.key])
        d.sub(wi, "TextInstruction", f"{s.title}: {s.purpose}")
    root_el = d.sub(el, "OrderedPlanRoot")
    steps = d.sub(root_el, "Steps", n=str(len(stages)))
    for n, s in enumerate(stages, 1):
        step = d.sub(steps, "NumberedPlanElement")
        d.sub(step, "SequenceNumber", str(n))
        group = d.sub(step, "UnorderedActionGroup")
        d.ids(group, "WorkInstructionIds", [instr_ids[s.key]])
        a = d.sub(group, "Attributes", n="1")
        d.sub(a, "AttributeStr", name="techpack:stage", value=s.key)
        fn = d.sub(group, "MeasureActionGroupFunction")
        d.sub(fn, "OtherMeasureActionGroupFunction", s.title)
        buckets: dict[tuple[str, str, str, str], list[str]] = {}
        for r in plan.rows_of(s.key):
            buckets.setdefault((r.frequency, r.sample, r.ac, r.re), []).append(item_ids[r.item.subject])
        inner = d.sub(group, "Steps", n=str(len(buckets)))
        for (freq, sample, ac, re_), ids in buckets.items():
            action = d.sub(inner, "MeasureEvaluateSpecified")
            values = [("techpack:frequency", freq), ("techpack:sample-size", sample)]
            if ac:
                values += [("techpack:Ac", ac), ("techpack:Re", re_)]
            a = d.sub(action, "Attributes", n=str(len(values)))
            for k, v in values:
                d.sub(a, "AttributeStr", name=k, value=v)
            d.ids(action, "CharacteristicItemIds", ids)

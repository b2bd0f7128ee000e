"""QIF ``Features``: a feature definition and nominal for everything a characteristic or datum applies to.

Nominals come from the part's geometry facts, matched to the spec's features by
:mod:`techpack.geometry.match` (the same matching the drawings and the
spec-vs-model check use), in file units (mm) in the model's coordinates:

* round features (hole, bore, boss, shaft, pin, thread): a ``CylinderFeatureNominal``
  per instance with its axis point and direction; a located pattern of several
  instances is also a ``GroupFeatureNominal`` listing them;
* slots, keyways, tabs, widths: an ``OppositeParallelPlanesFeatureNominal``
  (centre plane, length direction);
* faces: a ``PlaneFeatureNominal`` (a point on the face and its outward normal);
* a linear dimension not written ``between`` two features: the two faces the
  model shows it between, as an ``OppositeParallelPlanesFeatureNominal`` (external);
* what has no shape or was not found in the model (material, finish, notes, a
  face no description locates, a part without geometry): an
  ``OtherNonShapeFeatureNominal`` saying so.  Every characteristic therefore links
  to at least one feature nominal; only the geometric ones carry coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..geometry.match import Face, FeatureMatch, PartMatch, Slot, match_part
from ..schema.spec import Part
from .items import Item

AXIS_UNIT = ("1 0 0", "0 1 0", "0 0 1")


def _num(v: float) -> str:
    text = f"{round(v, 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


MM_PER_INCH = Decimal("25.4")


def _length(v: float, unit: str) -> str:
    """A model length (mm) in the file's linear unit: inch files get mm / 25.4 to 7 places (0.00001 mm)."""
    if unit != "in":
        return _num(v)
    inches = (Decimal(_num(v)) / MM_PER_INCH).quantize(Decimal("1e-7"))
    text = format(inches.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _point(p) -> str:
    return " ".join(_num(c) for c in p)


def _unit(axis: int, sign: int = 1) -> str:
    return " ".join(("-" if sign < 0 and i == axis else "") + ("1" if i == axis else "0") for i in range(3))


@dataclass
class Links:
    """Feature nominal ids by characteristic subject, and by (owner, datum letter)."""

    by_subject: dict[str, list[str]] = field(default_factory=dict)
    datums: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    located: set[str] = field(default_factory=set)
    """Subjects whose features have coordinates from the model."""


class _Writer:
    def __init__(self, d, defs, noms, unit: str = "mm") -> None:
        self.d, self.defs, self.noms = d, defs, noms
        self.unit = unit  # the file's linear unit: mm, or in for an inch product
        self.count_defs = self.count_noms = 0
        self.axes: list[tuple[str, object]] = []  # (nominal id, Cylinder) of every cylinder written

    def definition(self, tag: str, *children: tuple[str, str | None]) -> str:
        did = self.d.new_id()
        el = self.d.sub(self.defs, f"{tag}FeatureDefinition", id=did)
        self._children(el, children)
        self.count_defs += 1
        return did

    def nominal(self, tag: str, name: str, def_id: str, *children) -> str:
        nid = self.d.new_id()
        el = self.d.sub(self.noms, f"{tag}FeatureNominal", id=nid)
        self.d.sub(el, "Name", name)
        self.d.sub(el, "FeatureDefinitionId", def_id)
        self._children(el, children)
        self.count_noms += 1
        return nid

    def _children(self, el, children) -> None:
        for tag, value in children:
            if isinstance(value, tuple):  # a nested element: (tag, ((child, text), ...))
                sub = self.d.sub(el, tag)
                self._children(sub, value)
            elif isinstance(value, list):  # an id list
                self.d.ids(el, tag, value)
            elif value is not None:
                self.d.sub(el, tag, value)

    def num(self, v: float) -> str:
        """A length from the model (mm) in the file's unit."""
        return _length(v, self.unit)

    def point(self, p) -> str:
        return " ".join(self.num(c) for c in p)

    def other(self, name: str, description: str) -> str:
        return self.nominal("OtherNonShape", name, self.definition("OtherNonShape", ("Description", description)))


def write_features(d, root, plan, items: list[Item]) -> Links:
    """The ``Features`` section of ``plan``'s items; returns how characteristics and datums link to it."""
    features = d.sub(root, "Features")
    defs = d.sub(features, "FeatureDefinitions")
    noms = d.sub(features, "FeatureNominals")
    w = _Writer(d, defs, noms, plan.spec.product.units.value)
    links = Links()
    by_owner: dict[str, list[Item]] = {}
    for item in items:
        by_owner.setdefault(item.owner, []).append(item)
    for part in plan.spec.parts:
        facts = plan.geometry.get(part.number)
        match = match_part(part, facts) if facts is not None else None
        _part(w, part, match, facts, by_owner.get(part.number, []), links)
    product = plan.spec.product
    if product.number in by_owner and all(p.number != product.number for p in plan.spec.parts):
        whole = w.other(f"{product.number}/assembly", f"the assembled product {product.number} {product.name}")
        for item in by_owner[product.number]:
            links.by_subject[item.subject] = [whole]
    defs.set("n", str(w.count_defs))
    noms.set("n", str(w.count_noms))
    return links


def _part(w: _Writer, part: Part, match: PartMatch | None, facts, items: list[Item], links: Links) -> None:
    pn = part.number
    w.axes = []  # hole pitches are between this part's axes only
    instances: dict[str, list[str]] = {}  # feature id -> nominal ids, one per instance
    located: set[str] = set()
    for f in part.features:
        fm = match.features.get(f.id) if match is not None else None
        ids = _feature(w, pn, fm, facts) if fm is not None else []
        if ids:
            located.add(f.id)
        else:
            why = "no geometry for this part" if match is None else "not located in the model"
            ids = [w.other(f"{pn}/{f.id}", f"{f.type.value} {f.description or f.id}: {why}")]
        instances[f.id] = ids
    spans: dict[str, list[str]] = {}
    for dim in part.dimensions:
        ends = [i for b in dim.between for i in instances.get(b, [])]
        if ends:
            spans[dim.id] = ends
        elif match is not None and dim.id in match.spans:
            s = match.spans[dim.id]
            axes = _axes_at(w, s.axis, (s.lo, s.hi))
            spans[dim.id] = axes or [_width(w, f"{pn}/{dim.id}", s.axis, s.lo, s.hi, facts, internal=False)]
            located.add(dim.id)
    whole: list[str] = []
    for item in items:
        fid = item.feature.id if item.feature is not None else None
        if fid is not None and fid in instances:
            ids = instances[fid]
            n = _instance(item.id, fid)
            links.by_subject[item.subject] = [ids[n]] if n is not None and n < len(ids) else list(ids)
            if fid in located:
                links.located.add(item.subject)
        elif item.id in spans:
            links.by_subject[item.subject] = spans[item.id]
            if item.id in located:
                links.located.add(item.subject)
        else:
            if not whole:
                whole.append(w.other(f"{pn}/part", f"the part {pn} {part.name} as a whole (no single feature)"))
            links.by_subject[item.subject] = whole
    for datum in part.datums:
        if datum.feature in instances:
            links.datums[(pn, datum.label)] = instances[datum.feature]


def _axes_at(w: _Writer, axis: int, ends: tuple[float, float]) -> list[str]:
    """Cylinders of this part whose axes lie at both ends of a span (a hole pitch), else nothing."""
    found: dict[float, list[str]] = {e: [] for e in ends}
    for nid, c in w.axes:
        if abs(c.axis_dir[axis]) > 1e-6:
            continue  # the span runs along this axis
        for e in ends:
            if abs(c.axis_origin[axis] - e) <= 1e-3:
                found[e].append(nid)
    if all(found.values()):
        return [nid for e in ends for nid in found[e]]
    return []


def _instance(cid: str, fid: str) -> int | None:
    """``mount-holes.x.2`` → 1: a location characteristic names its instance (1-based)."""
    rest = cid[len(fid) + 1:].split(".") if cid.startswith(fid + ".") else []
    if len(rest) == 2 and rest[1].isdigit():
        return int(rest[1]) - 1
    return None


def _feature(w: _Writer, pn: str, fm: FeatureMatch, facts) -> list[str]:
    f = fm.feature
    cyls = [c for c in fm.cylinders if c is not None]
    if cyls:
        size = float(f.size.nominal_mm) if f.size is not None else cyls[0].diameter
        through = f.depth == "through"
        def_id = w.definition("Cylinder", ("InternalExternal", "INTERNAL" if cyls[0].internal else "EXTERNAL"),
                              ("Diameter", w.num(size)), ("Length", w.num(max(c.length for c in cyls))),
                              ("Bottom", (("BottomEnum", "THROUGH" if through else "UNDEFINED"),)))
        ids = []
        for n, c in enumerate(cyls, 1):
            name = f"{pn}/{f.id}" if len(cyls) == 1 else f"{pn}/{f.id}[{n}]"
            ids.append(w.nominal("Cylinder", name, def_id,
                                 ("Axis", (("AxisPoint", w.point(c.axis_origin)), ("Direction", _point(c.axis_dir))))))
            w.axes.append((ids[-1], c))
        if len(ids) > 1:
            group_def = w.definition("Group")
            w.nominal("Group", f"{pn}/{f.id}", group_def, ("FeatureNominalIds", ids))
        return ids
    if fm.slot is not None:
        return [_slot(w, f"{pn}/{f.id}", fm.slot, facts)]
    if fm.face is not None:
        return [_plane(w, f"{pn}/{f.id}", fm.face, facts)]
    return []


def _centre(facts) -> list[float]:
    return [(facts.bbox_min[i] + facts.bbox_max[i]) / 2 for i in range(3)]


def _slot(w: _Writer, name: str, s: Slot, facts) -> str:
    children: list = [("InternalExternal", "INTERNAL" if s.internal else "EXTERNAL"), ("Width", w.num(s.hi - s.lo))]
    if s.length_axis is not None:
        children.append(("Length", w.num(s.length_hi - s.length_lo)))
    children.append(("EndType", (("SlotEndEnum", "UNDEFINED"),)))
    def_id = w.definition("OppositeParallelPlanes", *children)
    point = _centre(facts)
    point[s.axis] = (s.lo + s.hi) / 2
    if s.length_axis is not None:
        point[s.length_axis] = (s.length_lo + s.length_hi) / 2
    nominal = [("CenterPlane", (("Point", w.point(point)), ("Normal", _unit(s.axis))))]
    if s.length_axis is not None:
        nominal.append(("LengthVector", _unit(s.length_axis)))
    return w.nominal("OppositeParallelPlanes", name, def_id, *nominal)


def _width(w: _Writer, name: str, axis: int, lo: float, hi: float, facts, internal: bool) -> str:
    def_id = w.definition("OppositeParallelPlanes", ("InternalExternal", "INTERNAL" if internal else "EXTERNAL"),
                          ("Width", w.num(hi - lo)), ("EndType", (("SlotEndEnum", "UNDEFINED"),)))
    point = _centre(facts)
    point[axis] = (lo + hi) / 2
    return w.nominal("OppositeParallelPlanes", name, def_id,
                     ("CenterPlane", (("Point", w.point(point)), ("Normal", _unit(axis)))))


def _plane(w: _Writer, name: str, face: Face, facts) -> str:
    """A face: the centroid of the largest model plane on it (else the bounding box centre moved onto it)."""
    best = None
    for p in facts.planes:
        if abs(abs(p.normal[face.axis]) - 1) < 1e-6 and abs(p.origin[face.axis] - face.coord) <= 1e-3:
            if best is None or p.area > best.area:
                best = p
    if best is not None:
        point = list(best.origin)
        sign = 1 if best.normal[face.axis] > 0 else -1
    else:
        point = _centre(facts)
        point[face.axis] = face.coord
        sign = face.sign
    return w.nominal("Plane", name, w.definition("Plane"), ("Location", w.point(point)),
                     ("Normal", _unit(face.axis, sign)))

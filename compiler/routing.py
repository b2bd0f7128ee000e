"""Routing: the ordered operations that make a part, and the operation(s) behind each characteristic.

The rules (``docs/capability.md``, "Routing") read the part's kind and features;
the spec overrides them per part (``process:`` is the routing, in order) and per
feature or dimension (``made_by:``).  This module knows nothing about
suppliers: it says which *process* makes what; the capability check then finds
the machines of each supplier that can perform it.

Part kinds: **sheet** (material form ``sheet``), **round** (has a ``shaft``
feature), otherwise **prismatic**.

=========== ===================================================================
sheet       bend, flange → bending; face → bending when the part has bends, else
            laser-cutting; thread → tapping; everything else → laser-cutting
round       shaft, boss → grinding-cylindrical when it needs IT6 or finer, Ra ≤
            0.4 µm or a ground surface, else turning; face → grinding-cylindrical
            when its runout/orientation refers only to ground datums, else
            turning; keyway, slot, pocket, profile, tab, surface → milling-3axis;
            hole, bore, thread off the turning axis → drilling / milling-3axis /
            tapping, on it → turning; everything else → turning
prismatic   hole → reaming when it needs IT8 or finer, else drilling; thread →
            tapping; face → grinding-surface when it needs Ra ≤ 0.4 µm or
            flatness ≤ 0.005 mm; everything else (bore included: fine boring on
            the machining centre) → milling-3axis
=========== ===================================================================

A face whose ``roughness.process`` says it is sawn (``sawn``, ``saw cut``) is
made by **sawing**, on any part kind but sheet.

A characteristic is made by the operation of its feature; a dimension between
two features by the operations of both; a location by its feature's operation,
plus — on a sheet part — bending when the coordinate crosses a bend line
(a bend's ``axis`` is the direction of its bend line), or — elsewhere — the
operations of the part's datum features.  A dimension without ``between`` is
made by the part's first operation, except the **cut length** of a part cut
from stock (material form bar, tube or extrusion) whose ends no operation
faces — no lathe in the routing and no face made by milling or grinding: the
saw makes it (sawing then starts the routing).  ``made_by: [stock]`` marks what
the stock sets (sheet thickness, drawn bar diameter): it is not assessed on a
machine.

**Bends crossed** (:meth:`Routing.bends_crossed`): a location coordinate crosses
each bend line positioned (``locations`` of a ``bend``, along that coordinate)
strictly between the datum origin and the coordinate, and at least one when a
bend that is not parallel has no position; a dimension between two features
crosses one bend per flange among them (a flange is one bend off the base), at
least one when bending makes it.  The press brake holds ``linear_pm`` across
one bend plus ``per_bend_pm`` per further bend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .characteristics import Characteristic
from .schema.capability import Process
from .schema.spec import FeatureType, Feature, Material, Part
from .standards import iso286
from .standards.tables import StandardsError

STOCK = "stock"
SHEET, ROUND, PRISMATIC = "sheet", "round", "prismatic"

ORDER = ("sawing", "laser-cutting", "waterjet", "punching", "turning", "turn-mill", "milling-3axis", "milling-5axis",
         "drilling", "boring", "reaming", "tapping", "bending", "welding", "grinding-cylindrical",
         "grinding-surface", "edm-wire", "honing", "additive")
"""Order of derived operations: saw or cut the blank, turn, mill, make holes, bend, grind, then finish."""

PERFORMS: dict[str, frozenset[str]] = {
    "milling-3axis": frozenset({"milling-3axis", "drilling", "boring", "reaming", "tapping"}),
    "milling-5axis": frozenset({"milling-5axis", "milling-3axis", "drilling", "boring", "reaming", "tapping"}),
    "turning": frozenset({"turning", "drilling", "boring", "reaming", "tapping"}),
    "turn-mill": frozenset({"turn-mill", "turning", "milling-3axis", "drilling", "boring", "reaming", "tapping"}),
    "drilling": frozenset({"drilling", "reaming", "tapping"}),
}
"""The operations a machine of each process can perform (a machining centre drills, reams and taps; a turn-mill
turns and mills).  Any other process performs only itself."""

MAKES: dict[str, frozenset[FeatureType]] = {
    "laser-cutting": frozenset({FeatureType.profile, FeatureType.hole, FeatureType.slot, FeatureType.tab,
                                FeatureType.edge, FeatureType.pocket, FeatureType.width}),
    "bending": frozenset({FeatureType.bend, FeatureType.flange, FeatureType.face, FeatureType.width}),
    "grinding-cylindrical": frozenset({FeatureType.shaft, FeatureType.boss, FeatureType.face}),
    "grinding-surface": frozenset({FeatureType.face, FeatureType.width, FeatureType.surface}),
    "tapping": frozenset({FeatureType.thread}),
    "sawing": frozenset({FeatureType.face, FeatureType.edge}),
    "drilling": frozenset({FeatureType.hole}),
    "reaming": frozenset({FeatureType.hole, FeatureType.bore}),
    "edm-wire": frozenset({FeatureType.profile, FeatureType.slot, FeatureType.pocket, FeatureType.hole,
                           FeatureType.bore, FeatureType.width, FeatureType.keyway, FeatureType.edge}),
}
"""With an explicit ``process:`` list, a feature whose rule operation is not in the list goes to the last listed
operation that makes its kind (processes not listed here make every kind)."""

GROUND_WORDS = ("ground", "grind")
SAWN = re.compile(r"\bsaw(?:n|ed|-cut| cut)?\b", re.IGNORECASE)
CUT_FROM_STOCK = frozenset({"bar", "tube", "extrusion"})
"""Material forms cut to length from stock (on a saw) before they are machined."""
FACING = frozenset({"turning", "turn-mill", "milling-3axis", "milling-5axis", "grinding-surface",
                    "grinding-cylindrical"})
"""Operations that face a part's ends when they make one of its faces (a lathe always does)."""
TURNED = {"turning", "turn-mill", "grinding-cylindrical"}
ROUND_CUT = frozenset({FeatureType.keyway, FeatureType.slot, FeatureType.pocket, FeatureType.profile,
                       FeatureType.tab, FeatureType.surface})
RUNOUT_LIKE = frozenset({"circular-runout", "total-runout", "perpendicularity", "parallelism", "coaxiality",
                         "concentricity"})


@dataclass
class Routing:
    """The operations of one part, in order, and the operation that makes each feature."""

    part: Part
    kind: str
    ops: list[str]
    feature_op: dict[str, str]
    explicit: bool
    problems: list[tuple[Feature, str]] = field(default_factory=list)
    """Features no listed operation makes (reported by the check)."""
    cut_length: str | None = None
    """``sawing`` when the saw makes the part's length (dimensions without ``between``), else None."""
    _memo: dict = field(default_factory=dict, repr=False)
    _bends: dict = field(default_factory=dict, repr=False)

    def ops_cached(self, ch: Characteristic) -> tuple[str, ...]:
        """:meth:`ops_of` with the routing's own operations, computed once per characteristic."""
        found = self._memo.get(ch.id)
        if found is None:
            found = self._memo[ch.id] = self.ops_of(ch)
        return found

    def ops_of(self, ch: Characteristic, feature_op: dict[str, str] | None = None,
               ops: list[str] | None = None) -> tuple[str, ...]:
        """The operations that make ``ch``, in routing order; ``("stock",)`` when the stock sets it.

        ``feature_op`` and ``ops`` replace the routing's own when a supplier had to move features
        to another operation (no process given, and no machine performs the rule's operation).
        """
        fo = self.feature_op if feature_op is None else feature_op
        order = self.ops if ops is None else ops
        made_by = _made_by_of(ch)
        if made_by:
            return tuple(made_by)
        found: set[str] = set()
        if ch.kind == "dimension":
            between = _dimension(ch)
            feats = [fo.get(f) for f in (between or [])]
            found.update(op for op in feats if op)
            if not found and order:
                if not between and self.cut_length in order:
                    found.add(self.cut_length)
                else:
                    found.add(next((op for op in order if op != "sawing"), order[0]))
        elif ch.feature is not None:
            op = fo.get(ch.feature.id)
            if op:
                found.add(op)
            if ch.kind == "location":
                found.update(self._location_ops(ch, fo, order))
            elif ch.kind == "gdt" and ch.frame is not None and ch.frame.datums:
                found.update(_datum_ops(self.part, fo, ch.frame.datums))
        return tuple(sorted(found, key=lambda op: order.index(op) if op in order else len(order)))

    def _location_ops(self, ch: Characteristic, fo: dict[str, str], order: list[str]) -> set[str]:
        if self.kind == SHEET:
            bends = [f for f in self.part.features if f.type in (FeatureType.bend, FeatureType.flange)]
            if bends and "bending" in order and self._location_bends(ch) > 0:
                return {"bending"}
            return set()
        return _datum_ops(self.part, fo, [d.label for d in self.part.datums])

    def bends_crossed(self, ch: Characteristic, ops: tuple[str, ...]) -> int:
        """How many bend lines the linear characteristic ``ch`` crosses (module docstring); 0 off sheet parts or
        when bending does not make it."""
        if self.kind != SHEET or "bending" not in ops or ch.kind not in ("location", "dimension"):
            return 0
        found = self._bends.get(ch.id)
        if found is None:
            if ch.kind == "location":
                found = self._location_bends(ch)
            else:
                between = set(_dimension(ch) or [])
                found = sum(1 for f in self.part.features if f.id in between and f.type is FeatureType.flange)
            found = self._bends[ch.id] = max(found, 1)
        return found

    def _location_bends(self, ch: Characteristic) -> int:
        axis = ch.id.split(".")[1] if "." in ch.id else ""
        value = ch.size_mm
        count, unplaced = 0, False
        for b in self.part.features:
            if b.type is not FeatureType.bend or b.axis == axis:
                continue
            places = [getattr(p, axis, None) for p in b.locations] if axis in ("x", "y", "z") else []
            places = [p.nominal_mm for p in places if p is not None]
            if not places or value is None:
                unplaced = True
                continue
            lo, hi = sorted((Decimal(0), value))
            count += sum(1 for p in places if lo < p < hi)
        return max(count, 1) if unplaced else count


def _datum_ops(part: Part, fo: dict[str, str], refs) -> set[str]:
    labels = {x for ref in refs for x in ref.split("(")[0].split("-")}
    ids = {d.feature for d in part.datums if d.label in labels}
    return {op for fid, op in fo.items() if fid in ids}


def _made_by_of(ch: Characteristic) -> list[str]:
    if ch.kind == "dimension":
        dim = _dimension_obj(ch)
        return list(dim.made_by) if dim is not None else []
    return list(ch.feature.made_by) if ch.feature is not None else []


def _dimension_obj(ch: Characteristic):
    return next((d for d in ch.part.dimensions if d.id == ch.id), None)


def _dimension(ch: Characteristic) -> list[str] | None:
    d = _dimension_obj(ch)
    return list(d.between) if d is not None else None


def part_kind(part: Part, material: Material | None) -> str:
    if any(f.type in (FeatureType.shaft, FeatureType.knurl) for f in part.features) or set(part.process) & TURNED:
        return ROUND
    if material is not None and material.form == "sheet":
        return SHEET
    return PRISMATIC


def route(part: Part, material: Material | None) -> Routing:
    """The part's routing: from ``process:`` when given, else from the rules."""
    kind = part_kind(part, material)
    rule = _rule_ops(part, kind)
    if not part.process:
        feature_op = {f.id: (f.made_by[-1] if f.made_by else rule[f.id]) for f in part.features}
        used = set(feature_op.values()) | {op for f in part.features for op in f.made_by}
        used |= {op for d in part.dimensions for op in d.made_by}
        cut = _cut_length(part, kind, material, feature_op, used)
        if cut and any(not d.between and not d.made_by for d in part.dimensions):
            used.add(cut)
        used.discard(STOCK)
        ops = sorted(used, key=lambda p: ORDER.index(p) if p in ORDER else len(ORDER))
        return Routing(part, kind, ops, feature_op, explicit=False, cut_length=cut)
    extra = [op for f in part.features for op in f.made_by] + [op for d in part.dimensions for op in d.made_by]
    ops = list(dict.fromkeys([*part.process, *(op for op in extra if op != STOCK)]))
    feature_op: dict[str, str] = {}
    problems: list[tuple[Feature, str]] = []
    for f in part.features:
        if f.made_by:
            feature_op[f.id] = f.made_by[-1]
            continue
        want = rule[f.id]
        doing = [op for op in ops if want == op or want in PERFORMS.get(op, ())]
        if not doing:
            doing = [op for op in ops if f.type in MAKES.get(op, frozenset(FeatureType))]
        if doing:
            feature_op[f.id] = doing[-1] if want not in ops else want
        else:
            problems.append((f, want))
    cut = _cut_length(part, kind, material, feature_op, set(ops))
    return Routing(part, kind, ops, feature_op, explicit=True, problems=problems,
                   cut_length=cut if cut in ops else None)


def _cut_length(part: Part, kind: str, material: Material | None, feature_op: dict[str, str],
                ops: set[str]) -> str | None:
    """``sawing`` when the part is cut to length from stock and no operation faces its ends."""
    if kind == SHEET or material is None or material.form not in CUT_FROM_STOCK:
        return None
    if ops & {"turning", "turn-mill"}:
        return None  # a lathe faces (or parts off) the ends it holds
    if any(f.type is FeatureType.face and feature_op.get(f.id) in FACING for f in part.features):
        return None
    return "sawing"


def _rule_ops(part: Part, kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if kind == SHEET:
        bent = any(f.type in (FeatureType.bend, FeatureType.flange) for f in part.features)
        for f in part.features:
            if f.type in (FeatureType.bend, FeatureType.flange) or (f.type is FeatureType.face and bent):
                out[f.id] = "bending"
            elif f.type is FeatureType.thread:
                out[f.id] = "tapping"
            else:
                out[f.id] = "laser-cutting"
        return out
    if kind == ROUND:
        axis = next((f.axis for f in part.features if f.type is FeatureType.shaft and f.axis), None)
        for f in part.features:
            if f.type in (FeatureType.shaft, FeatureType.boss):
                out[f.id] = "grinding-cylindrical" if _fine_round(f) else "turning"
        ground = {f.id for f in part.features if out.get(f.id) == "grinding-cylindrical"}
        ground_labels = {d.label for d in part.datums if d.feature in ground}
        for f in part.features:
            if f.id in out:
                continue
            if f.type is FeatureType.face and _sawn(f):
                out[f.id] = "sawing"
            elif f.type is FeatureType.face:
                refs = [g for g in f.gdt if g.characteristic.value in RUNOUT_LIKE and g.datums]
                labels = {x for g in refs for r in g.datums for x in r.split("(")[0].split("-")}
                out[f.id] = "grinding-cylindrical" if refs and ground_labels and labels <= ground_labels \
                    else "turning"
            elif f.type in ROUND_CUT:
                out[f.id] = "milling-3axis"
            elif f.type in (FeatureType.hole, FeatureType.bore, FeatureType.thread) and f.axis and axis \
                    and f.axis != axis:
                out[f.id] = {"hole": "drilling", "bore": "milling-3axis", "thread": "tapping"}[f.type.value]
            else:
                out[f.id] = "turning"
        return out
    for f in part.features:
        if f.type is FeatureType.hole:
            out[f.id] = "reaming" if _grade_at_most(f, 8) else "drilling"
        elif f.type is FeatureType.thread:
            out[f.id] = "tapping"
        elif f.type is FeatureType.face and _sawn(f):
            out[f.id] = "sawing"
        elif f.type is FeatureType.face and _fine_face(f):
            out[f.id] = "grinding-surface"
        else:
            out[f.id] = "milling-3axis"
    return out


def _grade(f: Feature) -> int | None:
    if f.size is None or f.size.band_mm is None:
        return None
    size = abs(f.size.nominal_mm)
    if not 0 < size <= 500:
        return None
    try:
        g = iso286.grade_for_tolerance(f.size.band_mm * 1000, size)
    except StandardsError:
        return None
    return -1 if g is None or not str(g).isdigit() else int(g)


def _grade_at_most(f: Feature, grade: int) -> bool:
    g = _grade(f)
    return g is not None and g <= grade


def _fine_round(f: Feature) -> bool:
    r = f.roughness
    if r is not None and r.process and any(w in r.process.lower() for w in GROUND_WORDS):
        return True
    if r is not None and r.ra is not None and r.ra.base <= Decimal("0.4"):
        return True
    return _grade_at_most(f, 6)


def _sawn(f: Feature) -> bool:
    r = f.roughness
    return r is not None and bool(r.process) and SAWN.search(r.process) is not None


def _fine_face(f: Feature) -> bool:
    r = f.roughness
    if r is not None and r.ra is not None and r.ra.base <= Decimal("0.4"):
        return True
    return any(g.characteristic.value == "flatness" and g.tolerance.base <= Decimal("0.005") for g in f.gdt)


KNOWN_OPS = frozenset(p.value for p in Process) | {STOCK}

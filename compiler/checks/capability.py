"""Manufacturability against the suppliers' capability data (TP301–TP313).

Each capability file is one supplier.  For each part, its routing
(:mod:`techpack.routing`) gives the operations in order; for each operation,
the supplier's machines that perform it and take the part (material, envelope,
mass).  Each characteristic is assessed on the machines of the operation(s)
that make it (:mod:`techpack.checks.capability_assess`), against ``cpk_min``
(``cpk_min_key`` for key and critical characteristics), exactly.

The supplier the pack is addressed to (``--supplier``, default the first file)
gives the located findings; every supplier gets a TP313 summary and a row of
the supplier matrix (``Context.supplier_results``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ..characteristics import Characteristic
from ..diagnostics import Diagnostics, Severity
from ..routing import KNOWN_OPS, ORDER, PERFORMS, ROUND, SHEET, STOCK, Routing, route
from ..schema.capability import Capability, Machine, Process
from ..schema.spec import Part
from ..standards.capability import Index, shown
from ..standards.y14_5 import in_report_unit, mm_as_inch
from . import capability_assess as A
from .capability_limits import hole_limits, validate_data
from .context import CapabilityRow, Context, SupplierResult

SHEET_PROCESSES = {Process.laser_cutting, Process.waterjet, Process.punching, Process.bending}
LATHES = {Process.turning, Process.grinding_cylindrical}
CUTTING = {"laser-cutting", "waterjet", "punching"}
LEAST_MARGIN_SHOWN = 5
WORST_PER_SUPPLIER = 3


def check(ctx: Context, diags: Diagnostics) -> None:
    if ctx.capability is None:
        return
    suppliers = ctx.suppliers or [ctx.capability]
    files = ctx.supplier_files or [""] * len(suppliers)
    prod = ctx.spec.production
    limits = (prod.cpk_min if prod else Decimal("1.33"), prod.cpk_min_key if prod else Decimal("1.67"),
              prod.cpk_thin_margin if prod else Decimal("0.10"))
    _validate_names(suppliers, diags)
    facts: dict = {}
    for part in ctx.spec.parts:
        r = route(part, ctx.material(part))
        ctx.routings[part.number] = r
        _report_routing(part, r, diags)
    for cap, file in zip(suppliers, files):
        own = Diagnostics()
        validate_data(cap.machines, own)
        res = SupplierResult(cap.shop.name, cap, file)
        _assess_supplier(ctx, cap, res, limits, own, facts)
        ctx.supplier_results.append(res)
        if cap is ctx.capability:
            diags.items.extend(own.items)
            ctx.capability_rows = res.rows
            ctx.machines_by_part = {pn: sorted({m for _, ms in ops for m in ms}, key=_order(cap))
                                    for pn, ops in res.routes.items()}
            _least_margin(ctx, res, diags)
        else:
            for d in own.items:  # errors in another supplier's data still stop the run
                if d.code == "TP312":
                    diags.items.append(d)
        _blocking(ctx, res, own)
    if len(suppliers) > 1:
        for res in ctx.supplier_results:
            diags.add("TP313", _summary(ctx, res), res.capability.shop.loc("name"), subject=f"supplier/{res.name}")


def _order(cap: Capability):
    pos = {m.id: i for i, m in enumerate(cap.machines)}
    return lambda mid: pos.get(mid, 0)


def _validate_names(suppliers: list[Capability], diags: Diagnostics) -> None:
    seen: dict[str, Capability] = {}
    for cap in suppliers:
        if cap.shop.name in seen:
            diags.add("TP312", f"two capability files describe supplier {cap.shop.name!r}; give each its own name",
                      cap.shop.loc("name"), subject=f"supplier/{cap.shop.name}")
        seen.setdefault(cap.shop.name, cap)


def _report_routing(part: Part, r: Routing, diags: Diagnostics) -> None:
    pn = part.number
    for i, name in enumerate(part.process):
        if name not in KNOWN_OPS or name == STOCK:
            diags.add("TP013", f"process {name!r} is not one of {', '.join(sorted(p.value for p in Process))}",
                      part.loc("process", i), subject=pn)
    for f in part.features:
        for i, name in enumerate(f.made_by):
            if name not in KNOWN_OPS:
                diags.add("TP013", f"made_by {name!r} is not one of {', '.join(sorted(KNOWN_OPS))}",
                          f.loc("made_by", i), subject=f"{pn}/{f.id}")
    for d in part.dimensions:
        for i, name in enumerate(d.made_by):
            if name not in KNOWN_OPS:
                diags.add("TP013", f"made_by {name!r} is not one of {', '.join(sorted(KNOWN_OPS))}",
                          d.loc("made_by", i), subject=f"{pn}/{d.id}")
    for f, want in r.problems:
        diags.add("TP306", f"no operation of {pn}'s process list ({', '.join(part.process)}) makes {f.id} "
                  f"({f.type.value}; the routing rules give {want}): add the operation or made_by", f.loc("type"),
                  subject=f"{pn}/{f.id}")


# ------------------------------------------------------------------ one supplier


class _Part:
    """One part at one supplier: the machines of each operation."""

    def __init__(self, ctx: Context, part: Part, cap: Capability, routing: Routing, diags: Diagnostics):
        self.part, self.routing = part, routing
        self.cache: dict = {}
        self.facts: dict = {}
        self._capable: dict = {}
        self.feature_op = dict(routing.feature_op)
        self.ops = list(routing.ops)
        self.ok = True
        pool = [m for m in cap.machines if m.cp_at_grade > 0]
        pool = self._filter(ctx, pool, diags)
        self.pool = pool
        if pool is None:
            self.ok = False
            self.by_op: dict[str, list[Machine]] = {}
            self.own_routing = True
            return
        self.by_op = {op: [m for m in pool if _performs(m, op)] for op in self.ops}
        if not routing.explicit:
            self._fallback(pool)
        self.own_routing = self.feature_op == routing.feature_op and self.ops == routing.ops
        missing = [op for op in self.ops if not self.by_op.get(op)]
        if missing:
            self.ok = False
            pn = part.number
            diags.add("TP306", f"no machine in the capability data can make {pn}: none performs "
                      f"{', '.join(missing)}" + (f" (routing {' → '.join(self.ops)})" if len(self.ops) > 1 else ""),
                      part.loc("number"), subject=pn)

    def _filter(self, ctx: Context, pool: list[Machine], diags: Diagnostics) -> list[Machine] | None:
        part, pn = self.part, self.part.number
        if not self.routing.explicit:
            pool = [m for m in pool if _suits_shape(self.routing.kind, m)]
        mat = ctx.material(part)
        if mat is not None:
            by_material = [m for m in pool if mat.family in m.materials]
            if pool and not by_material:
                diags.add("TP304", f"no machine for {pn} handles {mat.family.value} ({mat.designation})",
                          part.loc("material"), subject=pn)
                return None
            pool = by_material
        size = ctx.part_size_mm(part)
        if size is not None:
            fitting = [m for m in pool if _fits(size, m)]
            if pool and not fitting:
                dims = " x ".join(f"{d.normalize():f}" for d in sorted(size, reverse=True))
                if ctx.spec.product.units.value == "in":
                    dims += " mm (≈" + " x ".join(mm_as_inch(d) for d in sorted(size, reverse=True)) + " in)"
                else:
                    dims += " mm"
                diags.add("TP303", f"{pn} ({dims}) fits no machine's work envelope "
                          f"(tried {', '.join(m.id for m in pool)})", part.loc("number"), subject=pn)
                return None
            pool = fitting
        mass = ctx.part_mass_g(part)
        if mass is not None:
            light = [m for m in pool if m.max_mass is None or mass <= m.max_mass.base]
            if pool and not light:
                diags.add("TP307", f"{pn} weighs {mass / 1000:.2f} kg, more than any machine takes",
                          part.loc("number"), subject=pn)
                return None
            pool = light
        return pool

    def _fallback(self, pool: list[Machine]) -> None:
        """No process given: a feature whose rule operation no machine performs goes to any machine that makes it."""
        for f in self.part.features:
            op = self.feature_op.get(f.id)
            if op is None or f.made_by or any(f.type in m.features for m in self.by_op.get(op, [])):
                continue
            other = next((m for m in pool if f.type in m.features), None)
            if other is not None:
                self.feature_op[f.id] = other.process.value
                self.by_op.setdefault(other.process.value, [m for m in pool if _performs(m, other.process.value)])
        used = set(self.feature_op.values()) | {op for d in self.part.dimensions for op in d.made_by}
        if self.routing.cut_length in self.routing.ops:  # the saw cuts the length whatever makes the features
            used.add(self.routing.cut_length)
        used.discard(STOCK)
        self.ops = sorted(used, key=lambda p: ORDER.index(p) if p in ORDER else len(ORDER))

    def ops_of(self, ch: Characteristic) -> tuple[str, ...]:
        if self.own_routing:
            return self.routing.ops_cached(ch)
        return self.routing.ops_of(ch, self.feature_op, self.ops)

    def capable(self, op: str, ftype) -> list[Machine]:
        key = (op, ftype)
        found = self._capable.get(key)
        if found is None:
            machines = self.by_op.get(op, [])
            found = self._capable[key] = machines if ftype is None else [m for m in machines if ftype in m.features]
        return found


def _performs(m: Machine, op: str) -> bool:
    return op == m.process.value or op in PERFORMS.get(m.process.value, ())


def _suits_shape(kind: str, m: Machine) -> bool:
    """Lathes and cylindrical grinders take round parts, sheet machines sheet parts; a turn-mill any solid part."""
    if m.process in LATHES:
        return kind == ROUND
    if m.process in SHEET_PROCESSES:
        return kind == SHEET
    return kind != SHEET or m.process not in (Process.turn_mill,)


def _fits(size: tuple[Decimal, Decimal, Decimal], m: Machine) -> bool:
    a, b, c = size
    env = m.envelope
    if env.is_round:
        return max(a, b) <= env.diameter.base and c <= env.length.base  # type: ignore[union-attr]
    x, y, z = (env.x.base, env.y.base, env.z.base)  # type: ignore[union-attr]
    if m.process in SHEET_PROCESSES:
        lo, hi = sorted((x, y))
        return c <= hi and a + b <= lo if c > lo else a + b <= hi
    ex = sorted((x, y, z))
    return a <= ex[0] and b <= ex[1] and c <= ex[2]


def _assess_supplier(ctx: Context, cap: Capability, res: SupplierResult, limits, diags: Diagnostics,
                     facts: dict) -> None:
    """Route every part on this supplier's machines and assess each characteristic (``facts``: per-characteristic
    data, and per part the characteristics to assess, shared by all suppliers)."""
    cpk_min, cpk_key, thin = limits
    cache: dict = {}
    for part in ctx.spec.parts:
        pn = part.number
        pp = _Part(ctx, part, cap, ctx.routings[pn], diags)
        pp.cache, pp.facts = cache, facts
        res.routes[pn] = [(op, [m.id for m in pp.by_op.get(op, [])]) for op in pp.ops]
        res.can_make[pn] = pp.ok
        res.worst[pn] = None
        if not pp.ok:
            continue
        diags.add("TP310", f"{pn} routing: " + " → ".join(
            f"{op} ({', '.join(m.id for m in pp.by_op[op])})" for op in pp.ops), part.loc("number"), subject=pn)
        todo = facts.get(pn)
        if todo is None:  # per part, the same for every supplier: what is assessed, on what operations
            todo = facts[pn] = _assessed(ctx.characteristics.get(pn, []), pp.routing, cpk_min, cpk_key)
        own = pp.own_routing
        for ch, required, ops in todo:
            row = _assess(pp, ch, required, thin, diags, ops if own else pp.ops_of(ch))
            if row is None:
                continue
            res.rows.append(row)
            if row.index is not None and (res.worst[pn] is None or _worse(row, res.worst[pn])):
                res.worst[pn] = row
        hole_limits(ctx, pp.part, pp.feature_op, pp.by_op, diags)


def _worse(a: CapabilityRow, b: CapabilityRow | None) -> bool:
    return b is None or (a.margin, a.subject) < (b.margin, b.subject)  # type: ignore[operator]


# ------------------------------------------------------------------ one characteristic


def _assessed(chars: list[Characteristic], routing: Routing, cpk_min: Decimal,
              cpk_key: Decimal) -> list[tuple[Characteristic, Decimal, tuple[str, ...]]]:
    """The characteristics of a part that the capability check assesses, each with its required Cpk and the
    operations of the part's own routing (what no supplier changes, worked out once)."""
    out = []
    for ch in chars:
        if not (ch.kind == "roughness" or (ch.kind in A.SIZE_KINDS and ch.band_mm is not None)
                or (ch.kind == "gdt" and ch.frame is not None)):
            continue
        out.append((ch, cpk_key if (ch.key or ch.critical) else cpk_min, routing.ops_cached(ch)))
    return out


def _assess(pp: _Part, ch: Characteristic, required: Decimal, thin: Decimal,
            diags: Diagnostics, ops: tuple[str, ...]) -> CapabilityRow | None:
    if not ops or STOCK in ops:
        return None
    if ch.kind == "roughness":
        return _assess_roughness(pp, ch, ops, diags)
    facts = pp.facts.get(id(ch))
    if facts is None:
        facts = pp.facts[id(ch)] = _facts_of(ch)
    angle, band, ftype = facts[0], facts[1], facts[2]
    if angle:  # bend angles: on the operations' machines that state an angle
        cands = [m for op in ops for m in pp.by_op.get(op, []) if m.angle_pm is not None]
        return _single(pp, ch, ops, band, cands, required, thin, angle, diags, "single")
    bends = pp.routing.bends_crossed(ch, ops)
    if len(ops) == 1:
        return _single(pp, ch, ops, band, pp.capable(ops[0], None if ch.kind == "dimension" else ftype), required,
                       thin, angle, diags, "single", bends)
    common = [m for m in pp.by_op.get(ops[0], []) if all(m in pp.by_op.get(op, []) for op in ops[1:])]
    if common:  # one machine performs every operation: one set-up
        return _single(pp, ch, ops, band, _capable(common, ftype, ch), required, thin, angle, diags, "same set-up",
                       bends)
    if "bending" in ops and set(ops) <= CUTTING | {"bending"}:
        # the press brake's figure is the published tolerance across a bend of a cut blank: it holds the blank's error
        return _single(pp, ch, ops, band, pp.by_op.get("bending", []), required, thin, angle, diags, "bend", bends)
    return _stack(pp, ch, ops, band, required, thin, diags, bends)


@lru_cache(maxsize=4096)
def _fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def _facts_of(ch: Characteristic) -> tuple:
    """What every supplier's assessment of ``ch`` needs, computed once: angle?, band, feature kind,
    (required, what) texts, and the spread key (what kind of figure applies)."""
    angle = A.is_angle(ch)
    band = _fraction(ch.frame.tolerance.base if ch.kind == "gdt" else ch.band_mm)  # type: ignore[union-attr]
    ftype = ch.feature.type if ch.feature is not None else None
    what_kind = ch.frame.characteristic if ch.kind == "gdt" else ("angle" if angle else (  # type: ignore[union-attr]
        ftype if ch.kind == "size" else None, abs(ch.size_mm or 0)))
    return angle, band, ftype, _need(ch, angle), what_kind, (band.numerator, band.denominator)


def _capable(machines: list[Machine], ftype, ch: Characteristic) -> list[Machine]:
    if ftype is None or ch.kind == "dimension":
        return machines
    return [m for m in machines if ftype in m.features]


def _need(ch: Characteristic, angle: bool) -> tuple[str, str]:
    """(required, what): the grade or tolerance needed, and how the message names the characteristic."""
    if ch.kind == "gdt":
        return ch.label, ch.label
    assert ch.dim is not None and ch.band_mm is not None
    tol = ch.dim.tolerance_text()
    what = f"{ch.label} ({tol})" if ch.dim.kind == "fit" else ch.label
    if angle:
        return f"{tol}°", what
    need = _needed_grade(ch.band_mm, abs(ch.size_mm or Decimal(0)))
    return need or tol, what


@dataclass(frozen=True)
class _Verdict:
    """The numbers of one assessment; identical characteristics on identical machines share one (cached)."""

    machine: str
    held: str
    cp: Index
    cpk: Index
    ok: bool
    thin: bool
    cp_text: str
    cpk_text: str
    margin_text: str
    cpk_dec: Decimal
    cp_dec: Decimal
    margin: Decimal


@lru_cache(maxsize=4096)
def _needed_grade(band: Decimal, size: Decimal) -> str | None:
    return A.needed_grade(band, size)


def _single(pp: _Part, ch, ops, band: Fraction, machines: list[Machine], required: Decimal, thin: Decimal,
            angle: bool, diags: Diagnostics, model: str, bends: int = 0) -> CapabilityRow:
    facts = pp.facts[id(ch)]
    need, what = facts[3]
    key = (tuple(map(id, machines)), facts[4], facts[5], required, thin, bends)
    v = pp.cache.get(key)
    if v is None:
        best = None
        for m in machines:
            s = A.spread_for(ch, m, angle, bends)
            if s is None:
                continue
            cp, cpk = A.indices(band, [s])
            k = (cpk.decimal(), m.id)
            if best is None or k > best[0]:
                best = (k, s, cp, cpk)
        if best is not None:
            _, s, cp, cpk = best
            stated = s.stated and cpk.ge(Fraction(s.machine.cp_at_grade)) and s.machine.cp_at_grade >= required
            v = _numbers(s.machine.id, s.held, cp, cpk, required, thin, stated)
        pp.cache[key] = v or False
    if not v:
        diags.add("TP309", f"no machine for {' + '.join(ops)} states a capability for {what}", ch.loc,
                  subject=ch.subject)
        return CapabilityRow(ch.subject, ch.label, None, need if ch.kind != "gdt" else "", "-", None, required,
                             None, False, operations=tuple(ops), model=model)
    unit = _unit_of(ch)
    if unit != "mm":
        shown_key = (key, unit)
        v = pp.cache.get(shown_key) or pp.cache.setdefault(shown_key, _in_unit(v, unit))
    return _verdict(ch, tuple(ops), v, required, thin, need, what, model, diags)


def _in_unit(v: _Verdict, unit: str) -> _Verdict:
    """The verdict with its held figure (mm) shown in ``unit`` too."""
    return replace(v, held=in_report_unit(v.held, unit))


def _numbers(machine: str, held: str, cp: Index, cpk: Index, required: Decimal, thin: Decimal,
             stated: bool) -> _Verdict:
    ok = cpk.ge(required)
    is_thin = ok and cpk.lt(required * (1 + thin)) and not stated
    cpk_dec = cpk.decimal()
    return _Verdict(machine, held, cp, cpk, ok, is_thin, shown(cp, required), shown(cpk, required),
                    _margin_text(cpk, required), _q(cpk_dec), _q(cp.decimal()), _q(cpk_dec / required - 1))


def _q(d: Decimal) -> Decimal:
    """Six decimals for display and sorting (never used for a verdict); huge values as they are."""
    return d.quantize(Decimal("0.000001")) if d.adjusted() < 18 else d


def _stack(pp: _Part, ch, ops, band: Fraction, required: Decimal, thin: Decimal,
           diags: Diagnostics, bends: int = 0) -> CapabilityRow:
    """Operations in different set-ups: RSS of each operation's best spread plus the later set-up's re-fixturing."""
    need, what = _need(ch, False)
    ftype = ch.feature.type if ch.feature is not None else None
    own_op = pp.feature_op.get(ch.feature.id) if ch.feature is not None else None
    spreads: list[A.Spread] = []
    for op in ops:
        if ch.kind in ("gdt", "location") and own_op is not None and op != own_op:
            continue  # a datum made elsewhere: its set-up error counts, not its own spread
        machines = _capable(pp.by_op.get(op, []), ftype if op == own_op else None, ch)
        found = [s for m in machines if (s := A.spread_for(ch, m, False, bends)) is not None]
        if not found:
            diags.add("TP309", f"no machine for {op} states a capability for {what}", ch.loc, subject=ch.subject)
            return CapabilityRow(ch.subject, ch.label, None, need, "-", None, required, None, False,
                                 operations=tuple(ops), model="RSS")
        spreads.append(min(found, key=lambda s: (s.sigma, s.machine.id)))
    later = [m for m in pp.by_op.get(ops[-1], [])]
    refix = [(A.refixture_sigma(m), m) for m in later if m.refixture_pm is not None]
    extra = Fraction(0)
    held = " ⊕ ".join(f"{s.machine.id} {s.held}" for s in spreads)
    if refix:
        sig, m = min(refix, key=lambda x: (x[0], x[1].id))
        extra = sig
        held += f" ⊕ re-fixturing ±{m.refixture_pm.text}"  # type: ignore[union-attr]
    else:
        held += " (no re-fixturing figure)"
    held += " (RSS)"
    cp, cpk = A.indices(band, spreads, extra)
    machines = " + ".join(dict.fromkeys(s.machine.id for s in spreads))
    v = _in_unit(_numbers(machines, held, cp, cpk, required, thin, False), _unit_of(ch))
    return _verdict(ch, tuple(ops), v, required, thin, need, what, "RSS", diags)


def _verdict(ch, ops, v: _Verdict, required: Decimal, thin: Decimal, need: str, what: str, model: str,
             diags: Diagnostics) -> CapabilityRow:
    """TP301 below the requirement; TP308 below requirement × (1 + thin margin) unless the shop states it holds it.

    ``v.held`` is already in the characteristic's unit (:func:`_in_unit`)."""
    if not v.ok or v.thin:
        req_text = f"{required:f}"
        on = f" ({' + '.join(ops)})" if len(ops) > 1 else ""
    if not v.ok:
        needs = f" needs {need};" if ch.kind != "gdt" else ":"
        diags.add("TP301", f"{what}{needs} {v.machine}{on} holds {v.held} (Cpk {v.cpk_text} < {req_text})", ch.loc,
                  subject=ch.subject)
    elif v.thin:
        diags.add("TP308", f"{what}: Cpk {v.cpk_text} on {v.machine}{on} is less than {thin * 100:.0f}% above "
                  f"{req_text}", ch.loc, subject=ch.subject)
    return CapabilityRow(ch.subject, ch.label, v.machine, need if ch.kind != "gdt" else ch.label, v.held,
                         v.cpk_dec, required, v.margin, v.ok, operations=tuple(ops), cp=v.cp_dec, thin=v.thin,
                         model=model, cp_text=v.cp_text, cpk_text=v.cpk_text, margin_text=v.margin_text,
                         index=v.cpk)


def _unit_of(ch) -> str:
    """The unit the characteristic is stated in (``in`` for an inch product), for capability messages."""
    if ch.dim is not None:
        return ch.dim.unit
    if ch.frame is not None:
        return ch.frame.tolerance.unit
    return "mm"


def _margin_text(cpk: Index, required: Decimal) -> str:
    """Margin in per cent, signed, with its sign agreeing with the verdict ("+0 %" exactly at the minimum)."""
    text = shown(Index(cpk.num / Fraction(required), cpk.den2), Decimal(1), places=0, scale=100)
    value = Decimal(text) - 100
    sign = "+" if cpk.ge(required) else "-"
    return f"{sign}{abs(value):f}%"


def _assess_roughness(pp: _Part, ch: Characteristic, ops, diags: Diagnostics) -> CapabilityRow | None:
    r = ch.feature.roughness if ch.feature is not None else None
    if r is None:
        return None
    op = pp.feature_op.get(ch.feature.id, ops[-1])  # type: ignore[union-attr]
    machines = pp.capable(op, ch.feature.type)  # type: ignore[union-attr]
    is_ra = ch.id.endswith(".ra")
    need_q = r.ra if is_ra else r.rz
    assert need_q is not None
    attr = "ra_min" if is_ra else "rz_min"
    name = "Ra" if is_ra else "Rz"
    key = (id(machines), attr)
    offers = pp.cache.get(key)
    if offers is None:
        offers = pp.cache[key] = [(m, getattr(m, attr)) for m in machines if getattr(m, attr) is not None]
    if not offers:
        diags.add("TP309", f"no machine for {op} states an achievable {name} for {ch.label}", ch.loc,
                  subject=ch.subject)
        return CapabilityRow(ch.subject, ch.label, None, f"{name} {need_q.text}", "-", None, Decimal(0), None,
                             False, operations=(op,))
    m, best = offers[0] if len(offers) == 1 else min(offers, key=lambda o: (o[1].base, o[0].id))
    ok = best.base <= need_q.base
    if not ok:
        diags.add("TP302", f"{ch.label}: the finest {name} {op} reaches on this feature is {best.text} ({m.id})",
                  ch.loc, subject=ch.subject)
    return CapabilityRow(ch.subject, ch.label, m.id, f"{name} {need_q.text}", f"{name} {best.text}", None,
                         Decimal(0), None, ok, operations=(op,))


# ------------------------------------------------------------------ summaries


def _least_margin(ctx: Context, res: SupplierResult, diags: Diagnostics) -> None:
    assessed = sorted((r for r in res.rows if r.index is not None), key=lambda r: (r.margin, r.subject))
    chars = {c.subject: c for cs in ctx.characteristics.values() for c in cs}
    for row in assessed[:LEAST_MARGIN_SHOWN]:
        ch = chars[row.subject]
        diags.add("TP311", f"least margin: {ch.part.number} {ch.label} Cpk {row.cpk_text} on {row.machine} "
                  f"({' + '.join(row.operations)}; needs {row.cpk_min:f}, margin {row.margin_text})", ch.loc,
                  subject=row.subject)


def _blocking(ctx: Context, res: SupplierResult, own: Diagnostics) -> None:
    """The first error that stops the supplier making each part, ignoring findings the spec waives."""
    from .waivers import _covers  # noqa: PLC0415

    today = ctx.date.date().isoformat() if ctx.date else "9999-12-31"
    waivers = [w for w in ctx.spec.waivers if w.expires is None or w.expires >= today]
    for d in sorted(own.items, key=lambda d: d.location or ("",)):
        if d.severity is not Severity.ERROR or not d.subject:
            continue
        if any(w.code == d.code and _covers(w.target, d.subject) for w in waivers):
            continue
        pn = d.subject.split("/", 1)[0]
        if pn in res.can_make:
            res.can_make[pn] = False
            res.blocking.setdefault(pn, f"{d.code}: {d.message}")


def _summary(ctx: Context, res: SupplierResult) -> str:
    parts = [p.number for p in ctx.spec.parts]
    can = [p for p in parts if res.can_make.get(p)]
    cannot = [p for p in parts if not res.can_make.get(p)]
    text = f"supplier {res.name!r}: can make {len(can)} of {len(parts)} parts"
    if can:
        text += f" ({', '.join(can)})"
    if cannot:
        text += "; cannot make " + "; ".join(f"{p} ({res.blocking.get(p, 'no machine')})" for p in cannot)
    worst = sorted((r for r in res.rows if r.index is not None), key=lambda r: (r.margin, r.subject))
    if worst:
        text += "; least margin: " + ", ".join(f"{r.subject} Cpk {r.cpk_text} on {r.machine} ({r.margin_text})"
                                              for r in worst[:WORST_PER_SUPPLIER])
    return text

"""What goes on which view: every characteristic of a part becomes an annotation request.

Holes get a callout where they are seen as circles, with their size, depth,
frames, surface texture and datum, and their location dimensioned from the datum
origin; shafts get a diameter across their profile and their length along it;
slots their width, length, depth and location; faces their frames, datums and
surface symbols on a leader to the edge they show as; the spec's dimensions go
where both their ends are visible.  Whatever cannot be placed on a view (and
every note) goes to the notes block, still with its balloon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..characteristics import Characteristic
from ..geometry.facts import GeometryFacts
from ..geometry.match import PartMatch
from ..schema.spec import ControlFrame, DimensionKind, Feature, Part
from .annotate_features import MAIN, FeatureMixin, dim_text
from .blocks import Block, Row, balloon_piece, frame_piece, roughness_piece, text_piece
from .placer import AngleReq, CalloutReq, LinearReq
from .section import is_section
from .views import SheetView

@dataclass
class NoteLine:
    text: str
    balloons: list[str] = field(default_factory=list)
    numbered: bool = True


@dataclass
class Plan:
    requests: dict[str, list] = field(default_factory=dict)
    notes: list[NoteLine] = field(default_factory=list)
    placed: set[str] = field(default_factory=set)


class Planner(FeatureMixin):
    """Turns a part's characteristics into placement requests per view, and its notes."""

    def __init__(self, part: Part, chars: list[Characteristic], match: PartMatch, facts: GeometryFacts,
                 views: dict[str, SheetView], standard: str):
        self.part = part
        self.chars = {c.id: c for c in chars}
        self.match = match
        self.facts = facts
        self.views = {k: v for k, v in views.items() if k in MAIN or is_section(k)}
        self.standard = standard
        self.plan = Plan({k: [] for k in self.views})
        self.datums: dict[str, list[str]] = {}
        for d in part.datums:
            self.datums.setdefault(d.feature, []).append(d.label)
        self._merged: dict[tuple, LinearReq] = {}

    # ------------------------------------------------------------------ helpers

    def _ids(self, *ids: str) -> list[str]:
        """The characteristic IDs among ``ids`` that exist (and are not yet placed), marked placed."""
        out = []
        for cid in ids:
            if cid in self.chars and cid not in self.plan.placed:
                out.append(cid)
                self.plan.placed.add(cid)
        return out

    def _add(self, view: str, req) -> None:
        self.plan.requests[view].append(req)

    def _endon(self, axis: int, prefer=("top", "front", "side")) -> tuple[str, SheetView] | None:
        for name in prefer:
            v = self.views.get(name)
            if v is not None and v.looks_along(axis):
                return name, v
        return None

    def _inplane(self, axis: int, prefer=("front", "top", "side")) -> list[tuple[str, SheetView]]:
        return [(n, self.views[n]) for n in prefer if n in self.views and self.views[n].axis_in_view(axis)]

    def _load(self, name: str) -> int:
        return len(self.plan.requests[name])

    def _frame_rows(self, fid: str, frames: list[tuple[int, ControlFrame]]) -> list[Row]:
        rows = []
        for _i, fr in frames:
            rows.append(Row([frame_piece(fr)] + [balloon_piece(b) for b in self._ids(f"{fid}.{fr.id or fr.characteristic.value}")]))
        return rows

    def _rough_rows(self, f: Feature) -> list[Row]:
        if f.roughness is None:
            return []
        return [Row([roughness_piece(f.roughness)] + [balloon_piece(b) for b in self._ids(f"{f.id}.ra", f"{f.id}.rz")])]

    def _linear(self, view: str, v: SheetView, axis: int, lo: float, hi: float, text: str, measurement: float,
                basic: bool, balloons: list[str], owner: str, at_other: dict[str, tuple[float, float]] | None = None,
                rows: list[Row] | None = None, sides: tuple[str, ...] = ()) -> None:
        """A dimension between model coordinates ``lo``, ``hi`` on ``axis``, in view ``v``.

        ``at_other`` optionally fixes where each end's extension line starts along the
        other view axis ({"lo": (min, max), "hi": ...}); else the geometry is probed.
        """
        which, _sign = v.axis_in_view(axis)
        horizontal = which == "x"
        a, b = sorted((v.coord(axis, lo), v.coord(axis, hi)))
        if b - a < 1e-6:
            return
        key = (view, horizontal, round(a, 3), round(b, 3), text, basic)
        if key in self._merged and not rows:
            self._merged[key].balloons += balloons
            return
        ends = {}
        for side in (("bottom", "top") if horizontal else ("left", "right")):
            toward = -1 if side in ("bottom", "left") else 1
            pts = []
            for c in (a, b):
                probe = v.extreme_on(horizontal, c, toward)
                if at_other is not None:
                    rng = at_other["lo" if c == a else "hi"]
                    other = rng[1] if toward > 0 else rng[0]
                    if probe is not None and (probe - other) * toward > 0 and rng[0] - 1e-6 <= probe <= rng[1] + 1e-6:
                        other = probe
                elif probe is None:
                    edge = v.box
                    other = (edge.y1 if toward > 0 else edge.y0) if horizontal else (edge.x1 if toward > 0 else edge.x0)
                else:
                    other = probe
                pts.append((c, other) if horizontal else (other, c))
            ends[side] = (pts[0], pts[1])
        first = ends[next(iter(ends))]
        req = LinearReq(owner, horizontal, a, b, first[0], first[1], text, measurement, basic, list(balloons),
                        list(rows or []), sides, ends)
        self._merged[key] = req
        self._add(view, req)

    # ------------------------------------------------------------------ features

    def dimensions(self) -> None:
        for d in self.part.dimensions:
            ch = self.chars.get(d.id)
            basic = d.value.kind == "basic"
            if d.reference and ch is None and not basic:
                text = f"({dim_text(d.value, self.standard)})"  # a reference dimension: for information, in parentheses
            elif ch is None and not basic:
                continue
            else:
                text = dim_text(ch.dim if ch is not None else d.value, self.standard)
            if d.id in self.match.spans:
                span = self.match.spans[d.id]
                views = self._inplane(span.axis)
                if not views:
                    continue

                def score(nv):
                    name, v = nv
                    which, _ = v.axis_in_view(span.axis)
                    ends = [v.shows_visibly(which == "x", v.coord(span.axis, c)) for c in (span.lo, span.hi)]
                    return (-sum(ends), self._load(name), MAIN.index(name))

                name, v = min(views, key=score)
                self._linear(name, v, span.axis, span.lo, span.hi, text, span.hi - span.lo, basic,
                             self._ids(d.id), f"dim:{d.id}")
            elif d.id in self.match.angles:
                self._angle(d, text)
            elif d.type is DimensionKind.radius:
                self._radius(d, text, ch)

    def _radius(self, d, text: str, ch) -> None:
        """A radius on the arc of that radius (a fillet or a rounded end), where it is seen end-on."""
        from .model import Arc  # noqa: PLC0415

        value = float(d.value.nominal_mm)
        if not text.upper().startswith("R"):
            text = "R" + text
        for name in ("top", "front", "side"):
            v = self.views.get(name)
            if v is None:
                continue
            arcs = [p for p in v.primitives if isinstance(p, Arc) and p.layer == "VISIBLE" and not p.full
                    and abs(p.r - v.scale * value) <= 1e-3 * max(1.0, v.scale)]
            if not arcs:
                continue
            a = min(arcs, key=lambda p: (round(p.cx, 3), round(p.cy, 3), p.a0))
            mid = math.radians(a.a0 + ((a.a1 - a.a0) % 360.0) / 2)
            anchor = (a.cx + a.r * math.cos(mid), a.cy + a.r * math.sin(mid))
            rows = [Row([text_piece(text)] + [balloon_piece(b) for b in self._ids(d.id)])]
            self._add(name, CalloutReq(f"radius:{d.id}", Block(rows), anchor=anchor, centre=(a.cx, a.cy),
                                       dimension=("radius", text, value)))
            return

    def _angle(self, d, text: str) -> None:
        f1, f2 = self.match.angles[d.id]
        rest = next(i for i in range(3) if i not in (f1.axis, f2.axis))
        found = self._endon(rest, prefer=("side", "front", "top"))
        if found is None:
            return
        name, v = found
        p = [0.0, 0.0, 0.0]
        p[f1.axis] = f1.coord
        p[f2.axis] = f2.coord
        vertex = v.model(tuple(p))
        centre = [(self.facts.bbox_min[i] + self.facts.bbox_max[i]) / 2 for i in range(3)]

        def away(line_axis: int, coord_on_axis: float) -> tuple[float, float]:
            s = -1 if centre[line_axis] > coord_on_axis else 1
            which, sign = v.axis_in_view(line_axis)
            return (s * sign, 0.0) if which == "x" else (0.0, s * sign)

        d1 = away(f2.axis, f2.coord)  # face 1 lies along face 2's axis
        d2 = away(f1.axis, f1.coord)
        ch = self.chars.get(d.id)
        self._add(name, AngleReq(f"angle:{d.id}", vertex, d1, d2, text,
                                 float(ch.dim.nominal) if ch is not None else 0.0, self._ids(d.id)))

    # ------------------------------------------------------------------ notes

    def notes(self, general: list[str]) -> None:
        for g in general:
            self.plan.notes.append(NoteLine(g, numbered=False))
        for i, note in enumerate(self.part.notes, 1):
            self.plan.notes.append(NoteLine(note, self._ids(f"note.{i}")))
        for f in self.part.features:
            if f.notes:
                self.plan.notes.append(NoteLine(f"{f.description or f.id}: {f.notes}", self._ids(f"{f.id}.note"),
                                                numbered=False))

    def leftovers(self) -> None:
        """Characteristics no view could show: listed with their balloons, so none is lost."""
        for cid, ch in self.chars.items():
            if cid not in self.plan.placed:
                self.plan.notes.append(NoteLine(label_text(ch.label), self._ids(cid), numbered=False))


def plan_part(part: Part, chars: list[Characteristic], match: PartMatch, facts: GeometryFacts,
              views: dict[str, SheetView], standard: str, general_notes: list[str]) -> Plan:
    """Every annotation request for ``part``'s views, and its notes."""
    if match is None:
        match = PartMatch({}, {}, {}, [])
    p = Planner(part, chars, match, facts, views, standard)
    p.features()
    p.dimensions()
    p.notes(general_notes)
    p.leftovers()
    return p.plan


_SYMBOL_WORDS = {"Ⓜ": "(M)", "Ⓛ": "(L)"}  # not in the sheet font


def label_text(label: str) -> str:
    """A characteristic's label for the notes, with the circled modifiers written out."""
    for sym, word in _SYMBOL_WORDS.items():
        label = label.replace(sym, word)
    return label


def unplaced_to_notes(plan: Plan, failed: list[str], requests: dict[str, list],
                      chars: dict[str, Characteristic]) -> None:
    """Balloons of requests the layout could not place move to the notes block, each with its label."""
    for view_reqs in requests.values():
        for r in view_reqs:
            if r.owner in failed:
                for cid in _req_balloons(r):
                    label = chars[cid].label if cid in chars else cid
                    plan.notes.append(NoteLine(label_text(label), [cid], numbered=False))


def _req_balloons(r) -> list[str]:
    ids = list(getattr(r, "balloons", []) or [])
    block = getattr(r, "block", None)
    if block is not None:
        ids += block.balloon_ids()
    for row in getattr(r, "rows", []) or []:
        ids += [str(p.data) for p in row.pieces if p.kind == "balloon"]
    return ids

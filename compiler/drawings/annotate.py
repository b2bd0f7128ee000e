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

from dataclasses import dataclass, field
from decimal import Decimal

from ..characteristics import Characteristic
from ..geometry.facts import GeometryFacts
from ..geometry.match import AXES, INTERNAL_ROUND, ROUND_TYPES, SLOT_TYPES, TAB_TYPES, PartMatch
from ..schema.quantities import Dim
from ..schema.spec import (DIAMETER_ZONE_OK, ControlFrame, Feature, GdtCharacteristic, Part)
from .blocks import (Block, Row, balloon_piece, datum_piece, depth_piece, frame_piece, roughness_piece,
                     text_piece)
from .placer import AngleReq, CalloutReq, DatumReq, LinearReq, ThroughReq
from .views import SheetView

MAIN = ("front", "top", "side")
AXIS_FRAMES = frozenset({GdtCharacteristic.position, GdtCharacteristic.concentricity, GdtCharacteristic.coaxiality,
                         GdtCharacteristic.symmetry})


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


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return "0" if s in ("-0", "") else s


def dim_text(dim: Dim) -> str:
    """A dimension as the drawing shows it: as written, fit codes with their limits, basic ones bare."""
    if dim.kind == "basic":
        unit = "°" if dim.is_angle else ""
        return ("Ø" if dim.diameter else "") + _fmt(dim.nominal) + unit
    text = dim.text
    if dim.kind == "fit" and "(" not in text and dim.toleranced:
        text = f"{text} ({dim.tolerance_text()})"
    return text


def axis_frame(frame: ControlFrame) -> bool:
    """A frame that controls an axis or median plane (attached to the size), not a surface."""
    return frame.characteristic in AXIS_FRAMES or (frame.diameter and frame.characteristic in DIAMETER_ZONE_OK)


class Planner:
    def __init__(self, part: Part, chars: list[Characteristic], match: PartMatch, facts: GeometryFacts,
                 views: dict[str, SheetView], standard: str):
        self.part = part
        self.chars = {c.id: c for c in chars}
        self.match = match
        self.facts = facts
        self.views = {k: v for k, v in views.items() if k in MAIN}
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

    def features(self) -> None:
        for f in self.part.features:
            fm = self.match.features.get(f.id)
            if fm is None:
                continue
            if f.type in ROUND_TYPES and any(c is not None for c in fm.cylinders):
                if f.type in INTERNAL_ROUND:
                    self._hole(f, fm)
                else:
                    self._shaft(f, fm)
            elif fm.slot is not None:
                self._slot(f, fm)
            elif fm.face is not None:
                self._face(f, fm)

    def _count(self, f: Feature) -> str:
        return f"{f.count}× " if f.count > 1 else ""

    def _hole(self, f: Feature, fm) -> None:
        cyls = [c for c in fm.cylinders if c is not None]
        axis = next(i for i in range(3) if abs(abs(cyls[0].axis_dir[i]) - 1) < 1e-6)
        found = self._endon(axis)
        if found is None:
            return
        name, v = found

        def edge_distance(c) -> float:
            x, y = v.model(c.axis_origin)
            return min(x, y, v.width - x, v.height - y)

        inst = min(cyls, key=lambda c: (round(edge_distance(c), 3), c.axis_origin))
        cx, cy = v.model(inst.axis_origin)
        through = f.depth == "through"
        thru = " THRU" if through else ""
        rows: list[Row] = []
        depth_pieces = []
        if f.depth is not None and not isinstance(f.depth, str):
            depth_pieces = [depth_piece(), text_piece(dim_text(self.chars[f"{f.id}.depth"].dim) if f"{f.id}.depth" in self.chars
                                                      else f.depth.text)]
        if f.thread:
            head = [text_piece(f"{self._count(f)}{f.thread}{thru}")] + depth_pieces
            rows.append(Row(head + [balloon_piece(b) for b in self._ids(f"{f.id}.thread", f"{f.id}.depth")]))
            if f.size is not None:
                size = self.chars.get(f"{f.id}.size")
                rows.append(Row([text_piece(f"drill {dim_text(size.dim) if size else f.size.text}")]
                                + [balloon_piece(b) for b in self._ids(f"{f.id}.size")]))
        elif f.size is not None:
            size = self.chars.get(f"{f.id}.size")
            text = dim_text(size.dim) if size is not None else f.size.text
            if not text.startswith("Ø"):
                text = "Ø" + text
            rows.append(Row([text_piece(f"{self._count(f)}{text}{thru}")] + depth_pieces
                            + [balloon_piece(b) for b in self._ids(f"{f.id}.size", f"{f.id}.depth")]))
        rows += self._frame_rows(f.id, list(enumerate(f.gdt)))
        for letter in self.datums.get(f.id, []):
            rows.append(Row([datum_piece(letter)]))
        rows += self._rough_rows(f)
        self._add(name, CalloutReq(f"feature:{f.id}", Block(rows), circle=(cx, cy, v.scale * inst.radius)))
        self._locations(f, fm, axis, name, v)

    def _locations(self, f: Feature, fm, feature_axis: int | None, name: str, v: SheetView,
                   centre_of=None) -> None:
        """Dimensions from the datum origin to each located instance, in the feature's main view."""
        multi = len(f.locations) > 1
        for i, pos in enumerate(f.locations, 1):
            c = fm.cylinders[i - 1] if fm.cylinders and i - 1 < len(fm.cylinders) else None
            for ai, a in enumerate(AXES):
                dim = getattr(pos, a)
                if dim is None:
                    continue
                view, vv = name, v
                if not vv.axis_in_view(ai):
                    others = [(n, w) for n, w in self._inplane(ai) if feature_axis is None or w.axis_in_view(feature_axis)]
                    if not others:
                        continue
                    view, vv = others[0]
                value = float(dim.nominal_mm)
                cid = f"{f.id}.{a}.{i}" if multi else f"{f.id}.{a}"
                balloons = [] if dim.kind == "basic" else self._ids(cid)
                # the feature end of the dimension: the hole's axis (or the slot's centre)
                point = list(c.axis_origin) if c is not None else [0.0, 0.0, 0.0]
                for aj, b in enumerate(AXES):
                    if getattr(pos, b) is not None:
                        point[aj] = float(getattr(pos, b).nominal_mm)
                px, py = vv.model(tuple(point))
                other = py if vv.axis_in_view(ai)[0] == "x" else px
                self._linear(view, vv, ai, 0.0, value, dim_text(dim), abs(value), dim.kind == "basic", balloons,
                             f"loc:{f.id}.{a}.{i}", at_other={"lo": self._origin_range(vv, ai), "hi": (other, other)}
                             if value > 0 else {"lo": (other, other), "hi": self._origin_range(vv, ai)})

    def _origin_range(self, v: SheetView, axis: int) -> tuple[float, float]:
        """Where geometry lies on the datum line (model coordinate 0 of ``axis``), across the view."""
        which, _ = v.axis_in_view(axis)
        c = v.coord(axis, 0.0)
        lo = v.extreme_on(which == "x", c, -1)
        hi = v.extreme_on(which == "x", c, 1)
        if lo is None:
            full = (v.box.y0, v.box.y1) if which == "x" else (v.box.x0, v.box.x1)
            return full
        return (lo, hi)

    def _shaft(self, f: Feature, fm) -> None:
        c = next(c for c in fm.cylinders if c is not None)
        axis = next(i for i in range(3) if abs(abs(c.axis_dir[i]) - 1) < 1e-6)
        views = self._inplane(axis)
        if not views:
            return
        name, v = views[0]
        which, _ = v.axis_in_view(axis)
        p0, p1 = v.model(c.axis_origin), v.model(c.axis_end)
        r = v.scale * c.radius
        size = self.chars.get(f"{f.id}.size")
        text = dim_text(size.dim) if size is not None else (f.size.text if f.size is not None else "")
        if text and not text.startswith("Ø"):
            text = "Ø" + text
        axis_frames = [(i, fr) for i, fr in enumerate(f.gdt) if axis_frame(fr)]
        surface = [(i, fr) for i, fr in enumerate(f.gdt) if not axis_frame(fr)]
        letters = self.datums.get(f.id, [])
        if which == "x":
            mid = (p0[0] + p1[0]) / 2
            lo_len = min(p0[0], p1[0])
            hi_len = max(p0[0], p1[0])
            req = ThroughReq(f"feature:{f.id}", False, mid, p0[1] - r, p0[1] + r, text, 2 * c.radius,
                             self._ids(f"{f.id}.size"), self._frame_rows(f.id, axis_frames), letters[0] if letters else None,
                             slide=(lo_len, hi_len))
            sil = (p0[1] - r, p0[1] + r)
            anchor_pts = [(lo_len + 0.3 * (hi_len - lo_len), p0[1] + r), (lo_len + 0.3 * (hi_len - lo_len), p0[1] - r)]
        else:
            mid = (p0[1] + p1[1]) / 2
            sil = (p0[0] - r, p0[0] + r)
            lo_len, hi_len = min(p0[1], p1[1]), max(p0[1], p1[1])
            req = ThroughReq(f"feature:{f.id}", True, mid, p0[0] - r, p0[0] + r, text, 2 * c.radius,
                             self._ids(f"{f.id}.size"), self._frame_rows(f.id, axis_frames), letters[0] if letters else None,
                             slide=(lo_len, hi_len))
            anchor_pts = [(p0[0] + r, lo_len + 0.3 * (hi_len - lo_len)), (p0[0] - r, lo_len + 0.3 * (hi_len - lo_len))]
        self._add(name, req)
        if f.length is not None and f"{f.id}.length" in self.chars:
            ch = self.chars[f"{f.id}.length"]
            a0 = sum(c.axis_origin[i] * abs(c.axis_dir[i]) for i in range(3))
            self._linear(name, v, axis, a0, a0 + c.length, dim_text(ch.dim), c.length, False, self._ids(ch.id),
                         f"len:{f.id}", at_other={"lo": sil, "hi": sil}, sides=("bottom", "top") if which == "x" else ("left", "right"))
        rows = self._frame_rows(f.id, surface) + self._rough_rows(f)
        if rows:
            self._add(name, CalloutReq(f"surface:{f.id}", Block(rows), anchor=anchor_pts[0],
                                       alternative=anchor_pts[1]))

    def _slot(self, f: Feature, fm) -> None:
        sl = fm.slot
        rest = [i for i in range(3) if i != sl.axis and i != sl.length_axis]
        depth_axis = rest[0] if sl.length_axis is not None else (AXES.index(f.axis) if f.axis and AXES.index(f.axis) != sl.axis else None)
        found = self._endon(depth_axis) if depth_axis is not None else None
        if found is None:
            ins = self._inplane(sl.axis)
            if not ins:
                return
            found = ins[0]
        name, v = found
        frames_axis = [(i, fr) for i, fr in enumerate(f.gdt) if axis_frame(fr)]
        frames_surface = [(i, fr) for i, fr in enumerate(f.gdt) if not axis_frame(fr)]
        # the slot's middle along its length, to start the width's extension lines there
        mid3 = [(self.facts.bbox_min[i] + self.facts.bbox_max[i]) / 2 for i in range(3)]
        mid3[sl.axis] = (sl.lo + sl.hi) / 2
        if sl.length_axis is not None:
            mid3[sl.length_axis] = (sl.length_lo + sl.length_hi) / 2
        for i, a in enumerate(AXES):
            if f.locations and getattr(f.locations[0], a) is not None:
                mid3[i] = float(getattr(f.locations[0], a).nominal_mm)
        centre = v.model(tuple(mid3))
        size = self.chars.get(f"{f.id}.size")
        if size is not None and v.axis_in_view(sl.axis):
            which, _ = v.axis_in_view(sl.axis)
            other = centre[1] if which == "x" else centre[0]
            rng = self._slot_range(v, sl, which)
            self._linear(name, v, sl.axis, sl.lo, sl.hi, dim_text(size.dim), sl.hi - sl.lo, False,
                         self._ids(size.id), f"width:{f.id}", at_other={"lo": rng, "hi": rng},
                         rows=self._frame_rows(f.id, frames_axis))
            del other
        length = self.chars.get(f"{f.id}.length")
        if length is not None and sl.length_axis is not None and v.axis_in_view(sl.length_axis):
            which, _ = v.axis_in_view(sl.length_axis)
            pa = v.model(tuple(mid3))
            across = v.coord(sl.axis, sl.lo), v.coord(sl.axis, sl.hi)
            rng = (min(across), max(across))
            self._linear(name, v, sl.length_axis, sl.length_lo, sl.length_hi, dim_text(length.dim),
                         sl.length_hi - sl.length_lo, False, self._ids(length.id), f"length:{f.id}",
                         at_other={"lo": rng, "hi": rng})
            del pa
        depth = self.chars.get(f"{f.id}.depth")
        if depth is not None and depth_axis is not None:
            self._slot_depth(f, sl, depth_axis, depth, mid3)
        rows = self._frame_rows(f.id, frames_surface) + self._rough_rows(f)
        if rows and v.axis_in_view(sl.axis):
            which, _ = v.axis_in_view(sl.axis)
            x = v.coord(sl.axis, sl.hi)
            anchor = (x, centre[1]) if which == "x" else (centre[0], x)
            self._add(name, CalloutReq(f"surface:{f.id}", Block(rows), anchor=anchor))
        self._locations(f, fm, depth_axis, name, v)

    def _slot_range(self, v: SheetView, sl, which: str) -> tuple[float, float]:
        if sl.length_axis is not None and v.axis_in_view(sl.length_axis):
            ends = v.coord(sl.length_axis, sl.length_lo), v.coord(sl.length_axis, sl.length_hi)
            return (min(ends), max(ends))
        return (v.box.y0, v.box.y1) if which == "x" else (v.box.x0, v.box.x1)

    def _slot_depth(self, f: Feature, sl, depth_axis: int, depth: Characteristic, mid3: list[float]) -> None:
        views = [(n, w) for n, w in self._inplane(depth_axis) if w.looks_along(sl.axis)] or self._inplane(depth_axis)
        if not views:
            return
        name, v = views[0]
        bottom = None
        for p in self.facts.planes:
            if abs(abs(p.normal[depth_axis]) - 1) > 1e-6:
                continue
            if not (sl.lo - 1e-3 <= p.origin[sl.axis] <= sl.hi + 1e-3):
                continue
            if sl.length_axis is not None and not (sl.length_lo - 1e-3 <= p.origin[sl.length_axis] <= sl.length_hi + 1e-3):
                continue
            bottom = p
            break
        if bottom is None:
            return
        up = 1 if bottom.normal[depth_axis] > 0 else -1
        cb = bottom.origin[depth_axis]
        top = None
        for c in self.facts.cylinders:
            if c.internal or sl.length_axis is None or abs(abs(c.axis_dir[sl.length_axis]) - 1) > 1e-6:
                continue
            a0 = c.axis_origin[sl.length_axis]
            if a0 - 1e-3 <= (sl.length_lo + sl.length_hi) / 2 <= a0 + c.length + 1e-3:
                top = c.axis_origin[depth_axis] + up * c.radius
        if top is None:
            top = self.facts.bbox_max[depth_axis] if up > 0 else self.facts.bbox_min[depth_axis]
        p = list(mid3)
        p[depth_axis] = cb
        pb = v.model(tuple(p))
        p[depth_axis] = top
        pt = v.model(tuple(p))
        which, _ = v.axis_in_view(depth_axis)
        along = (pb[0], pb[0]) if which == "y" else (pb[1], pb[1])
        lo, hi = sorted((cb, top))
        self._linear(name, v, depth_axis, lo, hi, dim_text(depth.dim), hi - lo, False, self._ids(depth.id),
                     f"depth:{f.id}", at_other={"lo": along, "hi": along})
        del pt

    def _face(self, f: Feature, fm) -> None:
        face = fm.face
        best = None
        for name, v in self._inplane(face.axis):
            which, sign = v.axis_in_view(face.axis)
            at = v.coord(face.axis, face.coord)
            spans = v.visible_line_at(which == "x", at)
            if not spans:
                continue
            length = sum(b - a for a, b in spans)
            outward = sign * face.sign
            limit = (v.box.x1 if outward > 0 else v.box.x0) if which == "x" else (v.box.y1 if outward > 0 else v.box.y0)
            outer = abs(at - limit) < 1e-3
            score = (outer, round(length, 3), -self._load(name), -MAIN.index(name))
            if best is None or score > best[0]:
                best = (score, name, v, which, at, spans, outward)
        if best is None:
            return
        _score, name, v, which, at, spans, outward = best
        lo, hi = max(spans, key=lambda s: (s[1] - s[0], s))
        t = lo + 0.62 * (hi - lo)
        anchor = (at, t) if which == "x" else (t, at)
        direction = (outward, 0) if which == "x" else (0, outward)
        frames = self._frame_rows(f.id, list(enumerate(f.gdt)))
        letters = self.datums.get(f.id, [])
        rough = self._rough_rows(f)
        if frames:
            rows = frames + [Row([datum_piece(letter)]) for letter in letters] + rough
            self._add(name, CalloutReq(f"face:{f.id}", Block(rows), anchor=anchor, outward=direction))
        else:
            for letter in letters:
                t2 = lo + 0.3 * (hi - lo)
                self._add(name, DatumReq(f"datum:{f.id}", (at, t2) if which == "x" else (t2, at), direction, letter,
                                         slide=(lo, hi)))
            if rough:
                self._add(name, CalloutReq(f"face:{f.id}", Block(rough), anchor=anchor, outward=direction))

    # ------------------------------------------------------------------ the spec's dimensions

    def dimensions(self) -> None:
        for d in self.part.dimensions:
            ch = self.chars.get(d.id)
            basic = d.value.kind == "basic"
            if ch is None and not basic:
                continue
            text = dim_text(ch.dim if ch is not None else d.value)
            if d.id in self.match.spans:
                span = self.match.spans[d.id]
                views = self._inplane(span.axis)
                if not views:
                    continue

                def score(nv):
                    name, v = nv
                    which, _ = v.axis_in_view(span.axis)
                    ends = [bool(v.visible_line_at(which == "x", v.coord(span.axis, c))) for c in (span.lo, span.hi)]
                    return (-sum(ends), self._load(name), MAIN.index(name))

                name, v = min(views, key=score)
                self._linear(name, v, span.axis, span.lo, span.hi, text, span.hi - span.lo, basic,
                             self._ids(d.id), f"dim:{d.id}")
            elif d.id in self.match.angles:
                self._angle(d, text)

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
                self.plan.notes.append(NoteLine(ch.label, self._ids(cid), numbered=False))


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


def unplaced_to_notes(plan: Plan, failed: list[str], requests: dict[str, list],
                      chars: dict[str, Characteristic]) -> None:
    """Balloons of requests the layout could not place move to the notes block, each with its label."""
    for view_reqs in requests.values():
        for r in view_reqs:
            if r.owner in failed:
                for cid in _req_balloons(r):
                    label = chars[cid].label if cid in chars else cid
                    plan.notes.append(NoteLine(label, [cid], numbered=False))


def _req_balloons(r) -> list[str]:
    ids = list(getattr(r, "balloons", []) or [])
    block = getattr(r, "block", None)
    if block is not None:
        ids += block.balloon_ids()
    for row in getattr(r, "rows", []) or []:
        ids += [str(p.data) for p in row.pieces if p.kind == "balloon"]
    return ids

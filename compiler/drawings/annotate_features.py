"""Feature annotations: holes, shafts, slots and faces, each where the drawing shows it best."""

from __future__ import annotations

from decimal import Decimal

from ..characteristics import Characteristic
from ..geometry.match import AXES, ROUND_TYPES
from ..schema.quantities import Dim
from ..standards.y14_5 import drawing_text
from ..schema.spec import DIAMETER_ZONE_OK, ControlFrame, Feature, GdtCharacteristic
from .annotate_sections import SectionMixin
from .blocks import Block, Row, balloon_piece, datum_piece, depth_piece, text_piece
from .placer import CalloutReq, DatumReq, ThroughReq
from .placing import room
from .views import SheetView


MAIN = ("front", "top", "side")
AXIS_FRAMES = frozenset({GdtCharacteristic.position, GdtCharacteristic.concentricity, GdtCharacteristic.coaxiality,
                         GdtCharacteristic.symmetry})


def dim_text(dim: Dim, standard: str = "ISO") -> str:
    """A dimension as the drawing shows it (:func:`~techpack.standards.y14_5.drawing_text`): ISO as
    written, fit codes with their limits, basic ones bare; ASME per Y14.5; limits upper over lower."""
    return drawing_text(dim, standard)


def axis_frame(frame: ControlFrame) -> bool:
    """A frame that controls an axis or median plane (attached to the size), not a surface."""
    return frame.characteristic in AXIS_FRAMES or (frame.diameter and frame.characteristic in DIAMETER_ZONE_OK)


class FeatureMixin(SectionMixin):
    """Requests for the features of a part (used by :class:`~techpack.drawings.annotate.Planner`)."""

    def features(self) -> None:
        for f in self.part.features:
            fm = self.match.features.get(f.id)
            if fm is None:
                continue
            if f.type in ROUND_TYPES and any(c is not None for c in fm.cylinders):
                # what the model found decides: an external thread (6g) is a shaft, not a hole
                if next(c for c in fm.cylinders if c is not None).internal:
                    self._hole(f, fm)
                else:
                    self._shaft(f, fm)
            elif fm.slot is not None:
                self._slot(f, fm)
            elif any(c is not None for c in fm.cylinders):  # an undercut or thread relief: a turned diameter
                self._shaft(f, fm)
            elif fm.face is not None:
                self._face(f, fm)

    def _dim(self, fid: str, aspect: str, dim: Dim) -> str:
        """A feature's dimension as drawn: with the tolerance its characteristic resolved, else as written."""
        ch = self.chars.get(f"{fid}.{aspect}")
        text = dim_text(ch.dim, self.standard) if ch is not None else dim.text
        return text if aspect.endswith("angle") or text.startswith("Ø") or not dim.diameter else "Ø" + text

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
        dimension = None
        depth_pieces = []
        on_section = self._hole_on_section(f, cyls)  # depths a cut shows are dimensioned there, not in the callout
        if f.depth is not None and not isinstance(f.depth, str) and "depth" not in on_section:
            depth_pieces = [depth_piece(), text_piece(dim_text(self.chars[f"{f.id}.depth"].dim, self.standard) if f"{f.id}.depth" in self.chars
                                                      else f.depth.text)]
        if f.thread:
            head = [text_piece(f"{self._count(f)}{f.thread}{thru}")] + depth_pieces
            rows.append(Row(head + [balloon_piece(b) for b in self._ids(f"{f.id}.thread", f"{f.id}.depth")]))
            if f.size is not None:
                size = self.chars.get(f"{f.id}.size")
                rows.append(Row([text_piece(f"drill {dim_text(size.dim, self.standard) if size else f.size.text}")]
                                + [balloon_piece(b) for b in self._ids(f"{f.id}.size")]))
        elif f.size is not None:
            size = self.chars.get(f"{f.id}.size")
            text = dim_text(size.dim, self.standard) if size is not None else f.size.text
            if not text.startswith("Ø"):
                text = "Ø" + text
            value = f"{self._count(f)}{text}{thru}"
            dimension = ("diameter", value, 2 * inst.radius)
            rows.append(Row([text_piece(value), room(text_piece(value))] + depth_pieces
                            + [balloon_piece(b) for b in self._ids(f"{f.id}.size", f"{f.id}.depth")]))
        if f.counterbore is not None:
            cb = f.counterbore
            depth = [] if "cbore.depth" in on_section else [depth_piece(), text_piece(self._dim(f.id, "cbore.depth", cb.depth))]
            rows.append(Row([text_piece(f"⌴ {self._dim(f.id, 'cbore.size', cb.size)}")] + depth
                            + [balloon_piece(b) for b in self._ids(f"{f.id}.cbore.size", f"{f.id}.cbore.depth")]))
        if f.countersink is not None:
            cs = f.countersink
            rows.append(Row([text_piece(f"⌵ {self._dim(f.id, 'csk.size', cs.size)} × "
                                        f"{self._dim(f.id, 'csk.angle', cs.angle)}")]
                            + [balloon_piece(b) for b in self._ids(f"{f.id}.csk.size", f"{f.id}.csk.angle")]))
        rows += self._frame_rows(f.id, list(enumerate(f.gdt)))
        for letter in self.datums.get(f.id, []):
            rows.append(Row([datum_piece(letter)]))
        self._add(name, CalloutReq(f"feature:{f.id}", Block(rows), circle=(cx, cy, v.scale * inst.radius),
                                   dimension=dimension))
        rough = self._rough_rows(f)
        if rough:  # the surface symbol on a leader of its own, ending on the hole (ISO 1302)
            self._add(name, CalloutReq(f"rough:{f.id}", Block(rough), circle=(cx, cy, v.scale * inst.radius)))
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
                self._linear(view, vv, ai, 0.0, value, dim_text(dim, self.standard), abs(value), dim.kind == "basic", balloons,
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
        if c.internal and self._groove_on_section(f, c):
            return  # an internal groove: its sizes are on the cut through it
        axis = next(i for i in range(3) if abs(abs(c.axis_dir[i]) - 1) < 1e-6)
        views = self._inplane(axis)
        if not views:
            return
        name, v = views[0]
        which, _ = v.axis_in_view(axis)
        p0, p1 = v.model(c.axis_origin), v.model(c.axis_end)
        r = v.scale * c.radius
        size = self.chars.get(f"{f.id}.size")
        text = dim_text(size.dim, self.standard) if size is not None else (f.size.text if f.size is not None else "")
        if text and not text.startswith("Ø"):
            text = "Ø" + text
        ids = (f"{f.id}.size",)
        if f.thread:  # an external thread: its designation on the major diameter (ISO 6410-1)
            text, ids = f.thread, (f"{f.id}.thread", f"{f.id}.size")
        axis_frames = [(i, fr) for i, fr in enumerate(f.gdt) if axis_frame(fr)]
        surface = [(i, fr) for i, fr in enumerate(f.gdt) if not axis_frame(fr)]
        letters = self.datums.get(f.id, [])
        if which == "x":
            mid = (p0[0] + p1[0]) / 2
            lo_len = min(p0[0], p1[0])
            hi_len = max(p0[0], p1[0])
            req = ThroughReq(f"feature:{f.id}", False, mid, p0[1] - r, p0[1] + r, text, 2 * c.radius,
                             self._ids(*ids), self._frame_rows(f.id, axis_frames), letters[0] if letters else None,
                             slide=(lo_len, hi_len))
            sil = (p0[1] - r, p0[1] + r)
            anchor_pts = [(lo_len + 0.3 * (hi_len - lo_len), p0[1] + r), (lo_len + 0.3 * (hi_len - lo_len), p0[1] - r)]
        else:
            mid = (p0[1] + p1[1]) / 2
            sil = (p0[0] - r, p0[0] + r)
            lo_len, hi_len = min(p0[1], p1[1]), max(p0[1], p1[1])
            req = ThroughReq(f"feature:{f.id}", True, mid, p0[0] - r, p0[0] + r, text, 2 * c.radius,
                             self._ids(*ids), self._frame_rows(f.id, axis_frames), letters[0] if letters else None,
                             slide=(lo_len, hi_len))
            anchor_pts = [(p0[0] + r, lo_len + 0.3 * (hi_len - lo_len)), (p0[0] - r, lo_len + 0.3 * (hi_len - lo_len))]
        self._add(name, req)
        if f.length is not None and f"{f.id}.length" in self.chars:
            ch = self.chars[f"{f.id}.length"]
            a0 = sum(c.axis_origin[i] * abs(c.axis_dir[i]) for i in range(3))
            self._linear(name, v, axis, a0, a0 + c.length, dim_text(ch.dim, self.standard), c.length, False, self._ids(ch.id),
                         f"len:{f.id}", at_other={"lo": sil, "hi": sil}, sides=("bottom", "top") if which == "x" else ("left", "right"))
        rows = self._frame_rows(f.id, surface)
        if f.knurl is not None:  # the knurl's designation (DIN 82) on a leader to the knurled diameter
            rows.insert(0, Row([text_piece(f"knurl {f.knurl.designation}")] + [balloon_piece(b) for b in
                                                                             self._ids(f"{f.id}.knurl")]))
        if rows:
            self._add(name, CalloutReq(f"surface:{f.id}", Block(rows), anchor=anchor_pts[0],
                                       alternative=anchor_pts[1]))
        rough = self._rough_rows(f)
        if rough:  # on its own leader to the surface, a little further along
            shift = 0.35 * (hi_len - lo_len)
            pts = [(x + shift, y) if which == "x" else (x, y + shift) for x, y in anchor_pts]
            self._add(name, CalloutReq(f"rough:{f.id}", Block(rough), anchor=pts[0], alternative=pts[1]))

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
        if f.locations and sl.length_axis is not None and v.axis_in_view(sl.axis) and v.axis_in_view(sl.length_axis):
            v.primitives += _slot_centre_lines(v, sl, centre)  # a slot located by its centre: the lines it is located by
        size = self.chars.get(f"{f.id}.size")
        if size is not None and v.axis_in_view(sl.axis):
            which, _ = v.axis_in_view(sl.axis)
            rng = self._slot_range(v, sl, which)
            self._linear(name, v, sl.axis, sl.lo, sl.hi, dim_text(size.dim, self.standard), sl.hi - sl.lo, False,
                         self._ids(size.id), f"width:{f.id}", at_other={"lo": rng, "hi": rng},
                         rows=self._frame_rows(f.id, frames_axis))
        length = self.chars.get(f"{f.id}.length")
        if length is not None and sl.length_axis is not None and v.axis_in_view(sl.length_axis):
            across = v.coord(sl.axis, sl.lo), v.coord(sl.axis, sl.hi)
            rng = (min(across), max(across))
            self._linear(name, v, sl.length_axis, sl.length_lo, sl.length_hi, dim_text(length.dim, self.standard),
                         sl.length_hi - sl.length_lo, False, self._ids(length.id), f"length:{f.id}",
                         at_other={"lo": rng, "hi": rng})
        depth = self.chars.get(f"{f.id}.depth")
        if depth is not None and depth_axis is not None:
            self._slot_depth(f, sl, depth_axis, depth, mid3)
        rows = self._frame_rows(f.id, frames_surface)
        rough = self._rough_rows(f)
        if v.axis_in_view(sl.axis):
            which, _ = v.axis_in_view(sl.axis)
            for owner, block_rows, side in ((f"surface:{f.id}", rows, sl.hi), (f"rough:{f.id}", rough, sl.lo)):
                if block_rows:  # frames to one side wall, the surface symbol to the other
                    x = v.coord(sl.axis, side if rows else sl.hi)
                    anchor = (x, centre[1]) if which == "x" else (centre[0], x)
                    self._add(name, CalloutReq(owner, Block(block_rows), anchor=anchor))
        self._locations(f, fm, depth_axis, name, v)

    def _slot_range(self, v: SheetView, sl, which: str) -> tuple[float, float]:
        if sl.length_axis is not None and v.axis_in_view(sl.length_axis):
            ends = v.coord(sl.length_axis, sl.length_lo), v.coord(sl.length_axis, sl.length_hi)
            return (min(ends), max(ends))
        return (v.box.y0, v.box.y1) if which == "x" else (v.box.x0, v.box.x1)

    def _slot_depth(self, f: Feature, sl, depth_axis: int, depth: Characteristic, mid3: list[float]) -> None:
        section = self.views.get("section")
        if section is not None and section.axis_in_view(depth_axis) and sl.length_axis is not None \
                and section.looks_along(sl.length_axis):
            views = [("section", section)]  # the notch is cut open there: its bottom is a visible edge
        else:
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
        if name == "section":  # extension lines from the notch's sides (its middle is cut away)
            sides = sorted(v.coord(sl.axis, c) for c in (sl.lo, sl.hi))
            along = (sides[0], sides[1])
        lo, hi = sorted((cb, top))
        self._linear(name, v, depth_axis, lo, hi, dim_text(depth.dim, self.standard), hi - lo, False, self._ids(depth.id),
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
        around = [(i, fr) for i, fr in enumerate(f.gdt) if fr.extent is not None]
        for i, fr in around:  # the circle at the elbow applies to everything on its leader: a leader of its own
            t2 = lo + 0.4 * (hi - lo)
            self._add(name, CalloutReq(f"face:{f.id}:{fr.id or fr.characteristic.value}",
                                       Block(self._frame_rows(f.id, [(i, fr)])),
                                       anchor=(at, t2) if which == "x" else (t2, at), outward=direction,
                                       extent=fr.extent))
        frames = self._frame_rows(f.id, [(i, fr) for i, fr in enumerate(f.gdt) if fr.extent is None])
        letters = self.datums.get(f.id, [])
        rough = self._rough_rows(f)
        if frames:
            rows = frames + [Row([datum_piece(letter)]) for letter in letters]
            self._add(name, CalloutReq(f"face:{f.id}", Block(rows), anchor=anchor, outward=direction))
            if rough:  # the surface symbol on its own leader to the face, not hanging under the frame
                t3 = lo + 0.38 * (hi - lo)
                self._add(name, CalloutReq(f"rough:{f.id}", Block(rough), anchor=(at, t3) if which == "x" else (t3, at),
                                           outward=direction))
        else:
            for letter in letters:
                t2 = lo + 0.3 * (hi - lo)
                self._add(name, DatumReq(f"datum:{f.id}", (at, t2) if which == "x" else (t2, at), direction, letter,
                                         slide=(lo, hi)))
            if rough:
                self._add(name, CalloutReq(f"face:{f.id}", Block(rough), anchor=anchor, outward=direction))

    # ------------------------------------------------------------------ the spec's dimensions



def _slot_centre_lines(v: SheetView, sl, centre: tuple[float, float]) -> list:
    """Centre lines across and along a slot seen end-on, a little past its edges."""
    from .model import Line  # noqa: PLC0415
    from .views import CENTRE_OVERSHOOT  # noqa: PLC0415

    o = CENTRE_OVERSHOOT
    out = []
    for axis, lo, hi in ((sl.axis, sl.lo, sl.hi), (sl.length_axis, sl.length_lo, sl.length_hi)):
        which, _ = v.axis_in_view(axis)
        a, b = sorted((v.coord(axis, lo), v.coord(axis, hi)))
        if which == "x":
            out.append(Line("CENTER", a - o, centre[1], b + o, centre[1]))
        else:
            out.append(Line("CENTER", centre[0], a - o, centre[0], b + o))
    return out

"""Dimensions on a section through a feature's axis (:mod:`.cuts`): a hole's depth and its counterbore's depth, an
internal groove's diameter and width, between edges the cut shows as visible lines."""

from __future__ import annotations

from ..geometry.facts import Cylinder
from ..schema.spec import Feature
from .views import SheetView

TOL = 1e-6


def _axis(c: Cylinder) -> int:
    return next(i for i in range(3) if abs(abs(c.axis_dir[i]) - 1) < 1e-6)


class SectionMixin:
    """Requests on sections (used by :class:`~techpack.drawings.annotate.Planner`)."""

    def _section_showing(self, fid: str) -> tuple[str, SheetView] | None:
        """The cut through the axis of feature ``fid``: (view key, view), or None."""
        for key, v in self.views.items():
            if v.projection.cut is not None and fid in v.shows:
                return key, v
        return None

    def _in_plane(self, v: SheetView, cyls: list[Cylinder]) -> Cylinder | None:
        """The instance whose axis lies in the cutting plane of section ``v``."""
        n = v.projection.normal
        k = next(i for i in range(3) if abs(abs(n[i]) - 1) < 1e-9)
        cut = v.projection.cut
        return next((c for c in cyls if abs(c.axis_origin[k] - cut[k]) < 1e-6), None)

    def _coaxial(self, c: Cylinder) -> list[Cylinder]:
        """The internal cylinders on ``c``'s axis line (a hole with its counterbore)."""
        a = _axis(c)
        return [k for k in self.facts.cylinders if k.internal and _axis(k) == a
                and all(abs(k.axis_origin[i] - c.axis_origin[i]) < 1e-6 for i in range(3) if i != a)]

    def _entry(self, c: Cylinder) -> tuple[float, float]:
        """(coordinate, radius) of the open end of the hole ``c`` belongs to: the end of its coaxial run on the
        part's outside (the face it is drilled from), and the radius there."""
        a = _axis(c)
        run = self._coaxial(c) or [c]
        ends = [(k.axis_origin[a], k.radius) for k in run] + [(k.axis_end[a], k.radius) for k in run]
        lo, hi = min(ends), max(ends)
        bb_lo, bb_hi = self.facts.bbox_min[a], self.facts.bbox_max[a]
        return hi if abs(hi[0] - bb_hi) <= abs(lo[0] - bb_lo) else lo

    def _span(self, key: str, v: SheetView, axis: int, across: int, ends: dict[float, tuple[float, float]],
              text: str, ids: list[str], owner: str) -> None:
        """A dimension along ``axis`` between the two model coordinates in ``ends``, each end's extension line
        starting on the cut edge whose extent (model coordinates on ``across``) is given."""
        (c0, r0), (c1, r1) = sorted(ends.items())
        paper = {c: sorted(v.coord(across, x) for x in rng) for c, rng in ends.items()}
        p0, p1 = v.coord(axis, c0), v.coord(axis, c1)
        lo_c, hi_c = (c0, c1) if p0 <= p1 else (c1, c0)
        self._linear(key, v, axis, c0, c1, text, c1 - c0, False, ids, owner,
                     at_other={"lo": tuple(paper[lo_c]), "hi": tuple(paper[hi_c])})

    def _hole_on_section(self, f: Feature, cyls: list[Cylinder]) -> set[str]:
        """The hole's depth and counterbore depth on its section; returns the aspects drawn there."""
        found = self._section_showing(f.id)
        if found is None:
            return set()
        key, v = found
        c = self._in_plane(v, cyls)
        if c is None:
            return set()
        a = _axis(c)
        across = next(i for i in range(3) if i != a and v.axis_in_view(i))
        mid = c.axis_origin[across]
        entry, entry_r = self._entry(c)
        done: set[str] = set()
        depth = self.chars.get(f"{f.id}.depth")
        if depth is not None:
            floor = c.axis_origin[a] if abs(c.axis_end[a] - entry) < abs(c.axis_origin[a] - entry) else c.axis_end[a]
            self._span(key, v, a, across, {entry: (mid - entry_r, mid + entry_r), floor: (mid - c.radius, mid + c.radius)},
                       self._text(depth), self._ids(depth.id), f"depth:{f.id}")
            done.add("depth")
        cbore = self.chars.get(f"{f.id}.cbore.depth")
        if cbore is not None and f.counterbore is not None:
            r = 0.5 * float(f.counterbore.size.nominal_mm)
            seat = next((k for k in self._coaxial(c) if abs(k.radius - r) < 1e-3), None)
            if seat is not None:
                bottom = seat.axis_origin[a] if abs(seat.axis_end[a] - entry) < abs(seat.axis_origin[a] - entry) \
                    else seat.axis_end[a]
                self._span(key, v, a, across, {entry: (mid - r, mid + r), bottom: (mid - r, mid + r)},
                           self._text(cbore), self._ids(cbore.id), f"cbore-depth:{f.id}")
                done.add("cbore.depth")
        return done

    def _groove_on_section(self, f: Feature, c: Cylinder) -> bool:
        """An internal groove's diameter and width on its section; False when no section shows it."""
        found = self._section_showing(f.id)
        if found is None:
            return False
        key, v = found
        a = _axis(c)
        across = next(i for i in range(3) if i != a and v.axis_in_view(i))
        mid = c.axis_origin[across]
        z0, z1 = sorted((c.axis_origin[a], c.axis_end[a]))
        size = self.chars.get(f"{f.id}.size")
        if size is not None:
            text = self._text(size)
            text = text if text.startswith("Ø") else "Ø" + text
            self._span(key, v, across, a, {mid - c.radius: (z0, z1), mid + c.radius: (z0, z1)}, text,
                       self._ids(size.id), f"dia:{f.id}")
        length = self.chars.get(f"{f.id}.length")
        if length is not None:
            self._span(key, v, a, across, {z0: (mid - c.radius, mid + c.radius), z1: (mid - c.radius, mid + c.radius)},
                       self._text(length), self._ids(length.id), f"len:{f.id}")
        return True

    def _text(self, ch) -> str:
        from .annotate_features import dim_text  # noqa: PLC0415

        return dim_text(ch.dim, self.standard)


__all__ = ["SectionMixin"]

"""Which cylinders of the model a round feature is: one feature each, or a refusal that lists them (TP130).

A size such as ``Ø20 k6`` often fits more than one cylinder.  The cylinders that
fit are first grouped into *features*: coaxial segments of one size are one
feature unless a shoulder stands between them (a larger diameter between two
shaft segments, a smaller one between two bore segments).  A groove, a cross
slot or an open gap between segments does not split them: the same tool makes
both.  Then:

* a feature without ``locations`` binds when the model has exactly ``count``
  such features (one, or a pattern of ``count``);
* a stated location picks the features whose axis passes through its
  coordinates across the axis and whose length holds its coordinate along the
  axis (``{z: 0}`` picks the Ø20 seat that runs Z 0..18, not the one at Z 102);
* anything else is refused, each candidate listed with the ``locations`` entry
  that would pick it.

Pure Python over :class:`~techpack.geometry.GeometryFacts`.
"""

from __future__ import annotations

from .bind import axis_index, fmt
from .facts import Cylinder, GeometryFacts

AXES = "xyz"
TOL = 1e-3


def _line(c: Cylinder) -> tuple:
    """The axis line of ``c``: its direction and the foot of the axis through the origin's plane (rounded)."""
    d, o = c.axis_dir, c.axis_origin
    t = sum(o[i] * d[i] for i in range(3))
    return (tuple(round(v, 6) + 0.0 for v in d), tuple(round(o[i] - d[i] * t, 3) + 0.0 for i in range(3)))


def _span(c: Cylinder) -> tuple[float, float]:
    a = sum(c.axis_origin[i] * c.axis_dir[i] for i in range(3))
    return a, a + c.length


def _shoulder(a: Cylinder, lo: float, hi: float, facts: GeometryFacts) -> bool:
    """A coaxial diameter between ``lo`` and ``hi`` along ``a``'s axis that is a shoulder for ``a``'s side."""
    for c in facts.cylinders:
        if c.internal != a.internal or _line(c) != _line(a) or abs(c.radius - a.radius) <= TOL:
            continue
        clo, chi = _span(c)
        if chi <= lo + TOL or clo >= hi - TOL:
            continue
        if (c.radius > a.radius) != a.internal:  # a collar on a shaft, a web in a bore
            return True
    return False


def features(cyls: list[Cylinder], facts: GeometryFacts) -> list[list[Cylinder]]:
    """``cyls`` grouped into features (coaxial segments of one size with no shoulder between), in model order."""
    groups: list[list[Cylinder]] = []
    for c in sorted(cyls, key=lambda c: (_line(c), round(c.radius, 6), _span(c))):
        last = groups[-1][-1] if groups else None
        if (last is not None and _line(last) == _line(c) and abs(last.radius - c.radius) <= TOL
                and last.internal == c.internal
                and not _shoulder(c, _span(last)[1], _span(c)[0], facts)):
            groups[-1].append(c)
        else:
            groups.append([c])
    return sorted(groups, key=lambda g: (g[0].axis_dir, g[0].axis_origin))


def holds(c: Cylinder, given: dict[str, float]) -> bool:
    """A stated coordinate along ``c``'s own axis lies within its length (coordinates across it: see match)."""
    return gap(c, given) <= TOL


def gap(c: Cylinder, given: dict[str, float]) -> float:
    """How far a stated coordinate along ``c``'s axis lies beyond its length (0 within it)."""
    ax = axis_index(c.axis_dir)
    if ax is None or AXES[ax] not in given:
        return 0.0
    lo, hi = sorted((c.axis_origin[ax], c.axis_end[ax]))
    return max(lo - given[AXES[ax]], given[AXES[ax]] - hi, 0.0)


def _where(g: list[Cylinder]) -> tuple[dict[str, float], tuple[str, float, float] | None]:
    """Coordinates across the axis, and (axis, from, to) along it."""
    c = g[0]
    ax = axis_index(c.axis_dir)
    if ax is None:
        return {AXES[i]: c.axis_origin[i] for i in range(3)}, None
    lo = min(min(x.axis_origin[ax], x.axis_end[ax]) for x in g)
    hi = max(max(x.axis_origin[ax], x.axis_end[ax]) for x in g)
    return {AXES[i]: c.axis_origin[i] for i in range(3) if i != ax}, (AXES[ax], lo, hi)


def extent(g: list[Cylinder]) -> tuple[str, float, float] | None:
    """(axis, from, to) of a feature's segments along its axis; None for an axis off the model axes."""
    return _where(g)[1]


def listing(groups: list[list[Cylinder]]) -> list[str]:
    """Each candidate: its diameter, axis, where it is, and the ``locations`` entry that picks it."""
    wheres = [_where(g) for g in groups]
    across = [tuple(sorted((a, round(v, 3)) for a, v in w[0].items())) for w in wheres]
    out = []
    for g, (cross, along), key in zip(groups, wheres, across):
        c = g[0]
        what = f"Ø{fmt(2 * c.radius)} {'hole' if c.internal else 'cylinder'}"
        if along is None:
            key_text = ", ".join(f"{k}: {fmt(v)} basic" for k, v in sorted(cross.items()))
            out.append(f"{what} on the axis through {_xyz(cross)} (locations: [{{{key_text}}}])")
            continue
        a, lo, hi = along
        text = f"{what} along {a.upper()} at {_xyz(cross)}, {a.upper()} {fmt(lo)} to {fmt(hi)}"
        if across.count(key) == 1:
            pick = dict(cross)  # its axis alone picks it
        elif len(set(across)) == 1:
            pick = {a: lo}  # all coaxial: the coordinate along the axis alone picks it
        else:
            pick = {**cross, a: lo}
        out.append(f"{text} (locations: [{{{', '.join(f'{k}: {fmt(v)} basic' for k, v in sorted(pick.items()))}}}])")
    return out


def _xyz(coords: dict[str, float]) -> str:
    return ", ".join(f"{a.upper()} {fmt(v)}" for a, v in sorted(coords.items()))


def representative(g: list[Cylinder]) -> Cylinder:
    """The segment that stands for a feature of several (the longest; ties: the first along the axis)."""
    return max(g, key=lambda c: (round(c.length, 6), -_span(c)[0]))


__all__ = ["extent", "features", "gap", "holds", "listing", "representative"]

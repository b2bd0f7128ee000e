"""Dimensions that say one thing twice: duplicates and closed chains (TP134).

Every toleranced dimension and toleranced location is an edge between two
coordinates on one model axis (a location runs from the datum frame's origin,
coordinate 0).  A dimension whose two ends are already tied by other edges
over-determines the part: the same distance with two tolerances, or a chain
whose tolerances add up against a tighter one (holes at X 15 ±0.15 and X 105
±0.15 *and* a 90 ±0.15 pitch).  The finding names the chain; the fix is to
remove the dimension or mark it ``reference: true`` (drawn in parentheses, not
inspected).  Basic dimensions, basic locations and reference dimensions are
not edges.
"""

from __future__ import annotations

from collections import defaultdict, deque

from ..diagnostics import Diagnostics
from ..geometry.bind import fmt as _fmt
from ..geometry.match import AXES, AXIAL_LENGTH, PartMatch, within
from ..geometry.pick import extent
from ..schema.spec import Part

Node = tuple[int, float]


def _key(axis: int, coord: float) -> Node:
    return (axis, round(coord, 3))


def check_part(part: Part, found: PartMatch, diags: Diagnostics) -> None:
    graph: dict[Node, list[tuple[Node, str]]] = defaultdict(list)

    def path(a: Node, b: Node) -> list[str] | None:
        seen = {a: None}
        todo = deque([a])
        while todo:
            n = todo.popleft()
            if n == b:
                out = []
                while seen[n] is not None:
                    n, label = seen[n]
                    out.append(label)
                return out[::-1]
            for m, label in graph[n]:
                if m not in seen:
                    seen[m] = (n, label)
                    todo.append(m)
        return None

    def add(a: Node, b: Node, label: str) -> None:
        graph[a].append((b, label))
        graph[b].append((a, label))

    for f in part.features:
        for i, pos in enumerate(f.locations):
            for k, name in enumerate(AXES):
                dim = getattr(pos, name)
                if dim is None or dim.kind == "basic":
                    continue
                label = f"{f.id} {name.upper()} {dim.text}"
                a, b = _key(k, 0.0), _key(k, float(dim.nominal_mm))
                if a != b and path(a, b) is None:
                    add(a, b, label)
    spans = found.spans
    seen_span: dict[tuple, str] = {}
    for f in part.features:  # a shaft's or knurl's own length is an edge too: a dimension may repeat it
        m = found.features.get(f.id)
        cyls = [c for c in (m.cylinders if m is not None else []) if c is not None]
        if (f.type not in AXIAL_LENGTH or f.length is None or f.length.kind == "basic" or f.count != 1
                or not cyls or (along := extent(cyls)) is None or not within(along[2] - along[1], f.length)):
            continue
        k = AXES.index(along[0])
        a, b = _key(k, along[1]), _key(k, along[2])
        label = f"{f.id} length {f.length.text}"
        seen_span.setdefault((a, b), label)
        if path(a, b) is None:
            add(a, b, label)
    for d in part.dimensions:
        s = spans.get(d.id)
        if s is None or d.value.kind == "basic" or d.reference:
            continue
        a, b = _key(s.axis, s.lo), _key(s.axis, s.hi)
        same = seen_span.get((a, b))
        if same is not None:
            diags.add("TP134", f"{d.id} {d.value.text} repeats {same}: both run {_fmt(s.hi - s.lo)} along "
                      f"{AXES[s.axis].upper()} from {_fmt(s.lo)} to {_fmt(s.hi)}; remove one, or mark it "
                      "reference: true (drawn in parentheses, not inspected)", d.loc("value"),
                      subject=f"{part.number}/{d.id}")
            continue
        chain = path(a, b)
        if chain is not None:
            diags.add("TP134", f"{d.id} {d.value.text} closes a chain of dimensions along {AXES[s.axis].upper()}: "
                      f"{_fmt(s.lo)} to {_fmt(s.hi)} is already set by {' and '.join(chain)}; remove one, or mark "
                      "it reference: true (drawn in parentheses, not inspected)", d.loc("value"),
                      subject=f"{part.number}/{d.id}")
            continue
        seen_span[(a, b)] = d.id
        add(a, b, f"{d.id} {d.value.text}")

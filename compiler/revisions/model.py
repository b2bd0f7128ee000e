"""The diff of two snapshots: a flat, ordered list of changes (pure: no I/O).

A :class:`Change` names its area (``characteristic``, ``bom``, ``material``,
…), its subject (``TP-1001-01/bore.size``, ``material al6061``), the kind
(added, removed, changed, moved) and, for a changed thing, each field old →
new.  ``content`` is False for what only records the revision itself (letters,
dates, history) or is derived from the rest (capability verdicts), so a
revision check can ask whether the product itself changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .snapshot import Snapshot, distance

AREAS = ("product", "part", "characteristic", "feature", "material", "certificate", "finish", "bom", "assembly",
         "packaging", "production", "geometry", "capability")
MOVE_TOLERANCE_MM = 1e-6
VOLUME_REL_TOLERANCE = 1e-6
SIZE_TOLERANCE_MM = 1e-4
LOCATION_ASPECTS = ("position", "concentricity", "coaxiality", "symmetry")


@dataclass
class Field:
    name: str
    old: str
    new: str


@dataclass
class Change:
    area: str
    kind: str  # added | removed | changed | moved
    subject: str
    part: str | None = None
    fields: list[Field] = field(default_factory=list)
    note: str = ""
    content: bool = True
    moved_mm: float | None = None

    def to_json(self) -> dict:
        out = {"area": self.area, "kind": self.kind, "subject": self.subject, "part": self.part,
               "fields": [{"name": f.name, "old": f.old, "new": f.new} for f in self.fields]}
        if self.note:
            out["note"] = self.note
        if self.moved_mm is not None:
            out["moved_mm"] = round(self.moved_mm, 6)
        out["content"] = self.content
        return out


@dataclass
class ChangeSet:
    old: Snapshot
    new: Snapshot
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def content_changed(self) -> bool:
        return any(c.content for c in self.changes)

    def of(self, area: str) -> list[Change]:
        return [c for c in self.changes if c.area == area]

    def parts_affected(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.changes:
            if c.part and c.content:
                seen.setdefault(c.part)
        return list(seen)


def _fields(old: dict, new: dict) -> list[Field]:
    return [Field(k, old.get(k, ""), new.get(k, "")) for k in sorted(set(old) | set(new))
            if old.get(k, "") != new.get(k, "")]


def _keyed(area: str, old: dict, new: dict, label, part=None, content: bool = True) -> list[Change]:
    out = []
    for key in list(old) + [k for k in new if k not in old]:
        if key not in new:
            out.append(Change(area, "removed", label(key), part, content=content))
        elif key not in old:
            out.append(Change(area, "added", label(key), part, content=content))
        else:
            fs = _fields(old[key], new[key])
            if fs:
                out.append(Change(area, "changed", label(key), part, fs, content=content))
    return out


def diff(old: Snapshot, new: Snapshot) -> ChangeSet:
    """Every difference between OLD and NEW, grouped by area in a fixed order."""
    cs = ChangeSet(old, new)
    add = cs.changes.extend
    add(_product(old, new))
    add(_keyed("material", {k: _no_cert(v) for k, v in old.materials.items()},
               {k: _no_cert(v) for k, v in new.materials.items()}, lambda k: f"material {k}"))
    add(_keyed("certificate", {k: {"certificate": v.get("certificate", "")} for k, v in old.materials.items()
                               if k in new.materials},
               {k: {"certificate": v.get("certificate", "")} for k, v in new.materials.items() if k in old.materials},
               lambda k: f"material {k}"))
    add(_keyed("finish", old.finishes, new.finishes, lambda k: f"finish {k}"))
    for pn in list(old.parts) + [p for p in new.parts if p not in old.parts]:
        add(_part(old, new, pn))
    add(_keyed("bom", old.bom, new.bom, lambda k: f"BOM item {k}"))
    add(_keyed("assembly", old.assembly, new.assembly, lambda k: f"assembly step {k}"))
    add(_keyed("packaging", {"packaging": old.packaging} if old.packaging else {},
               {"packaging": new.packaging} if new.packaging else {}, lambda k: "packaging"))
    add(_keyed("production", {"production": old.production} if old.production else {},
               {"production": new.production} if new.production else {}, lambda k: "production plan"))
    add(_capability(old, new))
    return cs


def _no_cert(v: dict) -> dict:
    return {k: x for k, x in v.items() if k != "certificate"}


def _product(old: Snapshot, new: Snapshot) -> list[Change]:
    out = []
    rec = {k: v for k, v in old.product.items() if k in ("revision", "revision_date")}
    rec_new = {k: v for k, v in new.product.items() if k in ("revision", "revision_date")}
    fs = _fields(rec, rec_new)
    if old.history != new.history:
        fs.append(Field("history", _history_text(old.history), _history_text(new.history)))
    if fs:
        out.append(Change("product", "changed", f"product {new.product['number']} revision", None, fs,
                          content=False))
    body = {k: v for k, v in old.product.items() if k not in ("revision", "revision_date")}
    body_new = {k: v for k, v in new.product.items() if k not in ("revision", "revision_date")}
    fs = _fields(body, body_new)
    if fs:
        out.append(Change("product", "changed", f"product {new.product['number']}", None, fs))
    return out


def _history_text(history: list[dict]) -> str:
    return "; ".join(f"{h.get('revision')} {h.get('date')}" for h in history)


def _part(old: Snapshot, new: Snapshot, pn: str) -> list[Change]:
    if pn not in new.parts:
        return [Change("part", "removed", f"part {pn} {old.part_names[pn]}", pn)]
    if pn not in old.parts:
        out = [Change("part", "added", f"part {pn} {new.part_names[pn]}", pn)]
        out += [Change("characteristic", "added", c.subject, pn, note=c.label)
                for (p, _), c in new.chars.items() if p == pn]
        return out
    out: list[Change] = []
    if old.part_revisions[pn] != new.part_revisions[pn]:
        out.append(Change("part", "changed", f"part {pn} revision", pn,
                          [Field("revision", old.part_revisions[pn], new.part_revisions[pn])], content=False))
    o, n = old.parts[pn], new.parts[pn]
    for area, match in (("material", lambda k: k == "material" or k.startswith("material.")),
                        ("finish", lambda k: k == "finish" or k.startswith("finish.")),
                        ("part", lambda k: True)):
        keys = {k for k in set(o) | set(n) if match(k)}
        fs = _fields({k: o[k] for k in keys if k in o}, {k: n[k] for k in keys if k in n})
        if fs:
            out.append(Change(area, "changed", f"part {pn} {area}" if area != "part" else f"part {pn}", pn, fs))
        o = {k: v for k, v in o.items() if k not in keys}
        n = {k: v for k, v in n.items() if k not in keys}
    out += _keyed("feature", {f: v for (p, f), v in old.features.items() if p == pn},
                  {f: v for (p, f), v in new.features.items() if p == pn}, lambda f: f"{pn}/{f}", pn)
    moved = _moves(old, new, pn)
    out += moved
    out += _chars(old, new, pn, {c.subject.split("/", 1)[1].split("[")[0] for c in moved})
    out += _geometry(old, new, pn)
    return out


def _moves(old: Snapshot, new: Snapshot, pn: str) -> list[Change]:
    out = []
    for (p, fid), locs in old.locations.items():
        if p != pn or (pn, fid) not in new.locations:
            continue
        for i, (a, b) in enumerate(zip(locs, new.locations[(pn, fid)], strict=False), 1):
            dist = distance(a, b)
            if a != b and dist is not None and (dist > MOVE_TOLERANCE_MM or [x is None for x in a] != [x is None for x in b]):
                fs = [Field(ax, _mm(x), _mm(y)) for ax, x, y in zip("xyz", a, b, strict=True) if x != y]
                name = f"{pn}/{fid}" + (f"[{i}]" if len(locs) > 1 else "")
                out.append(Change("feature", "moved", name, pn, fs, note=f"moved {_mm(dist)} mm", moved_mm=dist))
    return out


def _mm(v: float | None) -> str:
    return "" if v is None else format(round(v, 4), "g")


def _chars(old: Snapshot, new: Snapshot, pn: str, moved: set[str]) -> list[Change]:
    oc = {cid: c for (p, cid), c in old.chars.items() if p == pn}
    nc = {cid: c for (p, cid), c in new.chars.items() if p == pn}
    out = []
    for cid in list(oc) + [k for k in nc if k not in oc]:
        if cid not in nc:
            out.append(Change("characteristic", "removed", oc[cid].subject, pn, note=oc[cid].label))
        elif cid not in oc:
            out.append(Change("characteristic", "added", nc[cid].subject, pn, note=nc[cid].label))
        else:
            fs = _fields(oc[cid].facts, nc[cid].facts)
            feat = nc[cid].feature
            located = feat is not None and feat in moved and (
                cid.split(".", 1)[1].split(".")[0] in ("x", "y", "z", *LOCATION_ASPECTS))
            if located and not fs:
                fs = [Field("location", "", "feature moved")]
            if fs:
                out.append(Change("characteristic", "changed", nc[cid].subject, pn, fs, note=nc[cid].label))
    return out


def _geometry(old: Snapshot, new: Snapshot, pn: str) -> list[Change]:
    a, b = old.geometry.get(pn), new.geometry.get(pn)
    if a is None or b is None:
        return []
    fs = []
    va, vb = a["volume_mm3"], b["volume_mm3"]
    if abs(va - vb) > VOLUME_REL_TOLERANCE * max(abs(va), abs(vb), 1.0):
        fs.append(Field("volume mm³", f"{va:.1f}", f"{vb:.1f}"))
    if any(abs(x - y) > SIZE_TOLERANCE_MM for x, y in zip(a["size"], b["size"], strict=True)):
        fs.append(Field("bounding box mm", " x ".join(_mm(x) for x in a["size"]),
                        " x ".join(_mm(x) for x in b["size"])))
    if len(a["holes"]) != len(b["holes"]):
        fs.append(Field("holes in the model", str(len(a["holes"])), str(len(b["holes"]))))
    return [Change("geometry", "changed", f"part {pn} model", pn, fs)] if fs else []


def _capability(old: Snapshot, new: Snapshot) -> list[Change]:
    out = []
    for subject in list(old.capability) + [s for s in new.capability if s not in old.capability]:
        a, b = old.capability.get(subject), new.capability.get(subject)
        ok_a = None if a is None else not a.startswith("NOT")
        ok_b = None if b is None else not b.startswith("NOT")
        if ok_a == ok_b or (a is None and ok_b) or (b is None and ok_a):
            continue  # same verdict, or a characteristic added/removed that the shop holds
        out.append(Change("capability", "changed", subject, subject.split("/")[0],
                          [Field("verdict", a or "", b or "")], content=False))
    for key in list(old.findings) + [k for k in new.findings if k not in old.findings]:
        if (key in old.findings) != (key in new.findings):
            code, subject = key
            kind = "added" if key in new.findings else "removed"
            out.append(Change("capability", kind, f"{code} {subject}", subject.split("/")[0] or None,
                              note=new.findings.get(key) or old.findings[key], content=False))
    return out

"""``techpack diff`` output: plain functions from a change set to text, JSON or Markdown."""

from __future__ import annotations

import json

from .model import AREAS, Change, ChangeSet
from .scope import Gate, PartScope, delta_fai, gates

AREA_TITLES = {"product": "Product", "part": "Parts", "characteristic": "Characteristics", "feature": "Features",
               "material": "Materials", "certificate": "Certificates", "finish": "Finishes", "bom": "BOM",
               "assembly": "Assembly", "packaging": "Packaging", "production": "Production plan",
               "geometry": "Geometry", "capability": "Capability verdicts"}
SIGN = {"added": "+", "removed": "-", "changed": "~", "moved": ">"}


def revision_of(snap) -> str:
    return snap.product.get("revision", "")


def latest(snap) -> dict:
    """The history entry of the snapshot's current revision (reason and author), or {}."""
    rev = revision_of(snap)
    for h in reversed(snap.history):
        if str(h.get("revision")) == rev:
            return h
    return {}


def to_dict(cs: ChangeSet) -> dict:
    scopes = delta_fai(cs)
    entry = latest(cs.new)
    return {
        "changed": cs.changed,
        "content_changed": cs.content_changed,
        "product": cs.new.product["number"],
        "from": {"label": cs.old.label, "revision": revision_of(cs.old), **({"pack": cs.old.pack} if cs.old.pack else {})},
        "to": {"label": cs.new.label, "revision": revision_of(cs.new),
               "reason": entry.get("description", ""), "author": entry.get("author") or "",
               "date": entry.get("date") or cs.new.product.get("revision_date", "")},
        "parts_affected": cs.parts_affected(),
        "changes": [c.to_json() for c in cs.changes],
        "delta_fai": [s.to_json() for s in scopes],
        "gates": [g.to_json() for g in gates(cs, scopes)],
    }


def as_json(cs: ChangeSet) -> str:
    return json.dumps(to_dict(cs), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _line(c: Change) -> str:
    head = f"{SIGN[c.kind]} {c.subject}"
    if c.note:
        head += f"  ({c.note})"
    return head


def _field_lines(c: Change, indent: str = "    ") -> list[str]:
    return [f"{indent}{f.name}: {f.old or '—'} → {f.new or '—'}" for f in c.fields]


def as_text(cs: ChangeSet) -> str:
    if not cs.changed:
        return f"no change between {cs.old.label} and {cs.new.label}\n"
    lines = [f"{cs.new.product['number']}: {cs.old.label} (rev {revision_of(cs.old)}) → "
             f"{cs.new.label} (rev {revision_of(cs.new)})"]
    for area in AREAS:
        mine = cs.of(area)
        if not mine:
            continue
        lines.append(f"{AREA_TITLES[area]}:")
        for c in mine:
            lines.append("  " + _line(c))
            lines.extend(_field_lines(c))
    scopes = delta_fai(cs)
    if scopes:
        lines.append("Delta FAI (AS9102):")
        for s in scopes:
            lines.append(f"  {s.part} rev {s.revision}: {'full' if s.full else 'partial'} FAI: "
                         f"{', '.join(s.ids) or 'no characteristic'}")
            lines.append(f"    {s.reason}")
    gs = gates(cs, scopes)
    if gs:
        lines.append("Gates to pass again:")
        lines.extend(_gate_line(g, "  ") for g in gs)
    return "\n".join(lines) + "\n"


def _gate_line(g: Gate, indent: str) -> str:
    return f"{indent}{g.title} ({', '.join(g.parts)}): " + "; ".join(g.why)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_") \
        .replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def as_markdown(cs: ChangeSet) -> str:
    """A pull-request comment: summary, one table per area, the delta-FAI scope and the gates."""
    title = (f"### techpack diff: {_md(cs.new.product['number'])} rev {_md(revision_of(cs.old))} → "
             f"{_md(revision_of(cs.new))}")
    if not cs.changed:
        return f"{title}\n\nNo change.\n"
    out = [title, ""]
    entry = latest(cs.new)
    if entry:
        out += [f"**Reason:** {_md(str(entry.get('description', '')))} "
                f"({_md(str(entry.get('author') or 'no author'))}, {_md(str(entry.get('date') or ''))})", ""]
    out += [f"**Parts affected:** {', '.join(_md(p) for p in cs.parts_affected()) or 'none'}", ""]
    for area in AREAS:
        mine = cs.of(area)
        if not mine:
            continue
        out += [f"#### {AREA_TITLES[area]}", "", "| | subject | field | old | new |", "|---|---|---|---|---|"]
        for c in mine:
            rows = c.fields or [None]
            for n, f in enumerate(rows):
                subject = f"{_md(c.subject)}" + (f" ({_md(c.note)})" if c.note and n == 0 else "")
                out.append(f"| {c.kind if n == 0 else ''} | {subject if n == 0 else ''} | "
                           f"{_md(f.name) if f else ''} | {_md(f.old) if f else ''} | {_md(f.new) if f else ''} |")
        out.append("")
    scopes = delta_fai(cs)
    if scopes:
        out += ["#### Delta FAI (AS9102)", "", "| part | FAI | characteristics to re-inspect | basis |",
                "|---|---|---|---|"]
        out += [_scope_row(s) for s in scopes]
        out.append("")
    gs = gates(cs, scopes)
    if gs:
        out += ["#### Gates to pass again", ""]
        out += [f"- **{_md(g.title)}** ({', '.join(_md(p) for p in g.parts)}): {_md('; '.join(g.why))}" for g in gs]
        out.append("")
    return "\n".join(out)


def _scope_row(s: PartScope) -> str:
    ids = ", ".join(f"`{i}`" for i in s.ids) or "none"
    return f"| {_md(s.part)} rev {_md(s.revision)} | {'full' if s.full else 'partial'} | {ids} | {_md(s.reason)} |"


FORMATS = {"text": as_text, "json": as_json, "markdown": as_markdown}

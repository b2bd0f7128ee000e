"""The delta-FAI scope (AS9102 partial FAI) and the production gates a change re-opens.

AS9102 Rev B §4.6: a design-characteristic change, or a change of source,
process, inspection method, tooling or material, needs a full FAI or a
partial FAI of the affected characteristics against a baseline FAIR.  Form 1
field 14 is then *Partial* with the baseline part number and revision; the
forms record only the characteristics re-verified (never copied results).

The gates column is techpack's own mapping of PPAP 4th ed. §2 / Table 3.1
(``shared/standards/revision_and_delta_fai.md`` §4; marked there as
inference): a design change re-opens the PP-sample approval and a partial FAI
of the changed characteristics; a material, finish or process change needs a
new PP sample from the new bulk material or process, material/process tests
and Form 2 again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..quality.as9102 import fair_number
from ..quality.stages import STAGE_BY_KEY
from .model import Change, ChangeSet

REINSPECT_KINDS = ("added", "changed")


@dataclass
class PartScope:
    """What one part's partial (or full) FAI covers."""

    part: str
    name: str
    revision: str
    baseline_revision: str | None
    full: bool
    reason: str
    characteristics: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    form2: list[Change] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [c.subject.split("/", 1)[1] for c in self.characteristics]

    @property
    def baseline_fair(self) -> str:
        return fair_number(self.part, self.baseline_revision) if self.baseline_revision else ""

    def to_json(self) -> dict:
        return {"part": self.part, "revision": self.revision, "baseline_revision": self.baseline_revision,
                "baseline_fair": self.baseline_fair, "fai": "full" if self.full else "partial",
                "reason": self.reason, "characteristics": self.ids,
                "removed": [c.subject.split("/", 1)[1] for c in self.removed],
                "form2": [c.subject for c in self.form2]}


@dataclass
class Gate:
    key: str
    title: str
    parts: list[str]
    why: list[str]

    def to_json(self) -> dict:
        return {"gate": self.key, "title": self.title, "parts": self.parts, "why": self.why}


def delta_fai(cs: ChangeSet) -> list[PartScope]:
    """Per affected part, exactly the characteristics to re-inspect (added or changed), in the new order."""
    out = []
    new, old = cs.new, cs.old
    order = {key: n for n, key in enumerate(new.chars)}
    for pn in new.parts:
        mine = [c for c in cs.changes if c.part == pn and c.content]
        if not mine:
            continue
        chars = sorted((c for c in mine if c.area == "characteristic" and c.kind in REINSPECT_KINDS),
                       key=lambda c: order.get((pn, c.subject.split("/", 1)[1]), 0))
        removed = [c for c in mine if c.area == "characteristic" and c.kind == "removed"]
        form2 = [c for c in mine if c.area in ("material", "finish")]
        if pn not in old.parts:
            out.append(PartScope(pn, new.part_names[pn], new.part_revisions[pn], None, True,
                                 "new part: full FAI (no baseline FAIR)", chars))
            continue
        base_rev = old.part_revisions[pn]
        what = _reason(mine, chars, form2)
        reason = (f"Partial FAI against {fair_number(pn, base_rev)} (part {pn} rev {base_rev}); covers {what}")
        out.append(PartScope(pn, new.part_names[pn], new.part_revisions[pn], base_rev, False, reason, chars,
                             removed, form2))
    return out


def _reason(mine: list[Change], chars: list[Change], form2: list[Change]) -> str:
    bits = []
    if chars:
        bits.append(f"{len(chars)} changed or added characteristic{'s' if len(chars) != 1 else ''}")
    if any(c.area in ("material", "certificate") for c in form2):
        bits.append("material change")
    if any(c.area == "finish" for c in form2):
        bits.append("finish (special process) change")
    if any(c.area == "part" and c.kind == "changed" for c in mine):
        bits.append("part data change")
    if any(c.kind == "moved" for c in mine):
        bits.append("moved features")
    return ", ".join(bits) or "no characteristic change"


def gates(cs: ChangeSet, scopes: list[PartScope]) -> list[Gate]:
    """The production gates to pass again, each with the parts and the reasons."""
    found: dict[str, Gate] = {}

    def gate(key: str, part: str, why: str) -> None:
        g = found.setdefault(key, Gate(key, STAGE_BY_KEY[key].title if key in STAGE_BY_KEY else key, [], []))
        if part not in g.parts:
            g.parts.append(part)
        if why not in g.why:
            g.why.append(why)

    for s in scopes:
        if s.characteristics:
            gate("fai", s.part, "design characteristics changed (AS9102 §4.6 trigger 1): "
                 + ("full FAI of a new part" if s.full else f"partial FAI of {', '.join(s.ids)}"))
            gate("pp", s.part, "engineering change to the design record (PPAP §2): PP sample re-approved on the "
                 "changed characteristics")
        if any(c.area in ("material", "certificate") for c in s.form2):
            gate("pp", s.part, "material changed: new PP sample from the new bulk material lot; material "
                 "tests and Form 2 again (PPAP Table 3.1 'other construction or material')")
            gate("fai", s.part, "material changed (AS9102 §4.6 trigger 2): Form 2 material row re-verified")
        if any(c.area == "finish" for c in s.form2):
            gate("pp", s.part, "finish (special process) changed: new PP sample through the new process; "
                 "Form 2 special-process row again")
        for c in cs.changes:
            if c.part == s.part and c.area == "part" and any(f.name.startswith("process") for f in c.fields):
                gate("pp", s.part, "required processes changed (process change): new PP sample on the new routing")
                gate("setup", s.part, "new routing: first and last piece of every new setup")
    for c in cs.of("production"):
        if any(f.name.startswith("process_parameters") for f in c.fields):
            for pn in cs.new.parts:
                gate("pp", pn, "process parameters changed (process change): new PP sample at the new settings")
    if any(c.area in ("bom", "assembly") and c.content for c in cs.changes):
        product = cs.new.product["number"]
        gate("fai", product, "BOM or assembly sequence changed: assembly FAI of the product")
    order = {k: n for n, k in enumerate(STAGE_BY_KEY)}
    return sorted(found.values(), key=lambda g: order.get(g.key, 99))

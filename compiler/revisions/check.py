"""``check --baseline OLD``: the revision letter and history must follow the content.

* TP801 — the content changed since the baseline but the revision letter (of the
  product or of a part) and the history did not;
* TP802 — a released revision was edited: its content changed under the same
  letter although the baseline already lists it in the history, or a history
  entry of the baseline was rewritten or removed.

The next letter suggested follows ASME Y14.35 (I O Q S X Z are never used;
``shared/standards/revision_and_delta_fai.md`` §2).
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics, Location
from .model import ChangeSet, diff
from .sides import SideError, open_side
from .snapshot import of_compilation, snapshot

LETTERS = "ABCDEFGHJKLMNPRTUVWY"
"""ASME Y14.35 revision letters: A–Z without I, O, Q, S, X, Z."""


def next_revision(rev: str) -> str | None:
    """The revision after REV (``B`` → ``C``, ``H`` → ``J``, ``Y`` → ``AA``, ``3`` → ``4``), or None when unsure."""
    if rev.isdigit():
        return str(int(rev) + 1).zfill(len(rev))
    if not rev or any(c not in LETTERS for c in rev):
        return None
    digits = [LETTERS.index(c) for c in rev]
    i = len(digits) - 1
    while i >= 0:
        if digits[i] + 1 < len(LETTERS):
            digits[i] += 1
            return "".join(LETTERS[d] for d in digits[:i + 1]) + LETTERS[0] * (len(digits) - i - 1)
        digits[i] = 0
        i -= 1
    return LETTERS[0] * (len(rev) + 1)


def baseline_side(baseline: str, spec_path: Path):
    """OLD as a side: a folder, a pack, ``REV:path``, or a bare git revision of the spec being checked."""
    if Path(baseline).exists() or ":" in baseline:
        return open_side(baseline)
    return open_side(str(spec_path), git_rev=baseline)


def check_baseline(comp, baseline: str, spec_path: Path, diags: Diagnostics) -> ChangeSet | None:
    """Compare the compiled spec with BASELINE and add TP801/TP802 to ``diags``; returns the change set."""
    try:
        with baseline_side(baseline, spec_path) as side:
            old = snapshot(side, geometry=False, capability=[f.path for f in comp.capability.files]
                           if comp.capability else None)
    except SideError as exc:
        diags.add("TP000", f"baseline {baseline}: {exc}", Location(baseline))
        return None
    cs = diff(old, of_compilation(comp, str(spec_path)))
    _revision_findings(cs, comp.loaded.spec, baseline, diags)
    return cs


def _revision_findings(cs: ChangeSet, spec, baseline: str, diags: Diagnostics) -> None:
    old, new = cs.old, cs.new
    product = spec.product
    rev_old, rev_new = old.product["revision"], new.product["revision"]
    released = {str(h.get("revision")) for h in old.history}
    content = [c for c in cs.changes if c.content]
    suggest = next_revision(rev_new)
    hint = f" (next: {suggest})" if suggest else ""
    if content and rev_old == rev_new:
        what = _summary(content)
        if rev_new in released:
            diags.add("TP802", f"revision {rev_new} is released (in the history of {baseline}) but its content "
                      f"changed: {what}; release the change as a new revision{hint} with a history entry",
                      product.loc("revision"), subject=product.number)
        elif old.history == new.history:
            diags.add("TP801", f"the content changed since {baseline} ({what}) but revision {rev_new} and the "
                      f"history did not; raise the revision{hint} and add a history entry",
                      product.loc("revision"), subject=product.number)
    elif content and rev_new not in {str(h.get("revision")) for h in new.history} and new.history:
        diags.add("TP801", f"revision {rev_new} has no history entry (reason and author of the change since "
                  f"{baseline})", product.loc("history"), subject=product.number)
    new_history = {str(h.get("revision")): (i, h) for i, h in enumerate(new.history)}
    for h in old.history:
        rev = str(h.get("revision"))
        if rev not in new_history:
            diags.add("TP802", f"the history entry of released revision {rev} was removed since {baseline}",
                      product.loc("history"), subject=product.number)
        elif new_history[rev][1] != h:
            i, now = new_history[rev]
            fields = ", ".join(k for k in sorted(set(h) | set(now)) if h.get(k) != now.get(k))
            diags.add("TP802", f"the history entry of released revision {rev} was rewritten since {baseline} "
                      f"({fields}); add a new entry instead", product.history[i].loc(), subject=product.number)
    parts = {p.number: p for p in spec.parts}
    for pn in cs.parts_affected():
        if pn in parts and pn in old.part_revisions and old.part_revisions[pn] == new.part_revisions[pn]:
            mine = [c for c in content if c.part == pn]
            part_hint = next_revision(new.part_revisions[pn])
            diags.add("TP801", f"part {pn} changed since {baseline} ({_summary(mine)}) but its revision "
                      f"{new.part_revisions[pn]} did not" + (f" (next: {part_hint})" if part_hint else ""),
                      parts[pn].loc("revision"), subject=pn)


def _summary(changes, limit: int = 3) -> str:
    names = [f"{c.kind} {c.subject}" for c in changes[:limit]]
    more = len(changes) - limit
    return "; ".join(names) + (f" and {more} more" if more > 0 else "")

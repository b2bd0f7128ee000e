"""Waivers: a finding accepted in the spec with a reason and an owner.

A waived finding is still reported, marked waived, and no longer counts
towards the exit status.  A waiver matches a finding with the same code whose
subject is the waiver's target or lies under it (``TP-1001-01`` covers
``TP-1001-01/bore.size``).
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostic, Diagnostics, WaiverNote
from ..schema.spec import Spec, Waiver


def _covers(target: str, subject: str | None) -> bool:
    if subject is None:
        return False
    return subject == target or subject.startswith(target + "/") or subject.startswith(target + ".")


def apply(spec: Spec, diags: Diagnostics, today: str) -> None:
    """Mark waived findings; report waivers that cannot apply, match nothing or have expired."""
    active: list[Waiver] = []
    for w in spec.waivers:
        if w.code.startswith("TP0"):
            diags.add("TP602", f"{w.code} is a reading or schema error and cannot be waived", w.loc("code"))
        elif w.expires is not None and w.expires < today:
            diags.add("TP603", f"waiver of {w.code} for {w.target} expired on {w.expires}", w.loc("expires"),
                      subject=w.target)
        else:
            active.append(w)
    used: set[int] = set()
    items: list[Diagnostic] = []
    for d in diags.items:
        for i, w in enumerate(active):
            if w.code == d.code and _covers(w.target, d.subject):
                d = replace(d, waiver=WaiverNote(w.reason, w.owner, w.loc()))
                used.add(i)
                break
        items.append(d)
    diags.items[:] = items
    for i, w in enumerate(active):
        if i not in used:
            diags.add("TP601", f"waiver of {w.code} for {w.target!r} matches no finding", w.loc("target"),
                      subject=w.target)

"""With ``--baseline OLD``: ``changes.json`` and ``inspection/fai-delta-as9102.pdf`` (change notice + partial FAI).

Nothing is declared without a baseline.  Both files depend on the spec and on
the change set from the baseline (the ``baseline`` input key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Output, Target

if TYPE_CHECKING:
    from ..engine import Compilation

DEPENDS = ("spec", "baseline")


class RevisionsRenderer:
    name = "revisions"
    weights = {"change-notice-json": 0.1, "fai-delta-pdf": 5.0}
    light = ("change-notice-json",)  # no PDF stack (schedule.run_light)

    def targets(self, comp: "Compilation") -> list[Target]:
        if getattr(comp, "changes", None) is None:
            return []
        parts = tuple(f"part:{p.number}" for p in comp.loaded.spec.parts)  # its Form 3 names the drawing zones
        return [Target("changes.json", "change-notice-json", DEPENDS),
                Target("inspection/fai-delta-as9102.pdf", "fai-delta-pdf", DEPENDS + parts)]

    def prepare(self, comp: "Compilation", targets: list[Target]) -> None:
        """The drawings' layouts before the jobs fork (the delta FAI names the balloons' zones)."""
        if any(t.kind == "fai-delta-pdf" for t in targets):
            from ..drawings import balloon_refs  # noqa: PLC0415

            balloon_refs(comp)

    def render(self, comp: "Compilation", out: Output, targets: list[Target]) -> None:
        from ..revisions.notice import render_notice  # noqa: PLC0415
        from ..revisions.report import as_json  # noqa: PLC0415

        wanted = {t.path for t in targets}
        if "changes.json" in wanted:
            out.write("changes.json", as_json(comp.changes).encode("utf-8"))
        if "inspection/fai-delta-as9102.pdf" in wanted:
            out.write("inspection/fai-delta-as9102.pdf", render_notice(comp.changes, comp.date))


RENDERER = RevisionsRenderer()

"""The one seam to the quality plan: inspection method and class per characteristic, when it exists.

The quality package (``techpack.quality``) chooses an inspection method and a
class (critical / major / minor) for every characteristic, with the spec's
overrides applied.  The PDF prints the same, so the tech pack and the
inspection plan never disagree.  Without that package the PDF shows each
characteristic's kind and classes characteristics from the spec's key and
critical marks alone.

Assumed interface: ``techpack.quality.build_plan(comp)`` returns a plan whose
``all_items()`` have ``subject`` (``PART/id``), ``method`` (an ID) and
``classification``; ``techpack.quality.methods.NAMES`` prints method IDs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine import Compilation


@dataclass(frozen=True)
class QualityView:
    method: dict[str, str]  # subject -> printed method
    classification: dict[str, str]  # subject -> critical | major | minor
    owners: list = field(default_factory=list)  # the plan's owners: lot in pieces and FRI plan per class


def quality_view(comp: "Compilation") -> QualityView | None:
    """Method and class of every inspection item from the quality plan, or None without a quality package."""
    try:
        quality = importlib.import_module("techpack.quality")
        names = getattr(importlib.import_module("techpack.quality.methods"), "NAMES", {})
    except ImportError:
        return None
    build_plan = getattr(quality, "build_plan", None)
    if not callable(build_plan):
        return None
    plan = build_plan(comp)
    items = plan.all_items()
    return QualityView({i.subject: names.get(i.method, i.method) for i in items},
                       {i.subject: i.classification for i in items}, list(plan.owners))

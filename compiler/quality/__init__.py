"""The quality plan: inspection items, staged plan, AS9102 forms, QIF, batch record and labels.

Everything is derived from the compiled spec by :func:`build_plan`; the
renderers in :mod:`techpack.renderers.quality` only lay it out.  The rules are
documented in ``docs/quality.md``.
"""

from .plan import QualityPlan, build_plan

__all__ = ["QualityPlan", "build_plan"]

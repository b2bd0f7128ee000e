"""The quality plan: inspection items, staged plan, AS9102 forms, QIF, batch record and labels.

Everything is derived from the compiled spec by :func:`build_plan`; the
renderers in :mod:`techpack.renderers.quality` only lay it out.  The rules are
documented in ``docs/quality.md``.
"""

from __future__ import annotations

__all__ = ["QualityPlan", "build_plan"]


def __getattr__(name: str):
    """``QualityPlan`` and ``build_plan`` on first use (PEP 562): a reader of a filled form needs only
    :mod:`.fields`, not the plan and the spec schema behind it (seconds of import)."""
    if name in __all__:
        from . import plan  # noqa: PLC0415

        return getattr(plan, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

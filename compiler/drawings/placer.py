"""The placer: puts one view's annotation requests around it (see :mod:`.placing`)."""

from __future__ import annotations

from .place_dims import DimensionMixin
from .place_leaders import CalloutMixin
from .placing import (AngleReq, CalloutReq, DatumReq, LinearReq, Placed, PlacerCore, ThroughReq,
                      _seg_hits_box, _segs_cross)


class Placer(DimensionMixin, CalloutMixin, PlacerCore):
    """Dimensions, callouts and datum symbols around one view, nothing readable overlapping."""


__all__ = ["AngleReq", "CalloutReq", "DatumReq", "LinearReq", "Placed", "Placer", "ThroughReq",
           "_seg_hits_box", "_segs_cross"]

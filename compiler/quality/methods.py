"""Inspection methods: chosen from the feature type and the tolerance band (``docs/quality.md``).

A measurement must resolve its tolerance: the rule takes the simplest
instrument, in a fixed order per kind of requirement, whose typical expanded
uncertainty U is at most a quarter of the tolerance band (a test uncertainty
ratio of at least 4:1).  When none reaches 4:1 the most capable one is chosen
and the plan says so.  Requirements without a band (threads, roughness, notes,
documents) map to one method directly.
"""

from __future__ import annotations

from decimal import Decimal

from ..schema.spec import KNURL_NAMES, ROUND_FEATURES, FeatureType, GdtCharacteristic
from ..standards.y14_5 import in_report_unit
from .items import Item, fmt

TUR = 4
"""Minimum test uncertainty ratio: tolerance band / instrument uncertainty."""

UNCERTAINTY = {
    "caliper": Decimal("0.02"),
    "micrometer": Decimal("0.002"),
    "bore-gauge": Decimal("0.002"),
    "pin-gauge": Decimal("0.002"),
    "height-gauge": Decimal("0.01"),
    "dial-indicator": Decimal("0.002"),
    "radius-gauge": Decimal("0.05"),
    "cmm": Decimal("0.002"),
    "protractor": Decimal("0.0833"),  # degrees: a vernier bevel protractor reads 5'
}
"""Typical expanded uncertainty (k=2) of each instrument in workshop use, mm (protractor: degrees)."""

NAMES = {
    "caliper": "caliper", "micrometer": "micrometer", "bore-gauge": "bore gauge", "pin-gauge": "pin gauge",
    "thread-gauge": "thread gauge", "height-gauge": "height gauge", "dial-indicator": "dial indicator",
    "protractor": "protractor", "radius-gauge": "radius gauge", "cmm": "CMM", "profilometer": "profilometer",
    "coating-thickness-gauge": "coating thickness gauge", "torque-wrench": "torque wrench",
    "certificate-review": "certificate review", "visual": "visual",
}
"""How each method is printed."""

INTERNAL = frozenset({FeatureType.hole, FeatureType.bore, FeatureType.slot, FeatureType.keyway,
                      FeatureType.groove, FeatureType.pocket, FeatureType.thread})
FLAT_FORM = frozenset({GdtCharacteristic.flatness, GdtCharacteristic.straightness, GdtCharacteristic.parallelism})
RUNOUT = frozenset({GdtCharacteristic.circular_runout, GdtCharacteristic.total_runout})
DIRECT = {
    "thread": ("thread-gauge", "GO/NO-GO thread gauge"),
    "roughness": ("profilometer", "surface texture"),
    "note": ("visual", "requirement in words"),
    "material": ("certificate-review", "mill certificate against the material standard"),
    "finish": ("certificate-review", "finisher's certificate against the process specification"),
    "coating": ("coating-thickness-gauge", "coating thickness"),
    "torque": ("torque-wrench", "tightening torque"),
    "check": ("visual", "assembly check"),
    "purchased": ("certificate-review", "certificate of conformance to the standard"),
}


def choose(item: Item) -> tuple[str, str]:
    """The method for ``item`` and why (the rule, with the test uncertainty ratio where one applies).

    A requirement in words that states a length with a tolerance or limits (an
    assembly check ``21.5 ±0.15``, a note ``break edges 0.2-0.5 mm``) is measured
    like a length, never checked visually.  The ratio is worked in mm (the
    instruments' uncertainties are in mm); an inch requirement's basis shows inches too.
    """
    method, basis = _choose(item)
    return method, in_report_unit(basis, _unit(item))


def _unit(item: Item) -> str:
    if item.dim is not None:
        return item.dim.unit
    if item.frame is not None:
        return item.frame.tolerance.unit
    return item.value.unit if item.value is not None else ""


def _choose(item: Item) -> tuple[str, str]:
    if item.kind in ("check", "note") and item.value is not None and item.value.unit in ("mm", "in"):
        band = item.value.band
        if band is not None and item.value.unit == "in":
            band *= Decimal("25.4")
        text = item.requirement.lower()
        if any(w in text for w in ("edge", "radius", "fillet", "chamfer")):
            return _by_ratio(["radius-gauge", "caliper", "cmm"], band, "edge break or radius stated with limits")
        what = "length in an assembly check" if item.kind == "check" else "length stated in a note"
        return _by_ratio(["caliper", "height-gauge", "cmm"], band, what)
    if item.kind in DIRECT:
        return DIRECT[item.kind]
    if item.kind == "knurl" and item.feature is not None and item.feature.knurl is not None:
        k = item.feature.knurl
        return "visual", (f"comparison with a knurl sample {k.designation} ({KNURL_NAMES[k.pattern]}, pitch "
                          f"{format(k.pitch.base.normalize(), 'f')} mm)")
    if item.frame is not None:
        return _gdt(item)
    order, what = _order(item)
    band = _band(item)
    return _by_ratio(order, band, what, angle=item.dim is not None and item.dim.is_angle)


def _order(item: Item) -> tuple[list[str], str]:
    """Instruments to try, simplest first, for a dimensional requirement."""
    ftype = item.feature.type if item.feature is not None else None
    if item.kind == "location":
        return ["height-gauge", "cmm"], "location"
    if item.kind == "depth":
        return ["caliper", "micrometer", "cmm"], "depth"
    if item.kind == "size" and ftype in INTERNAL:
        if ftype in ROUND_FEATURES:
            small = item.dim is not None and item.dim.nominal_mm < 3
            return ["caliper", "pin-gauge" if small else "bore-gauge", "cmm"], "internal diameter"
        return ["caliper", "pin-gauge", "cmm"], "internal width"
    if item.kind == "length" and ftype in INTERNAL:
        return ["caliper", "cmm"], "internal length"
    if item.dimension_type == "angle" or (item.dim is not None and item.dim.is_angle):
        return ["protractor", "cmm"], "angle"
    if item.dimension_type == "radius":
        return ["radius-gauge", "cmm"], "radius"
    if item.dimension_type == "chamfer":
        return ["caliper", "cmm"], "chamfer"
    return ["caliper", "micrometer", "cmm"], "external size" if item.kind == "size" else "length"


def _band(item: Item) -> Decimal | None:
    if item.dim is None or item.dim.band is None:
        return None
    return item.dim.band if item.dim.is_angle else item.dim.mm(item.dim.band)


def _by_ratio(order: list[str], band: Decimal | None, what: str, angle: bool = False) -> tuple[str, str]:
    unit = "°" if angle else " mm"
    if band is None:  # one-sided limit (max/min): the simplest instrument of the kind
        return order[0], f"{what}, one-sided limit"
    for name in order:
        if band >= TUR * UNCERTAINTY[name]:
            return name, f"{what}: band {fmt(band)}{unit} ≥ {TUR} × U {fmt(UNCERTAINTY[name])}{unit}"
    best = order[-1]
    ratio = band / UNCERTAINTY[best]
    return best, (f"{what}: band {fmt(band)}{unit} is only {ratio:.1f} × U of the {NAMES[best]}; "
                  "TUR below 4:1, use a comparator or gauge of smaller uncertainty")


def _gdt(item: Item) -> tuple[str, str]:
    frame = item.frame
    assert frame is not None
    ch = frame.characteristic
    zone = frame.tolerance.base
    if ch in RUNOUT:
        return _by_ratio(["dial-indicator"], zone, f"{ch.value} (dial indicator, part turned on its datum)")
    if ch in FLAT_FORM and len(frame.datums) <= 1:
        return _by_ratio(["dial-indicator", "cmm"], zone, f"{ch.value} (surface plate and dial indicator)")
    return _by_ratio(["cmm"], zone, f"{ch.value} zone {fmt(zone)} mm")

"""Process capability indices Cp and Cpk (and the normal-tail ppm they imply).

Formulas follow the SAS/QC documentation: Cp = (USL - LSL) / 6 sigma,
Cpk = min(USL - mu, mu - LSL) / 3 sigma, one-sided CPU/CPL when a limit is missing.
No abs(): Cpk is negative when the mean lies outside the limits. Floats are used
here (this is statistics, not a tolerance table); compare against thresholds with
:func:`meets`, which allows for floating-point rounding.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .tables import StandardsError

__all__ = ["CPK_EPSILON", "cp", "cpk", "meets", "ppm_one_side"]

CPK_EPSILON = 1e-9

Number = float | int | Decimal


def _sigma(sigma: Number) -> float:
    value = float(sigma)
    if not math.isfinite(value) or value <= 0:
        raise StandardsError(f"The standard deviation must be a positive number, not {sigma!r}.")
    return value


def cp(usl: Number, lsl: Number, sigma: Number) -> float:
    """Return the potential capability Cp = (USL - LSL) / (6 sigma); both limits are required."""
    if usl is None or lsl is None:
        raise StandardsError("Cp needs both an upper and a lower specification limit.")
    s = _sigma(sigma)
    upper, lower = float(usl), float(lsl)
    if upper <= lower:
        raise StandardsError(f"The upper specification limit {usl} must be above the lower limit {lsl}.")
    return (upper - lower) / (6.0 * s)


def cpk(usl: Number | None, lsl: Number | None, mean: Number, sigma: Number) -> float:
    """Return Cpk = min(USL - mean, mean - LSL) / (3 sigma).

    With only one limit, return the one-sided index (CPU or CPL). The result is negative
    when the mean lies outside the limits (no abs()).
    """
    if usl is None and lsl is None:
        raise StandardsError("Cpk needs at least one specification limit.")
    s = _sigma(sigma)
    mu = float(mean)
    sides = []
    if usl is not None:
        sides.append((float(usl) - mu) / (3.0 * s))
    if lsl is not None:
        sides.append((mu - float(lsl)) / (3.0 * s))
    if usl is not None and lsl is not None and float(usl) <= float(lsl):
        raise StandardsError(f"The upper specification limit {usl} must be above the lower limit {lsl}.")
    return min(sides)


def meets(index: float, threshold: float) -> bool:
    """Return True when a capability index reaches a threshold, allowing CPK_EPSILON of rounding.

    E.g. a computed 1.3333333333 meets 4/3 even if floating point lands a hair below.
    """
    return float(index) >= float(threshold) - CPK_EPSILON


def ppm_one_side(index: float) -> float:
    """Return the expected out-of-spec parts per million on one side: 1e6 * Phi(-3 * index).

    Assumes a normal distribution; Cpk 1.0 gives about 1350 ppm, 4/3 about 31.7 ppm.
    """
    z = 3.0 * float(index)
    return 1e6 * 0.5 * math.erfc(z / math.sqrt(2.0))


# ---------------------------------------------------------------- exact indices for the capability check

from dataclasses import dataclass, field  # noqa: E402
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, localcontext  # noqa: E402
from fractions import Fraction  # noqa: E402


@dataclass(frozen=True)
class Index:
    """An exact capability index ``num / sqrt(den2)`` (rational ``num``, ``den2``).

    A prediction from one machine is rational (``den2`` a square); a stack of
    operations adds sigmas by RSS, so its denominator is a square root.  Every
    comparison with a threshold is exact (squares are compared, no rounding),
    so a Cpk of exactly 1.33 meets 1.33 and 1.3299… does not.  Only the
    printed value is rounded (:func:`shown`).
    """

    num: Fraction
    den2: Fraction
    _known: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)
    """Answers of :meth:`ge` already found (one index is compared with the same few thresholds many times)."""

    def ge(self, threshold: Decimal | Fraction | int) -> bool:
        """``self >= threshold``, exactly."""
        found = self._known.get(threshold)
        if found is None:
            found = self._known[threshold] = _ge(self.num, self.den2, threshold)
        return found

    def lt(self, threshold: Decimal | Fraction | int) -> bool:
        return not self.ge(threshold)

    def decimal(self, places: int = 28) -> Decimal:
        """The value as a Decimal with ``places`` significant digits (display and sorting only)."""
        with localcontext() as c:
            c.prec = places + 4
            num = Decimal(self.num.numerator) / Decimal(self.num.denominator)
            den = (Decimal(self.den2.numerator) / Decimal(self.den2.denominator)).sqrt()
            c.prec = places
            return +(num / den)


def _ge(num: Fraction, den2: Fraction, threshold: Decimal | Fraction | int) -> bool:
    t = Fraction(threshold)
    if num >= 0:
        return t <= 0 or num * num >= t * t * den2
    return t < 0 and num * num <= t * t * den2


def shown(value: Index, threshold: Decimal, places: int = 2, scale: int = 1) -> str:
    """``value`` with enough decimals that the printed number compares with ``threshold`` as the exact one does.

    Rounded half-even to ``places`` decimals; when that would print a failing
    Cpk as the threshold (1.3267 as "1.33" against 1.33) or a passing one
    below it, one more decimal is added (up to four more), then the last is
    rounded towards the verdict.  ``scale`` multiplies for display (100: per cent).
    """
    passes = value.ge(threshold)
    exact = value.decimal(34) * scale
    if exact.adjusted() > 20:  # far from any threshold: no rounding question
        return format(exact.normalize(), "E" if exact.adjusted() > 27 else "f")
    t = Decimal(threshold) * scale
    for p in range(places, places + 5):
        q = exact.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_EVEN)
        if (q >= t) == passes:
            return _plain(q)
    q = exact.quantize(Decimal(1).scaleb(-(places + 4)), rounding=ROUND_CEILING if passes else ROUND_FLOOR)
    return _plain(q)


def _plain(q: Decimal) -> str:
    text = format(q, "f")
    return text[1:] if text.startswith("-") and q == 0 else text

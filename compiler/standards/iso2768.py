"""ISO 2768-1 (general tolerances for linear and angular dimensions) and ISO 2768-2
(general geometrical tolerances), as exact :class:`~decimal.Decimal` values.

ISO 2768-1 classes are lower case f, m, c, v; ISO 2768-2 classes upper case H, K, L.
Size ranges are "over A up to and including B", except that the first linear and
radius/chamfer range starts *at* 0.5 mm (0.5 mm itself is covered). ISO 2768-2 was
withdrawn in 2021 (ISO 22081), but drawings citing "ISO 2768-mK" still mean these values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .tables import StandardsError, cell_decimal, load_table, to_decimal

__all__ = [
    "StandardsError",
    "LINEAR_CLASSES",
    "GEOMETRIC_CLASSES",
    "parse_general_class",
    "linear_pm",
    "radius_chamfer_pm",
    "angular_pm_arcmin",
    "straightness_flatness",
    "perpendicularity",
    "symmetry",
    "circular_runout",
]

LINEAR_FILE = "iso2768-1_linear_pm_mm.csv"
RADIUS_FILE = "iso2768-1_radius_chamfer_pm_mm.csv"
ANGULAR_FILE = "iso2768-1_angular_by_shorter_leg_arcmin.csv"
GEOMETRIC_FILE = "iso2768-2_geometric_mm.csv"

LINEAR_CLASSES: tuple[str, ...] = ("f", "m", "c", "v")
GEOMETRIC_CLASSES: tuple[str, ...] = ("H", "K", "L")

_HALF = Decimal("0.5")
_INF = Decimal("Infinity")

# Ranges are (over, up_to, includes_lower_bound).
_Range = tuple[Decimal, Decimal, bool]


def _parse_header(label: str) -> _Range:
    if label.startswith("<="):
        return Decimal(0), Decimal(label[2:]), False
    if label.startswith(">"):
        return Decimal(label[1:]), _INF, False
    low, high = (Decimal(part) for part in label.split("-"))
    # ISO 2768-1: the first range is "from 0.5 up to 3" and includes 0.5 mm.
    return low, high, low == _HALF


def _locate(ranges: tuple[_Range, ...], size: Decimal) -> int | None:
    for index, (low, high, closed) in enumerate(ranges):
        if (low <= size if closed else low < size) and size <= high:
            return index
    return None


@lru_cache(maxsize=None)
def _class_table(filename: str) -> tuple[tuple[_Range, ...], dict[str, tuple[Decimal | None, ...]]]:
    table = load_table(filename)
    ranges = tuple(_parse_header(label) for label in table.header[1:])
    values = {row[0]: tuple(cell_decimal(cell) for cell in row[1:]) for row in table.rows}
    return ranges, values


@lru_cache(maxsize=None)
def _geometric_table() -> dict[tuple[str, str], tuple[tuple[Decimal, Decimal, Decimal], ...]]:
    table = load_table(GEOMETRIC_FILE)
    c_table, c_class = table.column("table"), table.column("class")
    c_over, c_upto, c_tol = table.column("over_mm"), table.column("upto_mm"), table.column("tolerance_mm")
    result: dict[tuple[str, str], list[tuple[Decimal, Decimal, Decimal]]] = {}
    for row in table.rows:
        over = Decimal(row[c_over]) if row[c_over] else Decimal(0)
        upto = Decimal(row[c_upto]) if row[c_upto] else _INF
        result.setdefault((row[c_table], row[c_class]), []).append((over, upto, Decimal(row[c_tol])))
    return {key: tuple(rows) for key, rows in result.items()}


def _linear_class(cls: str) -> str:
    if cls not in LINEAR_CLASSES:
        raise StandardsError(
            f"{cls!r} is not an ISO 2768-1 tolerance class; the classes are f, m, c and v (lower case)."
        )
    return cls


def _geometric_class(cls: str) -> str:
    if cls not in GEOMETRIC_CLASSES:
        raise StandardsError(
            f"{cls!r} is not an ISO 2768-2 tolerance class; the classes are H, K and L (upper case)."
        )
    return cls


_CLASS_RE = re.compile(
    r"(?:(?:DIN|EN|BS|NF|UNE)\s+)*(?:ISO\s*)?2768\s*-?\s*([fmcv])?\s*-?\s*([HKL])?"
)


def parse_general_class(text: str) -> tuple[str | None, str | None]:
    """Parse a general-tolerance callout such as "ISO 2768-mK" into (linear class, geometric class).

    "ISO 2768-mK" -> ("m", "K"); "ISO 2768-m" -> ("m", None); "2768-fH" -> ("f", "H");
    "ISO 2768-K" -> (None, "K"). Case matters (f m c v lower, H K L upper); anything
    else raises StandardsError.
    """
    if isinstance(text, str):
        match = _CLASS_RE.fullmatch(text.strip())
        if match and (match.group(1) or match.group(2)):
            return match.group(1), match.group(2)
    raise StandardsError(
        f"{text!r} is not an ISO 2768 general-tolerance callout such as 'ISO 2768-mK' "
        "(linear class f, m, c or v in lower case; geometric class H, K or L in upper case)."
    )


def _positive(value: Decimal | int | str, what: str) -> Decimal:
    number = to_decimal(value, what)
    if number <= 0:
        raise StandardsError(f"The {what} must be positive, not {number} mm.")
    return number


def linear_pm(cls: str, size_mm: Decimal) -> Decimal | None:
    """Return the ISO 2768-1 permissible deviation (± mm) of a linear size.

    None where the standard defines no value (below 0.5 mm, class v at 0.5-3 mm,
    class f above 2000 mm): the tolerance must then be stated on the dimension.
    Sizes above 4000 mm raise StandardsError.
    """
    _linear_class(cls)
    size = _positive(size_mm, "nominal size")
    ranges, values = _class_table(LINEAR_FILE)
    if size > ranges[-1][1]:
        raise StandardsError(f"ISO 2768-1 covers linear sizes up to 4000 mm; {size} mm is outside it.")
    index = _locate(ranges, size)
    return None if index is None else values[cls][index]


def radius_chamfer_pm(cls: str, size_mm: Decimal) -> Decimal | None:
    """Return the ISO 2768-1 permissible deviation (± mm) of an external radius or chamfer height.

    None below 0.5 mm (the standard defines no value there).
    """
    _linear_class(cls)
    size = _positive(size_mm, "radius or chamfer height")
    ranges, values = _class_table(RADIUS_FILE)
    index = _locate(ranges, size)
    return None if index is None else values[cls][index]


def angular_pm_arcmin(cls: str, shorter_leg_mm: Decimal) -> Decimal:
    """Return the ISO 2768-1 angular deviation (± arc-minutes) for the shorter leg length."""
    _linear_class(cls)
    size = _positive(shorter_leg_mm, "shorter leg length")
    ranges, values = _class_table(ANGULAR_FILE)
    index = _locate(ranges, size)
    assert index is not None  # the table covers every positive length
    value = values[cls][index]
    assert value is not None
    return value


def _geometric(table: str, cls: str, length: Decimal | int | str, what: str, title: str) -> Decimal:
    _geometric_class(cls)
    size = _positive(length, what)
    for over, upto, tol in _geometric_table()[(table, cls)]:
        if over < size <= upto:
            return tol
    raise StandardsError(f"ISO 2768-2 {title} tolerances cover lengths up to 3000 mm; {size} mm is outside it.")


def straightness_flatness(cls: str, length_mm: Decimal) -> Decimal:
    """Return the ISO 2768-2 straightness/flatness tolerance (mm).

    ``length_mm`` is the length of the line (straightness) or the longer side of the
    surface or its diameter (flatness).
    """
    return _geometric("straightness_flatness", cls, length_mm, "length", "straightness and flatness")


def perpendicularity(cls: str, shorter_side_mm: Decimal) -> Decimal:
    """Return the ISO 2768-2 perpendicularity tolerance (mm) for the shorter side."""
    return _geometric("perpendicularity", cls, shorter_side_mm, "shorter side length", "perpendicularity")


def symmetry(cls: str, length_mm: Decimal) -> Decimal:
    """Return the ISO 2768-2 symmetry tolerance (mm) for the feature length."""
    return _geometric("symmetry", cls, length_mm, "length", "symmetry")


def circular_runout(cls: str) -> Decimal:
    """Return the ISO 2768-2 circular run-out tolerance (mm); it does not depend on size."""
    _geometric_class(cls)
    (_, _, tol), = _geometric_table()[("circular_runout", cls)]
    return tol

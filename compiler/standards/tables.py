"""Loading of the packaged standards tables (CSV files under ``techpack/standards/data``).

The tables are read through :mod:`importlib.resources`, so they work from a source
checkout, an editable install and an installed wheel alike. Each file is parsed once,
on first use, and cached; the parsed form is immutable (tuples) so callers cannot
corrupt the cache. Only the standard library is imported here.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

__all__ = [
    "StandardsError",
    "Table",
    "load_table",
    "to_decimal",
    "cell_decimal",
]

_PACKAGE = "techpack.standards"
_DATA_DIR = "data"


class StandardsError(ValueError):
    """A value or code that the standard does not define, or an input that cannot be read.

    The message is always a full human sentence, e.g.
    "K9 is not defined above 3 mm in ISO 286-1".
    """


class Table:
    """An immutable parsed CSV table: a header tuple and row tuples of raw strings."""

    __slots__ = ("name", "header", "rows")

    def __init__(self, name: str, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
        self.name = name
        self.header = header
        self.rows = rows

    def column(self, name: str) -> int:
        """Return the index of the column called ``name`` (StandardsError if absent)."""
        try:
            return self.header.index(name)
        except ValueError:
            raise StandardsError(f"The table {self.name} has no column {name!r}.") from None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Table({self.name!r}, {len(self.rows)} rows)"


@lru_cache(maxsize=None)
def load_table(filename: str) -> Table:
    """Read ``data/<filename>`` from the installed package once and return it as a :class:`Table`.

    Rows are padded with empty strings to the header width so every row can be
    indexed by any header position.
    """
    resource = resources.files(_PACKAGE).joinpath(_DATA_DIR).joinpath(filename)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StandardsError(f"The standards table {filename} is missing from the installed package.") from None
    reader = csv.reader(io.StringIO(text))
    all_rows = [row for row in reader if row and any(cell.strip() for cell in row)]
    if not all_rows:
        raise StandardsError(f"The standards table {filename} is empty.")
    header = tuple(cell.strip() for cell in all_rows[0])
    width = len(header)
    rows = tuple(
        tuple(cell.strip() for cell in row) + ("",) * (width - len(row))
        for row in all_rows[1:]
    )
    return Table(filename, header, rows)


def to_decimal(value: Decimal | int | str | float, what: str = "value") -> Decimal:
    """Convert a user-supplied number to an exact :class:`~decimal.Decimal`.

    Integers, strings and Decimals convert exactly. Floats go through ``repr`` so that
    ``12.5`` becomes ``Decimal("12.5")`` rather than its binary expansion. Booleans,
    NaN, infinities and unreadable strings raise :class:`StandardsError`.
    """
    if isinstance(value, bool):
        raise StandardsError(f"The {what} must be a number, not {value!r}.")
    try:
        if isinstance(value, Decimal):
            result = value
        elif isinstance(value, int):
            result = Decimal(value)
        elif isinstance(value, float):
            result = Decimal(repr(value))
        elif isinstance(value, str):
            result = Decimal(value.strip().replace(",", "."))
        else:
            raise StandardsError(f"The {what} must be a number, not {value!r}.")
    except InvalidOperation:
        raise StandardsError(f"The {what} {value!r} is not a number.") from None
    if not result.is_finite():
        raise StandardsError(f"The {what} must be a finite number, not {value!r}.")
    return result


def cell_decimal(cell: str) -> Decimal | None:
    """Parse a table cell: an empty cell means "not defined" and gives ``None``."""
    cell = cell.strip()
    if not cell:
        return None
    return Decimal(cell)

"""Diagnostics are data: a code, a severity, a message and where it applies.

Every stage (YAML loading, schema validation, checks) appends to one
:class:`Diagnostics` collection; nothing raises on a user's mistake.  The
catalogue of codes lives in :mod:`techpack.catalogue`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple


class Severity(str, enum.Enum):
    """How bad a finding is.  Ordered: error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Location(NamedTuple):
    """A 1-based position in a source file (a tuple: cheap to make for every YAML node)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def relative_to(self, base: Path) -> "Location":
        try:
            rel = Path(self.file).resolve().relative_to(base.resolve())
        except ValueError:
            return self
        return self._replace(file=str(rel))


@dataclass(frozen=True)
class Diagnostic:
    """One finding.

    ``subject`` names the thing it concerns, as a stable path such as
    ``TP-1001-01/bore`` (part number / feature id); waivers match on it.
    """

    code: str
    severity: Severity
    message: str
    location: Location | None = None
    subject: str | None = None
    waiver: "WaiverNote | None" = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def sort_key(self) -> tuple:
        loc = self.location or Location("")
        return (loc.file, loc.line, loc.column, self.code, self.message)


@dataclass(frozen=True)
class WaiverNote:
    """Why a finding does not count: the waiver's reason, owner and where it is written."""

    reason: str
    owner: str
    location: Location | None = None


@dataclass
class Diagnostics:
    """An ordered, append-only collection of diagnostics."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        location: Location | None = None,
        *,
        subject: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """Record a finding; the severity defaults to the catalogue's for ``code``."""
        from .catalogue import CATALOGUE

        if severity is None:
            severity = CATALOGUE[code].severity
        diag = Diagnostic(code, severity, message, location, subject)
        self.items.append(diag)
        return diag

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)

    def counting(self, severity: Severity) -> list[Diagnostic]:
        """The findings of ``severity`` that count (not waived)."""
        return [d for d in self.items if d.severity is severity and not d.waived]

    @property
    def has_errors(self) -> bool:
        return bool(self.counting(Severity.ERROR))

    def codes(self) -> list[str]:
        return [d.code for d in self.sorted()]

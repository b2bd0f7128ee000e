"""What a filled record says, before it is checked against the registered revision.

The readers (:mod:`.pdfform`, :mod:`.csvdata`) produce a :class:`Record`;
:mod:`.ingest` validates it against the spec and stores it whole or not at all.
Every value keeps where it came from (``file:page N:field`` or ``file:line N:column``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

MAX_BYTES = 50 * 1024 * 1024
"""Largest record file read (bytes): a filled 300-unit batch record is a few MB."""


@dataclass
class Value:
    text: str
    where: str


@dataclass
class LotEntry:
    kind: str  # material | purchased
    item: str
    code: str
    heat: str
    cert: str
    pieces: tuple[int, int] | None
    where: str


@dataclass
class Reading:
    subject: str  # part/characteristic ID
    stage: str
    value: Value
    unit: str = ""  # unit written beside the value (CSV column or suffix); "" = none given
    serial: str = ""
    piece: int | None = None
    measured_at: str = ""
    machine: str = ""
    operator: str = ""
    measured_where: str = ""  # where measured_at is written, when not beside the value


@dataclass
class Record:
    path: str
    kind: str  # pdf | csv
    sha256: str
    product: str = ""
    revision: str = ""
    spec_sha256: str = ""
    batch: dict[str, Value] = field(default_factory=dict)
    stages: list[dict[str, Value | str]] = field(default_factory=list)
    lots: list[LotEntry] = field(default_factory=list)
    params: list[tuple[str, Value, Value]] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    ncrs: list[dict[str, Value]] = field(default_factory=list)
    unit_status: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # serial -> (status, shipment, where)
    shipments: dict[str, dict[str, Value]] = field(default_factory=dict)  # shipment -> shipped_at, destination
    inline: dict[str, dict[str, Value]] = field(default_factory=dict)  # subject -> first, last, checks, failed, ncr
    fri: dict[tuple[str, str], dict[str, Value]] = field(default_factory=dict)  # (part, class) -> counts, decision
    fri_counts: dict[str, Value] = field(default_factory=dict)  # subject -> FRI pieces nonconforming
    gates: dict[str, dict[str, Value]] = field(default_factory=dict)  # gate -> its fields (approved, by, date, …)
    unit_lots: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # serial -> [(lot code, where)]
    limits: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # subject -> [(lsl, usl, where)]
    problems: list[str] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def parse_when(text: str) -> str | None:
    """ISO-8601 date or date-time → normalised text (``2026-03-02`` or ``2026-03-02T08:30:00``); None if not."""
    text = text.strip().rstrip("Z")
    for fmt in _DATE_FORMATS:
        try:
            dt = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return dt.date().isoformat() if fmt == "%Y-%m-%d" else dt.isoformat()
    return None


def day(when: str) -> date:
    return date.fromisoformat(when[:10])


_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*([^\d\s].*?)?\s*$")
UNIT_ALIASES = {"um": "µm", "μm": "µm", "micron": "µm", "microns": "µm", "millimetre": "mm", "millimeter": "mm",
                "°": "deg", "degree": "deg", "degrees": "deg"}


def parse_number(text: str) -> tuple[Decimal, str] | None:
    """``"12.004"`` / ``"12,004 mm"`` → (Decimal, unit written or ""); None when not a number."""
    m = _NUMBER.match(text)
    if not m:
        return None
    try:
        value = Decimal(m.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    u = (m.group(2) or "").strip()
    return value, UNIT_ALIASES.get(u, u)


_LOT = re.compile(r"^\s*(?P<code>[^\[\]]+?)\s*(?:\[\s*(?P<a>\d+)\s*(?:-|–|\.\.)\s*(?P<b>\d+)\s*\])?\s*$")


def parse_lots(text: str) -> list[tuple[str, tuple[int, int] | None]] | None:
    """``"L-1"`` or ``"L-1 [1-150]; L-2 [151-300]"`` → [(code, piece range or None)]; None if malformed."""
    out = []
    for part in text.split(";"):
        if not part.strip():
            continue
        m = _LOT.match(part)
        if not m:
            return None
        rng = (int(m["a"]), int(m["b"])) if m["a"] else None
        if rng and rng[0] > rng[1]:
            return None
        out.append((m["code"], rng))
    return out

"""The traceability store's tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL.

The model follows ISA-95 / B2MML in small: a *revision* is the material
definition of the product; a *batch* is a production response; a
*stage_run* is a segment response (start, end, equipment, operator); a
*lot* is a material or purchased-item lot (heat, certificate); a *unit* is
a serialised piece, and ``lot_use`` records which lots each unit consumed.
Genealogy is one hop (lot → unit), so plain joins answer it in both
databases (no recursive walk).  Measurements keep the value as written
(``value_text``, exact) and as a number for statistics; ``status`` is
computed from the spec's limits at import, never read from the form.
A *shipment* (ID, date, destination) holds units (``shipment_unit``); the
batch record's in-line QC lines, FRI counts per class and characteristic and
its gate sign-offs are rows of their batch, checked before they are stored
(:mod:`.batchchecks`) against the FRI plan registered with the pack.
Times are ISO-8601 text: identical in both databases and sortable.

Every change to these tables is an Alembic migration in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

store_info = Table(
    "techpack_store", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Marks the database as a techpack store (``app = techpack``)."""

revision = Table(
    "revision", metadata,
    Column("id", Integer, primary_key=True),
    Column("product", String(200), nullable=False),
    Column("revision", String(50), nullable=False),
    Column("spec_sha256", String(64), nullable=False),
    Column("source_date", String(40)),
    Column("manifest", Text, nullable=False),
    Column("registered_at", String(40), nullable=False),
    UniqueConstraint("product", "revision"),
)

characteristic = Table(
    "characteristic", metadata,
    Column("id", Integer, primary_key=True),
    Column("revision_id", Integer, ForeignKey("revision.id"), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("part", String(200), nullable=False),
    Column("char_id", String(200), nullable=False),
    Column("type", String(60), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("nominal", String(60), nullable=False, default=""),
    Column("lsl", String(60), nullable=False, default=""),
    Column("usl", String(60), nullable=False, default=""),
    Column("unit", String(20), nullable=False, default=""),
    Column("key", Boolean, nullable=False, default=False),
    Column("classification", String(20), nullable=False, default=""),
    UniqueConstraint("revision_id", "subject"),
)

source = Table(
    "source", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("imported_at", String(40), nullable=False),
)
"""One imported file; its hash makes re-imports no-ops."""

batch = Table(
    "batch", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(100), nullable=False, unique=True),
    Column("revision_id", Integer, ForeignKey("revision.id"), nullable=False),
    Column("po", String(100), nullable=False, default=""),
    Column("qty_started", Integer),
    Column("qty_good", Integer),
    Column("started_at", String(40)),
    Column("ended_at", String(40)),
    Column("source_id", Integer, ForeignKey("source.id")),
)

unit = Table(
    "unit", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("batch.id"), nullable=False),
    Column("serial", String(100), nullable=False, unique=True),
    Column("piece", Integer),
    Column("status", String(20), nullable=False, default="in stock"),
    Index("ix_unit_batch", "batch_id"),
)

shipment = Table(
    "shipment", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(100), nullable=False, unique=True),
    Column("shipped_at", String(40)),
    Column("destination", String(200), nullable=False, default=""),
)
"""A shipment (ID, date, customer or destination); which units it holds is ``shipment_unit``."""

shipment_unit = Table(
    "shipment_unit", metadata,
    Column("shipment_id", Integer, ForeignKey("shipment.id"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id"), primary_key=True),
    Index("ix_shipment_unit_unit", "unit_id"),
)

stage_run = Table(
    "stage_run", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("batch.id"), nullable=False),
    Column("stage", String(100), nullable=False),
    Column("started_at", String(40)),
    Column("ended_at", String(40)),
    Column("equipment", String(100), nullable=False, default=""),
    Column("operator", String(100), nullable=False, default=""),
    Column("signoff", String(100), nullable=False, default=""),
    UniqueConstraint("batch_id", "stage"),
    Index("ix_stage_equipment", "equipment"),
    Index("ix_stage_operator", "operator"),
)

lot = Table(
    "lot", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # material | purchased
    Column("item", String(200), nullable=False),  # material ID or BOM item
    Column("code", String(100), nullable=False),
    Column("heat", String(100), nullable=False, default=""),
    Column("cert", String(200), nullable=False, default=""),
    UniqueConstraint("kind", "item", "code"),
    Index("ix_lot_code", "code"),
    Index("ix_lot_heat", "heat"),
)

lot_use = Table(
    "lot_use", metadata,
    Column("lot_id", Integer, ForeignKey("lot.id"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id"), primary_key=True),
    Index("ix_lot_use_unit", "unit_id"),
)

parameter = Table(
    "parameter", metadata,
    Column("batch_id", Integer, ForeignKey("batch.id"), primary_key=True),
    Column("param_id", String(100), primary_key=True),
    Column("actual", String(100), nullable=False),
    Column("recorded_by", String(100), nullable=False, default=""),
)

measurement = Table(
    "measurement", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False),
    Column("characteristic_id", Integer, ForeignKey("characteristic.id"), nullable=False),
    Column("stage", String(40), nullable=False),
    Column("value", Float),
    Column("value_text", String(60), nullable=False),
    Column("status", String(10), nullable=False),  # pass | fail | recorded
    Column("measured_at", String(40)),
    Column("machine", String(100), nullable=False, default=""),
    Column("operator", String(100), nullable=False, default=""),
    Column("source_id", Integer, ForeignKey("source.id"), nullable=False),
    Index("ix_measurement_unit", "unit_id"),
    Index("ix_measurement_char", "characteristic_id", "machine"),
)

unit_process = Table(
    "unit_process", metadata,
    Column("unit_id", Integer, ForeignKey("unit.id"), primary_key=True),
    Column("machine", String(100), primary_key=True),
    Column("operator", String(100), primary_key=True),
    Column("first_at", String(40)),
    Column("last_at", String(40)),
    Index("ix_unit_process_machine", "machine", "first_at"),
    Index("ix_unit_process_operator", "operator", "first_at"),
)
"""Machine and operator per unit as measurement files name them (a batch record names them per stage):
one row per unit × machine × operator, so containment never scans the measurements."""

issue = Table(
    "issue", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # ncr | deviation
    Column("number", String(100), nullable=False, unique=True),
    Column("revision_id", Integer, ForeignKey("revision.id"), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("batch_id", Integer, ForeignKey("batch.id")),
    Column("description", Text, nullable=False, default=""),
    Column("disposition", String(100), nullable=False, default=""),
    Column("status", String(10), nullable=False, default="open"),
    Column("opened_at", String(40), nullable=False),
    Column("closed_at", String(40)),
    Column("closed_note", Text, nullable=False, default=""),
    Column("source_id", Integer, ForeignKey("source.id")),
    Index("ix_issue_revision", "revision_id", "subject"),
)
"""NCRs (from batch records) and deviations (``techpack deviations add``), one log."""


fri_plan = Table(
    "fri_plan", metadata,
    Column("revision_id", Integer, ForeignKey("revision.id"), primary_key=True),
    Column("part", String(200), primary_key=True),
    Column("classification", String(20), primary_key=True),
    Column("sample_size", Integer),  # None: 100 % (every piece of the lot)
    Column("ac", Integer, nullable=False),
    Column("re", Integer, nullable=False),
)
"""The registered pack's final random inspection per part and characteristic class (``plan.csv`` stage_fri):
ISO 2859-1 single sampling, normal inspection."""

inline_check = Table(
    "inline_check", metadata,
    Column("batch_id", Integer, ForeignKey("batch.id"), primary_key=True),
    Column("characteristic_id", Integer, ForeignKey("characteristic.id"), primary_key=True),
    Column("first_value", String(60), nullable=False, default=""),
    Column("first_status", String(10), nullable=False, default=""),
    Column("last_value", String(60), nullable=False, default=""),
    Column("last_status", String(10), nullable=False, default=""),
    Column("checks", Integer),
    Column("failed", Integer),
    Column("ncr", String(100), nullable=False, default=""),
)
"""A batch record's in-line QC row: first and last piece (judged against the limits), checks done and failed."""

fri_result = Table(
    "fri_result", metadata,
    Column("batch_id", Integer, ForeignKey("batch.id"), primary_key=True),
    Column("part", String(200), primary_key=True),
    Column("classification", String(20), primary_key=True),
    Column("inspected", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("sample_size", Integer),
    Column("ac", Integer, nullable=False),
    Column("re", Integer, nullable=False),
    Column("decision", String(10), nullable=False),  # accept | reject
)
"""FRI per class: pieces inspected, conforming (accepted) and nonconforming (rejected), the plan's n, Ac and Re,
and the decision, checked against the counts."""

fri_count = Table(
    "fri_count", metadata,
    Column("batch_id", Integer, ForeignKey("batch.id"), primary_key=True),
    Column("characteristic_id", Integer, ForeignKey("characteristic.id"), primary_key=True),
    Column("nonconforming", Integer, nullable=False),
)
"""FRI: pieces of the sample nonconforming in one characteristic."""

gate = Table(
    "gate", metadata,
    Column("batch_id", Integer, ForeignKey("batch.id"), primary_key=True),
    Column("gate", String(20), primary_key=True),  # pp | fai | fri | release
    Column("decision", String(20), nullable=False, default=""),  # approved | passed | accept | reject | released
    Column("reference", String(100), nullable=False, default=""),  # the FAIR number of the FAI gate
    Column("signed_by", String(100), nullable=False, default=""),
    Column("signed_at", String(40)),
)
"""The batch record's go/no-go gates with their sign-off."""

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
    Column("shipment", String(100), nullable=False, default=""),
    Index("ix_unit_batch", "batch_id"),
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

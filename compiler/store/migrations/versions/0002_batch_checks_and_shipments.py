"""batch record checks (in-line, FRI, gates), the FRI plan, shipments as their own table

Revision ID: 0002
Revises: 0001

Shipments move out of ``unit.shipment`` (a reference text per unit) into ``shipment``
(one row per distinct reference; date and destination unknown for the moved ones) and
``shipment_unit``; the column is dropped.  ``unit.status`` (in stock / shipped /
scrapped) stays on the unit.  Downgrade puts the references back on the units.
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shipment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('shipped_at', sa.String(length=40), nullable=True),
    sa.Column('destination', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('shipment_unit',
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('shipment_id', 'unit_id')
    )
    with op.batch_alter_table('shipment_unit', schema=None) as batch_op:
        batch_op.create_index('ix_shipment_unit_unit', ['unit_id'], unique=False)

    # move the references: one shipment per distinct text, every unit that named it linked to it
    op.execute("INSERT INTO shipment (code, shipped_at, destination) "
               "SELECT DISTINCT shipment, NULL, '' FROM unit WHERE shipment <> ''")
    op.execute("INSERT INTO shipment_unit (shipment_id, unit_id) "
               "SELECT s.id, u.id FROM unit u JOIN shipment s ON s.code = u.shipment")
    # plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy of `unit` would drop the table that
    # measurements and lots refer to, which SQLite's foreign keys refuse inside the migration's transaction
    op.execute("ALTER TABLE unit DROP COLUMN shipment")

    op.create_table('fri_plan',
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=200), nullable=False),
    sa.Column('classification', sa.String(length=20), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=True),
    sa.Column('ac', sa.Integer(), nullable=False),
    sa.Column('re', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], ),
    sa.PrimaryKeyConstraint('revision_id', 'part', 'classification')
    )
    op.create_table('inline_check',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('characteristic_id', sa.Integer(), nullable=False),
    sa.Column('first_value', sa.String(length=60), nullable=False),
    sa.Column('first_status', sa.String(length=10), nullable=False),
    sa.Column('last_value', sa.String(length=60), nullable=False),
    sa.Column('last_status', sa.String(length=10), nullable=False),
    sa.Column('checks', sa.Integer(), nullable=True),
    sa.Column('failed', sa.Integer(), nullable=True),
    sa.Column('ncr', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.ForeignKeyConstraint(['characteristic_id'], ['characteristic.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'characteristic_id')
    )
    op.create_table('fri_result',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=200), nullable=False),
    sa.Column('classification', sa.String(length=20), nullable=False),
    sa.Column('inspected', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=True),
    sa.Column('ac', sa.Integer(), nullable=False),
    sa.Column('re', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'part', 'classification')
    )
    op.create_table('fri_count',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('characteristic_id', sa.Integer(), nullable=False),
    sa.Column('nonconforming', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.ForeignKeyConstraint(['characteristic_id'], ['characteristic.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'characteristic_id')
    )
    op.create_table('gate',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('gate', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('signed_by', sa.String(length=100), nullable=False),
    sa.Column('signed_at', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'gate')
    )


def downgrade() -> None:
    op.drop_table('gate')
    op.drop_table('fri_count')
    op.drop_table('fri_result')
    op.drop_table('inline_check')
    op.drop_table('fri_plan')
    op.execute("ALTER TABLE unit ADD COLUMN shipment VARCHAR(100) NOT NULL DEFAULT ''")
    op.execute("UPDATE unit SET shipment = (SELECT MIN(s.code) FROM shipment s JOIN shipment_unit su "
               "ON su.shipment_id = s.id WHERE su.unit_id = unit.id) "
               "WHERE id IN (SELECT unit_id FROM shipment_unit)")
    with op.batch_alter_table('shipment_unit', schema=None) as batch_op:
        batch_op.drop_index('ix_shipment_unit_unit')
    op.drop_table('shipment_unit')
    op.drop_table('shipment')

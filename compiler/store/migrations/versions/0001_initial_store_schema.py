"""initial store schema

Revision ID: 0001
Revises: 
"""

from alembic import op
import sqlalchemy as sa

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('heat', sa.String(length=100), nullable=False),
    sa.Column('cert', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'item', 'code')
    )
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.create_index('ix_lot_code', ['code'], unique=False)
        batch_op.create_index('ix_lot_heat', ['heat'], unique=False)

    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.String(length=50), nullable=False),
    sa.Column('spec_sha256', sa.String(length=64), nullable=False),
    sa.Column('source_date', sa.String(length=40), nullable=True),
    sa.Column('manifest', sa.Text(), nullable=False),
    sa.Column('registered_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('product', 'revision')
    )
    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    op.create_table('techpack_store',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('po', sa.String(length=100), nullable=False),
    sa.Column('qty_started', sa.Integer(), nullable=True),
    sa.Column('qty_good', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.String(length=40), nullable=True),
    sa.Column('ended_at', sa.String(length=40), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('characteristic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('part', sa.String(length=200), nullable=False),
    sa.Column('char_id', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('nominal', sa.String(length=60), nullable=False),
    sa.Column('lsl', sa.String(length=60), nullable=False),
    sa.Column('usl', sa.String(length=60), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('key', sa.Boolean(), nullable=False),
    sa.Column('classification', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('revision_id', 'subject')
    )
    op.create_table('issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('disposition', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.String(length=40), nullable=False),
    sa.Column('closed_at', sa.String(length=40), nullable=True),
    sa.Column('closed_note', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('issue', schema=None) as batch_op:
        batch_op.create_index('ix_issue_revision', ['revision_id', 'subject'], unique=False)

    op.create_table('parameter',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('param_id', sa.String(length=100), nullable=False),
    sa.Column('actual', sa.String(length=100), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'param_id')
    )
    op.create_table('stage_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=100), nullable=False),
    sa.Column('started_at', sa.String(length=40), nullable=True),
    sa.Column('ended_at', sa.String(length=40), nullable=True),
    sa.Column('equipment', sa.String(length=100), nullable=False),
    sa.Column('operator', sa.String(length=100), nullable=False),
    sa.Column('signoff', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('batch_id', 'stage')
    )
    with op.batch_alter_table('stage_run', schema=None) as batch_op:
        batch_op.create_index('ix_stage_equipment', ['equipment'], unique=False)
        batch_op.create_index('ix_stage_operator', ['operator'], unique=False)

    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('piece', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('shipment', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('serial')
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index('ix_unit_batch', ['batch_id'], unique=False)

    op.create_table('lot_use',
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('lot_id', 'unit_id')
    )
    with op.batch_alter_table('lot_use', schema=None) as batch_op:
        batch_op.create_index('ix_lot_use_unit', ['unit_id'], unique=False)

    op.create_table('measurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('characteristic_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('value_text', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('measured_at', sa.String(length=40), nullable=True),
    sa.Column('machine', sa.String(length=100), nullable=False),
    sa.Column('operator', sa.String(length=100), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['characteristic_id'], ['characteristic.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.create_index('ix_measurement_char', ['characteristic_id', 'machine'], unique=False)
        batch_op.create_index('ix_measurement_unit', ['unit_id'], unique=False)

    op.create_table('unit_process',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('machine', sa.String(length=100), nullable=False),
    sa.Column('operator', sa.String(length=100), nullable=False),
    sa.Column('first_at', sa.String(length=40), nullable=True),
    sa.Column('last_at', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('unit_id', 'machine', 'operator')
    )
    with op.batch_alter_table('unit_process', schema=None) as batch_op:
        batch_op.create_index('ix_unit_process_machine', ['machine', 'first_at'], unique=False)
        batch_op.create_index('ix_unit_process_operator', ['operator', 'first_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('unit_process', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_process_operator')
        batch_op.drop_index('ix_unit_process_machine')

    op.drop_table('unit_process')
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index('ix_measurement_unit')
        batch_op.drop_index('ix_measurement_char')

    op.drop_table('measurement')
    with op.batch_alter_table('lot_use', schema=None) as batch_op:
        batch_op.drop_index('ix_lot_use_unit')

    op.drop_table('lot_use')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_batch')

    op.drop_table('unit')
    with op.batch_alter_table('stage_run', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_operator')
        batch_op.drop_index('ix_stage_equipment')

    op.drop_table('stage_run')
    op.drop_table('parameter')
    with op.batch_alter_table('issue', schema=None) as batch_op:
        batch_op.drop_index('ix_issue_revision')

    op.drop_table('issue')
    op.drop_table('characteristic')
    op.drop_table('batch')
    op.drop_table('techpack_store')
    op.drop_table('source')
    op.drop_table('revision')
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_index('ix_lot_heat')
        batch_op.drop_index('ix_lot_code')

    op.drop_table('lot')

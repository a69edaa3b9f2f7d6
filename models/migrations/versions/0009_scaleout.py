"""scale-out: the instances heartbeat table (issue 7); leases and occurrence keys use existing columns

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 14:30:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import models.base  # noqa: F401

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'instances',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=False),
        sa.Column('started_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('seen_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instances')),
    )
    op.create_index(op.f('ix_instances_seen_at'), 'instances', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_instances_seen_at'), table_name='instances')
    op.drop_table('instances')

"""duty offers: a shift starting within the warning time is offered, not imposed (issue 20)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 07:00:00
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('duty_shifts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offered_to', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offered_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('declined', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('duty_shifts', schema=None) as batch_op:
        batch_op.drop_column('declined')
        batch_op.drop_column('offered_at')
        batch_op.drop_column('offered_to')

"""unavailability.reason holds every reason of merged windows (was cut to 200 characters)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 23:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unavailability', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=False)


def downgrade() -> None:
    # the old column cannot hold longer merged reasons: they are cut, as the old code did
    op.execute(sa.text("UPDATE unavailability SET reason = substr(reason, 1, 200) WHERE length(reason) > 200"))
    with op.batch_alter_table('unavailability', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=sa.Text(), type_=sa.String(length=200),
                              existing_nullable=False)

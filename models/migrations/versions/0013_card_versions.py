"""card versions: a card's latest state and the state its recipient sees (issue 19)

Every edit of a card carries a version; the sender drops an edit older than the card's latest and one whose
content is what the recipient already sees (sent_hash), so a card never goes back in time.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 06:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('incident_cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('content_hash', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('sent_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sent_hash', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('incident_cards', schema=None) as batch_op:
        batch_op.drop_column('sent_hash')
        batch_op.drop_column('sent_version')
        batch_op.drop_column('content_hash')
        batch_op.drop_column('version')

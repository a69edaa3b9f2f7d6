"""release_drafts.channel → outlet: where an approved release is published (press release, official Weibo,
website, media) is an outlet; a channel is a messenger (issue 21: one word, one meaning). Audit rows keep
their payloads (hashed): the timeline reads an old row's "channel" as its outlet.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 09:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('release_drafts', schema=None) as batch_op:
        batch_op.alter_column('channel', new_column_name='outlet', existing_type=sa.String(length=200),
                              existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('release_drafts', schema=None) as batch_op:
        batch_op.alter_column('outlet', new_column_name='channel', existing_type=sa.String(length=200),
                              existing_nullable=True)

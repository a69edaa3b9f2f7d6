"""release_outlets: every outlet an approved version was published on, with its link (issue 23: 新闻通稿、主流媒体、
官方微博). release_drafts.outlet/link move into it (a published row's pair becomes its first outlet, at the
draft's published_at, by its published_by); release_drafts keeps published_at/by as the first publication.

Down moves each draft's first outlet (earliest, then lowest id) back to release_drafts.outlet/link and drops the
table: the later outlets are lost; the timeline keeps each publication's sentence.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 15:20:00
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('release_outlets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('outlet', sa.String(length=200), nullable=False),
    sa.Column('link', sa.String(length=2048), nullable=True),
    sa.Column('published_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['release_drafts.id'], name=op.f('fk_release_outlets_draft_id_release_drafts')),
    sa.ForeignKeyConstraint(['published_by'], ['people.id'], name=op.f('fk_release_outlets_published_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_outlets')),
    sa.UniqueConstraint('draft_id', 'outlet', name=op.f('uq_release_outlets_draft_id_outlet'))
    )
    with op.batch_alter_table('release_outlets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_outlets_draft_id'), ['draft_id'], unique=False)
    # a published row without published_at/by (none is written so) falls back to its creation and drafter
    op.execute("INSERT INTO release_outlets (draft_id, outlet, link, published_at, published_by) "
               "SELECT id, outlet, link, COALESCE(published_at, created_at), COALESCE(published_by, drafted_by) "
               "FROM release_drafts WHERE outlet IS NOT NULL ORDER BY id")
    with op.batch_alter_table('release_drafts', schema=None) as batch_op:
        batch_op.drop_column('link')
        batch_op.drop_column('outlet')


def downgrade() -> None:
    with op.batch_alter_table('release_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outlet', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('link', sa.String(length=2048), nullable=True))
    first = ("SELECT o.{col} FROM release_outlets o WHERE o.draft_id = release_drafts.id "
             "ORDER BY o.published_at, o.id LIMIT 1")
    op.execute(f"UPDATE release_drafts SET outlet = ({first.format(col='outlet')}), "
               f"link = ({first.format(col='link')})")
    with op.batch_alter_table('release_outlets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_outlets_draft_id'))
    op.drop_table('release_outlets')

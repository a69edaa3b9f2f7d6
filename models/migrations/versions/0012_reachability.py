"""reachability: identities per channel, personal links, bound chats' state (issue 17)

Every existing person gets a telegram identity in state `unknown`: a send is tried, and only Telegram's
403 makes them unreachable — nobody is silenced by the upgrade.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 08:30:00
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import models.base

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('reachable', sa.String(length=16), nullable=False),
    sa.Column('since', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('told_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_identities_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_identities')),
    sa.UniqueConstraint('channel', 'external_id', name=op.f('uq_person_identities_channel_external_id')),
    sa.UniqueConstraint('person_id', 'channel', name=op.f('uq_person_identities_person_id_channel'))
    )
    with op.batch_alter_table('person_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_identities_person_id'), ['person_id'], unique=False)
    op.create_table('personal_links',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_by', sa.BigInteger(), nullable=True),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_personal_links_contact_id_contacts')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_personal_links_person_id_people')),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_personal_links'))
    )
    with op.batch_alter_table('personal_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_links_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_links_person_id'), ['person_id'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bot_username', sa.String(length=64), nullable=True))
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('reachable', sa.String(length=16), server_default='unknown', nullable=False))
        batch_op.add_column(sa.Column('since', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('bound_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_chats_bound_by_people'), 'people', ['bound_by'], ['id'])

    people = sa.table('people', sa.column('id', sa.Integer()), sa.column('telegram_id', sa.BigInteger()))
    ids = sa.table('person_identities', sa.column('person_id', sa.Integer()), sa.column('channel', sa.String()),
                   sa.column('external_id', sa.String()), sa.column('reachable', sa.String()),
                   sa.column('since', models.base.UTCDateTime(timezone=True)))
    rows = op.get_bind().execute(sa.select(people.c.id, people.c.telegram_id)).all()
    if rows:
        now = datetime.now(UTC)
        op.bulk_insert(ids, [{"person_id": r.id, "channel": "telegram", "external_id": str(r.telegram_id),
                              "reachable": "unknown", "since": now} for r in rows])


def downgrade() -> None:
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_chats_bound_by_people'), type_='foreignkey')
        batch_op.drop_column('bound_by')
        batch_op.drop_column('since')
        batch_op.drop_column('reachable')
        batch_op.drop_column('title')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('bot_username')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('personal_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_links_person_id'))
        batch_op.drop_index(batch_op.f('ix_personal_links_contact_id'))
    op.drop_table('personal_links')
    with op.batch_alter_table('person_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_identities_person_id'))
    op.drop_table('person_identities')

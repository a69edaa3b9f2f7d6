"""channels: identities, bindings, the outbox and the inbox name their channel (issue 21)

Everything there is today is Telegram's: every new `channel` column starts as "telegram". A person may now
exist on another channel only (people.telegram_id nullable) and says which channel they prefer. A bound chat
is (key, channel) → address; an inbox row is (channel, update_id). The audit log gains a neutral actor
reference for new rows; old rows are not rewritten (their hashes do not cover it).

Down: what the old schema cannot hold goes — another channel's bindings and inbox rows are deleted, its
queued messages are marked failed (the old sender would hand them to Telegram), people known only on
another channel get a placeholder telegram_id (bot.domain.identity.UNLINKED_BASE range). Audit rows that
carry an actor_ref stop the downgrade: dropping the column would break their hash chain.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# Placeholders given on the way down: above the range bot.domain.identity.placeholder_id() draws from.
DOWN_PLACEHOLDER_BASE = 2 ** 53 + 2 ** 40


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('telegram_id', existing_type=sa.BigInteger(), nullable=True)
        batch_op.add_column(sa.Column('preferred_channel', sa.String(length=16), server_default='telegram',
                                      nullable=False))
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='telegram', nullable=False))
        batch_op.drop_constraint('pk_chats', type_='primary')
        batch_op.create_primary_key('pk_chats', ['key', 'channel'])
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='telegram', nullable=False))
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='telegram', nullable=False))
        batch_op.drop_constraint('pk_inbox', type_='primary')
        batch_op.create_primary_key('pk_inbox', ['channel', 'update_id'])
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_ref', sa.String(length=64), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    audit = sa.table('audit_log', sa.column('actor_ref', sa.String()))
    if bind.execute(sa.select(sa.func.count()).select_from(audit).where(audit.c.actor_ref.is_not(None))).scalar():
        raise RuntimeError("audit rows carry actor_ref, which their hashes cover: dropping it would break "
                           "the timeline's hash chain (onduty audit verify); not downgrading")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('actor_ref')

    inbox = sa.table('inbox', sa.column('channel', sa.String()))
    op.execute(inbox.delete().where(inbox.c.channel != 'telegram'))
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_constraint('pk_inbox', type_='primary')
        batch_op.create_primary_key('pk_inbox', ['update_id'])
        batch_op.drop_column('channel')

    outbox = sa.table('outbox', sa.column('channel', sa.String()), sa.column('status', sa.String()),
                      sa.column('last_error', sa.Text()))
    op.execute(outbox.update().where(outbox.c.channel != 'telegram', outbox.c.status.in_(('pending', 'sending')))
               .values(status='failed', last_error='channel removed by a downgrade'))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('channel')

    chats = sa.table('chats', sa.column('channel', sa.String()))
    op.execute(chats.delete().where(chats.c.channel != 'telegram'))
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.drop_constraint('pk_chats', type_='primary')
        batch_op.create_primary_key('pk_chats', ['key'])
        batch_op.drop_column('channel')

    people = sa.table('people', sa.column('id', sa.Integer()), sa.column('telegram_id', sa.BigInteger()))
    op.execute(people.update().where(people.c.telegram_id.is_(None))
               .values(telegram_id=sa.cast(people.c.id, sa.BigInteger()) + sa.literal(DOWN_PLACEHOLDER_BASE, sa.BigInteger())))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('preferred_channel')
        batch_op.alter_column('telegram_id', existing_type=sa.BigInteger(), nullable=False)

"""neutral cards: an incident card is keyed by its conversation on its channel, not a Telegram integer (issue 21)

incident_cards.chat_id (BIGINT) → `channel` (default "telegram") and `conv` (text: the conversation on that
channel, as the outbox has it since 0019); unique (incident_id, chat_id) → unique (incident_id, channel, conv),
so a leader who is only on a messenger whose conversation ids are not numbers (Feishu's "ou_…") gets a card.
Up: `conv` is the chat id as text; `channel` is the channel of the outbox row that sent the card (a card on
another channel before this revision was stored by its number, and only its outbox row says which channel it
was on), "telegram" when that row is gone.

Down: `conv` → chat_id. The old table has no channel, so it can hold a card only by a number. A card whose
conversation id is not an integer (another messenger's, e.g. "ou_7100003") is DELETED: its message stays
where it was sent, but the old code no longer edits it, and a press on it is refused as on any unknown card.
A card on another channel whose id is a number is kept by that number (as the old code stored it), unless the
same incident has a card with that number already (a Telegram one first, then the older): then it is deleted
too. Plain Python over batches of rows, so it runs the same on SQLite and PostgreSQL.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 15:30:00
"""
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

BATCH = 500
BIGINT = 2 ** 63
_INTEGER = re.compile(r"-?[0-9]+")


def _cards(*cols: sa.ColumnClause) -> sa.TableClause:
    return sa.table('incident_cards', sa.column('id', sa.Integer()), sa.column('incident_id', sa.Integer()),
                    sa.column('outbox_id', sa.Integer()), *cols)


def _integer(conv: str | None) -> int | None:
    """The conversation id as BIGINT holds it, or None when it is not one (int() alone takes " 1", "1_0")."""
    if conv is None or not _INTEGER.fullmatch(conv):
        return None
    n = int(conv)
    return n if -BIGINT <= n < BIGINT else None


def upgrade() -> None:
    with op.batch_alter_table('incident_cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='telegram', nullable=False))
        batch_op.add_column(sa.Column('conv', sa.String(length=128), nullable=True))
    cards = _cards(sa.column('chat_id', sa.BigInteger()), sa.column('channel', sa.String()),
                   sa.column('conv', sa.String()))
    outbox = sa.table('outbox', sa.column('id', sa.Integer()), sa.column('channel', sa.String()))
    sent_on = sa.select(outbox.c.channel).where(outbox.c.id == cards.c.outbox_id).scalar_subquery()
    # one statement per table, on both databases: CAST of a BIGINT to text is its decimal digits (and its sign)
    op.execute(cards.update().values(conv=sa.cast(cards.c.chat_id, sa.String(128)),
                                     channel=sa.func.coalesce(sent_on, 'telegram')))
    with op.batch_alter_table('incident_cards', schema=None) as batch_op:
        batch_op.alter_column('conv', existing_type=sa.String(length=128), nullable=False)
        batch_op.drop_constraint('uq_incident_cards_incident_id_chat_id', type_='unique')
        batch_op.create_unique_constraint('uq_incident_cards_incident_id_channel_conv',
                                          ['incident_id', 'channel', 'conv'])
        batch_op.drop_column('chat_id')


def downgrade() -> None:
    with op.batch_alter_table('incident_cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat_id', sa.BigInteger(), nullable=True))
    cards = _cards(sa.column('chat_id', sa.BigInteger()), sa.column('channel', sa.String()),
                   sa.column('conv', sa.String()))
    bind = op.get_bind()
    # Telegram's cards first, then the oldest: they keep their number when two would share one
    order = (sa.case((cards.c.channel == 'telegram', 0), else_=1), cards.c.id)
    taken: set[tuple[int, int]] = set()
    drop: list[int] = []
    update = cards.update().where(cards.c.id == sa.bindparam('card_id')).values(chat_id=sa.bindparam('new_chat'))
    for rows in _batches(bind, cards, order):
        changed = []
        for r in rows:
            chat = _integer(r.conv)
            if chat is None or (r.incident_id, chat) in taken:
                drop.append(r.id)  # see the module: the old table cannot hold it
                continue
            taken.add((r.incident_id, chat))
            changed.append({"card_id": r.id, "new_chat": chat})
        if changed:
            bind.execute(update, changed)
    for i in range(0, len(drop), BATCH):
        bind.execute(cards.delete().where(cards.c.id.in_(drop[i:i + BATCH])))
    with op.batch_alter_table('incident_cards', schema=None) as batch_op:
        batch_op.alter_column('chat_id', existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_constraint('uq_incident_cards_incident_id_channel_conv', type_='unique')
        batch_op.create_unique_constraint('uq_incident_cards_incident_id_chat_id', ['incident_id', 'chat_id'])
        batch_op.drop_column('conv')
        batch_op.drop_column('channel')


def _batches(bind: Any, cards: sa.TableClause, order: tuple[Any, ...]) -> Any:
    """Every card in `order`, BATCH rows at a time (by offset: the rows read are only updated, never moved)."""
    offset = 0
    while True:
        rows = bind.execute(sa.select(cards.c.id, cards.c.incident_id, cards.c.channel, cards.c.conv)
                            .order_by(*order).limit(BATCH).offset(offset)).all()
        if not rows:
            return
        offset += len(rows)
        yield rows

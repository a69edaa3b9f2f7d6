"""neutral outbox: a row's address, kind and reference are the channel's, not Telegram's integers (issue 21)

outbox.chat_id (BIGINT) → `conv` (text: the conversation on the row's `channel`); `method` (sendMessage,
editMessageText, editMessageReplyMarkup, setMyCommands) → `kind` (send, edit, edit, commands: the adapter picks
the call at send time; an edit without text changes the buttons only); `telegram_message_id` (BIGINT) → `ref`
(text: the message as the channel names it). An edit's `payload["message_id"]` leaves the body: a stand-in
(negative: minus the outbox row not sent yet) becomes `edits` (that row's id); Telegram's id becomes `ref`, and
`edits` too when the edited message is a send of the outbox in the same chat.

Down converts back: `conv` → chat_id (a conversation id that is not a number cannot be kept: the row gets 0 and,
if not sent, is marked failed, as 0015's downgrade does with another channel's rows), `kind` → method
(an edit with no text → editMessageReplyMarkup), `ref` → telegram_message_id on sent rows, and an edit's
message_id again: its `ref`, else minus `edits`. Plain Python over batches of rows, so it runs the same on
SQLite and PostgreSQL.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-04 12:30:00
"""
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

BATCH = 500
KINDS = {"sendMessage": "send", "editMessageText": "edit", "editMessageReplyMarkup": "edit",
         "setMyCommands": "commands"}


def _table(*cols: sa.Column) -> sa.TableClause:
    return sa.table('outbox', sa.column('id', sa.Integer()), sa.column('payload', sa.JSON()),
                    sa.column('status', sa.String()), *cols)


def _batches(bind: Any, table: sa.TableClause, *cols: Any) -> Any:
    last = 0
    while True:
        rows = bind.execute(sa.select(table.c.id, table.c.payload, table.c.status, *cols)
                            .where(table.c.id > last).order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        last = rows[-1].id
        yield rows


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conv', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('ref', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('edits', sa.Integer(), nullable=True))
    t = _table(sa.column('chat_id', sa.BigInteger()), sa.column('method', sa.String()),
               sa.column('telegram_message_id', sa.BigInteger()), sa.column('conv', sa.String()),
               sa.column('kind', sa.String()), sa.column('ref', sa.String()), sa.column('edits', sa.Integer()))
    bind = op.get_bind()
    update = t.update().where(t.c.id == sa.bindparam('row_id')).values(
        conv=sa.bindparam('new_conv'), kind=sa.bindparam('new_kind'), ref=sa.bindparam('new_ref'),
        edits=sa.bindparam('new_edits'), payload=sa.bindparam('new_payload', type_=sa.JSON()))
    for rows in _batches(bind, t, t.c.chat_id, t.c.method, t.c.telegram_message_id):
        changed = []
        for r in rows:
            kind = KINDS.get(r.method, (r.method or "send")[:16])
            payload = dict(r.payload) if isinstance(r.payload, dict) else r.payload
            ref = str(r.telegram_message_id) if r.telegram_message_id is not None else None
            edits = None
            mid = payload.pop("message_id", None) if kind == "edit" and isinstance(payload, dict) else None
            if isinstance(mid, int) and mid < 0:
                edits = -mid
            elif isinstance(mid, int):
                ref = ref or str(mid)
                edits = bind.execute(sa.select(t.c.id).where(
                    t.c.chat_id == r.chat_id, t.c.telegram_message_id == mid, t.c.method == "sendMessage")
                    .order_by(t.c.id).limit(1)).scalar()
            changed.append({"row_id": r.id, "new_conv": str(r.chat_id), "new_kind": kind, "new_ref": ref,
                            "new_edits": edits, "new_payload": payload})
        if changed:
            bind.execute(update, changed)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('conv', existing_type=sa.String(length=128), nullable=False)
        batch_op.alter_column('kind', existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_column('chat_id')
        batch_op.drop_column('method')
        batch_op.drop_column('telegram_message_id')


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('method', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('telegram_message_id', sa.BigInteger(), nullable=True))
    t = _table(sa.column('chat_id', sa.BigInteger()), sa.column('method', sa.String()),
               sa.column('telegram_message_id', sa.BigInteger()), sa.column('conv', sa.String()),
               sa.column('kind', sa.String()), sa.column('ref', sa.String()), sa.column('edits', sa.Integer()),
               sa.column('last_error', sa.Text()))
    bind = op.get_bind()
    update = t.update().where(t.c.id == sa.bindparam('row_id')).values(
        chat_id=sa.bindparam('new_chat'), method=sa.bindparam('new_method'),
        telegram_message_id=sa.bindparam('new_mid'), status=sa.bindparam('new_status'),
        last_error=sa.bindparam('new_error'), payload=sa.bindparam('new_payload', type_=sa.JSON()))
    for rows in _batches(bind, t, t.c.conv, t.c.kind, t.c.ref, t.c.edits, t.c.last_error):
        changed = []
        for r in rows:
            payload = dict(r.payload) if isinstance(r.payload, dict) else r.payload
            chat, status, error = _int(r.conv), r.status, r.last_error
            if chat is None:  # another channel's conversation: no integer column can hold it
                chat = 0
                if status not in ("sent", "superseded"):
                    status, error = "failed", f"conversation {r.conv!r} dropped by a downgrade"
            if r.kind == "edit":
                method = "editMessageText" if isinstance(payload, dict) and payload.get("text") \
                    else "editMessageReplyMarkup"
                mid = _int(r.ref) if r.ref is not None else (-r.edits if r.edits is not None else None)
                if isinstance(payload, dict) and mid is not None:
                    payload["message_id"] = mid
            else:
                method = {"send": "sendMessage", "commands": "setMyCommands"}.get(r.kind, r.kind)
            changed.append({"row_id": r.id, "new_chat": chat, "new_method": method, "new_status": status,
                            "new_error": error, "new_mid": _int(r.ref) if r.status == "sent" else None,
                            "new_payload": payload})
        if changed:
            bind.execute(update, changed)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('chat_id', existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column('method', existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column('edits')
        batch_op.drop_column('ref')
        batch_op.drop_column('kind')
        batch_op.drop_column('conv')

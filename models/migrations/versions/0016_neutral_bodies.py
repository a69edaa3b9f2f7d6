"""neutral bodies: the outbox stores buttons and input requests, not Telegram's reply_markup (issue 21)

Every outbox row (pending, sent, failed …: the press guard and the card hashes read sent rows too) whose
payload carries a Telegram `reply_markup` of the two kinds the bot writes is converted to the neutral body
(bot.channels.types.Card.body()): an inline keyboard of callback buttons → `buttons` ([[{label, action}]]),
a force-reply prompt → `input` ({placeholder}). Any other markup (an empty keyboard, URL buttons, null) is
left as it is: the Telegram adapter still renders a legacy `reply_markup`.

Down converts back: `buttons` → an inline keyboard, else `input` → force_reply (Telegram has one markup per
message; a body with both keeps the buttons, as the adapter renders it). Plain Python over batches of rows, so
it runs the same on SQLite and PostgreSQL (the payload is JSON either way).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 12:00:00
"""
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

BATCH = 500
PLACEHOLDER_MAX = 64  # Telegram's input_field_placeholder limit

outbox = sa.table('outbox', sa.column('id', sa.Integer()), sa.column('payload', sa.JSON()))


def _is_callback_button(b: Any) -> bool:
    return isinstance(b, dict) and set(b) == {"text", "callback_data"} and isinstance(b["text"], str) \
        and isinstance(b["callback_data"], str)


def to_neutral(payload: Any) -> dict | None:
    """The payload with its reply_markup as buttons or input; None when there is nothing to convert."""
    if not isinstance(payload, dict) or "buttons" in payload or "input" in payload:
        return None
    markup = payload.get("reply_markup")
    if not isinstance(markup, dict):
        return None
    rest = {k: v for k, v in payload.items() if k != "reply_markup"}
    rows = markup.get("inline_keyboard")
    if set(markup) == {"inline_keyboard"} and isinstance(rows, list) and rows \
            and all(isinstance(r, list) and r and all(map(_is_callback_button, r)) for r in rows):
        return {**rest, "buttons": [[{"label": b["text"], "action": b["callback_data"]} for b in r] for r in rows]}
    if set(markup) == {"force_reply", "input_field_placeholder"} and markup["force_reply"] is True \
            and isinstance(markup["input_field_placeholder"], str):
        return {**rest, "input": {"placeholder": markup["input_field_placeholder"]}}
    return None


def to_legacy(payload: Any) -> dict | None:
    """The payload with its buttons (else input) as reply_markup; None when there is nothing to convert."""
    if not isinstance(payload, dict) or "reply_markup" in payload or not ("buttons" in payload or "input" in payload):
        return None
    rest = {k: v for k, v in payload.items() if k not in ("buttons", "input")}
    rows, ask = payload.get("buttons"), payload.get("input")
    if rows:
        return {**rest, "reply_markup": {"inline_keyboard": [[{"text": b["label"], "callback_data": b["action"]}
                                                              for b in r] for r in rows]}}
    if isinstance(ask, dict):
        placeholder = str(ask.get("placeholder") or "")[:PLACEHOLDER_MAX]
        return {**rest, "reply_markup": {"force_reply": True, "input_field_placeholder": placeholder}}
    return rest  # an empty list of buttons: no markup


def _convert(convert: Any) -> None:
    bind = op.get_bind()
    update = outbox.update().where(outbox.c.id == sa.bindparam('row_id')) \
        .values(payload=sa.bindparam('new_payload', type_=sa.JSON()))
    last = 0
    while True:
        rows = bind.execute(sa.select(outbox.c.id, outbox.c.payload).where(outbox.c.id > last)
                            .order_by(outbox.c.id).limit(BATCH)).all()
        if not rows:
            return
        last = rows[-1].id
        changed = [{"row_id": r.id, "new_payload": new} for r in rows if (new := convert(r.payload)) is not None]
        if changed:
            bind.execute(update, changed)


def upgrade() -> None:
    _convert(to_neutral)


def downgrade() -> None:
    _convert(to_legacy)

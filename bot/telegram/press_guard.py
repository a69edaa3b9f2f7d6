"""A press is honoured only for a button the card it was pressed on actually has.

The callback_data of a press is written by the client and can say anything: another incident's id, an
action the card never offered ("take charge" on the upper office's receipt card), garbage. The message a
press comes with is not: Telegram attaches it as its server stores it, with its current inline keyboard. So
the pressed data must equal the callback_data of one of that keyboard's buttons — then the card's incident,
its chat and its action are the ones the data names, and the handlers' own checks (who presses, is it still
pending) do the rest.

A message Telegram no longer shows us (InaccessibleMessage: too old, deleted) is looked up in the outbox: the
keyboard we last sent or edited onto it. Anything else is refused: answered with a toast, nothing changed,
written to the timeline like a press without the role. The normal path costs no query.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address, MessageRef
from bot.domain.bounds import db_id
from bot.i18n import lang_of, t
from bot.services.audit import record_refusal
from bot.telegram.callbacks import AssessCB, ChecklistCB, IncidentCB, ReviewCB, TrackCB
from bot.telegram.refs import message_ref
from models.delivery import OutboxMessage

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
OUTBOX_SCAN = 200  # rows of one chat looked at for an inaccessible message's keyboard (newest first)
# callback data naming an incident: the refusal goes on that incident's timeline
_INCIDENT_DATA: tuple[type[CallbackData], ...] = (IncidentCB, ChecklistCB, TrackCB, ReviewCB, AssessCB)


def keyboard_data(markup: Any) -> set[str]:
    """The callback_data of every button of an inline keyboard (aiogram object or Bot API dict)."""
    if isinstance(markup, InlineKeyboardMarkup):
        return {b.callback_data for row in markup.inline_keyboard for b in row if b.callback_data is not None}
    if isinstance(markup, dict):
        rows = markup.get("inline_keyboard") or []
        return {b["callback_data"] for row in rows if isinstance(row, list) for b in row
                if isinstance(b, dict) and isinstance(b.get("callback_data"), str)}
    return set()


def offered_on(message: Any, data: str | None) -> bool:
    """The pressed data is one of the buttons of the message as Telegram attached it (the cheap, usual case)."""
    return data is not None and isinstance(message, Message) and data in keyboard_data(message.reply_markup)


async def outbox_keyboard(s: AsyncSession, to: Address, ref: MessageRef) -> set[str] | None:
    """The buttons we last put on the message `ref` in `to` through the outbox (its send, or a later edit of
    it); None when the outbox does not know it."""
    o = OutboxMessage
    rows = (await s.scalars(select(o).where(o.channel == to.channel, o.conv == to.conv,
                                            or_(o.ref == ref.ref, o.kind != "send"))
                            .order_by(o.id.desc()).limit(OUTBOX_SCAN))).all()
    sends = {row.id for row in rows if row.ref == ref.ref and row.kind == "send"}
    for row in rows:
        payload = row.payload or {}
        if row.ref == ref.ref or (row.edits is not None and row.edits in sends):
            neutral = {b["action"] for r in payload.get("buttons") or [] if isinstance(r, list) for b in r
                       if isinstance(b, dict) and isinstance(b.get("action"), str)}  # reply_markup: before 0016
            return keyboard_data(payload.get("reply_markup")) | neutral
    return None


def _incident_named(data: str) -> int | None:
    for factory in _INCIDENT_DATA:
        try:
            return db_id(factory.unpack(data).incident)
        except (TypeError, ValueError):
            continue
    return None


def _action_named(data: str) -> str:
    """What the press asked for, for the timeline: the factory's prefix and first field, never free data."""
    prefix, _, rest = data.partition(":")
    action = rest.partition(":")[0]
    known = prefix in {"rpV1", "incV1", "chkV1", "dutyV1", "patV1", "relV1", "rvV1", "trkV1", "clsV1",
                       "unavV1", "bindV1", "tskV1", "wgV1"}
    return f"press:{prefix}:{action[:16]}" if known else "press:unknown"


class PressGuard(BaseMiddleware):
    """Outer middleware on the root router's callback_query observer: before every callback handler."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery) or offered_on(event.message, event.data):
            return await handler(event, data)
        session: AsyncSession | None = data.get("session")
        pressed = event.data or ""
        msg = event.message
        reason = "not_on_card"
        if msg is None or not isinstance(msg, Message):
            # inline-mode message, or one Telegram no longer shows: what we last put on it
            known = (await outbox_keyboard(session, *message_ref(msg))
                     if msg is not None and session is not None else None)
            if known is not None and pressed in known:
                return await handler(event, data)
            reason = "stale"
        elif not keyboard_data(msg.reply_markup):
            reason = "stale"  # the card has no buttons left
        await self._refuse(event, data, session, pressed, reason)
        return None

    async def _refuse(self, query: CallbackQuery, data: dict[str, Any], session: AsyncSession | None,
                      pressed: str, reason: str) -> None:
        lang = data.get("lang") or lang_of(query.from_user.language_code)
        clock = data.get("clock")
        now = clock.now() if clock is not None else datetime.now(UTC)
        log.info("press refused (%s) from %s", reason, query.from_user.id)
        if session is not None:
            # on the timeline of the incident the data names; else of the card's own incident
            incident = _incident_named(pressed)
            if incident is None and isinstance(query.message, Message):
                incident = next(filter(None, map(_incident_named, sorted(keyboard_data(query.message.reply_markup)))), None)
            await record_refusal(session, incident_id=incident, user=query.from_user.id,
                                 name=query.from_user.full_name, action=_action_named(pressed), reason=reason,
                                 now=now)
        await query.answer(t("press.stale" if reason == "stale" else "press.not_on_card", lang))

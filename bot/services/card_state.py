"""A card shows the present, only the present.

A card (one message per recipient, models.IncidentCard) is edited as the incident changes. Each edit queued is
a version of the card (`version`, with the `content_hash` of that state); an edit whose content is the state
already queued is not queued at all. When the sender is about to send an edit it compares: an edit older than
the card's latest version is dropped (a newer one follows it), and one whose content is what the recipient
already sees (`sent_hash`) is dropped too. A delivered edit sets `sent_version`/`sent_hash`, only forward.
Rows of one chat go out in order across instances (bot/services/outbox.py `_behind`), so with these checks an
older state never overwrites a newer one — across retries, 429 waits, restarts and several instances.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address, Buttons, buttons_body, buttons_from_body
from bot.services import outbox
from models import IncidentCard

EDIT_PREFIX = "cardv:"
SEND_PREFIXES = ("card:", "cardshow:")  # the dedup keys of a card's own first message (escalation.py)
OLDER = "a newer state of this card is queued"
IDENTICAL = "the recipient already sees this state of the card"


def content_hash(text: str | None, buttons: Buttons | None) -> str:
    """What the recipient sees: the text and the buttons (none and an empty list alike)."""
    return _hash(text, _legacy_markup(buttons))


def _legacy_markup(buttons: Buttons | None) -> dict[str, Any] | None:
    """Buttons in the form the outbox stored them before migration 0016 (Telegram's inline keyboard), so the
    hashes recorded then still compare equal to the same card now."""
    if not buttons:
        return None
    return {"inline_keyboard": [[{"text": b.label, "callback_data": b.action} for b in row] for row in buttons]}


def _hash(text: str | None, markup: Any) -> str:
    body = json.dumps([text or "", markup or None], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def edit_key(card_id: int, version: int) -> str:
    return f"{EDIT_PREFIX}{card_id}:{version}"


def parse_edit_key(key: str | None) -> tuple[int, int] | None:
    """(card id, version) of a card edit's dedup key, else None."""
    if not key or not key.startswith(EDIT_PREFIX):
        return None
    card, _, version = key[len(EDIT_PREFIX):].partition(":")
    return (int(card), int(version)) if card.isdigit() and version.isdigit() else None


def payload_hash(payload: dict[str, Any]) -> str:
    """A queued or sent row's content_hash: its neutral `buttons`, or a row queued before 0016 (`reply_markup`)."""
    if "buttons" in payload:
        return content_hash(payload.get("text"), buttons_from_body(payload["buttons"]))
    return _hash(payload.get("text"), payload.get("reply_markup"))


def rewritten(payload: dict[str, Any], text: str, buttons: Buttons | None) -> dict[str, Any]:
    """A pending card row's payload with the card's new state (one queued before 0016 loses its `reply_markup`)."""
    out = {k: v for k, v in payload.items() if k not in ("reply_markup", "buttons")}
    out["text"] = text
    if buttons:
        out["buttons"] = buttons_body(buttons)
    return out


async def queue_edit(s: AsyncSession, card: IncidentCard, *, to: Address, text: str, buttons: Buttons | None,
                     edits: int, ref: str | None, now: datetime) -> bool:
    """Queue the card's new state as an edit of the message outbox row `edits` sent (or is sending: `ref` still
    None), unless it is the state already queued. True when queued."""
    h = content_hash(text, buttons)
    if h == card.content_hash:
        return False
    card.version, card.content_hash = (card.version or 0) + 1, h
    await outbox.enqueue(s, to=to, text=text, method="editMessageText", edits=edits, ref=ref,
                         buttons=buttons, now=now, dedup_key=edit_key(card.id, card.version),
                         notice="incident.card.edit")
    return True


async def stale(s: AsyncSession, dedup_key: str | None, payload: dict[str, Any]) -> str | None:
    """Why this card edit is not to be sent now (OLDER, IDENTICAL), or None to send it (or not a card edit)."""
    parsed = parse_edit_key(dedup_key)
    if parsed is None:
        return None
    card_id, version = parsed
    row = (await s.execute(select(IncidentCard.version, IncidentCard.sent_hash)
                           .where(IncidentCard.id == card_id))).first()
    if row is None:
        return None
    if version < row.version:
        return OLDER
    if payload_hash(payload) == row.sent_hash:
        return IDENTICAL
    return None


async def delivered(s: AsyncSession, items: list[Any]) -> None:
    """Telegram took these outbox rows (OutboxItem): a card's state the recipient now sees is recorded."""
    for item in items:
        key = item.dedup_key or ""
        parsed = parse_edit_key(key)
        if parsed is not None:
            card_id, version = parsed
            await s.execute(update(IncidentCard).where(IncidentCard.id == card_id,
                                                       IncidentCard.sent_version <= version)
                            .values(sent_version=version, sent_hash=payload_hash(item.payload))
                            .execution_options(synchronize_session=False))
        elif key.startswith(SEND_PREFIXES) and item.kind == outbox.SEND:
            await s.execute(update(IncidentCard).where(IncidentCard.outbox_id == item.id)
                            .values(sent_hash=payload_hash(item.payload))
                            .execution_options(synchronize_session=False))


def is_card_row(key: str | None) -> bool:
    return bool(key) and key.startswith((EDIT_PREFIX, *SEND_PREFIXES))  # type: ignore[union-attr]

"""A group chat in a burst (Telegram allows 20 messages a minute): new incident cards that wait beyond what the
limit lets out go as one digest, and several edits of one card as the last (bot/delivery/sender.py calls this
for each group's share of a pass)."""

from __future__ import annotations

import logging
from typing import Any

from bot.cards import digest_markup, digest_text
from bot.channels.types import buttons_body
from bot.delivery.coalesce import Group
from bot.ops.metrics import OUTBOX_DIGESTED
from bot.services import outbox
from bot.services.card_digest import DIGEST_MAX, card_incident, digest_entries
from bot.services.org import load_org

log = logging.getLogger("onduty.delivery")


async def fold_for_group(sender: Any, groups: list[Group]) -> list[Group]:
    """New incident cards for a group, more than its minute limit lets out now: one digest message in the
    place of the first, naming them all with a button each for the full card; the cards' rows are sent as
    part of it (with no message of their own, so later changes do not edit the digest)."""
    chat = groups[0].chat_id
    groups = await _latest_edits(sender, groups)
    # a card in an incident's topic stays there (one per topic, never a burst of its own)
    cards = [g for g in groups if len(g.items) == 1 and g.first.kind == outbox.SEND and getattr(g.first, "thread", None) is None
             and card_incident(g.first.dedup_key) is not None]
    if len(cards) < 2 or len(cards) <= sender.limiter_for(groups[0]).group_room(chat):
        return groups
    folded = cards[:DIGEST_MAX]
    async with sender.sessions() as s:
        org = await load_org(s, sender.default_tz)
        entries = await digest_entries(s, [card_incident(g.first.dedup_key) for g in folded])  # type: ignore[misc]
    if not entries:
        return groups
    digest = Group([g.first for g in folded], digest_text(entries, org.language),
                   payload={"buttons": buttons_body(digest_markup(entries, org.language))})
    out, placed, ids = [], False, {id(g) for g in folded}
    for g in groups:
        if id(g) in ids:
            if not placed:
                out.append(digest)
                placed = True
            continue
        out.append(g)
    sender.stats["digested"] += len(folded)
    OUTBOX_DIGESTED.inc(len(folded))
    log.info("outbox: %d incident cards for group %s folded into one digest", len(folded), chat)
    return out

async def _latest_edits(sender: Any, groups: list[Group]) -> list[Group]:
    """Several edits of one message waiting for a group: only the last is sent (each carries the whole
    card as it stands), the older ones are superseded — a change costs the group one message, not one per
    step it went through."""
    last: dict[tuple[int | None, str | None], Group] = {}
    for g in groups:
        if len(g.items) == 1 and g.first.kind == outbox.EDIT and g.first.payload.get("text"):
            last[(g.first.edits, g.first.ref)] = g
    older = [g for g in groups if g.first.kind == outbox.EDIT and len(g.items) == 1 and g.first.payload.get("text")
             and last[(g.first.edits, g.first.ref)] is not g]
    if not older:
        return groups
    async with sender.sessions() as s, s.begin():
        await outbox.mark_superseded(s, [g.first.id for g in older], instance=sender.instance,
                                     why="a later edit of the same message was sent instead")
    sender.stats["superseded"] += len(older)
    gone = {id(g) for g in older}
    return [g for g in groups if id(g) not in gone]

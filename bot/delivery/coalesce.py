"""Which claimed rows share one message: nudge-like rows to one group with the same coalesce_key, created in the
same minute, go out as one combined message (within the channel's text limit)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.services.outbox import SEND, OutboxItem
from bot.textsplit import LIMIT as TEXT_LIMIT

UNMERGED_KEYS = ("reply_markup", "buttons", "input")  # a keyboard or a prompt belongs to its own message


@dataclass
class Group:
    """One call to the channel: one row, or several coalesced rows sharing one message."""

    items: list[OutboxItem]
    text: str
    payload: dict[str, Any] | None = None  # parameters other than the text, when not the first row's (a digest)

    @property
    def digest(self) -> bool:
        return self.payload is not None

    @property
    def ids(self) -> list[int]:
        return [i.id for i in self.items]

    @property
    def first(self) -> OutboxItem:
        return self.items[0]

    @property
    def chat_id(self) -> int | str:
        return self.first.chat_id



def _is_group_chat(item: OutboxItem) -> bool:
    return item.conv.startswith("-")  # Telegram's groups (a sender passes its channels' own rule)


def _merge_key(item: OutboxItem, is_group: Callable[[OutboxItem], bool]) -> tuple | None:
    if not item.coalesce_key or item.kind != SEND or not is_group(item):
        return None
    rest = {k: v for k, v in item.payload.items() if k != "text"}
    if any(k in rest for k in UNMERGED_KEYS):
        return None
    minute = item.created_at.replace(second=0, microsecond=0)
    return (item.coalesce_key, minute, getattr(item, "thread", None), json.dumps(rest, sort_keys=True, default=str))


def coalesce(items: list[OutboxItem], limit: int = TEXT_LIMIT,
             is_group: Callable[[OutboxItem], bool] = _is_group_chat) -> list[Group]:
    """Group rows (of one chat, in order) that may share a message; a group stays within `limit`."""
    groups: list[Group] = []
    open_by_key: dict[tuple, Group] = {}
    for item in items:
        key = _merge_key(item, is_group)
        g = open_by_key.get(key) if key else None
        if g is not None and len(g.text) + 2 + len(item.text) <= limit:
            g.items.append(item)
            g.text = f"{g.text}\n\n{item.text}"
            continue
        g = Group([item], item.text)
        groups.append(g)
        if key:
            open_by_key[key] = g
    return groups

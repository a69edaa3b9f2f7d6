"""The Channel protocol: how the delivery engine (bot/delivery/sender.py) talks to a messenger."""

from __future__ import annotations

from typing import Any, Protocol

from bot.channels.types import Address, Card, Classified, Limits, MessageRef


class Channel(Protocol):
    name: str
    limits: Limits

    async def send(self, address: Address, card: Card, idem_key: str) -> MessageRef: ...

    async def edit(self, address: Address, ref: MessageRef, card: Card) -> MessageRef:
        """Change a sent card; a card with an empty text changes its buttons only."""
        ...

    async def perform(self, method: str, address: Address, body: dict[str, Any]) -> None:
        """An operation only this channel has, by its name (an outbox row of kind `commands`: setMyCommands, a menu);
        a method the channel does not know is an error its `classify` calls PERMANENT."""
        ...

    def classify(self, error: BaseException) -> Classified: ...

    def is_group(self, address: Address) -> bool: ...

"""The Channel protocol: how the delivery engine (bot/delivery/sender.py) talks to a messenger."""

from __future__ import annotations

from typing import Protocol

from bot.channels.types import Address, Card, Classified, Limits, MessageRef


class Channel(Protocol):
    name: str
    limits: Limits

    async def send(self, address: Address, card: Card, idem_key: str) -> MessageRef: ...

    async def edit(self, address: Address, ref: MessageRef, card: Card) -> MessageRef: ...

    def classify(self, error: BaseException) -> Classified: ...

    def is_group(self, address: Address) -> bool: ...

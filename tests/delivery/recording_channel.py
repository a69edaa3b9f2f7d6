"""A channel for tests (like Grafana OnCall's test messaging backend): records what the sender sends and edits,
and fails on request with any ErrorKind, so the delivery engine is tested without Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.channels.types import Address, Card, Classified, ErrorKind, Limits, MessageRef

TEST = "test"


class ChannelFailure(Exception):
    """What the recording channel raises when told to fail; `classify` reads its kind back."""

    def __init__(self, kind: ErrorKind, retry_after: float | None = None) -> None:
        super().__init__(f"test channel: {kind.value}")
        self.kind, self.retry_after = kind, retry_after


@dataclass
class Sent:
    address: Address
    card: Card
    idem_key: str
    ref: MessageRef


@dataclass
class RecordingChannel:
    """Sends are recorded in `sent`, edits in `edited`, other operations in `performed`. `fail(kind)` makes the
    next calls fail; with `taken=True` a NO_RESPONSE happens after the message was delivered (a lost answer).
    With `idempotent_window_s` > 0 a send repeating a key already delivered is not delivered again."""

    name: str = TEST
    idempotent_window_s: float = 0.0
    sent: list[Sent] = field(default_factory=list)
    edited: list[tuple[Address, MessageRef, Card]] = field(default_factory=list)
    performed: list[tuple[str, Address, dict[str, Any]]] = field(default_factory=list)
    calls: int = 0
    _failures: list[tuple[ErrorKind, float | None, bool]] = field(default_factory=list)
    _by_key: dict[str, MessageRef] = field(default_factory=dict)

    @property
    def limits(self) -> Limits:
        return Limits(per_second=1000, per_conversation=100, per_group_minute=1000, max_text=4096,
                      editable_hours=None, idempotent_window_s=self.idempotent_window_s)

    def fail(self, kind: ErrorKind, *, times: int = 1, retry_after: float | None = None, taken: bool = False) -> None:
        self._failures += [(kind, retry_after, taken)] * times

    def texts(self, conv: str | None = None) -> list[str]:
        return [s.card.text for s in self.sent if conv is None or s.address.conv == conv]

    def _next_failure(self) -> tuple[ErrorKind, float | None, bool] | None:
        self.calls += 1
        return self._failures.pop(0) if self._failures else None

    async def send(self, address: Address, card: Card, idem_key: str) -> MessageRef:
        failure = self._next_failure()
        if failure is not None and not failure[2]:
            raise ChannelFailure(failure[0], failure[1])
        ref = self._by_key.get(idem_key) if self.idempotent_window_s > 0 else None
        if ref is None:
            ref = MessageRef(self.name, str(len(self.sent) + 1))
            self.sent.append(Sent(address, card, idem_key, ref))
            self._by_key[idem_key] = ref
        if failure is not None:  # delivered, but the answer was lost
            raise ChannelFailure(failure[0], failure[1])
        return ref

    async def edit(self, address: Address, ref: MessageRef, card: Card) -> MessageRef:
        failure = self._next_failure()
        if failure is not None:
            raise ChannelFailure(failure[0], failure[1])
        self.edited.append((address, ref, card))
        return ref

    async def perform(self, method: str, address: Address, body: dict[str, Any]) -> None:
        failure = self._next_failure()
        if failure is not None:
            raise ChannelFailure(failure[0], failure[1])
        self.performed.append((method, address, body))

    def classify(self, error: BaseException) -> Classified:
        if isinstance(error, ChannelFailure):
            return Classified(error.kind, retry_after=error.retry_after)
        return Classified(ErrorKind.UNKNOWN)

    def is_group(self, address: Address) -> bool:
        return address.conv.startswith("-")

"""Neutral message types: what the services, the outbox and the inbox carry, whatever the messenger.

A `Card` is stored in an outbox row as its JSON body (`Card.body()`), rendered by the adapter at send time.
An action is the versioned string a button carries back (`incV1:ack:12`, bot/actions/), so every button
already sent keeps working whichever channel renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

TELEGRAM = "telegram"


@dataclass(frozen=True)
class Address:
    """A conversation on one channel: a person's private chat or a group (Telegram: the chat id, as text), and
    optionally one thread of a group (Telegram: a forum topic's message_thread_id, as text; "-N" stands in for
    the thread the outbox row N opens, bot/services/room.py). Two addresses of one group in different threads
    are different addresses: a message to each goes to each."""

    channel: str
    conv: str
    thread: str | None = None

    @property
    def conversation(self) -> Address:
        """The conversation itself (a group's General topic)."""
        return Address(self.channel, self.conv) if self.thread is not None else self


@dataclass(frozen=True)
class MessageRef:
    """A message the channel has accepted, as it names it (Telegram: the message id, as text)."""

    channel: str
    ref: str


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # the versioned action string; ≤ 64 bytes (Telegram's callback_data limit, the smallest)

    def body(self) -> dict[str, str]:
        return {"label": self.label, "action": self.action}


Buttons = list[list[Button]]  # rows of buttons


@dataclass(frozen=True)
class InputRequest:
    """Ask for a typed answer to this message (Telegram: force_reply with a placeholder)."""

    placeholder: str = ""


@dataclass(frozen=True)
class Card:
    text: str
    buttons: Buttons = field(default_factory=list)
    title: str | None = None
    input: InputRequest | None = None
    # Parameters only one channel understands, carried verbatim to its adapter and ignored by the others
    # (Telegram: parse_mode, a legacy reply_markup, link_preview_options of a handler's reply …).
    extra: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The JSON an outbox row stores (keys only when set)."""
        out: dict[str, Any] = {**self.extra, "text": self.text}
        if self.title:
            out["title"] = self.title
        if self.buttons:
            out["buttons"] = buttons_body(self.buttons)
        if self.input is not None:
            out["input"] = {"placeholder": self.input.placeholder}
        return out


def buttons_body(rows: Buttons) -> list[list[dict[str, str]]]:
    return [[b.body() for b in row] for row in rows]


def buttons_from_body(data: Any) -> Buttons:
    return [[Button(str(b["label"]), str(b["action"])) for b in row] for row in (data or [])]


BODY_KEYS = ("text", "title", "buttons", "input", "message_id")


def card_from_body(body: dict[str, Any]) -> Card:
    """The card an outbox row's body holds (the inverse of `Card.body()`); an edit's `message_id` is the row's
    reference, not part of the card. A missing text is "" (an edit of the buttons only)."""
    data = body.get("input")
    request = InputRequest(str(data.get("placeholder") or "")) if isinstance(data, dict) else None
    return Card(str(body.get("text") or ""), buttons_from_body(body.get("buttons")), body.get("title") or None,
                request, {k: v for k, v in body.items() if k not in BODY_KEYS})


@dataclass(frozen=True)
class Inbound:
    """One event from a channel, as the core sees it: a press (`action`), a text (`text`, `ref` of the card it
    answers), or both absent for events the adapter handles itself."""

    channel: str
    event_id: str
    actor: str  # the sender's id on that channel
    address: Address
    ref: MessageRef | None = None
    action: str | None = None
    text: str | None = None
    input: str | None = None  # the answer to an InputRequest, when the channel tells them apart


class ErrorKind(StrEnum):
    RETRY_AFTER = "retry_after"      # the channel asks to wait (rate limit)
    PERMANENT = "permanent"          # never retried (blocked, chat gone, bad request)
    UNREACHABLE = "unreachable"      # the person or group cannot be written to now (held, office told)
    NO_RESPONSE = "no_response"      # the call may or may not have happened (timeout, network)
    ERROR_RESPONSE = "error_response"  # the channel answered with a server error: retried
    UNKNOWN = "unknown"              # not the channel's error (a bug?): retried, and it may have gone out


@dataclass(frozen=True)
class Classified:
    kind: ErrorKind
    retry_after: float | None = None  # seconds, for RETRY_AFTER
    migrate_to: str | None = None     # a group's new conversation id (Telegram's supergroup upgrade)
    thread_gone: bool = False         # the thread the message was for is gone (a deleted forum topic)


@dataclass(frozen=True)
class Limits:
    """A channel's published send rates: per bot, per conversation, per group (messages per second)."""

    per_second: float
    per_conversation: float
    per_group_minute: float
    max_text: int
    editable_hours: float | None  # how long a sent card can still be edited (None: no limit)
    idempotent_window_s: float = 0.0  # a send retried within this window with the same key is not repeated

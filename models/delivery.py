"""Delivery tables: the outbox of messages on every channel and the generic due rows the sweeper fires.

Both are worked through by claim + lease (bot/services/outbox.py, schedules/sweeps.py): a worker
marks rows as its own until `claimed_until`; a row whose lease expired is taken over by the next.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.ext.hybrid import Comparator, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# The Bot API method names callers of outbox.enqueue still pass (`method=`) → the kind a row stores: the adapter
# picks the call again at send time (an edit without text changes the buttons only).
METHOD_KINDS = {"sendMessage": "send", "editMessageText": "edit", "editMessageReplyMarkup": "edit",
                "setMyCommands": "commands"}
METHODS = {"send": "sendMessage", "commands": "setMyCommands"}


class _TelegramInt(Comparator):
    """Compares a text column with Telegram's integers (a chat id, a message id) by their text, so the column's
    index serves `OutboxMessage.chat_id == 42` as it serves `OutboxMessage.conv == "42"`."""

    def operate(self, op: Any, *other: Any, **kw: Any) -> Any:
        return op(self.expression, *(_as_text(o) for o in other), **kw)


def _as_text(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_as_text(v) for v in value]
    return value


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def telegram_int(column: str) -> hybrid_property[int | None]:
    """Telegram's integer view of a text column that holds any channel's id (a conversation, a message): reads
    None when the text is not a number (another channel's id), sets the number as text, and compares through
    `_TelegramInt`. For the Telegram side and its tests; the neutral code uses the text column itself."""

    def get(self: Any) -> int | None:
        return _int_or_none(getattr(self, column))

    def put(self: Any, value: int | None) -> None:
        setattr(self, column, None if value is None else str(value))

    def compare(cls: Any) -> _TelegramInt:
        return _TelegramInt(getattr(cls, column))

    return hybrid_property(get, put, custom_comparator=compare)  # type: ignore[arg-type]


class OutboxMessage(Base):
    """One message to deliver on `channel` to the conversation `conv`, at least once: a send, an edit of a
    message sent before, or an operation of that channel alone (Telegram's command menus). The adapter renders
    the neutral body (`payload`: text, title, buttons, input) at send time (docs/channels.md)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram", server_default="telegram")
    conv: Mapped[str] = mapped_column(String(128))  # the conversation on `channel` (Telegram: the chat id, as text)
    # A thread of that conversation (Telegram: a forum topic's message_thread_id, as text); "-N" stands in for the
    # thread the outbox row N opens (kind `topic`), resolved at send time. None: the conversation itself.
    thread: Mapped[str | None] = mapped_column(String(64), default=None)
    kind: Mapped[str] = mapped_column(String(16), default="send")  # send | edit | commands | topic | topic_close
    payload: Mapped[dict] = mapped_column(default=dict)  # the neutral body: text, title, buttons, input…
    # An edit: the outbox row whose message it edits, when that message is (or will be) sent by the outbox and
    # was not sent yet when the edit was queued; else `ref` names the message from the start.
    edits: Mapped[int | None] = mapped_column(Integer, default=None)
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    coalesce_key: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    in_flight: Mapped[bool] = mapped_column(default=False)  # the call to the channel may have been made
    reclaims: Mapped[int] = mapped_column(Integer, default=0)  # leases that expired while sending
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    ref: Mapped[str | None] = mapped_column(String(128), default=None)  # the message, as the channel names it
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    possible_duplicate: Mapped[bool] = mapped_column(default=False)
    merged_into: Mapped[int | None] = mapped_column(Integer, default=None)  # coalesced into that row's message

    # Telegram's views of the neutral columns (its integer ids, its method names), for the Telegram side and
    # its tests; the integers are None when the text is not a number (another channel's ids).
    chat_id = telegram_int("conv")

    @hybrid_property
    def method(self) -> str:
        """The Bot API method of the row's kind (an edit without text: its buttons only)."""
        if self.kind == "edit":
            return "editMessageText" if (self.payload or {}).get("text") else "editMessageReplyMarkup"
        return METHODS.get(self.kind, self.kind)

    @method.inplace.setter
    def _method_setter(self, value: str) -> None:
        self.kind = METHOD_KINDS.get(value, value)

    telegram_message_id = telegram_int("ref")


class DueItem(Base):
    """Something to do at `due_at` (kind nudge; escalation, duty… later). Handlers by kind: schedules/sweeps.py."""

    __tablename__ = "due_items"
    __table_args__ = (Index("ix_due_items_status_due_at", "status", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|claimed|done|cancelled
    payload: Mapped[dict] = mapped_column(default=dict)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    clock_id: Mapped[int | None] = mapped_column(ForeignKey("clocks.id"), index=True, default=None)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True, default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    late: Mapped[bool] = mapped_column(default=False)

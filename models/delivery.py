"""Delivery tables: the outbox of Telegram messages and the generic due rows the sweeper fires.

Both are worked through by claim + lease (bot/services/outbox.py, schedules/sweeps.py): a worker
marks rows as its own until `claimed_until`; a row whose lease expired is taken over by the next.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class OutboxMessage(Base):
    """One Bot API call to make (sendMessage; editMessageText allowed), at least once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram", server_default="telegram")
    chat_id: Mapped[int] = mapped_column(BigInteger)  # the address on `channel` (Telegram: the chat id)
    method: Mapped[str] = mapped_column(String(32), default="sendMessage")
    payload: Mapped[dict] = mapped_column(default=dict)  # text, reply_markup, parse_mode, message_id…
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    coalesce_key: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    in_flight: Mapped[bool] = mapped_column(default=False)  # the call to Telegram may have been made
    reclaims: Mapped[int] = mapped_column(Integer, default=0)  # leases that expired while sending
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    possible_duplicate: Mapped[bool] = mapped_column(default=False)
    merged_into: Mapped[int | None] = mapped_column(Integer, default=None)  # coalesced into that row's message


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

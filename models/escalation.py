"""Who was told about an incident, by which message, and who acknowledged it (the incident card)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.delivery import telegram_int


class IncidentCard(Base):
    """One card message per recipient conversation (a person's private chat or a group, on its channel), edited
    in place as the incident changes."""

    __tablename__ = "incident_cards"
    __table_args__ = (UniqueConstraint("incident_id", "channel", "conv"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram", server_default="telegram")
    conv: Mapped[str] = mapped_column(String(128))  # the conversation on `channel` (Telegram: the chat id, as text)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    audience: Mapped[str] = mapped_column(String(16))  # person | office | upper_office
    level: Mapped[str | None] = mapped_column(String(32), default=None)  # the role that made them a recipient
    outbox_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the sendMessage that created it
    created_at: Mapped[datetime]
    acked_at: Mapped[datetime | None] = mapped_column(default=None)
    acked_by: Mapped[int | None] = mapped_column(BigInteger, default=None)  # telegram id
    # A card never goes back in time: each edit is a version; the sender sends only the latest, and not when
    # its content is what the recipient already sees (bot/services/card_state.py).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # of the latest state queued
    content_hash: Mapped[str | None] = mapped_column(String(32), default=None)  # of that state
    sent_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # the state delivered
    sent_hash: Mapped[str | None] = mapped_column(String(32), default=None)

    # Telegram's view of `conv` (its integer chat id; None for another channel's id), as the outbox has it: for
    # the Telegram side and its tests. Services key a card by its address (channel, conv).
    chat_id = telegram_int("conv")

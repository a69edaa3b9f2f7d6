"""The response clocks running for an incident (docs/domain.md "Deadlines"; rules in bot/domain/clocks.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ResponseClock(Base):
    __tablename__ = "clocks"
    __table_args__ = (UniqueConstraint("incident_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))  # a clock slug (bot.domain.clocks.CLOCKS)
    started_at: Mapped[datetime]
    due_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None] = mapped_column(default=None)
    stop_reason: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|met|missed|stopped
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)

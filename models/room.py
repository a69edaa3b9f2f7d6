"""The incident's room: its own forum topic in the office group (issue 23 item 4), and the decisions typed there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class IncidentRoom(Base):
    """One per incident (unique incident_id: no two rooms after a crash or a retry).

    status: opening (the createForumTopic row is queued, `outbox_id`) | open (`thread`: the channel's thread id)
    | refused (the group is not a forum, or the bot may not manage topics: the office group is used as before)
    | gone (a person deleted the topic: messages go to General) | closed (closed at the incident's closure).
    conv/channel: the office group it was opened in."""

    __tablename__ = "incident_rooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    conv: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="opening")
    outbox_id: Mapped[int | None] = mapped_column(Integer, default=None)
    thread: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    created_at: Mapped[datetime]
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class Decision(Base):
    """A decision recorded with /decide (in the incident's topic, or naming the incident); `task_id` when it
    also gave a task."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), default=None)
    created_at: Mapped[datetime]

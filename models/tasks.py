"""Tasks (督办): work the office, a leader or the person in charge gives a unit or a person on an incident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Task(Base):
    """One task with one owner and a due time.

    owner_id: the person who answers for it. A task given to a unit is owned by the unit's head (the org
    file's `head:`), else by its first active handler (lowest id); unit_id keeps the unit it was given to.
    status: open | accepted | done | help (the owner asked for help; it stays theirs until done).
    late: done after due_at, or still not done at due_at (set by the overdue row); escalated_at: when the
    overdue escalation went out (once)."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open")
    note: Mapped[str | None] = mapped_column(Text, default=None)
    evidence: Mapped[list] = mapped_column(default=list)  # captured items, as follow-ups' evidence
    assigned_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)

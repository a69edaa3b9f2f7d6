"""24-hour duty for a major event (its shifts and swap offers), declared unavailability and the routine daily
patrols."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class DutyEvent(Base):
    """One 24-hour duty: started for an incident (or by command), status running | stopped."""

    __tablename__ = "duty_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True, default=None)
    started_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)  # None: automatic
    stopped_at: Mapped[datetime | None] = mapped_column(default=None)


class DutyShift(Base):
    """One person on one shift of an event (two rows when two people share a shift)."""

    __tablename__ = "duty_shifts"
    __table_args__ = (UniqueConstraint("event_id", "index", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("duty_events.id"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    start: Mapped[datetime]
    end: Mapped[datetime]
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(default=None)
    handover_note: Mapped[str | None] = mapped_column(Text, default=None)
    handover_confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    # A shift starting within the warning time is offered, not imposed (bot/services/duty_offers.py): asked of
    # `offered_to` since `offered_at`; `person_id` stays responsible until someone accepts; who could not take
    # it (people.id) is in `declined`.
    offered_to: Mapped[int | None] = mapped_column(Integer, default=None)
    offered_at: Mapped[datetime | None] = mapped_column(default=None)
    declined: Mapped[list] = mapped_column(default=list)


class SwapOffer(Base):
    """A shift offered by its person; status open | taken (waiting for the office) | done | rejected | cancelled."""

    __tablename__ = "swap_offers"
    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("duty_shifts.id"), index=True)
    from_person: Mapped[int] = mapped_column(ForeignKey("people.id"))
    to_person: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]


class Patrol(Base):
    """A routine patrol a monitor was reminded of; confirmed_at once they pressed a button."""

    __tablename__ = "patrols"
    __table_args__ = (UniqueConstraint("person_id", "day", "slot"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(8))  # morning | evening
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)


class UnavailabilityWindow(Base):
    """A stretch of time a person cannot stand duty (declared in the chat or in the org file); overlapping
    windows of one person are merged when stored, so rows of one person do not overlap."""

    __tablename__ = "unavailability"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")  # merged windows keep every reason
    source: Mapped[str] = mapped_column(String(8), default="chat")  # chat | org
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)  # None: the org file

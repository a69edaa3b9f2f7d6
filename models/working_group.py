"""The special working group of a major incident (专门工作组), its members and its meetings (碰头会)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class WorkingGroup(Base):
    """One group per incident. status: proposed (waiting for the main leader) | confirmed. `reason`: why a
    group was asked for a general incident (None for a major one)."""

    __tablename__ = "working_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    proposed_at: Mapped[datetime]
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)  # None: the grade
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)


class WorkingGroupMember(Base):
    """A member and their role in the group (bot.domain.working_group.GROUP_ROLES; `added`: by the main leader's
    edit). `invited_at`: when the office last sent them an invite link to the office group."""

    __tablename__ = "working_group_members"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]
    invited_at: Mapped[datetime | None] = mapped_column(default=None)


class GroupMeeting(Base):
    """A meeting of the group: the first one (碰头会) is proposed when the group is confirmed."""

    __tablename__ = "group_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    starts_at: Mapped[datetime]
    proposed_at: Mapped[datetime]
    agenda: Mapped[str] = mapped_column(Text, default="")  # as built from the card, in the org's language


class GroupMeetingAnswer(Base):
    """A member's answer to a meeting: join | cant (the latest press counts)."""

    __tablename__ = "group_meeting_answers"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("group_meetings.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    answer: Mapped[str] = mapped_column(String(8))
    answered_at: Mapped[datetime]

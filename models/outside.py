"""Outside communication (对外沟通): media interview requests the leading group authorises or refuses through the
release's approval stages, their decisions, and breaches (interviews or disclosures made without authorisation,
擅自向外界透露)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class InterviewRequest(Base):
    """One media interview request on an incident. status: in_review | authorised | refused; stage (while in
    review): review | approval, as a release's (bot/domain/release.py pipeline). speaker_id: who is to speak —
    the person named at registration, else filled at authorisation with the spokesperson (None: nobody holds
    the role; the office arranges it). talking_points: the 口径 given with the authorisation."""

    __tablename__ = "interview_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    media: Mapped[str] = mapped_column(String(200))
    reporter: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(Text)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    requested_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="in_review")
    stage: Mapped[str | None] = mapped_column(String(16), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    talking_points: Mapped[str | None] = mapped_column(Text, default=None)


class InterviewDecision(Base):
    """A decider's decision at one stage of one request; one per (request, stage, decider) — as
    release_decisions is per version."""

    __tablename__ = "interview_decisions"
    __table_args__ = (UniqueConstraint("request_id", "stage", "decider_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("interview_requests.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    decider_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    decision: Mapped[str] = mapped_column(String(16))  # approve | reject
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime]


class Breach(Base):
    """An interview or disclosure made without authorisation, recorded by the office: who, what, and the
    evidence (a link, or items captured as a report's evidence: a photo or a file sent with the command)."""

    __tablename__ = "breaches"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    who: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2048), default=None)
    evidence: Mapped[list] = mapped_column(default=list)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]

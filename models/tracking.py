"""Tracking and closure: follow-ups posted on an incident, and the proposals to close it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class FollowUp(Base):
    """What was seen since the report: new counts, sentiment now, new platforms/regions, a note."""

    __tablename__ = "followups"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    source: Mapped[str] = mapped_column(String(16))  # command | reply | tracker
    created_at: Mapped[datetime]
    observed_at: Mapped[datetime]  # when the counts were seen; created_at unless given
    reposts: Mapped[int | None] = mapped_column(Integer, default=None)
    comments: Mapped[int | None] = mapped_column(Integer, default=None)
    views: Mapped[int | None] = mapped_column(Integer, default=None)
    sentiment: Mapped[str | None] = mapped_column(String(16), default=None)  # negative | neutral | positive
    sentiment_share: Mapped[int | None] = mapped_column(Integer, default=None)  # percent
    media: Mapped[str | None] = mapped_column(String(16), default=None)  # media level slug
    platforms: Mapped[list] = mapped_column(default=list)  # platform slugs newly seen
    regions: Mapped[list] = mapped_column(default=list)  # region names as written (北京, 本市 …)
    text: Mapped[str] = mapped_column(Text, default="")


class ClosureProposal(Base):
    """The office's proposal to close, with its summary; a leader confirms or refuses it.

    status: pending | confirmed | refused | superseded (a newer proposal, or the incident was
    closed/reopened another way). `approver_role` is the rule in force when it was proposed:
    `leader` (any leader) or `main_leader`.
    """

    __tablename__ = "closure_proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    proposed_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    proposed_at: Mapped[datetime]
    summary: Mapped[dict] = mapped_column(default=dict)  # cause, spread, handling, lessons
    warnings: Mapped[list] = mapped_column(default=list)  # what was open when proposed (release, clocks)
    approver_role: Mapped[str] = mapped_column(String(32), default="leader")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class HeldFollowUp(Base):
    """A follow-up posted while the incident was closed: kept as written until a reopening records it
    (whoever reopens), so nothing the author sent is lost. status: held | recorded."""

    __tablename__ = "held_followups"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    source: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list] = mapped_column(default=list)  # captured items, as record_followup takes them
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="held")
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"), default=None)

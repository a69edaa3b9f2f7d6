"""The authoritative release: its versions (drafts) and the approvers' decisions on each version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ReleaseDraft(Base):
    """One version of an incident's release. status: draft | in_review | approved | rejected |
    changes_requested | published | superseded; stage (while in review): review | approval."""

    __tablename__ = "release_drafts"
    __table_args__ = (UniqueConstraint("incident_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    drafted_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(24), default="draft")
    stage: Mapped[str | None] = mapped_column(String(16), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    outlet: Mapped[str | None] = mapped_column(String(200), default=None)  # where it was published
    link: Mapped[str | None] = mapped_column(String(2048), default=None)


class ReleaseDecision(Base):
    """An approver's decision at one stage of one version; one per (version, stage, approver)."""

    __tablename__ = "release_decisions"
    __table_args__ = (UniqueConstraint("draft_id", "stage", "decider_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("release_drafts.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    decider_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    decision: Mapped[str] = mapped_column(String(16))  # approve | reject | changes
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime]

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
    # the FIRST publication (the one that stopped the 24-hour clock); every outlet is a ReleaseOutlet row
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)


class ReleaseOutlet(Base):
    """One outlet an approved version was published on (新闻通稿、官方微博、官网、主流媒体 or a name as typed), with
    its link. `outlet` holds bot/domain/release.outlet_key: the same outlet twice for one version is refused."""

    __tablename__ = "release_outlets"
    __table_args__ = (UniqueConstraint("draft_id", "outlet"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("release_drafts.id"), index=True)
    outlet: Mapped[str] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(2048), default=None)  # none only where policy allows it
    published_at: Mapped[datetime]
    published_by: Mapped[int] = mapped_column(ForeignKey("people.id"))


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

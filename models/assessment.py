"""The leaders' assessment of an incident (评估: 确定事件性质, 是否需要应对、进行何种程度的应对): one row each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Assessment(Base):
    __tablename__ = "assessments"
    # optimistic concurrency: two assessments based on the same version of the incident's assessments cannot
    # both be stored — the second is refused (and audited) instead of silently overwriting the first
    __table_args__ = (UniqueConstraint("incident_id", "based_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    based_on: Mapped[int] = mapped_column()  # how many assessments the incident had when this one was made
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    actor_name: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime]
    category_before: Mapped[str | None] = mapped_column(String(32), default=None)
    category_after: Mapped[str | None] = mapped_column(String(32), default=None)
    large_effect: Mapped[bool] = mapped_column(Boolean, default=False)
    grade_before: Mapped[str | None] = mapped_column(String(32), default=None)
    grade_after: Mapped[str | None] = mapped_column(String(32), default=None)
    decision: Mapped[str] = mapped_column(String(16))  # watch | respond | full
    reason: Mapped[str] = mapped_column(Text)

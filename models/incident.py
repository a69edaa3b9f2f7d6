"""Incidents, the reports filed on them, and the evidence fixed with each report (or follow-up)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("year", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(32), default=None)
    grade_rules: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(32), default="reported")
    category: Mapped[str | None] = mapped_column(String(32), default=None)
    discovered_at: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    in_charge_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    upper_acked_at: Mapped[datetime | None] = mapped_column(default=None)
    escalation_step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    progressed_at: Mapped[datetime | None] = mapped_column(default=None)  # first disposal step
    tracker_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)  # 动态跟踪专人
    tracker_since: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    close_summary: Mapped[dict | None] = mapped_column(default=None)  # cause, spread, handling, lessons
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)  # the unit involved (涉及单位)


class Report(Base):
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # template | dialog
    fields: Mapped[dict] = mapped_column(default=dict)  # the report fields, JSON-safe (bot.domain.report.to_json)
    discovered_at: Mapped[datetime]
    created_at: Mapped[datetime]


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True, default=None)
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"), index=True, default=None)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # handlers.evidence.FILE_KINDS | forward | link
    file_id: Mapped[str | None] = mapped_column(String(256), default=None)
    file_unique_id: Mapped[str | None] = mapped_column(String(128), default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    size: Mapped[int | None] = mapped_column(BigInteger, default=None)
    mime_type: Mapped[str | None] = mapped_column(String(128), default=None)
    file_name: Mapped[str | None] = mapped_column(String(256), default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    origin: Mapped[str | None] = mapped_column(String(256), default=None)
    url: Mapped[str | None] = mapped_column(String(2048), default=None)
    captured_at: Mapped[datetime]
    captured_by: Mapped[int] = mapped_column(BigInteger)

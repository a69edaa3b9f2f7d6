"""The timeline (audit log): append-only, one hash chain per incident plus a `global` chain.

`chain` is "incident:<id>" or "global" (bot.domain.audit.chain_key), never NULL, so the unique
(chain, seq) settles two appends racing on the same chain — including events with no incident.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("chain", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(40))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True, default=None)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    actor_name: Mapped[str | None] = mapped_column(String(256), default=None)
    # neutral actor ("telegram:<id>", "person:<id>"); hashed only when set, so rows without it hash as before
    actor_ref: Mapped[str | None] = mapped_column(String(64), default=None)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    payload: Mapped[dict] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

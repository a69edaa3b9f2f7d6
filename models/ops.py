"""Running instances of `onduty run`, seen through a heartbeat (issue 7: several instances on PostgreSQL).

Each process upserts its row every few seconds. The live ones share Telegram's bot-wide sending limit
(bot/ops/instances.py) and are listed by /healthz; a row not seen for a while belongs to a dead process.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Instance(Base):
    __tablename__ = "instances"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # host-pid, as in claimed_by
    mode: Mapped[str] = mapped_column(String(16))  # polling | webhook
    started_at: Mapped[datetime]
    seen_at: Mapped[datetime] = mapped_column(index=True)

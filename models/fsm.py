"""Dialog state and draft data, so a half-filled report survives a restart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class FsmRecord(Base):
    __tablename__ = "fsm_state"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200), default=None)
    data: Mapped[dict] = mapped_column(default=dict)
    updated_at: Mapped[datetime]

"""Every incoming update, recorded before its effects commit, so a crash never loses one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class InboxUpdate(Base):
    """One row per (channel, event id): Telegram's update_id, another channel's own numbering."""

    __tablename__ = "inbox"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True, default="telegram",
                                         server_default="telegram")
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict]
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)  # received|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime]
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)

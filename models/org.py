"""The organisation: its units, people (with roles), bound chats and outside contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Organization(Base):
    __tablename__ = "organization"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    work_hours: Mapped[str] = mapped_column(String(32), default="08:30-17:30")
    language: Mapped[str] = mapped_column(String(8), default="zh")
    policy: Mapped[dict] = mapped_column(default=dict)
    bot_username: Mapped[str | None] = mapped_column(String(64), default=None)  # cached by `onduty run`


class Unit(Base):
    """A unit or department (单位、业务部门): the unit an incident involves (涉及单位) is one of these."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list] = mapped_column(default=list)  # other names a report may use (bot.domain.name_match)
    # who answers for the unit (the org file's `head:`); use_alter: people.unit_id points back here
    head_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", use_alter=True), default=None)


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    # the Telegram user id, or a placeholder ≥ bot.domain.identity.UNLINKED_BASE until they open their link;
    # None for a person known on another channel only (their accounts: PersonIdentity)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list] = mapped_column(default=list)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    # where personal messages go first (bot.services.addresses.personal); another linked channel otherwise
    preferred_channel: Mapped[str] = mapped_column(String(16), default="telegram", server_default="telegram")


class PersonIdentity(Base):
    """A person's account on one channel and whether a message can reach it (reachable | unknown |
    unreachable, since when). Written when the state changes, not on every update."""

    __tablename__ = "person_identities"
    __table_args__ = (UniqueConstraint("person_id", "channel"), UniqueConstraint("channel", "external_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    external_id: Mapped[str | None] = mapped_column(String(64), default=None)  # None until linked
    reachable: Mapped[str] = mapped_column(String(16), default="unknown")
    since: Mapped[datetime]
    told_at: Mapped[datetime | None] = mapped_column(default=None)  # the office was told of this unreachable spell


class PersonalLink(Base):
    """A one-time personal link (`https://t.me/<bot>?start=<token>`) for a person or an outside contact listed
    without a telegram_id; opening it binds that account."""

    __tablename__ = "personal_links"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True, default=None)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True, default=None)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class ChatBinding(Base):
    """Named group chats: `office`, `upper_office` — one per (key, channel). `chat_id` is the address on the
    channel (Telegram's chat id; bot.services.addresses.group turns it into an Address)."""

    __tablename__ = "chats"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True, default="telegram",
                                         server_default="telegram")
    chat_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str | None] = mapped_column(String(200), default=None)
    reachable: Mapped[str] = mapped_column(String(16), default="unknown", server_default="unknown")
    since: Mapped[datetime | None] = mapped_column(default=None)
    bound_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)


class Invite(Base):
    __tablename__ = "invites"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    used_at: Mapped[datetime | None] = mapped_column(default=None)

"""A message refused for good: the office is told, in words, who did not get what (bot/delivery/sender.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import TELEGRAM
from bot.i18n import t
from bot.services import addresses, send
from bot.services.addresses import tag
from bot.services.org import load_org
from bot.services.outbox import OutboxItem
from models import Contact, Person

FAILED_NOTICE_PREFIX = "outbox:failed:"


def failure_reason(error: str) -> str:
    """What the office is told of a refusal, in words (the raw text stays in the outbox row for operators)."""
    e = error.lower()
    for needle, reason in (("blocked", "blocked"), ("deactivated", "deactivated"), ("kicked", "kicked"),
                           ("initiate", "never_opened"), ("chat not found", "chat_not_found"),
                           ("too large", "too_large"), ("too long", "too_large")):
        if needle in e:
            return reason
    return "refused"


async def notify_office_of_failure(s: AsyncSession, item: OutboxItem, *, error: str, now: datetime,
                                   default_tz: str = "Asia/Shanghai") -> int:
    """Enqueue the notice that a message could not be delivered: to the office chat, or to the office
    people when no office chat is bound. Nothing for a row that went to the office itself, nor for a
    notice of this kind (no loops). Returns the number of notices enqueued."""
    if (item.dedup_key or "").startswith(FAILED_NOTICE_PREFIX) or item.kind == "commands":
        return 0  # no loops; and a menu that could not be set is for the log, not the office
    org = await load_org(s, default_tz)
    office = await addresses.group(s, "office")
    # who it was for: a Telegram chat is a person's or a contact's Telegram id (another channel: not named yet)
    tg = item.chat_id if item.channel == TELEGRAM and isinstance(item.chat_id, int) else None
    person = await s.scalar(select(Person).where(Person.telegram_id == tg)) if tg is not None else None
    contact = None if person or tg is None else await s.scalar(select(Contact).where(Contact.telegram_id == tg))
    excerpt = item.text if len(item.text) <= 200 else item.text[:199] + "…"
    if office is not None:
        targets = [] if (office.channel, office.conv) == (item.channel, item.conv) else [(office, org.language)]
    else:
        people = (await s.scalars(select(Person).where(Person.active))).all()
        targets = [(to, p.language or org.language) for p in people
                   if "office" in (p.roles or []) and (tg is None or p.telegram_id != tg)
                   and (to := await addresses.person(s, p)) is not None]
    n = 0
    for to, lang in targets:
        who = (person or contact).name if (person or contact) else t("outbox.who.unknown", lang)
        text = t("outbox.failed_notice", lang, who=who, reason=t(f"outbox.reason.{failure_reason(error)}", lang),
                 text=excerpt)
        if await send.to_address(s, to, text=text, now=now,
                                 dedup_key=f"{FAILED_NOTICE_PREFIX}{item.id}:{tag(to)}",
                                 notice="delivery.failed") is not None:
            n += 1
    return n

"""Personal links: a person (or an outside contact) listed without a telegram_id gets a one-time link;
opening it binds that Telegram account to them and makes them reachable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.identity import is_unlinked, new_token
from bot.i18n import t
from bot.services import audit
from bot.services.org import load_org
from bot.services.outbox import enqueue
from bot.services.reachability import (
    LinkError,
    Opened,
    _office_targets,
    link_account,
    person_opened,
)
from models import Contact, Person, PersonalLink


@dataclass(frozen=True)
class LinkRow:
    """One unlinked person's or contact's live link, for `onduty org links`."""

    name: str
    kind: str  # person | contact
    roles: tuple[str, ...]
    unit: str | None
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Redeemed:
    name: str
    roles: tuple[str, ...]
    contact_kind: str | None
    opened: Opened | None


async def _live_link(s: AsyncSession, *, now: datetime, person_id: int | None = None,
                     contact_id: int | None = None) -> PersonalLink | None:
    q = select(PersonalLink).where(PersonalLink.used_at.is_(None), PersonalLink.expires_at > now)
    q = q.where(PersonalLink.person_id == person_id) if person_id is not None else \
        q.where(PersonalLink.contact_id == contact_id)
    return await s.scalar(q.order_by(PersonalLink.created_at.desc()).limit(1))


async def ensure_links(s: AsyncSession, *, now: datetime, ttl_days: int) -> int:
    """A live link for every active unlinked person and every contact without an account (an expired one is
    replaced). Returns how many were made."""
    made = 0
    people = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    contacts = (await s.scalars(select(Contact).where(Contact.telegram_id.is_(None)).order_by(Contact.id))).all()
    targets = [("person", p.id) for p in people if is_unlinked(p.telegram_id)] + [("contact", c.id) for c in contacts]
    for kind, ident in targets:
        key = {"person_id": ident} if kind == "person" else {"contact_id": ident}
        if await _live_link(s, now=now, **key) is None:
            s.add(PersonalLink(token=new_token(), created_at=now, expires_at=now + timedelta(days=ttl_days), **key))
            made += 1
    await s.flush()
    return made


async def live_links(s: AsyncSession, *, now: datetime, ttl_days: int) -> list[LinkRow]:
    """Every unlinked person's and contact's live link, made anew where expired."""
    await ensure_links(s, now=now, ttl_days=ttl_days)
    from bot.services.org import unit_names

    units = await unit_names(s)
    out = []
    for p in (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all():
        if is_unlinked(p.telegram_id):
            link = await _live_link(s, now=now, person_id=p.id)
            out.append(LinkRow(p.name, "person", tuple(p.roles or ()), units.get(p.unit_id), link.token,
                               link.expires_at))
    for c in (await s.scalars(select(Contact).where(Contact.telegram_id.is_(None)).order_by(Contact.id))).all():
        link = await _live_link(s, now=now, contact_id=c.id)
        out.append(LinkRow(c.name, "contact", (c.kind,), None, link.token, link.expires_at))
    return out


async def redeem_link(s: AsyncSession, *, token: str, telegram_id: int, account_name: str, now: datetime,
                      lang: str) -> Redeemed:
    """Bind the account that opened the link. LinkError: unknown, used (by another account), expired,
    account_taken (this account already belongs to someone else). The office hears of each refusal but the
    unknown token."""
    link = await s.get(PersonalLink, token)
    if link is None:
        raise LinkError("unknown")
    whom = await (s.get(Person, link.person_id) if link.person_id else s.get(Contact, link.contact_id))
    if whom is None:
        raise LinkError("unknown")
    if link.used_at is not None:
        if link.used_by == telegram_id:  # the same person tapping it again: nothing wrong, nothing to do
            return Redeemed(whom.name, tuple(getattr(whom, "roles", None) or ()), getattr(whom, "kind", None), None)
        await _tell_office(s, "used", name=whom.name, account=account_name, now=now)
        raise LinkError("used")
    if link.expires_at <= now:
        await _tell_office(s, "expired", name=whom.name, account=account_name, now=now)
        raise LinkError("expired")
    if isinstance(whom, Person):
        try:
            await link_account(s, whom, telegram_id, now=now)
        except LinkError:
            await _tell_office(s, "account_taken", name=whom.name, account=account_name, now=now)
            raise
    else:
        if await s.scalar(select(Contact.id).where(Contact.telegram_id == telegram_id, Contact.id != whom.id)):
            raise LinkError("account_taken")
        whom.telegram_id = telegram_id
    claimed = await s.execute(update(PersonalLink).where(PersonalLink.token == token, PersonalLink.used_at.is_(None))
                              .values(used_at=now, used_by=telegram_id).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # opened twice at once: the other one won
        raise LinkError("used")
    await audit.append(s, incident_id=None, kind="account_linked", now=now, actor_telegram_id=telegram_id, actor_name=whom.name,
                           payload={"who": whom.name, "as": "person" if isinstance(whom, Person) else "contact"})
    opened = None
    if isinstance(whom, Person):
        opened = await person_opened(s, whom.id, telegram_id, now=now, lang=lang)
        await _tell_office(s, "linked", name=whom.name, account=account_name, now=now)
    return Redeemed(whom.name, tuple(getattr(whom, "roles", None) or ()), getattr(whom, "kind", None), opened)


async def _tell_office(s: AsyncSession, what: str, *, name: str, account: str, now: datetime) -> None:
    org = await load_org(s)
    for chat, lang in (await _office_targets(s, org.language)).items():
        await enqueue(s, chat_id=chat, text=t(f"link.office.{what}", lang, name=name, account=account), now=now,
                      dedup_key=f"link:{what}:{name}:{now.isoformat()}:{chat}")


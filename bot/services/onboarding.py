"""Personal links: a person (or an outside contact) listed without a telegram_id gets a one-time link;
opening it binds that Telegram account to them and makes them reachable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import TELEGRAM, Address
from bot.domain import audit_kinds as K
from bot.domain.identity import is_unlinked, new_token
from bot.i18n import t
from bot.services import audit
from bot.services.addresses import tag
from bot.services.org import load_org, unit_names
from bot.services.reachability import (
    LinkError,
    Opened,
    link_account,
    office_targets,
    person_opened,
)
from bot.services.send import to_address
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
    """Bind the account that opened the link. LinkError: unknown, used (by another account, or the person has an
    account by now), expired, account_taken (this account already belongs to someone else). The office hears of
    each refusal but the unknown token, once per link and account.

    The link is claimed before anything is written, and the binding runs in a savepoint: of two accounts opening
    one link at once, exactly one is bound, and a refused binding leaves the link unused."""
    link = await s.get(PersonalLink, token)
    if link is None:
        raise LinkError("unknown")
    whom = await (s.get(Person, link.person_id) if link.person_id else s.get(Contact, link.contact_id))
    if whom is None:
        raise LinkError("unknown")
    tell = dict(name=whom.name, account=account_name, token=token, telegram_id=telegram_id, now=now)
    if link.used_at is not None and link.used_by == telegram_id:  # the same person tapping it again
        return Redeemed(whom.name, tuple(getattr(whom, "roles", None) or ()), getattr(whom, "kind", None), None)
    if link.used_at is not None or (whom.telegram_id is not None and not is_unlinked(whom.telegram_id)):
        await _tell_office(s, "used", **tell)
        raise LinkError("used")
    if link.expires_at <= now:
        await _tell_office(s, "expired", **tell)
        raise LinkError("expired")
    try:
        async with s.begin_nested():
            claimed = await s.execute(update(PersonalLink).where(
                PersonalLink.token == token, PersonalLink.used_at.is_(None), PersonalLink.expires_at > now)
                .values(used_at=now, used_by=telegram_id).execution_options(synchronize_session=False))
            if claimed.rowcount != 1:  # opened twice at once: the other one won
                raise LinkError("used")
            if isinstance(whom, Person):
                await link_account(s, whom, telegram_id, now=now)
            elif await s.scalar(select(Contact.id).where(Contact.telegram_id == telegram_id, Contact.id != whom.id)):
                raise LinkError("account_taken")
            else:
                whom.telegram_id = telegram_id
                await s.flush()
    except LinkError as e:
        await _tell_office(s, e.code, **tell)
        raise
    await audit.append(s, incident_id=None, kind=K.ACCOUNT_LINKED, now=now, actor_telegram_id=telegram_id,
                       actor_name=whom.name,
                       payload={"who": whom.name, "as": "person" if isinstance(whom, Person) else "contact"})
    opened = None
    if isinstance(whom, Person):
        opened = await person_opened(s, whom.id, telegram_id, now=now, lang=lang)
        await _tell_office(s, "linked", **tell)
    return Redeemed(whom.name, tuple(getattr(whom, "roles", None) or ()), getattr(whom, "kind", None), opened)


async def _tell_office(s: AsyncSession, what: str, *, name: str, account: str, token: str, telegram_id: int,
                       now: datetime) -> None:
    """Once per link, account and outcome: whoever holds a refused link cannot flood the office with it."""
    org = await load_org(s)
    account_chat = Address(TELEGRAM, str(telegram_id))  # the Telegram account that opened the link
    for to, lang in (await office_targets(s, org.language, exclude=account_chat)).items():  # not to themselves
        await to_address(s, to, text=t(f"link.office.{what}", lang, name=name, account=account), now=now,
                         dedup_key=f"link:{what}:{token}:{telegram_id}:{tag(to)}", notice="link.office")


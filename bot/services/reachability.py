"""Whether a message can reach a person (or a bound group), and what happens when that changes.

An identity is reachable (they opened the bot, or a send succeeded), unknown (never seen: a send is tried)
or unreachable (Telegram refused with 403, they blocked the bot, or no account is linked yet). Outbox rows
to an unreachable address are not sent into a 403 and not failed: they wait (`held`), the office is told
once per unreachable spell, and when the person opens the bot the rows still meaningful go out — a card's
pending row is kept current by refresh_cards, so it arrives as the incident stands now, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address
from bot.domain import audit_kinds as K
from bot.domain.identity import REACHABLE, TELEGRAM, UNKNOWN, UNREACHABLE, is_unlinked
from bot.i18n import t
from bot.services import addresses, audit
from bot.services.addresses import tag
from bot.services.memo import forget
from bot.services.menus import private_menu_for, refresh_menus
from bot.services.org import load_org, people_with_roles
from bot.services.outbox import enqueue, held_clause  # noqa: F401 - held_clause re-exported
from models import ChatBinding, Incident, IncidentCard, OutboxMessage, Person, PersonalLink, PersonIdentity

# why a person cannot be reached, from Telegram's 403 description
NEVER_OPENED, BLOCKED, DEACTIVATED, NOT_LINKED = "never_opened", "blocked", "deactivated", "not_linked"


class LinkError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def why_refused(description: str) -> str:
    d = description.lower()
    if "blocked" in d:
        return BLOCKED
    if "deactivated" in d:
        return DEACTIVATED
    return NEVER_OPENED


async def ensure_identity(s: AsyncSession, person: Person, *, now: datetime) -> PersonIdentity:
    """The person's telegram identity, created when missing (unknown; unreachable while no account is linked),
    and kept in step with the account."""
    row = await s.scalar(select(PersonIdentity).where(PersonIdentity.person_id == person.id,
                                                      PersonIdentity.channel == TELEGRAM))
    external = None if is_unlinked(person.telegram_id) else str(person.telegram_id)
    if row is None:
        row = PersonIdentity(person_id=person.id, channel=TELEGRAM, external_id=external,
                             reachable=UNREACHABLE if external is None else UNKNOWN, since=now)
        s.add(row)
    elif row.external_id != external:
        row.external_id, row.reachable, row.since, row.told_at = external, UNKNOWN if external else UNREACHABLE, now, None
    await s.flush()
    return row


async def link_account(s: AsyncSession, person: Person, telegram_id: int, *, now: datetime) -> None:
    """Bind a Telegram account to a person imported without one: what waited for the placeholder address
    (cards, approvals, shift reminders) is now addressed to the account."""
    if person.telegram_id == telegram_id:
        return
    other = await s.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if other is not None and other.id != person.id:
        raise LinkError("account_taken")
    old = person.telegram_id
    person.telegram_id = telegram_id
    await s.flush()
    if is_unlinked(old):
        await s.execute(update(OutboxMessage).where(OutboxMessage.channel == TELEGRAM, OutboxMessage.conv == str(old),
                                                    OutboxMessage.status == "pending")
                        .values(conv=str(telegram_id)).execution_options(synchronize_session=False))
        await s.execute(update(IncidentCard).where(IncidentCard.channel == TELEGRAM, IncidentCard.conv == str(old))
                        .values(conv=str(telegram_id)).execution_options(synchronize_session=False))
        # a link handed out earlier must not bind the person to whoever opens it now
        await s.execute(update(PersonalLink).where(PersonalLink.person_id == person.id, PersonalLink.used_at.is_(None))
                        .values(used_at=now, used_by=telegram_id).execution_options(synchronize_session=False))
    forget(s, "people")
    await ensure_identity(s, person, now=now)


async def set_person_state(s: AsyncSession, telegram_id: int, state: str, *, now: datetime,
                           unless_since: datetime | None = None) -> int | None:
    """Write the state when it changes; the person's id when it did, else None. `unless_since`: leave a
    "reachable" written after that instant (they opened the bot while a send to them was being refused)."""
    pi = PersonIdentity
    q = update(pi).where(pi.channel == TELEGRAM, pi.external_id == str(telegram_id), pi.reachable != state)
    if unless_since is not None:  # only a "reachable" written after the try wins over the refusal
        q = q.where(or_(pi.reachable != REACHABLE, pi.since <= unless_since))
    forget(s, "identities")  # the delivery rule's memo (bot/services/addresses.py)
    return await s.scalar(q.values(reachable=state, since=now, told_at=None).returning(pi.person_id))


async def state_of(s: AsyncSession, person_id: int) -> tuple[str, datetime] | None:
    row = (await s.execute(select(PersonIdentity.reachable, PersonIdentity.since)
                           .where(PersonIdentity.person_id == person_id, PersonIdentity.channel == TELEGRAM))).first()
    return (row.reachable, row.since) if row else None


# ---------------------------------------------------------------- a person refuses, or comes back

async def person_refused(s: AsyncSession, telegram_id: int, *, description: str, now: datetime,
                         tried_at: datetime | None = None, default_tz: str = "Asia/Shanghai") -> bool:
    """Telegram answered 403 for a private chat. False when no person has that account (the caller fails
    the row as before). Otherwise the rows wait, and the office hears of it once for this spell."""
    person = await s.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if person is None:
        return False
    ident = await ensure_identity(s, person, now=tried_at or now)  # a missing one counts as known since the try
    why = why_refused(description)
    if await set_person_state(s, telegram_id, UNREACHABLE, now=now, unless_since=tried_at) is not None:
        await audit_person(s, person.name, K.PERSON_UNREACHABLE, now=now, why=why)
    await s.refresh(ident)
    if ident.reachable == REACHABLE:  # they opened the bot meanwhile: the rows go out on the next pass
        return True
    await tell_office_unreachable(s, person, why=why, now=now, default_tz=default_tz)
    return True


async def person_blocked(s: AsyncSession, person_id: int, telegram_id: int, *, now: datetime) -> None:
    """They blocked the bot (a private my_chat_member): unreachable, recorded, and the office told once."""
    if await set_person_state(s, telegram_id, UNREACHABLE, now=now) is not None:
        person = await s.get(Person, person_id)
        await audit_person(s, person.name, K.PERSON_UNREACHABLE, now=now, why=BLOCKED)
        await tell_office_unreachable(s, person, why=BLOCKED, now=now)


async def audit_person(s: AsyncSession, name: str, kind: str, *, now: datetime, **payload: Any) -> None:
    """Who can be reached changes who receives what: the organisation's chain records it."""
    await audit.append(s, incident_id=None, kind=kind, now=now, payload={"who": name, **payload})


async def tell_office_not_linked(s: AsyncSession, placeholder: int, *, now: datetime) -> None:
    """A message waits for someone with no account linked: the office hears of it once (until they link)."""
    person = await s.scalar(select(Person).where(Person.telegram_id == placeholder))
    if person is not None:
        await tell_office_unreachable(s, person, why=NOT_LINKED, now=now)


async def tell_office_unreachable(s: AsyncSession, person: Person, *, why: str, now: datetime,
                                  default_tz: str = "Asia/Shanghai") -> int:
    """Once per unreachable spell (told_at marks it): the office learns who is not reached and the fix."""
    ident = await s.scalar(select(PersonIdentity).where(PersonIdentity.person_id == person.id,
                                                        PersonIdentity.channel == TELEGRAM))
    if ident is None or ident.told_at is not None or not person.active:
        return 0
    org = await load_org(s, default_tz)
    n = 0
    for to, lang in (await office_targets(s, org.language, not_person=person.id)).items():
        if await enqueue(s, to=to, text=t(f"reach.office.{why}", lang, name=person.name), now=now,
                         dedup_key=f"reach:{person.id}:{now.isoformat()}:{tag(to)}",
                         notice="reach.office") is not None:
            n += 1
    if n:  # nobody of the office reachable yet: the next refusal tries again
        ident.told_at = now
    return n


async def office_targets(s: AsyncSession, default_lang: str, *, exclude: Address | None = None,
                         not_person: int | None = None) -> dict[Address, str]:
    """The office group when it can be reached, else the office members with an account linked: address →
    language, but `exclude` (the group itself, an account writing now) and the person `not_person`."""
    office = await addresses.group_reachable(s, "office")
    if office is not None:
        return {} if office == exclude else {office: default_lang}
    out: dict[Address, str] = {}
    for p in await people_with_roles(s, ("office",)):
        to = await addresses.person(s, p)
        if p.id != not_person and to is not None and to != exclude and not addresses.is_placeholder(to):
            out.setdefault(to, p.language or default_lang)
    return out


@dataclass(frozen=True)
class Opened:
    released: int  # waiting rows that will now go out
    closed: tuple[str, ...]  # incidents closed meanwhile, told in one line


async def person_opened(s: AsyncSession, person_id: int, telegram_id: int, *, now: datetime,
                        lang: str) -> Opened | None:
    """They wrote to the bot in private (or /start, or unblocked it): reachable again. None when they already
    were. What waited for them is released once: a card still pending carries the incident as it stands
    now (the escalation reminders that waited with it are dropped); cards of incidents closed meanwhile give
    way to one summary line; of several edits of one message only the latest is kept."""
    ident = await s.scalar(select(PersonIdentity).where(PersonIdentity.person_id == person_id,
                                                        PersonIdentity.channel == TELEGRAM))
    if ident is None:  # registered by an invite, before identities: one now, so this is asked only once
        ident = await ensure_identity(s, await s.get(Person, person_id), now=now)
    if ident.reachable == REACHABLE:
        return None
    was_told, was_unreachable = ident.told_at is not None, ident.reachable == UNREACHABLE
    pi = PersonIdentity
    won = await s.execute(update(pi).where(pi.id == ident.id, pi.reachable == ident.reachable)
                          .values(reachable=REACHABLE, since=now, told_at=None)
                          .execution_options(synchronize_session=False))
    forget(s, "identities")
    if won.rowcount != 1:  # another instance took the same change: it releases what waited, once
        return None
    await s.refresh(ident)
    o = OutboxMessage
    # what waited goes now, not after the back-off it was given when the 403 came (a reply would queue behind it)
    here = and_(o.channel == TELEGRAM, o.conv == str(telegram_id))
    await s.execute(update(o).where(here, o.status == "pending", o.not_before > now)
                    .values(not_before=now).execution_options(synchronize_session=False))
    rows = (await s.execute(select(o.id, o.kind, o.payload, o.edits, o.ref, o.dedup_key).where(
        here, o.status == "pending").order_by(o.id))).all()
    superseded, closed, latest_edit, reminders = [], [], {}, []
    card_incidents = {}
    for r in rows:
        key = r.dedup_key or ""
        if key.startswith("card:"):
            card_incidents[r.id] = int(key.split(":")[1])
        elif key.startswith("esc:"):
            reminders.append(r.id)
        if r.kind == "edit" and (r.payload or {}).get("text"):
            mid = (r.edits, r.ref)
            if mid in latest_edit:
                superseded.append(latest_edit[mid])
            latest_edit[mid] = r.id
    if card_incidents:  # reminders to acknowledge give way to the cards that waited: those say where things stand
        superseded += reminders
        done = dict((await s.execute(select(Incident.id, Incident.number).where(
            Incident.id.in_(set(card_incidents.values())), Incident.status == "closed"))).all())
        for row_id, inc in card_incidents.items():
            if inc in done:
                superseded.append(row_id)
                closed.append(done[inc])
    if superseded:
        await s.execute(update(o).where(o.id.in_(superseded), o.status == "pending")
                        .values(status="superseded", last_error="replaced when the person opened the bot")
                        .execution_options(synchronize_session=False))
    if closed:
        await enqueue(s, to=Address(TELEGRAM, str(telegram_id)),  # the chat they opened
                      text=t("reach.closed_meanwhile", lang, numbers=t("list.sep", lang).join(sorted(set(closed)))),
                      now=now, dedup_key=f"reach:closed:{person_id}:{now.isoformat()}",
                      notice="reach.closed_meanwhile")
    opened = Opened(released=len(rows) - len(superseded), closed=tuple(sorted(set(closed))))
    person = await s.get(Person, person_id)
    if was_unreachable and not is_unlinked(telegram_id):
        await audit_person(s, person.name, K.PERSON_REACHABLE, now=now, released=opened.released)
    await private_menu_for(s, person, lang=person.language or lang, now=now)
    if was_told:  # the office heard they could not be reached: it hears that they can now
        org = await load_org(s)
        for to, olang in (await office_targets(s, org.language, not_person=person_id)).items():
            await enqueue(s, to=to, text=t("reach.office.back", olang, name=person.name, n=opened.released),
                          now=now, dedup_key=f"reach:back:{person_id}:{now.isoformat()}:{tag(to)}",
                          notice="reach.office")
    return opened


async def person_succeeded(s: AsyncSession, telegram_ids: list[int], *, now: datetime) -> None:
    """A send to them went through: they are reachable (written only where it changes)."""
    pi = PersonIdentity
    await s.execute(update(pi).where(pi.channel == TELEGRAM, pi.external_id.in_([str(i) for i in telegram_ids]),
                                     pi.reachable != REACHABLE)
                    .values(reachable=REACHABLE, since=now, told_at=None).execution_options(synchronize_session=False))
    forget(s, "identities")


# ---------------------------------------------------------------- bound groups

async def group_state(s: AsyncSession, chat: int, state: str, *, now: datetime) -> tuple[ChatBinding, str] | None:
    """The bot was removed from (or added back to) a bound group: the binding's state, written on a change.
    The binding and its state before, when it changed; else None."""
    row = await s.scalar(select(ChatBinding).where(ChatBinding.channel == TELEGRAM, ChatBinding.chat_id == chat))
    if row is None or row.reachable == state:
        return None
    before = row.reachable
    row.reachable, row.since = state, now
    forget(s, "chats")
    await audit.append(s, incident_id=None, kind=K.CHAT_UNREACHABLE if state == UNREACHABLE else K.CHAT_REACHABLE,
                       now=now, payload={"key": row.key, "title": row.title or ""})
    return row, before


async def group_refused(s: AsyncSession, chat: int, *, now: datetime, default_tz: str = "Asia/Shanghai") -> bool:
    """403 from a group: a bound one waits (and the office hears once); False for any other group."""
    row = await s.scalar(select(ChatBinding).where(ChatBinding.channel == TELEGRAM, ChatBinding.chat_id == chat))
    if row is None:
        return False
    if await group_state(s, chat, UNREACHABLE, now=now) is not None:
        await tell_group_removed(s, row, now=now, default_tz=default_tz)
    return True


async def tell_group_removed(s: AsyncSession, row: ChatBinding, *, now: datetime,
                             default_tz: str = "Asia/Shanghai") -> int:
    org = await load_org(s, default_tz)
    n = 0
    gone = Address(row.channel, str(row.chat_id))
    for to, lang in (await office_targets(s, org.language, exclude=gone)).items():
        if await enqueue(s, to=to, text=t("reach.office.group_removed", lang, key=t(f"chat.key.{row.key}", lang),
                                          title=row.title or t(f"chat.key.{row.key}", lang)),
                         now=now, dedup_key=f"reach:chat:{row.key}:{now.isoformat()}:{tag(to)}",
                         notice="reach.office") is not None:
            n += 1
    return n


async def group_migrated(s: AsyncSession, old: int, new: int, *, now: datetime) -> bool:
    """A group became a supergroup (a new chat id): its binding, its cards and what waits follow it."""
    o = OutboxMessage
    row = await s.scalar(select(ChatBinding).where(ChatBinding.channel == TELEGRAM, ChatBinding.chat_id == old))
    # a menu names its chat inside (its scope): the old one's are dropped, and set again for the new id below
    await s.execute(update(o).where(o.channel == TELEGRAM, o.conv.in_((str(old), str(new))), o.status == "pending",
                                    o.kind == "commands")
                    .values(status="superseded", last_error="the group became a supergroup")
                    .execution_options(synchronize_session=False))
    await s.execute(update(o).where(o.channel == TELEGRAM, o.conv == str(old), o.status == "pending")
                    .values(conv=str(new)).execution_options(synchronize_session=False))
    await s.execute(update(IncidentCard).where(IncidentCard.channel == TELEGRAM, IncidentCard.conv == str(old))
                    .values(conv=str(new)).execution_options(synchronize_session=False))
    if row is None:
        return False
    row.chat_id = new
    forget(s, "chats")
    await s.flush()
    if row.key == "office" and row.reachable == REACHABLE:
        await refresh_menus(s, default_lang=(await load_org(s)).language, now=now)
    return True


# ---------------------------------------------------------------- who could not be reached

async def unreachable_among(s: AsyncSession, person_ids: list[int]) -> list[str]:
    """Names of these people whom a message cannot reach now (unlinked, refused, or blocked)."""
    if not person_ids:
        return []
    pi = PersonIdentity
    rows = await s.execute(select(Person.name).join(pi, and_(pi.person_id == Person.id, pi.channel == TELEGRAM))
                           .where(Person.id.in_(person_ids), pi.reachable == UNREACHABLE).order_by(Person.id))
    return [r.name for r in rows]

"""Importing the org file: the idempotent upsert of organisation, units, people, chats and contacts, and what
follows from it — accounts linked, identities made, bindings moved, personal links handed out, menus and open
release stages brought in step. Above bot/services/org.py, which every service reads (load_org, people_with_roles…)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.identity import TELEGRAM, is_unlinked, placeholder_id
from bot.domain.orgfile import OrgFile, OrgFileError, windows
from bot.domain.policy import Policy
from bot.services.binding import move_chat
from bot.services.menus import refresh_menus
from bot.services.onboarding import ensure_links
from bot.services.org import ORG_ID, load_org
from bot.services.reachability import ensure_identity, link_account
from bot.services.release_stage import reask_open_stages
from bot.services.unavailability import apply_to_running, store
from models import ChatBinding, Contact, Organization, Person, Unit


async def import_org(s: AsyncSession, org: OrgFile, *, now: datetime | None = None) -> dict[str, Any]:
    """Upsert everything in the file; people and units not in the file are left as they are.
    `unavailable:` windows are merged into the person's stored ones (idempotent; a window removed from the
    file stays until deleted with /unavailable); windows already over are skipped. A window over someone's
    future shift of a running duty moves that shift, as a declaration in the chat does."""
    row = await s.get(Organization, ORG_ID)
    if row is None:
        row = Organization(id=ORG_ID)
        s.add(row)
    o = org.organization
    row.name, row.timezone, row.work_hours, row.language = o.name, o.timezone, o.work_hours, o.language
    row.policy = org.policy

    units = {u.name: u for u in (await s.scalars(select(Unit))).all()}
    for u in org.units:
        if u.name not in units:
            units[u.name] = Unit(name=u.name)
            s.add(units[u.name])
        units[u.name].aliases = list(u.aliases)
    await s.flush()

    rows_for = _match_people(org, list((await s.scalars(select(Person).order_by(Person.id))).all()))
    for i, p in enumerate(org.people):
        row_p = rows_for.get(i)
        if row_p is None:
            row_p = Person(telegram_id=p.telegram_id if p.telegram_id is not None else placeholder_id())
        rows_for[i] = row_p
        row_p.name, row_p.roles, row_p.language, row_p.active = p.name, list(p.roles), p.language, True
        row_p.unit_id = units[p.unit].id if p.unit else None
        row_p.phone = p.phone
        s.add(row_p)
    await s.flush()

    by_name = {p.name: rows_for[i] for i, p in enumerate(org.people)}
    for u in org.units:  # heads after people: a head may be new in this file (parse_org_file checked the names)
        units[u.name].head_id = by_name[u.head].id if u.head else None

    for i, p in enumerate(org.people):
        row_p = rows_for[i]
        if p.telegram_id is not None and row_p.telegram_id != p.telegram_id:  # the file now gives the account
            await link_account(s, row_p, p.telegram_id, now=now or datetime.now(UTC))
        await ensure_identity(s, row_p, now=now or datetime.now(UTC))
    counts = await _import_unavailability(s, org, rows_for, now or datetime.now(UTC))

    changes = []
    for key, chat in org.chats.items():  # a key left out of the file keeps its binding (made by /bind)
        row_c = await s.get(ChatBinding, (key, TELEGRAM))  # the org file's chats are Telegram's
        if row_c is None:
            s.add(ChatBinding(key=key, chat_id=chat))
        elif row_c.chat_id != chat:
            changes.append((key, row_c.chat_id, chat))
            old = row_c.chat_id
            row_c.chat_id, row_c.reachable, row_c.since, row_c.title = chat, "unknown", None, None
            await s.flush()
            await move_chat(s, old, chat, now=now or datetime.now(UTC))

    contacts = {c.name: c for c in (await s.scalars(select(Contact))).all()}
    for c in org.contacts:
        row_c = contacts.get(c.name) or Contact(name=c.name)
        row_c.kind = c.kind
        if c.telegram_id is not None:  # left out: keeps the account a personal link bound
            row_c.telegram_id = c.telegram_id
        s.add(row_c)
    await s.flush()
    links = await ensure_links(s, now=now or datetime.now(UTC), ttl_days=Policy.from_mapping(org.policy).onboarding.link_ttl_days)
    out: dict[str, Any] = {"units": len(org.units), "people": len(org.people), "contacts": len(org.contacts),
                           "chats": len(org.chats), **counts}
    if links:
        out["personal_links"] = links
    # roles may have changed: menus follow
    await refresh_menus(s, default_lang=org.organization.language, now=now or datetime.now(UTC))
    # people or policy changed: a release waiting for a decision goes to whoever may now decide
    await reask_open_stages(s, org=await load_org(s), now=now or datetime.now(UTC))
    if changes:
        out["chat_changes"] = changes
    return out


def _match_people(org: OrgFile, stored: list[Person]) -> dict[int, Person]:
    """The stored person each file entry means (by the entry's position; absent: a new person). An entry with a
    telegram_id is that account's row, or else the one unlinked row of that name (the account is now given). An
    entry without one is the row of that name no other entry claims, an unlinked one first: a person who linked
    an account since is not unlinked by a file that does not know it, and a namesake never takes another's row.
    Two rows it could be: OrgFileError, nothing imported."""
    by_tid = {p.telegram_id: p for p in stored}
    out: dict[int, Person] = {}
    claimed: set[int] = set()
    for i, p in enumerate(org.people):
        if p.telegram_id is None:
            continue
        row = by_tid.get(p.telegram_id)
        if row is None:
            named = [r for r in stored if r.name == p.name and is_unlinked(r.telegram_id) and r.id not in claimed]
            row = named[0] if len(named) == 1 else None
        if row is not None:
            out[i] = row
            claimed.add(row.id)
    for i, p in enumerate(org.people):
        if p.telegram_id is not None:
            continue
        named = [r for r in stored if r.name == p.name and r.id not in claimed]
        unlinked = [r for r in named if is_unlinked(r.telegram_id)]
        pick = unlinked or named
        if len(pick) > 1:
            raise OrgFileError(f"people: {p.name} matches {len(pick)} stored people of that name; give this entry "
                               "its telegram_id")
        if pick:
            out[i] = pick[0]
            claimed.add(pick[0].id)
    return out


async def _import_unavailability(s: AsyncSession, org: OrgFile, people: dict[int, Person],
                                 now: datetime) -> dict[str, int]:
    stored, past, moves = 0, 0, []
    for i, p in enumerate(org.people):
        for w in windows(org, p):
            if w.end <= now:
                past += 1
                continue
            row, _ = await store(s, person_id=people[i].id, window=w, source="org", by=None, now=now)
            stored += 1
            moves.append((people[i], row.start, row.end))
    if moves:
        dto = await load_org(s)
        for person, start, end in moves:
            await apply_to_running(s, person=person, start=start, end=end, org=dto, now=now)
    out = {"unavailable": stored} if stored or past else {}
    if past:
        out["unavailable_past_skipped"] = past
    return out

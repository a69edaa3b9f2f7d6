"""Groups bound by a command: `/bind office|upper_office` and `/unbind`, audited; and who can be reached, for
`/people` and `onduty org status`. Bindings made here (and by the org file's `chats:`) are Telegram's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain.identity import REACHABLE, TELEGRAM, UNKNOWN, UNREACHABLE, is_unlinked
from bot.i18n import t
from bot.services import addresses, audit
from bot.services.addresses import tag
from bot.services.dto import PersonDTO
from bot.services.escalation import card_at, card_view, render_card
from bot.services.memo import forget
from bot.services.menus import refresh_menus
from bot.services.org import load_org
from bot.services.send import to_address
from models import ChatBinding, Incident, IncidentCard, OutboxMessage, Person, PersonIdentity, Unit

KEYS = ("office", "upper_office")


@dataclass(frozen=True)
class BindResult:
    code: str  # done | already | confirm | unknown_key | not_allowed
    key: str = ""
    previous_title: str | None = None


def may_bind(person: PersonDTO | None) -> bool:
    return person is not None and person.has("admin", "office")


async def bind(s: AsyncSession, *, key: str, chat: int, title: str | None, person: PersonDTO, now: datetime,
               confirmed: bool = False, lang: str = "zh") -> BindResult:
    """Bind `key` to this group. A key bound to another group asks to confirm first; confirmed, the other
    group is told. Nothing is decided here about who is a chat administrator: the handler asks Telegram."""
    if key not in KEYS:
        return BindResult("unknown_key", key)
    if not may_bind(person):
        return BindResult("not_allowed", key)
    row = await s.get(ChatBinding, (key, TELEGRAM))  # /bind is Telegram's command: its binding
    if row is not None and row.chat_id == chat:
        if row.reachable != REACHABLE or (title and row.title != title):
            row.reachable, row.since, row.title = REACHABLE, now, title or row.title
            forget(s, "chats")
        return BindResult("already", key)
    if row is not None and not confirmed:
        return BindResult("confirm", key, row.title)
    previous = (row.chat_id, row.title, row.reachable) if row is not None else None
    if row is None:
        row = ChatBinding(key=key, chat_id=chat)
        s.add(row)
    row.chat_id, row.title, row.reachable, row.since, row.bound_by = chat, title, REACHABLE, now, person.id
    forget(s, "chats")
    await s.flush()
    if previous is not None:
        await move_chat(s, previous[0], chat, now=now)
    await audit.append(s, incident_id=None, kind=K.CHAT_BOUND, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"key": key, "title": title or "", "replaced": previous[1] or "" if previous else ""})
    if key == "office":
        await refresh_menus(s, default_lang=lang, now=now)
    if previous is not None and previous[2] != UNREACHABLE:  # a group the bot was removed from hears nothing
        await to_address(s, addresses.telegram(previous[0]), now=now, dedup_key=f"bind:moved:{key}:{now.isoformat()}",
                         text=t("bind.moved_away", lang, key=t(f"chat.key.{key}", lang), name=person.name,
                                title=title or t("bind.unknown_title", lang)), notice="bind.moved")
    return BindResult("done", key, previous[1] if previous else None)


async def unbind(s: AsyncSession, *, chat: int, person: PersonDTO, now: datetime) -> list[str]:
    """Every key bound to this group is released; the keys (none: nothing was bound here)."""
    rows = (await s.scalars(select(ChatBinding).where(ChatBinding.channel == TELEGRAM,
                                                      ChatBinding.chat_id == chat))).all()
    for row in rows:
        if row.reachable == UNREACHABLE:  # what waited for it would only meet a 403 now
            await _supersede(s, [OutboxMessage.channel == TELEGRAM, OutboxMessage.conv == str(chat),
                                 OutboxMessage.status == "pending"])
        await s.delete(row)
        await audit.append(s, incident_id=None, kind=K.CHAT_UNBOUND, actor_telegram_id=person.telegram_id,
                           actor_name=person.name, now=now, payload={"key": row.key, "title": row.title or ""})
    forget(s, "chats")
    await s.flush()
    return [r.key for r in rows]


async def _supersede(s: AsyncSession, where: list) -> None:
    await s.execute(update(OutboxMessage).where(*where).values(status="superseded", last_error="its group was rebound")
                    .execution_options(synchronize_session=False))


async def move_chat(s: AsyncSession, old: int, new: int, *, now: datetime) -> None:
    """A key now names another group (/bind confirmed, or the org file): the new group gets the cards of the open
    incidents as they stand, what waited for the old one goes to the new one, and its stale edits and menus are
    dropped — the old group, often one the bot was removed from, is not sent into."""
    o = OutboxMessage
    await _supersede(s, [o.channel == TELEGRAM, o.conv == str(old), o.status == "pending",
                         (o.kind != "send") | o.dedup_key.like("card:%")])
    await s.execute(update(o).where(o.channel == TELEGRAM, o.conv == str(old), o.status == "pending")
                    .values(conv=str(new))
                    .execution_options(synchronize_session=False))
    org = await load_org(s)
    was, to = addresses.telegram(old), addresses.telegram(new)
    for card in (await s.scalars(select(IncidentCard).where(IncidentCard.channel == was.channel,
                                                            IncidentCard.conv == was.conv))).all():
        inc = await s.get(Incident, card.incident_id)
        if await card_at(s, inc.id, to) is not None:
            await s.delete(card)
            continue
        card.channel, card.conv, card.outbox_id = to.channel, to.conv, None
        if inc.status != "closed":
            text, buttons = render_card(await card_view(s, inc, org), inc, card.audience, org.language, org)
            card.outbox_id = await to_address(s, to, text=text, buttons=buttons, now=now,
                                              dedup_key=f"card:{inc.id}:{tag(to)}", notice="incident.card")
    await s.flush()


async def key_of(s: AsyncSession, chat: int) -> str | None:
    return await s.scalar(select(ChatBinding.key).where(ChatBinding.channel == TELEGRAM, ChatBinding.chat_id == chat))


# ---------------------------------------------------------------- /people and `onduty org status`

@dataclass(frozen=True)
class PersonState:
    name: str
    roles: tuple[str, ...]
    unit: str | None
    state: str  # reachable | unknown | unreachable | not_linked
    since: datetime | None


@dataclass(frozen=True)
class ChatState:
    key: str
    title: str | None
    state: str
    since: datetime | None


async def people_states(s: AsyncSession) -> tuple[list[PersonState], list[ChatState]]:
    units = {u.id: u.name for u in (await s.scalars(select(Unit))).all()}
    idents = {i.person_id: i for i in (await s.scalars(select(PersonIdentity).where(
        PersonIdentity.channel == TELEGRAM))).all()}
    people = []
    for p in (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all():
        ident = idents.get(p.id)
        if is_unlinked(p.telegram_id):
            state, since = "not_linked", None
        else:
            state, since = (ident.reachable, ident.since) if ident else (UNKNOWN, None)
        people.append(PersonState(p.name, tuple(p.roles or ()), units.get(p.unit_id), state, since))
    chats = [ChatState(c.key, c.title, c.reachable, c.since)
             for c in (await s.scalars(select(ChatBinding).order_by(ChatBinding.key))).all()]
    return people, chats


STATE_ICONS = {REACHABLE: "🟢", UNKNOWN: "⚪", UNREACHABLE: "🔴", "not_linked": "🔗"}
UNREACHED = (UNREACHABLE, "not_linked")

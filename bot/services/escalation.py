"""Routing, dual reporting, acknowledgement and the escalation chain of an incident.

On a graded report the first level (by grade), the office and the upper-level office each get an
incident card through the outbox; the cards are edited in place as the incident changes. Until
someone acknowledges, escalation steps — due rows of kind "escalation" — remind and then go up the
chain; after acknowledgement, an "unprogressed" row checks that a disposal step was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import CardView, card_markup, card_text
from bot.channels.types import TELEGRAM, Address, Buttons
from bot.crashpoints import fault_point
from bot.domain import report as rf
from bot.domain.disposal import is_negative
from bot.domain.grading import GradeResult, GradingError, override
from bot.domain.routing import escalation_plan, route_for, unprogressed_after
from bot.domain.vocab import LEADER_ROLES
from bot.services import addresses, audit, card_state, room
from bot.services.addresses import tag
from bot.services.calendar import calendar_for
from bot.services.checklist import done_steps, propose_checklist
from bot.services.clocks import add_due, add_due_many, cancel_due, due_values, regrade_clocks, stop_clock
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty import start_duty_for_incident
from bot.services.memo import new_incident
from bot.services.org import load_org, people_with_roles
from bot.services.send import to_address
from bot.services.units import is_unit_handler, unit_handlers
from bot.services.working_group import propose_on_grade
from models import (
    FollowUp,
    Incident,
    IncidentCard,
    OutboxMessage,
    Person,
    Report,
    ResponseClock,
    Unit,
    WorkingGroup,
    WorkingGroupMember,
)

ESCALATION = "escalation"
UNIT = "unit"  # the audience of a card to a handler of the unit involved


async def card_view(s: AsyncSession, inc: Incident, org: OrgDTO | None = None) -> CardView:
    """The incident as it stands: the first report's fields with the latest follow-up's counts and sentiment over
    them, who reported it from which unit, and the next deadline of the clocks still running. Whether it is
    negative for outside communication reads `policy.outside` of `org` (loaded when not given)."""
    noted = new_incident(s, inc.id)
    latest: dict[str, Any] = {}
    updated_at = None
    if noted and noted.get("reports"):
        # created in this transaction: its reports are the ones noted, and it has no follow-ups yet (they are
        # filed against an incident others can see, found by its number); its clocks are the ones just started
        fields, count, followups = noted["reports"][0], len(noted["reports"]), 0
        running = [c for c in noted.get("clocks", {}).values() if c.status == "running"]
    else:
        first = await s.scalar(select(Report).where(Report.incident_id == inc.id).order_by(Report.id).limit(1))
        fields = first.fields if first else {}
        count = await s.scalar(select(func.count()).select_from(Report).where(Report.incident_id == inc.id))
        rows = (await s.scalars(select(FollowUp).where(FollowUp.incident_id == inc.id)
                                .order_by(FollowUp.observed_at, FollowUp.id))).all()
        followups = len(rows)
        latest, updated_at = _latest_counts(rows)
        running = (await s.scalars(select(ResponseClock).where(ResponseClock.incident_id == inc.id,
                                                               ResponseClock.status == "running"))).all()
    nxt = min(running, key=lambda c: c.due_at, default=None) if inc.status != "closed" else None
    acked = await s.get(Person, inc.acknowledged_by) if inc.acknowledged_by else None
    charge = await s.get(Person, inc.in_charge_id) if inc.in_charge_id else None
    grade = GradeResult.from_json(inc.grade, inc.grade_rules or []) if inc.grade else None
    tracker = await s.get(Person, inc.tracker_id) if inc.tracker_id else None
    closer = await s.get(Person, inc.closed_by) if inc.closed_by else None
    reporter = await s.get(Person, inc.created_by)
    unit = await s.get(Unit, reporter.unit_id) if reporter is not None and reporter.unit_id else None
    involved = await s.get(Unit, inc.unit_id) if inc.unit_id else None
    values = {**rf.from_json(fields), **latest}
    if inc.category:
        values["category"] = inc.category
    share = (org or await load_org(s)).policy.outside.negative_share
    return CardView(negative=is_negative(inc.category, values.get("sentiment"), share), number=inc.number, grade=grade, values=values,
                    status=inc.status, acknowledged_by=acked.name if acked else None,
                    acknowledged_at=inc.acknowledged_at, in_charge=charge.name if charge else None,
                    upper_acked_at=inc.upper_acked_at, escalation_step=inc.escalation_step, reports=count or 0,
                    tracker=tracker.name if tracker else None, followups=followups or 0,
                    closed_at=inc.closed_at, closed_by=closer.name if closer else None,
                    category=inc.category, done_steps=frozenset(await done_steps(s, inc.id)), incident_id=inc.id,
                    reporter=reporter.name if reporter else None, reporter_unit=unit.name if unit else None,
                    next_due=(nxt.name, nxt.due_at) if nxt is not None else None, updated_at=updated_at,
                    unit=involved.name if involved else None)


def _latest_counts(rows: list[FollowUp]) -> tuple[dict[str, Any], datetime | None]:
    """Each count, the sentiment and the media level as the latest follow-up that gave it says (in the
    report's field names), and when the latest of those was observed."""
    out: dict[str, Any] = {}
    at = None
    for f in rows:  # oldest first: later ones win
        given = {"reposts": f.reposts, "comments": f.comments, "views": f.views, "media": f.media,
                 "sentiment": rf.Sentiment(f.sentiment, f.sentiment_share) if f.sentiment else None}
        given = {k: v for k, v in given.items() if v is not None}
        if given:
            out.update(given)
            at = f.observed_at
    return out, at


def render_card(view: CardView, inc: Incident, audience: str, lang: str, org: OrgDTO, *,
                card_acked: bool = False) -> tuple[str, Buttons]:
    """A unit handler's card (audience `unit`) shows their own receipt (`card_acked`), not the incident's."""
    acked = card_acked if audience == UNIT else inc.acknowledged_at is not None
    return (card_text(view, audience=audience, lang=lang, tz=org.tz),
            card_markup(inc.id, audience=audience, lang=lang, acknowledged=acked,
                        upper_acked=inc.upper_acked_at is not None, closed=inc.status == "closed", view=view,
                        handler_take=org.policy.units.handler_may_take))


def address_of(card: IncidentCard) -> Address:
    """The conversation the card is in, on its channel."""
    return Address(card.channel, card.conv)


def _at(to: Address) -> tuple[Any, ...]:
    """Where-clauses: the cards in the conversation `to` (a card is keyed by incident, channel and conv)."""
    return IncidentCard.channel == to.channel, IncidentCard.conv == to.conv


async def card_at(s: AsyncSession, incident_id: int, to: Address) -> IncidentCard | None:
    """The incident's card in the conversation `to`, if it has one there."""
    return await s.scalar(select(IncidentCard).where(IncidentCard.incident_id == incident_id, *_at(to)))


def _timeline_chat(to: Address) -> int | str | None:
    """A conversation as the timeline's payloads name it: a Telegram chat by its id, as always (None for the
    placeholder of a person not linked yet: no address yet); another channel's by its tag ("feishu:ou_…"),
    which no Telegram id can be mistaken for."""
    if to.channel != TELEGRAM:
        return tag(to)
    return None if addresses.is_placeholder(to) else int(to.conv)


async def _open_card(s: AsyncSession, inc: Incident, view: CardView, *, to: Address, audience: str, lang: str,
                     org: OrgDTO, now: datetime, person: PersonDTO | None = None, level: str | None = None) -> bool:
    noted = new_incident(s, inc.id)
    if noted is not None:
        cards = noted.setdefault("cards", [])
        if any(at == to for at, _ in cards):
            return False
        cards.append((to, audience))
    elif await s.scalar(select(IncidentCard.id).where(IncidentCard.incident_id == inc.id, *_at(to))):
        return False
    text, buttons = render_card(view, inc, audience, lang, org)
    outbox_id = await to_address(s, to, text=text, buttons=buttons, now=now, dedup_key=f"card:{inc.id}:{tag(to)}",
                                 notice="incident.card")
    s.add(IncidentCard(incident_id=inc.id, channel=to.channel, conv=to.conv, person_id=person.id if person else None,
                       audience=audience, level=level, outbox_id=outbox_id, created_at=now,
                       content_hash=card_state.content_hash(text, buttons)))
    await s.flush()
    return True


async def open_cards_for_roles(s: AsyncSession, inc: Incident, roles: tuple[str, ...], *, org: OrgDTO,
                               now: datetime, level: str | None = None, view: CardView | None = None,
                               office_chat: Address | None = None) -> list[PersonDTO]:
    """Cards for every active person holding one of `roles` (the office reads its group chat when bound).
    `view` and `office_chat`, when the caller has them, save reading them again."""
    view = view or await card_view(s, inc, org)
    office_chat = office_chat if office_chat is not None else await addresses.group(s, "office")
    opened = []
    for p in await people_with_roles(s, roles):
        if office_chat is not None and not (LEADER_ROLES & set(p.roles)) and "office" in p.roles:
            continue
        to = await addresses.person(s, p)
        if to is not None and await _open_card(s, inc, view, to=to, audience="person", person=p,
                                               lang=p.language or org.language, org=org, now=now, level=level):
            opened.append(p)
    return opened


async def open_unit_cards(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime,
                          view: CardView | None = None) -> list[PersonDTO]:
    """Cards for the handlers of the unit involved, on whatever channel reaches each (a person who already has a
    card of the incident, as a leader say, keeps that one)."""
    if inc.unit_id is None:
        return []
    handlers = await unit_handlers(s, inc.unit_id)
    if not handlers:
        return []
    view = view or await card_view(s, inc, org)
    opened = []
    for p in handlers:
        to = await addresses.person(s, p)
        if to is not None and await _open_card(s, inc, view, to=to, audience=UNIT, person=p,
                                               lang=p.language or org.language, org=org, now=now, level=UNIT):
            opened.append(p)
    return opened


async def open_group_cards(s: AsyncSession, incident_id: int, *, org: OrgDTO, now: datetime) -> list[Person]:
    """Cards for the members of the incident's confirmed working group (bot/services/working_group.py) on whatever
    channel reaches each: a bot cannot add anyone to the office group, so a member outside it follows the incident
    on their own card (office members read the group's card when one is bound; a person who already has a card
    keeps that one). From then on refresh_cards keeps them current."""
    inc = await s.get(Incident, incident_id)
    group = await s.scalar(select(WorkingGroup).where(WorkingGroup.incident_id == incident_id,
                                                      WorkingGroup.status == "confirmed"))
    if inc is None or group is None:
        return []
    people = (await s.scalars(select(Person).join(WorkingGroupMember, WorkingGroupMember.person_id == Person.id)
                              .where(WorkingGroupMember.group_id == group.id, Person.active)
                              .order_by(WorkingGroupMember.id))).all()
    in_group = await addresses.group(s, "office") is not None
    view = await card_view(s, inc, org)
    opened = []
    for p in people:
        if in_group and "office" in (p.roles or ()) and not LEADER_ROLES & set(p.roles or ()):
            continue
        to = await addresses.person(s, p)
        if to is not None and await _open_card(s, inc, view, to=to, audience="person", person=p,  # type: ignore[arg-type]
                                               lang=p.language or org.language, org=org, now=now, level="group"):
            opened.append(p)
    return opened


async def _propose_group(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> None:
    """A major grade proposes the working group (bot/services/working_group.py)."""
    await propose_on_grade(s, inc, org=org, now=now)


async def notify_incident(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> None:
    """The first notifications of a graded incident, and its escalation plan."""
    fault_point("notify_incident")
    route = route_for(inc.grade)
    view = await card_view(s, inc, org)
    office_chat = await addresses.group(s, "office")
    if office_chat is not None:
        # a major incident's card goes into its own topic of the office group when one can be opened
        await room.open_if_major(s, inc, now=now, org=org)
        office_to = await room.office_address(s, inc.id) or office_chat
        await _open_card(s, inc, view, to=office_to, audience="office", lang=org.language, org=org, now=now)
    await open_cards_for_roles(s, inc, route.roles, org=org, now=now, level="first", view=view,
                               office_chat=office_chat)
    await open_unit_cards(s, inc, org=org, now=now, view=view)
    upper = await addresses.group(s, "upper_office")
    if upper is not None and route.upper_office:
        await _open_card(s, inc, view, to=upper, audience="upper_office", lang=org.language, org=org, now=now)
    noted = new_incident(s, inc.id)
    cards = noted.get("cards", []) if noted is not None else \
        [(address_of(c), c.audience) for c in (await s.scalars(select(IncidentCard)
                                                                .where(IncidentCard.incident_id == inc.id))).all()]
    await audit.append(s, incident_id=inc.id, kind="notified", now=now,
                       payload={"chats": [_timeline_chat(at) for at, _ in cards],
                                "audiences": [aud for _, aud in cards]})
    await propose_checklist(s, inc, org=org, now=now)
    await add_due_many(s, [
        due_values(kind=ESCALATION, due=now + step.offset, dedup_key=f"esc:{inc.id}:{inc.grade}:{i}", now=now,
                   payload={"action": step.action, "roles": list(step.roles), "step": i + 1}, incident_id=inc.id)
        for i, step in enumerate(escalation_plan(inc.grade, org.policy.escalation))])
    await start_duty_for_incident(s, inc, org=org, now=now)  # major and above: 24-hour duty
    await _propose_group(s, inc, org=org, now=now)  # and its working group


async def refresh_cards(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> int:
    """Bring every card of the incident to its current state: a card not yet sent is rewritten, one sent (or
    on its way) gets an edit — only when its content changed (bot/services/card_state.py)."""
    view = await card_view(s, inc, org)
    cards = (await s.scalars(select(IncidentCard).where(IncidentCard.incident_id == inc.id))).all()
    edits = 0
    for card in cards:
        person = await s.get(Person, card.person_id) if card.person_id else None
        lang = (person.language if person else None) or org.language
        text, buttons = render_card(view, inc, card.audience, lang, org, card_acked=card.acked_at is not None)
        row = await s.get(OutboxMessage, card.outbox_id) if card.outbox_id else None
        if row is None:
            continue
        if row.status == "pending":
            row.payload = card_state.rewritten(row.payload, text, buttons)
            card.content_hash = card_state.content_hash(text, buttons)
        elif (row.status == "sent" and row.ref) or row.status == "sending":
            # sent, or on its way: the edit names the row, and the message once the channel named it
            edits += await card_state.queue_edit(s, card, to=address_of(card), text=text,
                                                 buttons=buttons, edits=row.id, ref=row.ref, now=now)
    await s.flush()
    return edits


async def show_card(s: AsyncSession, *, incident_id: int, where: Address, person: PersonDTO | None, org: OrgDTO,
                    now: datetime) -> str:
    """A digest's button: post the incident's card in this chat anew (its first card went out folded into the
    digest, or was scrolled away); later changes edit this one. For those who may act on cards in the chat."""
    inc = await s.get(Incident, incident_id)
    if inc is None:
        return "ack.unknown"
    card = await card_at(s, inc.id, where)
    if card is None or card.audience in ("person", UNIT):
        return "ack.refused"
    if card.audience == "office" and (person is None or not (person.has("office") or person.is_leader)):
        return "ack.refused"
    earlier = await s.get(OutboxMessage, card.outbox_id) if card.outbox_id else None
    if earlier is not None and earlier.status == "pending":  # not out yet: the card posted now replaces it
        earlier.status = "superseded"
    text, buttons = render_card(await card_view(s, inc, org), inc, card.audience, org.language, org)
    card.outbox_id = await to_address(s, where, text=text, buttons=buttons, now=now,  # where it was pressed
                                      dedup_key=f"cardshow:{inc.id}:{tag(where)}:{now.isoformat()}",
                                      notice="incident.card.shown")
    card.content_hash, card.sent_hash = card_state.content_hash(text, buttons), None  # a new message
    card.version += 1  # edits queued for the old message are older than this state
    await audit.append(s, incident_id=inc.id, kind="card_shown", now=now,
                       actor_telegram_id=person.telegram_id if person else None,
                       actor_name=person.name if person else None, payload={"audience": card.audience})
    return "card.shown"


@dataclass(frozen=True)
class AckResult:
    code: str  # ack.done | ack.taken | ack.upper_done | ack.already | ack.refused | ack.closed | ack.unknown
    incident: str | None = None


async def acknowledge(s: AsyncSession, *, incident_id: int, action: str, person: PersonDTO | None,
                      where: Address, org: OrgDTO, now: datetime, actor_id: int | None = None,
                      actor_name: str | None = None) -> AckResult:
    """A press on a card in the conversation `where`. Checked here, not trusted from the button: the incident,
    the conversation the card is in, the presser's current roles, and whether the action is still pending."""
    inc = await s.get(Incident, incident_id)
    if inc is None:
        return AckResult("ack.unknown")
    if inc.status == "closed":
        return AckResult("ack.closed", inc.number)
    card = await card_at(s, inc.id, where)
    if card is None:
        return AckResult("ack.refused", inc.number)
    if action == "up":
        if card.audience != "upper_office":
            return AckResult("ack.refused", inc.number)
        if inc.upper_acked_at is not None:
            return AckResult("ack.already", inc.number)
        inc.upper_acked_at = now
        await stop_clock(s, incident_id=inc.id, name="report_upward", reason="upper office acknowledged", now=now)
        await audit.append(s, incident_id=inc.id, kind="acknowledged", actor_telegram_id=actor_id, now=now,
                           actor_name=actor_name, payload={"by": "upper_office", "chat": _timeline_chat(where)})
        await refresh_cards(s, inc, org=org, now=now)
        return AckResult("ack.upper_done", inc.number)
    if card.audience == UNIT:
        return await _unit_press(s, inc, card, action=action, person=person, org=org, now=now)
    if person is None or not (person.has("office") or person.is_leader):
        return AckResult("ack.refused", inc.number)
    if card.audience == "person" and card.person_id != person.id:
        return AckResult("ack.refused", inc.number)
    first = inc.acknowledged_at is None
    if first:
        inc.acknowledged_at, inc.acknowledged_by = now, person.id
        await cancel_due(s, incident_id=inc.id, kind=ESCALATION, now=now)
        await add_due(s, kind=ESCALATION, due=now + unprogressed_after(inc.grade, org.policy.escalation),
                      dedup_key=f"esc:{inc.id}:unprogressed", now=now, payload={"action": "unprogressed"},
                      incident_id=inc.id)
    card.acked_at, card.acked_by = card.acked_at or now, person.telegram_id
    if action == "take":
        inc.in_charge_id = person.id
    elif not first:
        return AckResult("ack.already", inc.number)
    await audit.append(s, incident_id=inc.id, kind="acknowledged", actor_telegram_id=person.telegram_id,
                       actor_name=person.name, payload={"action": action, "first": first}, now=now)
    await refresh_cards(s, inc, org=org, now=now)
    return AckResult("ack.taken" if action == "take" else "ack.done", inc.number)


async def _unit_press(s: AsyncSession, inc: Incident, card: IncidentCard, *, action: str, person: PersonDTO | None,
                      org: OrgDTO, now: datetime) -> AckResult:
    """A handler's press on their own card: "received" records their receipt (the incident still waits for the
    office or a leader: escalation goes on); "take charge" puts them in charge when policy.units lets them."""
    if person is None or card.person_id != person.id or not await is_unit_handler(s, inc.unit_id, person.id):
        return AckResult("ack.refused", inc.number)  # someone else's card, or the unit involved changed since
    if action == "take":
        if not org.policy.units.handler_may_take:
            return AckResult("ack.unit_take_off", inc.number)
        inc.in_charge_id = person.id
    elif card.acked_at is not None:
        return AckResult("ack.already", inc.number)
    card.acked_at, card.acked_by = card.acked_at or now, person.telegram_id
    await audit.append(s, incident_id=inc.id, kind="acknowledged", actor_telegram_id=person.telegram_id,
                       actor_name=person.name, payload={"action": action, "first": False, "by": UNIT}, now=now)
    await refresh_cards(s, inc, org=org, now=now)
    return AckResult("ack.taken" if action == "take" else "ack.unit_done", inc.number)


async def set_grade(s: AsyncSession, *, number: str, grade: str, reason: str, person: PersonDTO, org: OrgDTO,
                    now: datetime) -> GradeResult:
    """The office's or a leader's grade, with a reason (GradingError otherwise): clocks follow the new grade,
    new recipients of a higher grade get their cards, every card shows it."""
    inc = await s.scalar(select(Incident).where(Incident.number == number.strip().upper()))
    if inc is None:
        raise GradingError("unknown_incident", number=number)
    current = GradeResult.from_json(inc.grade, inc.grade_rules or []) if inc.grade else None
    result = override(current, grade, reason, person.roles)
    await apply_grade(s, inc, result, org=org, now=now, actor=person,
                      payload={"grade": grade, "previous": current.grade if current else None, "reason": reason.strip()})
    return result


async def apply_grade(s: AsyncSession, inc: Incident, result: GradeResult, *, org: OrgDTO, now: datetime,
                      payload: dict, actor: PersonDTO | None = None) -> None:
    """A new grade takes effect (an override, or counts from a follow-up): clocks follow it, new recipients
    of a higher grade get their cards, every card shows it, a major grade starts 24-hour duty.
    An incident that had no grade yet (its automatic grading failed and is being retried) gets the first
    notifications in full: office and upper-office cards, the checklist and the escalation plan."""
    first = inc.grade is None
    inc.grade, inc.grade_rules = result.grade, result.rules_to_json()
    await audit.append(s, incident_id=inc.id, kind="regraded", actor_telegram_id=actor.telegram_id if actor else None,
                       actor_name=actor.name if actor else None, now=now, payload=payload)
    await regrade_clocks(s, incident_id=inc.id, grade=inc.grade, category=inc.category,
                         discovered_at=inc.discovered_at, learned_at=inc.created_at, calendar=calendar_for(org),
                         policy=org.policy, now=now)
    if first:
        await notify_incident(s, inc, org=org, now=now)  # its duty too
        return
    await open_cards_for_roles(s, inc, route_for(inc.grade).roles, org=org, now=now, level="regraded")
    await room.open_if_major(s, inc, now=now, org=org)  # raised to major: its topic from now on
    await refresh_cards(s, inc, org=org, now=now)
    await start_duty_for_incident(s, inc, org=org, now=now)
    await _propose_group(s, inc, org=org, now=now)

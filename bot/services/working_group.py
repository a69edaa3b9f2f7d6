"""The special working group of a major incident (专门工作组).

A major or especially major grade (or `/group YQ-…`; a general incident only with a reason) proposes the group to
the main leader: the main leader and the leading group, the handlers of the unit involved, the spokesperson, the
office and the tracker, each once under their first role (bot.domain.working_group.GROUP_ROLES). The main leader
confirms it or edits it (`+name -name`); anyone else's press is refused and on the timeline. Confirmed, the office
and each member are told and the incident gets its room (bot/services/room.py); the press then proposes the first
meeting (bot/services/group_meeting.py) and gives every member outside the office group the incident's card
(bot/services/escalation.open_group_cards — escalation proposes the group, so this module imports neither), since a
bot cannot add anyone to a group: the office may send a member a one-use invite link (`/invite YQ-… NAME`, the
link itself is made by the channel's handler).

Everything meant for the office about the group goes to `office_address`: the incident's topic while it has one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.working_group import proposal_buttons
from bot.channels.types import Address
from bot.domain import audit_kinds as K
from bot.domain.name_match import match_names
from bot.domain.vocab import GRADES
from bot.domain.working_group import GROUP_ROLES, needs_reason, parse_edit
from bot.i18n import t
from bot.services import audit, room, room_address
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.memo import is_new_incident
from bot.services.notify import Result, fail, incident_by_number, listing, tell
from bot.services.org import people_with_roles
from bot.services.send import recipients, to_person
from bot.services.units import unit_handlers
from models import (
    GroupMeeting,
    GroupMeetingAnswer,
    Incident,
    Person,
    WorkingGroup,
    WorkingGroupMember,
)

CONFIRMER = "main_leader"  # who confirms or edits the group (the plan: the main leader leads a major incident)
FACTS = ("time", "place", "unit", "process", "result", "sentiment")


def fmt(when: datetime, org: OrgDTO) -> str:
    return when.astimezone(org.tz).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- where the office hears of it, and the hook

async def office_address(s: AsyncSession, incident_id: int) -> Address | None:
    """Where the group's and its meetings' messages for the office go: the incident's room (its forum topic) while
    it has one, else the office group."""
    return await room_address.office_address(s, incident_id)


async def office_recipients(s: AsyncSession, incident_id: int, org: OrgDTO) -> dict[Address, str]:
    """`office_address`, else (no group bound) each office member in their language."""
    to = await office_address(s, incident_id)
    if to is not None:
        return {to: org.language}
    return await recipients(s, ((p, p.language or org.language) for p in await people_with_roles(s, ("office",))))


async def on_group_confirmed(s: AsyncSession, inc: Incident, group: WorkingGroup, *, org: OrgDTO,
                             now: datetime) -> None:
    """Called once a group is confirmed, before the members are told: the incident gets its own room (a forum
    topic of the office group) — a major incident has it already; a general one with a group gets it now."""
    await room.open_room(s, inc.id, now=now, org=org)


# ---------------------------------------------------------------- the proposal

def may_ask(person: PersonDTO | None) -> bool:
    """Who may ask for a group with /group: the office or a leader."""
    return person is not None and (person.has("office") or person.is_leader)


async def _proposed_members(s: AsyncSession, inc: Incident) -> list[tuple[int, str, str]]:
    """(person id, name, role in the group), each person once, in GROUP_ROLES order."""
    out: dict[int, tuple[int, str, str]] = {}
    for role in ("main_leader", "leading_group"):
        for p in await people_with_roles(s, (role,)):
            out.setdefault(p.id, (p.id, p.name, role))
    for h in await unit_handlers(s, inc.unit_id):
        out.setdefault(h.id, (h.id, h.name, "handler"))
    for role in ("spokesperson", "office"):
        for p in await people_with_roles(s, (role,)):
            out.setdefault(p.id, (p.id, p.name, role))
    if inc.tracker_id is not None:
        tracker = await s.get(Person, inc.tracker_id)
        if tracker is not None and tracker.active:
            out.setdefault(tracker.id, (tracker.id, tracker.name, "tracker"))
    return list(out.values())


async def members(s: AsyncSession, group_id: int) -> list[tuple[WorkingGroupMember, Person]]:
    """The group's members with their people, in role order then by when they were added."""
    rows = (await s.execute(select(WorkingGroupMember, Person).join(Person, Person.id == WorkingGroupMember.person_id)
                            .where(WorkingGroupMember.group_id == group_id)
                            .order_by(WorkingGroupMember.id))).all()
    order = {r: i for i, r in enumerate(GROUP_ROLES)}
    return sorted(((m, p) for m, p in rows), key=lambda mp: (order.get(mp[0].role, len(order)), mp[0].id))


def role_label(role: str, lang: str) -> str:
    return t(f"wg.role.{role}", lang)


def _lines(named: list[tuple[str, str]], lang: str) -> str:
    """(role, name) pairs in role order → one line per role: `主要领导：刘书记` …"""
    by_role: dict[str, list[str]] = {}
    for role, name in named:
        by_role.setdefault(role, []).append(name)
    return "\n".join(t("wg.line", lang, role=role_label(r, lang), names=listing(names, lang))
                     for r, names in by_role.items()) or t("wg.nobody", lang)


async def member_lines(s: AsyncSession, group_id: int, lang: str) -> str:
    return _lines([(m.role, p.name) for m, p in await members(s, group_id)], lang)


async def proposal_text(s: AsyncSession, inc: Incident, group: WorkingGroup, lang: str,
                        named: list[tuple[str, str]] | None = None) -> str:
    """The proposal; `named` (role, name) when the caller has the members at hand (no query)."""
    reason = t("wg.proposal.reason", lang, reason=group.reason) if group.reason else ""
    lines = _lines(named, lang) if named is not None else await member_lines(s, group.id, lang)
    return t("wg.proposal", lang, number=inc.number, grade=GRADES.label(inc.grade, lang) if inc.grade else "—",
             reason=reason, members=lines)


async def _send_proposal(s: AsyncSession, inc: Incident, group: WorkingGroup, *, org: OrgDTO, now: datetime,
                         version: str, named: list[tuple[str, str]] | None = None) -> int:
    """The proposal to every main leader, with Confirm / Edit. 0: nobody to confirm it (the office is told)."""
    leaders = await people_with_roles(s, (CONFIRMER,))
    if named is None and leaders:
        named = [(m.role, p.name) for m, p in await members(s, group.id)]
    for p in leaders:
        lang = p.language or org.language
        await to_person(s, p, now=now, dedup_key=f"wg:prop:{group.id}:{version}:{p.id}",
                        text=await proposal_text(s, inc, group, lang, named), buttons=proposal_buttons(group.id, lang),
                        notice="wgroup.proposal")
    if not leaders:
        await tell(s, await office_recipients(s, inc.id, org), "wg.no_leader", now=now, dedup=f"wg:noleader:{group.id}",
                   notice="wgroup.no_leader", number=inc.number)
    return len(leaders)


async def _propose(s: AsyncSession, inc: Incident, *, by: PersonDTO | None, reason: str | None, org: OrgDTO,
                   now: datetime, known_none: bool = False) -> Result:
    """Propose (or propose again) the incident's group; `known_none`: the caller has just seen it has none."""
    group = None if known_none else await s.scalar(select(WorkingGroup).where(WorkingGroup.incident_id == inc.id))
    if group is not None and group.status == "confirmed":
        return fail("already", number=inc.number)
    named = None
    if group is None:
        proposed = await _proposed_members(s, inc)  # already in GROUP_ROLES order: no reading them back
        if not proposed:  # nobody holds a role a group is made of: nothing to propose, nobody to tell
            return fail("nobody", number=inc.number)
        # Core statements on the session's connection: no flush of everything the filing transaction has pending
        # (a major incident's report pays for this), and the members in one statement
        values = {"incident_id": inc.id, "status": "proposed", "reason": reason, "proposed_at": now,
                  "proposed_by": by.id if by else None}
        conn = await s.connection()
        gid = (await conn.execute(insert(WorkingGroup).values(**values).returning(WorkingGroup.id))).scalar_one()
        group = WorkingGroup(id=gid, **values)  # what the proposal shows of it; the row is written above
        await conn.execute(insert(WorkingGroupMember), [
            {"group_id": gid, "person_id": pid, "role": role, "added_at": now} for pid, _, role in proposed])
        named = [(role, name) for _, name, role in proposed]
        await audit.append(s, incident_id=inc.id, kind=K.GROUP_PROPOSED, now=now,
                           actor_telegram_id=by.telegram_id if by else None, actor_name=by.name if by else None,
                           payload={"members": [name for _, name in named], "reason": reason})
    elif reason and not group.reason:
        group.reason = reason
    sent = await _send_proposal(s, inc, group, org=org, now=now, version=f"p{int(now.timestamp())}", named=named)
    return Result("proposed", {"number": inc.number, "sent": sent})


async def propose_on_grade(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> None:
    """A major or especially major grade proposes the group once (`policy.working_group.propose_on_major`)."""
    if not org.policy.working_group.propose_on_major or needs_reason(inc.grade) or inc.status == "closed":
        return
    # an incident filed in this transaction has no group yet: no need to look
    if not is_new_incident(s, inc.id) and await s.scalar(
            select(WorkingGroup.id).where(WorkingGroup.incident_id == inc.id)) is not None:
        return
    await _propose(s, inc, by=None, reason=None, org=org, now=now, known_none=True)


async def ask_group(s: AsyncSession, *, number: str, reason: str, person: PersonDTO | None, org: OrgDTO,
                    now: datetime) -> Result:
    """/group YQ-… [REASON]. Results: proposed (number, sent), or refused: not_allowed, unknown_incident, closed,
    needs_reason (a general incident without a reason), already (confirmed), nobody (no one in the org holds a
    role a working group is made of)."""
    if not may_ask(person):
        return fail("not_allowed")
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    if inc.status == "closed":
        return fail("closed", number=inc.number)
    reason = (reason or "").strip()[:500]
    if needs_reason(inc.grade) and not reason:
        return fail("needs_reason", number=inc.number, grade=GRADES.label(inc.grade, "zh") if inc.grade else "")
    return await _propose(s, inc, by=person, reason=reason or None, org=org, now=now)


# ---------------------------------------------------------------- the main leader's presses

async def _group_for(s: AsyncSession, group_id: int, person: PersonDTO | None, action: str, *, press_actor: int,
                     press_name: str, now: datetime) -> tuple[WorkingGroup | None, Incident | None, Result | None]:
    group = await s.get(WorkingGroup, group_id)
    inc = await s.get(Incident, group.incident_id) if group is not None else None
    if group is None or inc is None:
        return None, None, fail("gone")
    if person is None or not person.has(CONFIRMER):
        await audit.record_refusal(s, incident_id=inc.id, user=press_actor, name=press_name, action=action,
                                   reason="not_main_leader", now=now)
        return None, None, fail("not_main_leader")
    if group.status == "confirmed":
        return None, None, fail("already", number=inc.number)
    if inc.status == "closed":
        return None, None, fail("closed", number=inc.number)
    return group, inc, None


async def may_edit(s: AsyncSession, *, group_id: int, person: PersonDTO | None, actor_id: int, actor_name: str,
                   now: datetime) -> Result:
    """The Edit press: checked here; the channel then asks for `+name -name`."""
    group, inc, refused = await _group_for(s, group_id, person, "group.edit", press_actor=actor_id,
                                           press_name=actor_name, now=now)
    if refused:
        return refused
    return Result("ask_edit", {"number": inc.number, "group": group.id})


def _match_person(text: str, people: list[Person]) -> list[Person]:
    keys = match_names(text, [(p.id, (p.name,)) for p in people])
    by_id = {p.id: p for p in people}
    return [by_id[k] for k in keys]


async def edit(s: AsyncSession, *, group_id: int, text: str, person: PersonDTO | None, org: OrgDTO,
               now: datetime, lang: str | None = None) -> Result:
    """The main leader's `+name -name`: names matched like a task's target (bot/domain/name_match.py) among
    active people (to add) or the members (to remove). Results: edited (number, added, removed, unknown,
    several, text: the proposal again), or refused: usage (no + or - name), and _group_for's."""
    group, inc, refused = await _group_for(s, group_id, person, "group.edit",
                                           press_actor=person.telegram_id if person else 0,
                                           press_name=person.name if person else "", now=now)
    if refused:
        return refused
    words = parse_edit(text)
    if not words.add and not words.remove:
        return fail("usage")
    active = list((await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all())
    current = {m.person_id: m for m, _ in await members(s, group.id)}
    added, removed, unknown, several = [], [], [], []
    for name in words.add:
        found = _match_person(name, active)
        if len(found) != 1:
            (several if found else unknown).append(name)
        elif found[0].id not in current:
            m = WorkingGroupMember(group_id=group.id, person_id=found[0].id, role="added", added_at=now)
            s.add(m)
            current[found[0].id] = m
            added.append(found[0].name)
    for name in words.remove:
        found = _match_person(name, [p for p in active if p.id in current])
        if len(found) != 1:
            (several if found else unknown).append(name)
        else:
            await s.delete(current.pop(found[0].id))
            removed.append(found[0].name)
    await s.flush()
    if added or removed:
        await audit.append(s, incident_id=inc.id, kind=K.GROUP_EDITED, actor_telegram_id=person.telegram_id,
                           actor_name=person.name, now=now, payload={"added": added, "removed": removed})
    lang = lang or person.language or org.language  # the proposal again, in the language of the chat
    return Result("edited", {"number": inc.number, "added": added, "removed": removed, "unknown": unknown,
                             "several": several, "group": group.id,
                             "text": await proposal_text(s, inc, group, lang)})


async def confirm(s: AsyncSession, *, group_id: int, person: PersonDTO | None, actor_id: int, actor_name: str,
                  org: OrgDTO, now: datetime) -> Result:
    """The main leader confirms: recorded once (a second press, or another main leader's at the same time, finds
    it confirmed), the room hook called, the office and every member told, the members outside the office group
    then given the incident's card and the first meeting proposed by the caller."""
    group, inc, refused = await _group_for(s, group_id, person, "group.confirm", press_actor=actor_id,
                                           press_name=actor_name, now=now)
    if refused:
        return refused
    won = await s.execute(update(WorkingGroup).where(WorkingGroup.id == group.id, WorkingGroup.status == "proposed")
                          .values(status="confirmed", confirmed_at=now, confirmed_by=person.id)
                          .execution_options(synchronize_session=False))
    if won.rowcount != 1:
        return fail("already", number=inc.number)
    await s.refresh(group)
    rows = await members(s, group.id)
    await audit.append(s, incident_id=inc.id, kind=K.GROUP_CONFIRMED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"members": [p.name for _, p in rows], "roles": [m.role for m, _ in rows]})
    await on_group_confirmed(s, inc, group, org=org, now=now)
    named = [(m.role, p.name) for m, p in rows]
    await tell(s, await office_recipients(s, inc.id, org), "wg.confirmed.office", now=now, dedup=f"wg:conf:{group.id}",
               notice="wgroup.confirmed", number=inc.number, by=person.name, members=_lines(named, org.language))
    for m, p in rows:
        lang = p.language or org.language
        await to_person(s, p, now=now, dedup_key=f"wg:member:{group.id}:{p.id}", notice="wgroup.member",
                        text=t("wg.member", lang, number=inc.number, role=role_label(m.role, lang),
                               members=_lines(named, lang)))
    # the caller then proposes the first meeting (bot/services/group_meeting.py) and opens the members' cards
    # (escalation.open_group_cards: escalation proposes the group, so neither is imported here)
    return Result("confirmed", {"number": inc.number, "n": len(rows), "incident": inc.id, "group": group.id})


# ---------------------------------------------------------------- an invite link to the office group

async def invite_target(s: AsyncSession, *, number: str, name: str, person: PersonDTO | None) -> Result:
    """/invite YQ-… NAME, checked before the channel makes the link: the office only; the incident's confirmed
    group holds a member of that name; the office group is bound. Results: ok (number, name, person, conv,
    channel), or refused: not_office, unknown_incident, no_group, no_match, several, no_office_group."""
    if person is None or not person.has("office"):
        return fail("not_office")
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    group = await s.scalar(select(WorkingGroup).where(WorkingGroup.incident_id == inc.id))
    if group is None or group.status != "confirmed":
        return fail("no_group", number=inc.number)
    rows = await members(s, group.id)
    found = _match_person(name, [p for _, p in rows])
    if len(found) != 1:
        return fail("several" if found else "no_match", name=(name or "").strip(), number=inc.number,
                    names=", ".join(p.name for p in found))
    to = await office_address(s, inc.id)
    if to is None:
        return fail("no_office_group")
    return Result("ok", {"number": inc.number, "name": found[0].name, "person": found[0].id, "conv": to.conv,
                         "channel": to.channel, "incident": inc.id})


async def send_invite(s: AsyncSession, *, info: dict[str, Any], link: str, person: PersonDTO, org: OrgDTO,
                      now: datetime) -> Result:
    """The link the channel made goes to the member privately (never into a group), on the timeline."""
    member = await s.get(Person, info["person"])
    lang = member.language or org.language
    await to_person(s, member, now=now, dedup_key=f"wg:inv:{info['incident']}:{member.id}:{int(now.timestamp())}",
                    notice="wgroup.invite", text=t("wg.invite.you", lang, number=info["number"], link=link))
    await s.execute(update(WorkingGroupMember).where(WorkingGroupMember.person_id == member.id,
                                                     WorkingGroupMember.group_id.in_(
                                                         select(WorkingGroup.id)
                                                         .where(WorkingGroup.incident_id == info["incident"])))
                    .values(invited_at=now).execution_options(synchronize_session=False))
    await audit.append(s, incident_id=info["incident"], kind=K.GROUP_INVITED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"member": member.name})
    return Result("invited", {"number": info["number"], "name": member.name})


# ---------------------------------------------------------------- the review

async def review_rows(s: AsyncSession, incident_id: int) -> dict[str, Any] | None:
    """The group, its members and its meetings' answers for the review DOCX; None without a group."""
    group = await s.scalar(select(WorkingGroup).where(WorkingGroup.incident_id == incident_id))
    if group is None:
        return None
    rows = await members(s, group.id)
    meetings = (await s.scalars(select(GroupMeeting).where(GroupMeeting.group_id == group.id)
                                .order_by(GroupMeeting.id))).all()
    answers = {}
    for m in meetings:
        answers[m.id] = dict((await s.execute(select(Person.name, GroupMeetingAnswer.answer)
                                              .join(Person, Person.id == GroupMeetingAnswer.person_id)
                                              .where(GroupMeetingAnswer.meeting_id == m.id))).all())
    return {"status": group.status, "confirmed_at": group.confirmed_at, "reason": group.reason,
            "members": [(p.name, m.role) for m, p in rows],
            "meetings": [(m.starts_at, answers[m.id]) for m in meetings]}

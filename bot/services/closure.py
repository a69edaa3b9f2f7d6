"""Closing an incident: the office proposes with a four-part summary, a leader confirms (or refuses with a
reason); closing stops the clocks (reason "closed"), duty and tracker reminders and marks every card
Closed. /reopen undoes the status with a reason; clocks stay stopped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.review import review_button
from bot.actions.tracking import decide_buttons
from bot.channels.types import Address
from bot.domain import audit_kinds as K
from bot.domain.closure import PARTS, may_confirm, may_propose
from bot.domain.followup import parse_followup
from bot.domain.vocab import LEADER_ROLES, ROLES
from bot.i18n import t
from bot.services import addresses, audit, room
from bot.services.addresses import tag
from bot.services.clocks import cancel_clocks, cancel_due, list_clocks
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty import stop_duty_for_incident
from bot.services.escalation import refresh_cards
from bot.services.notify import Result, fail, in_office_chat, incident_by_number, listing, office_chats, tell
from bot.services.org import get_person, people_with_roles
from bot.services.send import recipients, to_address, to_person
from bot.services.tracking import TRACK, brief, record_followup, schedule_reminder
from bot.textsplit import split_text
from models import ClosureProposal, HeldFollowUp, Incident, Person, ReleaseDraft


def render_summary(parts: dict[str, str], lang: str) -> str:
    return "\n".join(t("close.part.line", lang, label=t(f"close.part.{p}", lang), value=parts.get(p, "-"))
                     for p in PARTS)


async def check_proposer(s: AsyncSession, *, number: str, person: PersonDTO | None, chat_id: int) -> Result:
    """May this person propose closing this incident now? (before asking for the summary)"""
    if person is None or not may_propose(person.roles, in_office_chat=await in_office_chat(s, chat_id)):
        return fail("not_allowed")
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    if inc.status == "closed":
        return fail("already_closed", number=inc.number)
    return Result("ok", {"number": inc.number, "incident": inc.id})


async def open_items(s: AsyncSession, inc: Incident, now: datetime) -> list[dict[str, Any]]:
    """What closing would leave behind: an approved release never published, clocks still running."""
    out: list[dict[str, Any]] = []
    approved = (await s.scalars(select(ReleaseDraft).where(ReleaseDraft.incident_id == inc.id,
                                                           ReleaseDraft.status == "approved"))).all()
    for d in approved:
        out.append({"kind": "release", "version": d.version})
    running = [c.name for c in await list_clocks(s, inc.id, now) if c.running]
    if running:
        out.append({"kind": "clocks", "names": running})
    return out


def render_warnings(items: list[dict[str, Any]], lang: str) -> str:
    lines = []
    for w in items:
        if w["kind"] == "release":
            lines.append(t("close.warn.release", lang, version=w["version"]))
        else:
            names = listing((t(f"clock.name.{n}", lang) for n in w["names"]), lang)
            lines.append(t("close.warn.clocks", lang, names=names))
    return "\n".join(lines)


async def lock_incident(s: AsyncSession, incident_id: int) -> Incident | None:
    """The incident row, read again and locked until the transaction ends (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers): two proposals, two confirmations or
    a confirmation and a reopening of one incident happen one after the other, each seeing the other's result."""
    return await s.scalar(select(Incident).where(Incident.id == incident_id).with_for_update()
                          .execution_options(populate_existing=True))


async def _approvers(s: AsyncSession, role: str, exclude: int) -> list[PersonDTO]:
    roles = tuple(LEADER_ROLES) if role == "leader" else (role,)
    return [p for p in await people_with_roles(s, roles) if p.id != exclude]


def role_label(role: str, lang: str) -> str:
    return t("close.any_leader", lang) if role == "leader" else ROLES.label(role, lang)


async def propose(s: AsyncSession, *, number: str, person: PersonDTO | None, chat_id: int, summary: dict[str, str],
                  confirmed: bool, org: OrgDTO, now: datetime) -> Result:
    """Codes: missing (parts), warn (open items; ask to confirm), proposed; or a refusal."""
    pre = await check_proposer(s, number=number, person=person, chat_id=chat_id)
    if not pre.ok:
        return pre
    missing = [p for p in PARTS if not (summary.get(p) or "").strip()]
    if missing:
        return fail("missing", number=pre.info["number"], parts=missing)
    inc = await lock_incident(s, pre.info["incident"])
    if inc.status == "closed":
        return fail("already_closed", number=inc.number)
    items = await open_items(s, inc, now)
    if items and not confirmed:
        return fail("warn", number=inc.number, items=items, incident=inc.id)
    await s.execute(update(ClosureProposal).where(ClosureProposal.incident_id == inc.id,
                                                  ClosureProposal.status == "pending")
                    .values(status="superseded").execution_options(synchronize_session=False))
    role = org.policy.closure.approver_for(inc.grade)
    prop = ClosureProposal(incident_id=inc.id, proposed_by=person.id, proposed_at=now,
                           summary={p: summary[p].strip() for p in PARTS}, warnings=items, approver_role=role,
                           status="pending")
    s.add(prop)
    await s.flush()
    await audit.append(s, incident_id=inc.id, kind=K.CLOSURE_PROPOSED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"proposal": prop.id, "summary": prop.summary, "warnings": items, "approver": role})
    approvers = await _approvers(s, role, person.id)
    for p in approvers:
        lang = p.language or org.language
        text = t("close.ask_leader", lang, number=inc.number, name=person.name, role=role_label(role, lang),
                 summary=render_summary(prop.summary, lang))
        if items:
            text += "\n\n" + render_warnings(items, lang)
        # four long parts and the warnings may pass Telegram's limit: the body in as many messages as it
        # takes, the buttons on a short last one so they always arrive
        chunks = split_text(text)
        to = await addresses.person(s, p)
        if to is None:
            continue
        if len(chunks) > 1:
            for i, chunk in enumerate(chunks):
                await to_address(s, to, text=chunk, now=now, dedup_key=f"cls:{prop.id}:{tag(to)}:{i}",
                                 notice="closure.summary")
            text = t("close.decide_prompt", lang, number=inc.number)
        await to_address(s, to, text=text, now=now, dedup_key=f"cls:{prop.id}:{tag(to)}",
                         buttons=decide_buttons(prop.id, lang), notice="closure.decide")
    others = await _office_but(s, org, chat_id, person, inc.id)
    await tell(s, others, "close.proposed_office", now=now, dedup=f"cls:{prop.id}:office", number=inc.number,
               name=person.name, notice="closure.proposed")
    return Result("proposed", {"number": inc.number, "approvers": [p.name for p in approvers],
                               "role": role})


async def decide(s: AsyncSession, *, proposal_id: int, person: PersonDTO | None, confirm: bool, reason: str,
                 org: OrgDTO, now: datetime, check_only: bool = False) -> Result:
    """A leader's press. Checked here: the proposal is still pending, the incident open, the presser holds
    the role the policy asks for the incident's grade now, and did not propose it. One decision wins."""
    prop = await s.get(ClosureProposal, proposal_id)
    if prop is None:
        return fail("unknown")
    inc = await lock_incident(s, prop.incident_id)
    await s.refresh(prop)  # as it is now that the incident is ours
    if prop.status != "pending":
        return fail("decided", number=inc.number)
    if inc.status == "closed":
        return fail("already_closed", number=inc.number)
    role = org.policy.closure.approver_for(inc.grade)
    if person is None or not may_confirm(person.roles, role):
        return fail("not_approver", number=inc.number, role=role, incident=inc.id)
    if person.id == prop.proposed_by:
        return fail("own", number=inc.number, incident=inc.id)
    if not confirm and not reason.strip() and not check_only:
        return fail("reason_required", number=inc.number)
    if check_only:
        return Result("ok", {"number": inc.number})
    done = await s.execute(update(ClosureProposal).where(ClosureProposal.id == prop.id,
                                                         ClosureProposal.status == "pending")
                           .values(status="confirmed" if confirm else "refused", decided_by=person.id,
                                   decided_at=now, reason=reason.strip() or None)
                           .execution_options(synchronize_session=False))
    if not done.rowcount:
        return fail("decided", number=inc.number)
    proposer = await s.get(Person, prop.proposed_by)
    if not confirm:
        await audit.append(s, incident_id=inc.id, kind=K.CLOSURE_REFUSED, actor_telegram_id=person.telegram_id,
                           actor_name=person.name, now=now, payload={"proposal": prop.id, "reason": reason.strip()})
        chats = {**(await office_chats(s, org, incident_id=inc.id)),
                 **await recipients(s, [(proposer, proposer.language or org.language)])}
        await tell(s, chats, "close.refused_told", now=now, dedup=f"cls:{prop.id}:refused", number=inc.number,
                   name=person.name, reason=reason.strip(), notice="closure.refused")
        return Result("refused", {"number": inc.number})
    stopped = await close_incident(s, inc, prop, person, org=org, now=now)
    if stopped is None:
        return fail("already_closed", number=inc.number)
    # the office reads it in the incident's topic, which is closed after it (bot/services/room.py)
    chats = {**(await office_chats(s, org, incident_id=inc.id)),
             **await recipients(s, [(proposer, proposer.language or org.language)])}
    await tell(s, chats, "close.closed_told", now=now, dedup=f"cls:{prop.id}:closed", number=inc.number,
               name=person.name, buttons=lambda lang: [[review_button(inc.id, lang)]], notice="closure.closed")
    await room.close_room(s, inc.id, now=now)
    return Result("confirmed", {"number": inc.number, "clocks": stopped, "incident": inc.id})


async def close_incident(s: AsyncSession, inc: Incident, prop: ClosureProposal, person: PersonDTO, *, org: OrgDTO,
                         now: datetime) -> int | None:
    """Close, stop what runs; None (nothing done) when the incident is closed already."""
    # idempotent even without the lock: only the one write that finds it open goes on
    done = await s.execute(update(Incident).where(Incident.id == inc.id, Incident.status != "closed")
                           .values(status="closed", closed_at=now, closed_by=person.id, close_summary=dict(prop.summary))
                           .execution_options(synchronize_session=False))
    if not done.rowcount:
        return None
    await s.refresh(inc)
    stopped = await cancel_clocks(s, incident_id=inc.id, reason="closed", now=now)
    duty = await stop_duty_for_incident(s, inc, org=org, now=now)
    # tracker reminders, and escalation steps nobody needs now (their handler would skip them anyway)
    await cancel_due(s, incident_id=inc.id, kind=TRACK, now=now)
    await cancel_due(s, incident_id=inc.id, kind="escalation", now=now)
    await s.execute(update(ClosureProposal).where(ClosureProposal.incident_id == inc.id,
                                                  ClosureProposal.status == "pending")
                    .values(status="superseded").execution_options(synchronize_session=False))
    await audit.append(s, incident_id=inc.id, kind=K.CLOSED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"proposal": prop.id, "summary": prop.summary, "clocks_stopped": [c.name for c in stopped],
                                "duty_stopped": duty})
    if inc.tracker_id and (tracker := await s.get(Person, inc.tracker_id)):
        await to_person(s, tracker, now=now, dedup_key=f"cls:{prop.id}:tracker",
                        text=t("close.tracker_told", tracker.language or org.language, number=inc.number),
                        notice="closure.tracker")
    await refresh_cards(s, inc, org=org, now=now)
    return len(stopped)


async def _office_but(s: AsyncSession, org: OrgDTO, chat_id: int, person: PersonDTO,
                      incident_id: int) -> dict[Address, str]:
    """The office's chats for the incident (its topic while it has one) but the one this was done in (a handler's
    Telegram chat, any topic of it) and the person's own."""
    here, own = addresses.telegram(chat_id), await addresses.person(s, person)
    return {to: lang for to, lang in (await office_chats(s, org, incident_id=incident_id)).items()
            if (to.channel, to.conv) != (here.channel, here.conv) and to != own}


async def reopen(s: AsyncSession, *, number: str, reason: str, person: PersonDTO | None, chat_id: int, org: OrgDTO,
                 now: datetime) -> Result:
    """/reopen: the office or a leader, with a reason. The tracker's reminders resume; clocks do not."""
    if not await may_reopen(s, person, chat_id):
        return fail("not_allowed")
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    inc = await lock_incident(s, inc.id)
    if inc.status != "closed":
        return fail("not_closed", number=inc.number)
    if not reason.strip():
        return fail("reason_required", number=inc.number)
    inc.status, inc.closed_at, inc.closed_by = "reopened", None, None
    await audit.append(s, incident_id=inc.id, kind=K.REOPENED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"reason": reason.strip()})
    held, mine = await _record_held(s, inc, reopener=person, org=org, now=now)
    due = await schedule_reminder(s, inc, org=org, now=now)
    await refresh_cards(s, inc, org=org, now=now)
    others = await _office_but(s, org, chat_id, person, inc.id)
    await tell(s, others, "close.reopened_office", now=now, dedup=f"reopen:{inc.id}:{now.timestamp()}",
               number=inc.number, name=person.name, reason=reason.strip(), notice="closure.reopened")
    if inc.tracker_id and (tracker := await s.get(Person, inc.tracker_id)) \
            and await addresses.person(s, tracker) != addresses.telegram(chat_id):  # not when they reopened it
        await to_person(s, tracker, now=now, dedup_key=f"reopen:{inc.id}:{now.timestamp()}:trk",
                        text=t("close.tracker_resumed", tracker.language or org.language, number=inc.number),
                        notice="closure.tracker")
    return Result("reopened", {"number": inc.number, "incident": inc.id, "held": held, "mine": mine,
                               "tracking": due.astimezone(org.tz).strftime("%Y-%m-%d %H:%M") if due else None})


def reopened_texts(r: Result, lang: str) -> list[str]:
    """The reopener's answer, then one line per follow-up of theirs recorded from the closed time."""
    text = t("reopen.done", lang, **r.info)
    if r.info.get("held"):
        text += "\n" + t("reopen.held", lang, held=r.info["held"])
    return [text] + [t("follow.recorded", lang, number=r.info["number"], count=count,
                       summary=brief(values, lang) or t("follow.only_evidence", lang))
                     for count, values in r.info.get("mine", [])]


async def may_reopen(s: AsyncSession, person: PersonDTO | None, chat_id: int) -> bool:
    """The office (a member, or anyone registered writing in the office chat) or a leader."""
    return person is not None and (person.has("office") or person.is_leader or await in_office_chat(s, chat_id))


async def _record_held(s: AsyncSession, inc: Incident, *, reopener: PersonDTO, org: OrgDTO,
                       now: datetime) -> tuple[int, list[tuple[int, Any]]]:
    """Every follow-up posted while the incident was closed, recorded in the order written. Each author is
    told; the reopener's own are returned (count so far, parsed values) for the reply in the chat."""
    rows = (await s.scalars(select(HeldFollowUp).where(HeldFollowUp.incident_id == inc.id,
                                                       HeldFollowUp.status == "held").order_by(HeldFollowUp.id))).all()
    n, mine = 0, []
    for h in rows:
        author = await s.get(Person, h.author_id)
        who = await get_person(s, author.telegram_id)
        if who is None:
            continue  # the author has left: kept held, visible to an export, not recorded in a stranger's name
        values = parse_followup(h.text, now=h.created_at, tz=org.tz)
        r = await record_followup(s, incident_id=inc.id, person=who, values=values, evidence=list(h.evidence or []),
                                  source=h.source, chat_id=h.chat_id, org=org, now=now)
        h.status = "recorded"
        h.followup_id = r.info.get("id") if r.ok else None
        if r.ok and author.id == reopener.id:
            n += 1
            mine.append((r.info["count"], values))
        elif r.ok:
            n += 1
            await to_person(s, author, now=now, dedup_key=f"held:{h.id}:recorded",
                            text=t("follow.held_recorded", author.language or org.language, number=inc.number,
                                   count=r.info["count"]), notice="followup.held_recorded")
    return n, mine


async def request_reopen(s: AsyncSession, *, incident_id: int, person: PersonDTO | None, chat_id: int, org: OrgDTO,
                         now: datetime) -> Result:
    """The Reopen button. Those who may reopen are asked for the reason ("ask_reason"); anyone else
    registered has the office asked to reopen it ("forwarded"), with the follow-ups held for it."""
    inc = await s.get(Incident, incident_id)
    if inc is None or person is None:
        return fail("not_allowed")
    if inc.status != "closed":
        return fail("not_closed", number=inc.number)
    if await may_reopen(s, person, chat_id):
        return Result("ask_reason", {"number": inc.number})
    held = (await s.scalars(select(HeldFollowUp.text).where(HeldFollowUp.incident_id == inc.id,
                                                            HeldFollowUp.author_id == person.id,
                                                            HeldFollowUp.status == "held")
                            .order_by(HeldFollowUp.id.desc()).limit(1))).first()
    await tell(s, await office_chats(s, org), "follow.reopen_requested", now=now,
               dedup=f"reopenreq:{inc.id}:{person.id}:{now.timestamp()}", number=inc.number, name=person.name,
               text=(held or "")[:500] or "-", notice="followup.reopen_request")
    return Result("forwarded", {"number": inc.number})


async def closure_json(s: AsyncSession, inc: Incident) -> dict[str, Any]:
    """For `onduty export` ("closure"): the current state and every proposal."""
    people = {p.id: p for p in (await s.scalars(select(Person))).all()}

    def who(pid: int | None) -> dict[str, Any] | None:
        p = people.get(pid) if pid else None
        return {"telegram_id": p.telegram_id, "name": p.name} if p else None

    props = (await s.scalars(select(ClosureProposal).where(ClosureProposal.incident_id == inc.id)
                             .order_by(ClosureProposal.id))).all()
    held = (await s.scalars(select(HeldFollowUp).where(HeldFollowUp.incident_id == inc.id)
                            .order_by(HeldFollowUp.id))).all()
    return {
        "closed_at": inc.closed_at.isoformat() if inc.closed_at else None, "closed_by": who(inc.closed_by),
        "summary": dict(inc.close_summary) if inc.close_summary else None, "tracker": who(inc.tracker_id),
        "proposals": [{"id": p.id, "status": p.status, "proposed_by": who(p.proposed_by),
                       "proposed_at": p.proposed_at.isoformat(), "summary": dict(p.summary or {}),
                       "warnings": list(p.warnings or []), "approver_role": p.approver_role,
                       "decided_by": who(p.decided_by),
                       "decided_at": p.decided_at.isoformat() if p.decided_at else None, "reason": p.reason}
                      for p in props],
        # follow-ups sent while closed: "held" until a reopening records them as follow-up `followup_id`
        "held_followups": [{"id": h.id, "status": h.status, "author": who(h.author_id), "source": h.source,
                            "created_at": h.created_at.isoformat(), "text": h.text,
                            "evidence": len(h.evidence or []), "followup_id": h.followup_id} for h in held],
    }

"""Tracking (动态跟踪): the incident's tracker, their reminders, and follow-ups from anyone.

Reminders are due rows of kind "tracking" (schedules/tracking.py), one pending per incident: the next
comes `policy.tracking.reminder_every_hours` after the assignment or the tracker's latest follow-up,
counted in working time unless `working_time_only` is false. They stop when the incident closes or
the tracker changes (the row carries the tracker it was meant for).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tracking import follow_buttons
from bot.channels.types import Address, MessageRef
from bot.domain import audit_kinds as K
from bot.domain import report as rf
from bot.domain.bounds import INT8_MAX, parse_int
from bot.domain.followup import FollowUpInput, counts_platform
from bot.domain.grading import GradeResult, GradingFacts, ReportFacts, compute_grade, regrade
from bot.domain.identity import is_unlinked
from bot.domain.vocab import GRADES, MEDIA_LEVELS, PLATFORMS, SENTIMENTS
from bot.i18n import t
from bot.services import addresses, audit, outbox
from bot.services.calendar import calendar_for
from bot.services.clocks import add_due, cancel_due
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import apply_grade, refresh_cards
from bot.services.notify import Result, fail, in_office_chat, incident_by_number, listing, office_chats, tell
from bot.services.reports import facts_of
from bot.services.send import recipients, to_person
from models import (
    ClosureProposal,
    DueItem,
    Evidence,
    FollowUp,
    HeldFollowUp,
    Incident,
    IncidentCard,
    Person,
    Report,
)

TRACK = "tracking"


# ---------------------------------------------------------------- the tracker

async def find_person(s: AsyncSession, who: str) -> list[Person]:
    """By Telegram id, exact name (any case), or a unique part of a name; several when ambiguous."""
    who = (who or "").strip().lstrip("@")
    people = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    if who.lstrip("-").isdigit():
        tid = parse_int(who, lo=-INT8_MAX, hi=INT8_MAX)
        return [p for p in people if tid is not None and p.telegram_id == tid]
    exact = [p for p in people if p.name.casefold() == who.casefold()]
    return exact or [p for p in people if who and who.casefold() in p.name.casefold()]


def reminder_due(anchor: datetime, org: OrgDTO) -> datetime:
    pol = org.policy.tracking
    every = timedelta(hours=pol.reminder_every_hours)
    return calendar_for(org).add_working_time(anchor, every) if pol.working_time_only else anchor + every


async def schedule_reminder(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> datetime | None:
    """Replace the incident's pending reminder by the next one (none without a tracker or once closed)."""
    await cancel_due(s, incident_id=inc.id, kind=TRACK, now=now)
    if inc.tracker_id is None or inc.status == "closed":
        return None
    due = reminder_due(now, org)
    # a fresh key every time: a cancelled row with the same due instant (reassigned, reopened) must not block it
    await add_due(s, kind=TRACK, due=due, dedup_key=f"trk:{inc.id}:{inc.tracker_id}:{uuid.uuid4().hex}",
                  now=now, payload={"tracker_id": inc.tracker_id}, incident_id=inc.id)
    return due


async def next_reminder_at(s: AsyncSession, incident_id: int) -> datetime | None:
    return await s.scalar(select(DueItem.due_at).where(DueItem.incident_id == incident_id, DueItem.kind == TRACK,
                                                       DueItem.status == "pending").order_by(DueItem.due_at).limit(1))


async def assign_tracker(s: AsyncSession, *, number: str, who: str, person: PersonDTO | None, chat_id: int,
                         org: OrgDTO, now: datetime) -> Result:
    """/track: the office (a member, or anyone registered writing in the office chat) names the tracker."""
    if person is None or not (person.has("office") or await in_office_chat(s, chat_id)):
        return fail("not_allowed")
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=number.strip().upper())
    if inc.status == "closed":
        return fail("closed", number=inc.number)
    if who.strip().casefold() in STOP_WORDS:
        return await _unassign(s, inc, person=person, org=org, now=now)
    found = await find_person(s, who)
    if not found:
        return fail("unknown_person", who=who.strip())
    if len(found) > 1:
        return fail("ambiguous", who=who.strip(), names=[p.name if is_unlinked(p.telegram_id) else f"{p.name} ({p.telegram_id})"
                                               for p in found[:8]])
    tracker = found[0]
    if inc.tracker_id == tracker.id:
        return fail("already", number=inc.number, name=tracker.name)
    previous = await s.get(Person, inc.tracker_id) if inc.tracker_id else None
    inc.tracker_id, inc.tracker_since = tracker.id, now
    due = await schedule_reminder(s, inc, org=org, now=now)
    await audit.append(s, incident_id=inc.id, kind=K.TRACKER_ASSIGNED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"tracker": tracker.name, "tracker_telegram_id": tracker.telegram_id,
                                "previous": previous.name if previous else None, "first_reminder": due.isoformat()})
    lang = tracker.language or org.language
    when = due.astimezone(org.tz).strftime("%Y-%m-%d %H:%M")
    await to_person(s, tracker, now=now, dedup_key=f"trk:assigned:{inc.id}:{tracker.id}:{now.timestamp()}",
                    text=t("track.you_track", lang, number=inc.number, by=person.name, when=when,
                           every=_every(org, lang)),
                    buttons=follow_buttons(inc.id, lang), notice="tracking.assigned")
    if previous is not None:
        await to_person(s, previous, now=now,
                        dedup_key=f"trk:relieved:{inc.id}:{previous.id}:{now.timestamp()}",
                        text=t("track.relieved", previous.language or org.language, number=inc.number,
                               name=tracker.name), notice="tracking.relieved")
    await refresh_cards(s, inc, org=org, now=now)
    return Result("assigned", {"number": inc.number, "name": tracker.name, "when": when})


STOP_WORDS = frozenset({"-", "无", "取消", "停止", "none", "off", "stop"})


async def _unassign(s: AsyncSession, inc: Incident, *, person: PersonDTO, org: OrgDTO, now: datetime) -> Result:
    """`/track YQ-… 无`: nobody tracks the incident any more; the reminders stop."""
    previous = await s.get(Person, inc.tracker_id) if inc.tracker_id else None
    if previous is None:
        return fail("none", number=inc.number)
    inc.tracker_id, inc.tracker_since = None, None
    await cancel_due(s, incident_id=inc.id, kind=TRACK, now=now)
    await audit.append(s, incident_id=inc.id, kind=K.TRACKER_ASSIGNED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"tracker": None, "previous": previous.name})
    await to_person(s, previous, now=now, dedup_key=f"trk:stopped:{inc.id}:{now.timestamp()}",
                    text=t("track.stopped_you", previous.language or org.language, number=inc.number),
                    notice="tracking.stopped")
    await refresh_cards(s, inc, org=org, now=now)
    return Result("unassigned", {"number": inc.number, "name": previous.name})


async def may_see(s: AsyncSession, inc: Incident, person: PersonDTO | None, chat_id: int) -> bool:
    """Who may see an incident's tracking: the office (a member, or anyone registered writing in the office
    chat), a leader, the incident's tracker, or someone who reported it."""
    if person is None:
        return False
    if person.has("office") or person.is_leader or inc.tracker_id == person.id or await in_office_chat(s, chat_id):
        return True
    return await s.scalar(select(Report.id).where(Report.incident_id == inc.id, Report.reporter_id == person.id)
                          .limit(1)) is not None


async def tracker_status(s: AsyncSession, *, number: str, person: PersonDTO | None, chat_id: int,
                         org: OrgDTO) -> Result:
    """`/track YQ-…` alone: who tracks it and when the next reminder is due (for those `may_see` allows)."""
    if person is None:
        return fail("not_allowed_view")
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=number.strip().upper())
    if not await may_see(s, inc, person, chat_id):
        return fail("not_allowed_view")
    tracker = await s.get(Person, inc.tracker_id) if inc.tracker_id else None
    if tracker is None:
        return Result("status_none", {"number": inc.number})
    nxt = await next_reminder_at(s, inc.id)
    return Result("status", {"number": inc.number, "name": tracker.name,
                             "when": nxt.astimezone(org.tz).strftime("%Y-%m-%d %H:%M") if nxt else "-"})


async def follow_question(s: AsyncSession, *, number: str) -> Result:
    """`/follow YQ-…` with nothing else: may the follow-up be asked for? ("closed" names the incident, for the
    Reopen button.)"""
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    if inc.status == "closed":
        return fail("closed_short", number=inc.number, incident=inc.id)
    return Result("ask", {"number": inc.number})


async def follow_target(s: AsyncSession, *, incident_id: int, person: PersonDTO | None) -> Result:
    """The Follow-up button: may this person write one now? Code "ask" with the source to record."""
    inc = await s.get(Incident, incident_id)
    if person is None or inc is None:
        return fail("not_allowed")
    if inc.status == "closed":
        return fail("closed_short", number=inc.number)
    return Result("ask", {"number": inc.number, "source": "tracker" if inc.tracker_id == person.id else "command"})


def _every(org: OrgDTO, lang: str) -> str:
    pol = org.policy.tracking
    key = "track.every.working" if pol.working_time_only else "track.every.clock"
    return t(key, lang, hours=f"{pol.reminder_every_hours:g}")


# ---------------------------------------------------------------- follow-ups

async def incident_of_message(s: AsyncSession, to: Address, ref: MessageRef) -> tuple[int, str] | None:
    """(incident id, "card" | "tracker") when the message `ref` is one of the incident's cards or a tracker
    reminder the bot sent into the conversation `to`."""
    row = await outbox.sent_as(s, to, ref)
    if row is None:
        return None
    card = await s.scalar(select(IncidentCard.incident_id).where(IncidentCard.outbox_id == row.id))
    if card is not None:
        return card, "card"
    key = row.dedup_key or ""
    if key.startswith(("trk:remind:", "trk:assigned:")):
        return int(key.split(":")[2]), "tracker"
    return None


async def _regrade(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime, followup_id: int) -> str | None:
    """Counts from the reports and the follow-ups, graded again; only a rise applies (a manual grade holds
    until the counts go above it). Returns the new grade when it rose."""
    reports = (await s.scalars(select(Report).where(Report.incident_id == inc.id).order_by(Report.id))).all()
    facts = [facts_of(rf.from_json(r.fields)) for r in reports]
    first_platform = facts[0].platform if facts else None
    for f in (await s.scalars(select(FollowUp).where(FollowUp.incident_id == inc.id))).all():
        platform = counts_platform(FollowUpInput(platforms=list(f.platforms or [])), first_platform)
        facts.append(ReportFacts(platform=platform, reposts=f.reposts, comments=f.comments, views=f.views,
                                 media_level=f.media))
    new = compute_grade(GradingFacts.combine(facts), org.policy.grading)
    current = GradeResult.from_json(inc.grade, inc.grade_rules or []) if inc.grade else None
    if current is not None and current.overridden:
        decision = regrade(None, new, overridden_grade=current.grade)
    else:
        decision = regrade(current, new)
    if decision.direction != "up":
        return None
    previous = inc.grade
    await apply_grade(s, inc, new, org=org, now=now,
                      payload={"grade": new.grade, "previous": previous, "reason": "followup",
                               "followup_id": followup_id, "rules": new.rules_to_json()})
    await _supersede_for_grade(s, inc, org=org, now=now)
    return new.grade


async def _supersede_for_grade(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> None:
    """A pending closing proposal asked approvers for the old grade; the leaders it reached may no longer
    confirm. It is withdrawn, and the office told to propose again (the right approvers are then asked)."""
    role = org.policy.closure.approver_for(inc.grade)
    stale = (await s.scalars(select(ClosureProposal).where(ClosureProposal.incident_id == inc.id,
                                                          ClosureProposal.status == "pending",
                                                          ClosureProposal.approver_role != role))).all()
    for prop in stale:
        prop.status = "superseded"
        await audit.append(s, incident_id=inc.id, kind=K.CLOSURE_SUPERSEDED, actor_telegram_id=None,
                           actor_name=None, now=now, payload={"proposal": prop.id, "reason": "regraded",
                                                              "approver": role})
        proposer = await s.get(Person, prop.proposed_by)
        chats = {**(await office_chats(s, org, incident_id=inc.id)),
                 **await recipients(s, [(proposer, proposer.language or org.language)])}
        await tell(s, chats, "close.superseded_regrade", now=now, dedup=f"cls:{prop.id}:regraded",
                   number=inc.number, grade=GRADES.label(inc.grade, org.language), notice="closure.superseded")


async def record_followup(s: AsyncSession, *, incident_id: int | None = None, number: str | None = None,
                          person: PersonDTO | None, values: FollowUpInput, evidence: list[dict[str, Any]],
                          source: str, chat_id: int, org: OrgDTO, now: datetime, raw: str | None = None) -> Result:
    """A follow-up on an open incident, by anyone registered; graded again when it brings counts.
    On a closed incident, `raw` (the text as written) and the evidence are held in the database
    (HeldFollowUp) for the next reopening to record; code "closed" then carries held=True."""
    if person is None:
        return fail("not_allowed")
    inc = await s.get(Incident, incident_id) if incident_id else await incident_by_number(s, number or "")
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    if inc.status == "closed":
        held = raw is not None and (bool(raw.strip()) or bool(evidence))
        if held:
            s.add(HeldFollowUp(incident_id=inc.id, author_id=person.id, source=source, chat_id=chat_id, text=raw,
                               evidence=evidence, created_at=now, status="held"))
            await s.flush()
        return fail("closed", number=inc.number, incident=inc.id, held=held)
    if values.is_empty and not evidence:
        return fail("empty", number=inc.number)
    fu = FollowUp(incident_id=inc.id, author_id=person.id, source=source, created_at=now,
                  observed_at=values.observed_at or now, **values.to_columns())
    s.add(fu)
    await s.flush()
    for e in evidence:
        s.add(Evidence(report_id=None, followup_id=fu.id, incident_id=inc.id, kind=e["kind"], file_id=e.get("file_id"),
                       file_unique_id=e.get("file_unique_id"), sha256=e.get("sha256"), size=e.get("size"),
                       mime_type=e.get("mime_type"), file_name=e.get("file_name"), text=e.get("text"),
                       origin=e.get("origin"), url=e.get("url"),
                       captured_at=datetime.fromisoformat(e["captured_at"]), captured_by=e["captured_by"]))
    await s.flush()
    await audit.append(s, incident_id=inc.id, kind=K.FOLLOWUP_ADDED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"followup_id": fu.id, "source": source, "reposts": fu.reposts, "comments": fu.comments,
                                "views": fu.views, "sentiment": fu.sentiment, "share": fu.sentiment_share,
                                "media": fu.media, "platforms": fu.platforms, "regions": fu.regions,
                                "evidence": len(evidence), "text": fu.text[:200]})
    if inc.tracker_id == person.id:
        await schedule_reminder(s, inc, org=org, now=now)  # the tracker just reported: the next is due later
    old = inc.grade
    raised = await _regrade(s, inc, org=org, now=now, followup_id=fu.id) if (values.has_counts or values.media) else None
    if raised is None:
        await refresh_cards(s, inc, org=org, now=now)
    count = await s.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.incident_id == inc.id))
    here = addresses.telegram(chat_id)  # the chat it was written in hears it there
    chats = {to: lang for to, lang in (await office_chats(s, org, incident_id=inc.id)).items()
             if (to.channel, to.conv) != (here.channel, here.conv)}  # any topic of that chat: it was said there
    await tell(s, chats, "follow.office", now=now, dedup=f"fu:{fu.id}", number=inc.number, name=person.name,
               summary=_brief(fu, org.language), notice="followup.office")
    if raised is not None:
        await tell(s, await office_chats(s, org, incident_id=inc.id), "follow.regraded_office", now=now, dedup=f"fu:{fu.id}:up",
                   number=inc.number, old=GRADES.label(old, org.language) if old else "-",
                   new=GRADES.label(raised, org.language), notice="followup.regraded")
    return Result("recorded", {"number": inc.number, "count": count, "raised": raised, "previous": old,
                               "evidence": len(evidence), "id": fu.id})


def _brief(fu: FollowUp, lang: str) -> str:
    parts = []
    for name in ("reposts", "comments", "views"):
        if (v := getattr(fu, name)) is not None:
            parts.append(f"{t(f'field.{name}', lang)} {v:,}")
    if fu.sentiment:
        share = f" {fu.sentiment_share}%" if fu.sentiment_share is not None else ""
        parts.append(f"{SENTIMENTS.label(fu.sentiment, lang)}{share}")
    if fu.platforms:
        parts.append(listing((PLATFORMS.label(p, lang) for p in fu.platforms), lang))
    if fu.media:
        parts.append(MEDIA_LEVELS.label(fu.media, lang))
    if fu.regions:
        parts.append(listing(fu.regions, lang))
    if fu.text:
        parts.append(fu.text if len(fu.text) <= 200 else fu.text[:199] + "…")
    return "；".join(parts) if lang != "en" else "; ".join(parts)


def brief(fu_values: FollowUpInput, lang: str) -> str:
    """The same short line, for the author's confirmation."""
    return _brief(FollowUp(**fu_values.to_columns()), lang)


async def followups_json(s: AsyncSession, incident_id: int) -> list[dict[str, Any]]:
    """For `onduty export` ("followups")."""
    rows = (await s.execute(select(FollowUp, Person).join(Person, Person.id == FollowUp.author_id)
                            .where(FollowUp.incident_id == incident_id).order_by(FollowUp.id))).all()
    ev = (await s.scalars(select(Evidence).where(Evidence.incident_id == incident_id,
                                                 Evidence.followup_id.is_not(None)))).all()
    by_fu: dict[int, int] = {}
    for e in ev:
        by_fu[e.followup_id] = by_fu.get(e.followup_id, 0) + 1
    return [{"id": f.id, "source": f.source, "author": {"telegram_id": p.telegram_id, "name": p.name},
             "created_at": f.created_at.isoformat(), "observed_at": f.observed_at.isoformat(),
             "reposts": f.reposts, "comments": f.comments, "views": f.views, "sentiment": f.sentiment,
             "sentiment_share": f.sentiment_share, "media": f.media, "platforms": list(f.platforms or []),
             "regions": list(f.regions or []), "text": f.text, "evidence": by_fu.get(f.id, 0)} for f, p in rows]

"""The working group's first meeting (碰头会, bot/services/working_group.py): proposed once the group is confirmed,
at `policy.working_group.first_meeting_within_minutes`, to every member with Join / Can't and an agenda built from
the card; each answer is recorded (a later press changes it) and the office told who joins and who cannot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.working_group import meeting_buttons
from bot.domain import audit_kinds as K
from bot.domain import report as rf
from bot.domain.tasks import OPEN
from bot.domain.vocab import CATEGORIES, GRADES
from bot.domain.working_group import ANSWERS, JOIN, first_meeting_at
from bot.i18n import t
from bot.services import audit
from bot.services.checklist import done_steps, incident_checklist
from bot.services.clocks import list_clocks
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import Result, fail, listing, tell
from bot.services.send import to_person
from bot.services.working_group import FACTS, fmt, members, office_recipients
from models import (
    GroupMeeting,
    GroupMeetingAnswer,
    Incident,
    Person,
    Report,
    Task,
    WorkingGroup,
    WorkingGroupMember,
)


async def propose_first(s: AsyncSession, group_id: int, *, org: OrgDTO, now: datetime) -> str:
    """The first meeting of a group just confirmed; its time as shown."""
    group = await s.get(WorkingGroup, group_id)
    inc = await s.get(Incident, group.incident_id)
    meeting = await _propose(s, inc, group, await members(s, group.id), org=org, now=now)
    return fmt(meeting.starts_at, org)


async def agenda(s: AsyncSession, inc: Incident, *, org: OrgDTO, lang: str, now: datetime) -> str:
    """The agenda built from the card: the facts, grade and category, the checklist's open steps, the running
    clocks and the open tasks."""
    first = await s.scalar(select(Report).where(Report.incident_id == inc.id).order_by(Report.id).limit(1))
    values = rf.from_json(first.fields) if first is not None else {}
    lines = [t("wg.agenda.head", lang, number=inc.number)]
    facts = [f"{rf.shown_label(k, lang)}：{rf.format_value(k, values[k], lang, org.tz)}"
             for k in FACTS if rf.is_filled(values.get(k))]
    lines += [t("wg.agenda.facts", lang), *(f"  · {f[:200]}" for f in facts)]
    lines.append(t("wg.agenda.grade", lang, grade=GRADES.label(inc.grade, lang) if inc.grade else "—",
                   category=CATEGORIES.label(inc.category, lang) if inc.category else t("wg.agenda.no_category", lang)))
    done = await done_steps(s, inc.id)
    steps = [st.label(lang) for st in await incident_checklist(s, inc, org) if st.code not in done]
    lines.append(t("wg.agenda.steps", lang, steps=listing(steps, lang) if steps else t("wg.agenda.none", lang)))
    clocks = [c for c in await list_clocks(s, inc.id, now) if c.status == "running"]
    lines.append(t("wg.agenda.clocks", lang, clocks=listing(
        [t("wg.agenda.clock", lang, name=t(f"clock.name.{c.name}", lang), due=fmt(c.due_at, org)) for c in clocks],
        lang) if clocks else t("wg.agenda.none", lang)))
    tasks = (await s.scalars(select(Task).where(Task.incident_id == inc.id, Task.status.in_(sorted(OPEN)))
                             .order_by(Task.id))).all()
    lines.append(t("wg.agenda.tasks", lang, tasks=listing([f"#{x.id} {x.what[:60]}" for x in tasks], lang)
                   if tasks else t("wg.agenda.none", lang)))
    return "\n".join(lines)


async def _propose(s: AsyncSession, inc: Incident, group: WorkingGroup, rows: list, *, org: OrgDTO,
                   now: datetime) -> GroupMeeting:
    at = first_meeting_at(now, org.policy.working_group)
    meeting = GroupMeeting(group_id=group.id, incident_id=inc.id, starts_at=at, proposed_at=now,
                           agenda=await agenda(s, inc, org=org, lang=org.language, now=now))
    s.add(meeting)
    await s.flush()
    await audit.append(s, incident_id=inc.id, kind=K.MEETING_PROPOSED, now=now,
                       payload={"meeting": meeting.id, "at": at.isoformat(), "members": len(rows)})
    texts: dict[str, str] = {org.language: meeting.agenda}
    for _, p in rows:
        lang = p.language or org.language
        if lang not in texts:
            texts[lang] = await agenda(s, inc, org=org, lang=lang, now=now)
        await to_person(s, p, now=now, dedup_key=f"wg:meet:{meeting.id}:{p.id}", notice="wgroup.meeting",
                        text=t("wg.meeting", lang, number=inc.number, at=fmt(at, org), agenda=texts[lang]),
                        buttons=meeting_buttons(meeting.id, lang))
    await tell(s, await office_recipients(s, inc.id, org), "wg.meeting.office", now=now, dedup=f"wg:meet:{meeting.id}:office",
               notice="wgroup.meeting.office", number=inc.number, at=fmt(at, org), n=len(rows),
               agenda=meeting.agenda)
    return meeting


async def answer(s: AsyncSession, *, meeting_id: int, join: bool, person: PersonDTO | None, actor_id: int,
                 actor_name: str, org: OrgDTO, now: datetime) -> Result:
    """A member's Join / Can't: recorded (a later press changes it), the office told who joins and who cannot.
    Refused: gone, not_member (on the timeline), closed."""
    meeting = await s.get(GroupMeeting, meeting_id)
    inc = await s.get(Incident, meeting.incident_id) if meeting is not None else None
    if meeting is None or inc is None:
        return fail("gone")
    member = None
    if person is not None:
        member = await s.scalar(select(WorkingGroupMember).where(WorkingGroupMember.group_id == meeting.group_id,
                                                                 WorkingGroupMember.person_id == person.id))
    if member is None:
        await audit.record_refusal(s, incident_id=inc.id, user=actor_id, name=actor_name, action="meeting.answer",
                                   reason="not_member", now=now)
        return fail("not_member")
    if inc.status == "closed":
        return fail("closed", number=inc.number)
    value = ANSWERS[0] if join else ANSWERS[1]
    row = await s.scalar(select(GroupMeetingAnswer).where(GroupMeetingAnswer.meeting_id == meeting.id,
                                                          GroupMeetingAnswer.person_id == person.id))
    if row is not None and row.answer == value:
        return Result("same", {"number": inc.number, "answer": value})
    if row is None:
        s.add(GroupMeetingAnswer(meeting_id=meeting.id, person_id=person.id, answer=value, answered_at=now))
    else:
        row.answer, row.answered_at = value, now
    await s.flush()
    await audit.append(s, incident_id=inc.id, kind=K.MEETING_ANSWERED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"meeting": meeting.id, "answer": value,
                                                                 "at": meeting.starts_at.isoformat()})
    joins, cants = await tally(s, meeting.id)
    lang = org.language
    await tell(s, await office_recipients(s, inc.id, org), "wg.answer.office", now=now,
               dedup=f"wg:ans:{meeting.id}:{person.id}:{int(now.timestamp())}", notice="wgroup.meeting.answer",
               number=inc.number, name=person.name, answer=t(f"wg.answer.{value}", lang), at=fmt(meeting.starts_at, org),
               joins=listing(joins, lang) if joins else t("wg.agenda.none", lang),
               cants=listing(cants, lang) if cants else t("wg.agenda.none", lang))
    return Result("answered", {"number": inc.number, "answer": value, "at": fmt(meeting.starts_at, org)})


async def tally(s: AsyncSession, meeting_id: int) -> tuple[list[str], list[str]]:
    """Who joins and who cannot, by name, in the order they answered."""
    rows = (await s.execute(select(GroupMeetingAnswer.answer, Person.name)
                            .join(Person, Person.id == GroupMeetingAnswer.person_id)
                            .where(GroupMeetingAnswer.meeting_id == meeting_id)
                            .order_by(GroupMeetingAnswer.answered_at, GroupMeetingAnswer.id))).all()
    return [n for a, n in rows if a == JOIN], [n for a, n in rows if a != JOIN]

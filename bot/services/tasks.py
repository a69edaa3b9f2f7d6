"""Tasks (督办): the office, a leader or the incident's person in charge gives a unit or a person a task with a
due time; its owner accepts it, reports it done (a note and evidence) or asks for help.

The owner of a task given to a unit is who does the work there: the incident's person in charge when they are
a handler of that unit, else the unit's first active handler (lowest id) other than its head, else the head
(the org file's `head:`), who then answers for it directly; a unit with none of them cannot be given a task. Reminders go to the owner at
`policy.tasks.reminder_points` of the time allowed and at the due time the task is marked late and goes to
the unit's head (the owner's unit for a task given to a person) and the assigner — to the office instead
when there is no head or `escalate_to_head` is false. These are due rows of kind "task"
(schedules/tasks.py) with the task in the payload; each row does its work once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tasks import owner_buttons
from bot.domain import audit_kinds as K
from bot.domain.name_match import match_names, normalise
from bot.domain.tasks import OPEN, default_due, done_late, reminder_times
from bot.domain.vocab import LEADER_ROLES
from bot.i18n import t
from bot.services import addresses, audit
from bot.services.calendar import calendar_for
from bot.services.clocks import add_due
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import Result, fail, incident_by_number, office_chats, tell
from bot.services.send import to_person
from bot.services.units import all_units, unit_handlers
from models import DueItem, Incident, Person, Task, Unit

KIND = "task"
OVERDUE = "overdue"  # the due row at the due time; the others are named by their fraction
FITTING = frozenset({"handler", "office", "monitor", *LEADER_ROLES})  # roles that can own a task


@dataclass(frozen=True)
class Target:
    """Whom a task goes to: a unit (its owner worked out) or a person."""

    kind: str  # unit | person
    id: int


def _fmt(when: datetime, org: OrgDTO) -> str:
    return when.astimezone(org.tz).strftime("%Y-%m-%d %H:%M")


def may_assign(person: PersonDTO | None, inc: Incident) -> bool:
    """The office, a leader, or the person in charge of this incident."""
    return person is not None and (person.has("office") or person.is_leader or inc.in_charge_id == person.id)


async def match_target(s: AsyncSession, text: str) -> list[tuple[str, int, str]]:
    """Units and active people `text` names, as (kind, id, name): exact names or aliases first, else
    containment (bot/domain/name_match.py), over units and people together."""
    units = await all_units(s)
    people = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    cands: list[tuple[tuple[str, int], tuple[str, ...]]] = [(("unit", u.id), (u.name, *u.aliases)) for u in units]
    cands += [(("person", p.id), (p.name,)) for p in people]
    names = {("unit", u.id): u.name for u in units} | {("person", p.id): p.name for p in people}
    return [(k[0], k[1], names[k]) for k in match_names(text, cands)]


async def split_target(s: AsyncSession, words: list[str]) -> tuple[str, list[str]]:
    """The target's words and the rest: a name of several words (Wang Fang, 学校 后勤管理处) when the first
    two or three words are exactly a unit's name or alias or a person's name; else the first word."""
    units = await all_units(s)
    names = {normalise(n) for u in units for n in (u.name, *u.aliases)}
    names |= {normalise(n) for n in (await s.scalars(select(Person.name).where(Person.active))).all()}
    for n in (3, 2):
        if len(words) > n and normalise(" ".join(words[:n])) in names:
            return " ".join(words[:n]), words[n:]
    return (words[0], words[1:]) if words else ("", [])


async def owner_of_unit(s: AsyncSession, unit_id: int, *, in_charge_id: int | None = None) -> Person | None:
    """Who does a unit's task: the incident's person in charge when a handler of the unit, else its first active
    handler other than the head, else the active head. The head is the one a late task goes to, so the head
    owns it only when nobody else in the unit can."""
    unit = await s.get(Unit, unit_id)
    if unit is None:
        return None
    handlers = [h.id for h in await unit_handlers(s, unit_id)]
    if in_charge_id is not None and in_charge_id in handlers:
        return await s.get(Person, in_charge_id)
    for pid in handlers:
        if pid != unit.head_id:
            return await s.get(Person, pid)
    head = await s.get(Person, unit.head_id) if unit.head_id is not None else None
    return head if head is not None and head.active else None


async def _head_for(s: AsyncSession, task: Task, owner: Person | None) -> Person | None:
    """Who an overdue task goes to: the head of the unit it was given to, else of the owner's unit."""
    unit_id = task.unit_id if task.unit_id is not None else (owner.unit_id if owner is not None else None)
    unit = await s.get(Unit, unit_id) if unit_id is not None else None
    if unit is None or unit.head_id is None:
        return None
    head = await s.get(Person, unit.head_id)
    return head if head is not None and head.active else None


async def assign(s: AsyncSession, *, number: str, target: str | Target, what: str, due: datetime | None,
                 person: PersonDTO | None, org: OrgDTO, now: datetime) -> Result:
    """/task YQ-… TARGET WHAT [DUE]. Results: assigned (number, id, owner, unit, what, due, waits), or a
    refusal: not_allowed, unknown_incident, closed, empty, past, no_match, several (candidates), no_owner,
    no_role."""
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    if not may_assign(person, inc):
        return fail("not_allowed")
    if inc.status == "closed":
        return fail("closed", number=inc.number)
    what = (what or "").strip()
    if not what:
        return fail("empty")
    due = due or default_due(now, calendar=calendar_for(org), policy=org.policy.tasks)
    if due <= now:
        return fail("past", due=_fmt(due, org))
    if isinstance(target, str):
        found = await match_target(s, target)
        if not found:
            return fail("no_match", who=target.strip())
        if len(found) > 1:
            return fail("several", who=target.strip(), names=[n for _, _, n in found[:8]], candidates=found[:8])
        target = Target(found[0][0], found[0][1])
    unit: Unit | None = None
    if target.kind == "unit":
        unit = await s.get(Unit, target.id)
        owner = await owner_of_unit(s, target.id, in_charge_id=inc.in_charge_id) if unit is not None else None
        if unit is None:
            return fail("no_match", who="")
        if owner is None:
            return fail("no_owner", unit=unit.name)
    else:
        owner = await s.get(Person, target.id)
        if owner is None or not owner.active:
            return fail("no_match", who="")
        if not FITTING & set(owner.roles or ()):
            return fail("no_role", name=owner.name)
    task = Task(incident_id=inc.id, unit_id=unit.id if unit else None, owner_id=owner.id, what=what[:2000],
                due_at=due, status="open", evidence=[], assigned_by=person.id, created_at=now, late=False)
    s.add(task)
    await s.flush()
    await _schedule(s, task, org=org, now=now)
    await audit.append(s, incident_id=inc.id, kind=K.TASK_ASSIGNED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"task": task.id, "owner": owner.name, "unit": unit.name if unit else None,
                                "what": task.what[:200], "due": due.isoformat()})
    waits = await addresses.personal(s, owner) is None
    lang = owner.language or org.language
    await to_person(s, owner, now=now, dedup_key=f"task:new:{task.id}",
                    text=t("task.you", lang, number=inc.number, id=task.id, by=person.name, what=task.what,
                           due=_fmt(due, org), unit=t("task.for_unit", lang, unit=unit.name) if unit else ""),
                    buttons=owner_buttons(task.id, lang), notice="task.assigned")
    return Result("assigned", {"number": inc.number, "id": task.id, "owner": owner.name,
                               "unit": unit.name if unit else None, "what": task.what, "due": _fmt(due, org),
                               "waits": waits})


async def _schedule(s: AsyncSession, task: Task, *, org: OrgDTO, now: datetime) -> None:
    for fraction, at in reminder_times(task.created_at, task.due_at, org.policy.tasks):
        if at > now:
            await add_due(s, kind=KIND, due=at, dedup_key=f"task:{task.id}:{fraction:g}", now=now,
                          payload={"task": task.id, "point": f"{fraction:g}"}, incident_id=task.incident_id)
    await add_due(s, kind=KIND, due=task.due_at, dedup_key=f"task:{task.id}:{OVERDUE}", now=now,
                  payload={"task": task.id, "point": OVERDUE}, incident_id=task.incident_id)


async def _cancel_rows(s: AsyncSession, task: Task, now: datetime) -> None:
    await s.execute(update(DueItem).where(DueItem.kind == KIND, DueItem.status == "pending",
                                          DueItem.dedup_key.like(f"task:{task.id}:%"))
                    .values(status="cancelled", done_at=now))


async def _own_task(s: AsyncSession, task_id: int, person: PersonDTO | None) -> tuple[Task | None, Result | None]:
    task = await s.get(Task, task_id)
    if task is None:
        return None, fail("gone")
    if person is None or task.owner_id != person.id:
        return None, fail("not_owner")
    if task.status == "done":
        return None, fail("already_done", id=task.id)
    return task, None


async def _number(s: AsyncSession, task: Task) -> str:
    return (await s.get(Incident, task.incident_id)).number


async def accept(s: AsyncSession, *, task_id: int, person: PersonDTO | None, now: datetime) -> Result:
    task, refused = await _own_task(s, task_id, person)
    if refused:
        return refused
    number = await _number(s, task)
    if task.status == "accepted":
        return Result("already_accepted", {"id": task.id, "number": number})
    task.status, task.accepted_at = "accepted", task.accepted_at or now
    await audit.append(s, incident_id=task.incident_id, kind=K.TASK_ACCEPTED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"task": task.id, "what": task.what[:200]})
    return Result("accepted", {"id": task.id, "number": number})


async def done_target(s: AsyncSession, *, task_id: int, person: PersonDTO | None) -> Result:
    """Whether `person` may report the task done now (the handler then asks for the note)."""
    task, refused = await _own_task(s, task_id, person)
    if refused:
        return refused
    return Result("ask", {"id": task.id, "number": await _number(s, task), "what": task.what})


async def done(s: AsyncSession, *, task_id: int, person: PersonDTO | None, note: str,
               evidence: list[dict[str, Any]], org: OrgDTO, now: datetime) -> Result:
    """The owner reports the task done, with a note and any evidence; the assigner is told."""
    task, refused = await _own_task(s, task_id, person)
    if refused:
        return refused
    note = (note or "").strip()
    if not note and not evidence:
        return fail("note_required")
    inc = await s.get(Incident, task.incident_id)
    task.status, task.done_at, task.note = "done", now, note[:4000] or None
    task.evidence = [*(task.evidence or []), *evidence]
    task.late = task.late or done_late(task.due_at, now)
    await _cancel_rows(s, task, now)
    await audit.append(s, incident_id=task.incident_id, kind=K.TASK_DONE, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"task": task.id, "what": task.what[:200], "note": (note or "")[:200],
                                "evidence": len(evidence), "late": task.late})
    assigner = await s.get(Person, task.assigned_by)
    if assigner is not None and assigner.id != person.id:
        lang = assigner.language or org.language
        await to_person(s, assigner, now=now, dedup_key=f"task:done:{task.id}",
                        text=t("task.done_told", lang, number=inc.number, id=task.id, name=person.name,
                               what=task.what, note=note or t("task.no_note", lang), evidence=len(evidence),
                               late=t("task.late_mark", lang) if task.late else ""), notice="task.done")
    return Result("done", {"id": task.id, "number": inc.number, "evidence": len(evidence), "late": task.late})


async def need_help(s: AsyncSession, *, task_id: int, person: PersonDTO | None, org: OrgDTO, now: datetime) -> Result:
    """The owner asks for help: the assigner and the office are told; the task stays theirs."""
    task, refused = await _own_task(s, task_id, person)
    if refused:
        return refused
    inc = await s.get(Incident, task.incident_id)
    if task.status == "help":
        return Result("already_help", {"id": task.id, "number": inc.number})
    task.status = "help"
    await audit.append(s, incident_id=task.incident_id, kind=K.TASK_HELP, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"task": task.id, "what": task.what[:200]})
    chats = await office_chats(s, org, incident_id=task.incident_id)
    assigner = await s.get(Person, task.assigned_by)
    if assigner is not None and assigner.id != person.id:
        to = await addresses.person(s, assigner)
        if to is not None:
            chats.setdefault(to, assigner.language or org.language)
    await tell(s, chats, "task.help_told", now=now, dedup=f"task:help:{task.id}:{int(now.timestamp())}",
               number=inc.number, id=task.id, name=person.name, what=task.what, notice="task.help")
    return Result("help", {"id": task.id, "number": inc.number})


@dataclass(frozen=True)
class TaskRow:
    id: int
    number: str
    what: str
    owner: str
    owner_id: int
    unit: str | None
    due_at: datetime
    status: str
    late: bool
    overdue: bool


async def _rows(s: AsyncSession, cond: list[Any], now: datetime) -> list[TaskRow]:
    q = (select(Task, Incident.number, Person.name, Unit.name)
         .join(Incident, Incident.id == Task.incident_id).join(Person, Person.id == Task.owner_id)
         .outerjoin(Unit, Unit.id == Task.unit_id).where(*cond).order_by(Task.due_at, Task.id))
    return [TaskRow(id=task.id, number=number, what=task.what, owner=owner, owner_id=task.owner_id, unit=unit, due_at=task.due_at,
                    status=task.status, late=task.late, overdue=task.status in OPEN and now > task.due_at)
            for task, number, owner, unit in (await s.execute(q)).all()]


async def mine(s: AsyncSession, *, person: PersonDTO, now: datetime) -> list[TaskRow]:
    """The person's tasks not done yet, on incidents still open (a closed incident's tasks stop there)."""
    return await _rows(s, [Task.owner_id == person.id, Task.status.in_(OPEN), Incident.status != "closed"], now)


async def of_incident(s: AsyncSession, *, number: str, person: PersonDTO | None, now: datetime) -> Result:
    """An incident's tasks, done or not: for the office, leaders, its person in charge and the owners."""
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=(number or "").strip().upper())
    rows = await _rows(s, [Task.incident_id == inc.id], now)
    if not (may_assign(person, inc) or (person is not None and any(r.owner_id == person.id for r in rows))):
        return fail("not_allowed_view")
    return Result("listed", {"number": inc.number, "rows": rows})


async def export_rows(s: AsyncSession, incident_id: int) -> list[dict[str, Any]]:
    """For `onduty export` ("tasks"): names, never ids of people."""
    q = (select(Task, Person.name, Unit.name).join(Person, Person.id == Task.owner_id)
         .outerjoin(Unit, Unit.id == Task.unit_id).where(Task.incident_id == incident_id).order_by(Task.id))
    out = []
    for task, owner, unit in (await s.execute(q)).all():
        assigner = await s.get(Person, task.assigned_by)
        iso = (lambda d: d.isoformat() if d else None)  # noqa: E731
        out.append({"id": task.id, "unit": unit, "owner": owner, "assigned_by": assigner.name if assigner else None,
                    "what": task.what, "due_at": iso(task.due_at), "status": task.status, "note": task.note,
                    "evidence": [_evidence_json(e) for e in task.evidence or [] if isinstance(e, dict)],
                    "created_at": iso(task.created_at),
                    "accepted_at": iso(task.accepted_at), "done_at": iso(task.done_at), "late": task.late,
                    "escalated_at": iso(task.escalated_at)})
    return out


EVIDENCE_KEYS = ("kind", "file_id", "file_unique_id", "sha256", "size", "mime_type", "file_name", "text", "origin",
                 "url", "captured_at", "captured_by")


def _evidence_json(item: dict[str, Any]) -> dict[str, Any]:
    """An evidence item as the export's follow-up evidence reads (the same fields, absent ones None)."""
    return {k: item.get(k) for k in EVIDENCE_KEYS}


# ---------------------------------------------------------------- due rows (schedules/tasks.py)

async def fire(s: AsyncSession, *, task_id: int, point: str, org: OrgDTO, now: datetime, late: bool = False) -> str | None:
    """A due row of a task: a reminder to the owner, or at the due time the overdue escalation (once).
    Returns "cancelled" when there is nothing left to do, else None."""
    task = await s.get(Task, task_id)
    inc = await s.get(Incident, task.incident_id) if task is not None else None
    if task is None or inc is None or task.status == "done" or inc.status == "closed":
        return "cancelled"
    owner = await s.get(Person, task.owner_id)
    if point != OVERDUE:
        if owner is None or now >= task.due_at:  # a reminder missed until the due time: the overdue row says it
            return "cancelled"
        lang = owner.language or org.language
        await to_person(s, owner, now=now, dedup_key=f"task:remind:{task.id}:{point}",
                        text=(t("task.remind_late", lang) if late else "") + t("task.remind", lang, number=inc.number, id=task.id, what=task.what,
                                           due=_fmt(task.due_at, org)),
                        buttons=owner_buttons(task.id, lang, accepted=task.status != "open"), notice="task.remind")
        await audit.append(s, incident_id=inc.id, kind=K.TASK_REMINDED, now=now,
                           payload={"task": task.id, "owner": owner.name, "point": point})
        return None
    if task.escalated_at is not None:
        return "cancelled"
    task.late, task.escalated_at = True, now
    head = await _head_for(s, task, owner) if org.policy.tasks.escalate_to_head else None
    kw = dict(number=inc.number, id=task.id, what=task.what, owner=owner.name if owner else "-",
              due=_fmt(task.due_at, org))
    told: list[str] = []
    if head is not None:
        await to_person(s, head, now=now, dedup_key=f"task:overdue:{task.id}:head",
                        text=t("task.overdue_head", head.language or org.language, **kw),
                        buttons=None, notice="task.overdue")
        told.append(head.name)
    else:
        await tell(s, await office_chats(s, org, incident_id=task.incident_id), "task.overdue_office", now=now, dedup=f"task:overdue:{task.id}:office", **kw, notice="task.overdue")
    assigner = await s.get(Person, task.assigned_by)
    if assigner is not None and (head is None or assigner.id != head.id):
        await to_person(s, assigner, now=now, dedup_key=f"task:overdue:{task.id}:assigner",
                        text=t("task.overdue_assigner", assigner.language or org.language, **kw), notice="task.overdue")
    if owner is not None and (head is None or owner.id != head.id):
        lang = owner.language or org.language
        await to_person(s, owner, now=now, dedup_key=f"task:overdue:{task.id}:owner",
                        text=t("task.overdue_owner", lang, **kw),
                        buttons=owner_buttons(task.id, lang, accepted=task.status != "open"), notice="task.overdue.owner")
    await audit.append(s, incident_id=inc.id, kind=K.TASK_OVERDUE, now=now,
                       payload={"task": task.id, "owner": owner.name if owner else None, "what": task.what[:200],
                                "head": head.name if head else None})
    return None

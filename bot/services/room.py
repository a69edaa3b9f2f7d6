"""An incident's room (issue 23 item 4): its own forum topic in the office group, where the card, the clocks and
every later update for the office go, with a one-line pointer in the General topic.

Opening a topic is a call with side effects, so it is an outbox row (kind `topic`, one per incident by its dedup
key and the room's unique incident_id): durable, retried, never two topics for one incident but for the one call
in flight at a crash (a possible duplicate, counted as every such send is). Until the channel has answered, the
office's messages for the incident name the thread by a stand-in ("-<row id>") and wait behind the topic row
(bot/delivery/sender.py); once it answers, the room is open (`topic_opened`) and they go into the topic. When the
group is not a forum or the bot may not manage topics the channel refuses: the room is `refused`, the messages go
to the office group itself as before (the number in every message), and the office is told once how to enable
topics (`topic_refused`). A topic a person deleted ("message thread not found") sends the message to General,
marks the room gone and tells the office once (`thread_gone`). At closure the topic is closed (`close_room`).

`/decide TEXT` in the topic (or `/decide YQ-… TEXT` anywhere) records a decision (`decide`); with
`交办 UNIT-OR-PERSON WHAT [DUE]` (or `task: …`) after the text it also gives a task through bot/services/tasks.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import TELEGRAM, Address
from bot.domain import audit_kinds as K
from bot.domain.tasks import split_due
from bot.i18n import t
from bot.services import addresses, audit, outbox, room_address, send, tasks
from bot.services.addresses import tag
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.memo import new_incident
from bot.services.notify import Result, fail, incident_by_number
from bot.services.org import load_org
from bot.services.room_address import CLOSED, GONE, LIVE, OPEN, OPENING, REFUSED
from models import Decision, Incident, IncidentRoom, Person, Report, Task

ROOM_GRADES = ("major", "especially_major")
NAME_MAX = 128  # createForumTopic: 1-128 characters
TITLE_CHARS = 40  # of the report's process in the topic's name
# what starts a task after a decision's text: /decide TEXT 交办 UNIT-OR-PERSON WHAT [DUE] (or `task:` — with its colon,
# so that "a task force" in a decision stays words), a word of its own
_TASK_SPLIT = re.compile(r"(?:^|\s)(?:交办(?:[:：]\s*|\s+)|task[:：]\s*)", re.IGNORECASE)


def room_name(number: str, fields: dict[str, Any] | None) -> str:
    """The topic's name: the incident's number and a short title (the unit involved and the start of the
    process), within 1-128 characters."""
    fields = fields or {}
    unit = str(fields.get("unit") or "").strip()
    process = " ".join(str(fields.get("process") or "").split())
    if len(process) > TITLE_CHARS:
        process = process[:TITLE_CHARS - 1] + "…"
    title = "：".join(x for x in (unit, process) if x)
    return (f"{number} {title}".strip() if title else number)[:NAME_MAX]


def topic_link(room: IncidentRoom | None) -> str | None:
    """A link to the topic (Telegram: t.me/c/<internal id>/<thread> for a supergroup), None when there is none."""
    if room is None or room.thread is None or room.channel != TELEGRAM or not room.conv.startswith("-100"):
        return None
    return f"https://t.me/c/{room.conv[4:]}/{room.thread}"


def _insert(s: AsyncSession):  # noqa: ANN202
    return (postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert)(IncidentRoom)


async def room_of(s: AsyncSession, incident_id: int) -> IncidentRoom | None:
    return await s.scalar(select(IncidentRoom).where(IncidentRoom.incident_id == incident_id))


async def open_room(s: AsyncSession, incident_id: int, *, now: datetime, org: OrgDTO) -> IncidentRoom | None:
    """Open the incident's room in the office group: the room row and the topic's outbox row, in the caller's
    transaction. Idempotent: an incident that has a room keeps it (None when no office group is bound or the
    incident is closed). Whether the topic can be made is the channel's answer (see the module)."""
    found = await room_of(s, incident_id)
    if found is not None:
        return found
    inc = await s.get(Incident, incident_id)
    office = await addresses.group(s, "office")
    if inc is None or inc.status == "closed" or office is None:
        return None
    noted = new_incident(s, inc.id)  # created in this transaction: its reports are the ones noted
    first = noted["reports"][0] if noted and noted.get("reports") else await s.scalar(
        select(Report.fields).where(Report.incident_id == inc.id).order_by(Report.id).limit(1))
    name = room_name(inc.number, first)
    added = await s.execute(_insert(s).values(incident_id=inc.id, channel=office.channel, conv=office.conv, name=name,
                                              status=OPENING, created_at=now)
                            .on_conflict_do_nothing(index_elements=["incident_id"]).returning(IncidentRoom.id))
    if added.scalar_one_or_none() is None:  # another transaction opened it meanwhile
        return await room_of(s, incident_id)
    row_id = await outbox.enqueue(s, to=office, method=outbox.TOPIC, payload={"name": name}, now=now,
                                  dedup_key=f"room:{inc.id}", notice="room.topic")
    await s.execute(update(IncidentRoom).where(IncidentRoom.incident_id == inc.id).values(outbox_id=row_id)
                    .execution_options(synchronize_session=False))
    return await room_of(s, incident_id)


async def open_if_major(s: AsyncSession, inc: Incident, *, now: datetime, org: OrgDTO) -> IncidentRoom | None:
    """A major or especially major incident gets its room (at its first notifications, or when raised to it)."""
    if inc.grade not in ROOM_GRADES:
        return None
    return await open_room(s, inc.id, now=now, org=org)


async def office_address(s: AsyncSession, incident_id: int | None) -> Address | None:
    """Where the office group reads about this incident: its room's topic while it has one, else the office group
    itself (None when no office group is bound). Every incident-specific message to the office group goes here."""
    return await room_address.office_address(s, incident_id)


# ---------------------------------------------------------------- what the channel answered (the sender calls these)

async def _room_by_row(s: AsyncSession, row_id: int) -> IncidentRoom | None:
    return await s.scalar(select(IncidentRoom).where(IncidentRoom.outbox_id == row_id))


async def topic_opened(s: AsyncSession, row_id: int, thread: str, *, now: datetime,
                       default_tz: str = "Asia/Shanghai") -> None:
    """The topic exists: the room is open, the timeline says so, and General gets the one-line pointer."""
    room = await _room_by_row(s, row_id)
    if room is None or room.status != OPENING:
        return
    room.status, room.thread, room.opened_at = OPEN, str(thread), now
    inc = await s.get(Incident, room.incident_id)
    link = topic_link(room)
    await audit.append(s, incident_id=room.incident_id, kind=K.ROOM_OPENED, now=now,
                       payload={"name": room.name, "link": link})
    org = await load_org(s, default_tz)
    lang = org.language
    text = t("room.pointer", lang, number=inc.number if inc else "", name=room.name,
             link=t("room.pointer_link", lang, link=link) if link else "")
    await send.to_address(s, Address(room.channel, room.conv), text=text, now=now,
                          dedup_key=f"room:{room.incident_id}:pointer", notice="room.pointer")


async def topic_refused(s: AsyncSession, row_id: int, *, error: str, now: datetime,
                        default_tz: str = "Asia/Shanghai") -> None:
    """No topic (the group is not a forum, or the bot may not manage topics): the office group as before, and the
    office told once for that group how to enable topics."""
    room = await _room_by_row(s, row_id)
    if room is None or room.status != OPENING:
        return
    room.status = REFUSED
    low = error.lower()
    reason = "not_forum" if "not a forum" in low else "rights" if "rights" in low else "other"
    await audit.append(s, incident_id=room.incident_id, kind=K.ROOM_REFUSED, now=now, payload={"reason": reason})
    org = await load_org(s, default_tz)
    office = Address(room.channel, room.conv)
    await send.to_address(s, office, text=t("room.hint", org.language, why=t(f"room.why.{reason}", org.language)),
                          now=now, dedup_key=f"room:hint:{tag(office)}", notice="room.hint")


async def thread_gone(s: AsyncSession, to: Address, thread: str | None, *, now: datetime,
                      default_tz: str = "Asia/Shanghai") -> None:
    """A person deleted the topic: the room is gone (later messages go to the office group itself) and the office
    is told once, in General."""
    if thread is None:
        return
    o = IncidentRoom
    where = o.outbox_id == int(thread[1:]) if thread.startswith("-") else o.thread == thread
    room = await s.scalar(select(o).where(o.channel == to.channel, o.conv == to.conv, where))
    if room is None or room.status not in LIVE:
        return
    room.status = GONE
    inc = await s.get(Incident, room.incident_id)
    await audit.append(s, incident_id=room.incident_id, kind=K.ROOM_GONE, now=now, payload={"name": room.name})
    org = await load_org(s, default_tz)
    await send.to_address(s, to.conversation, text=t("room.gone", org.language, number=inc.number if inc else "",
                                                     name=room.name),
                          now=now, dedup_key=f"room:{room.incident_id}:gone", notice="room.gone")


async def close_room(s: AsyncSession, incident_id: int, *, now: datetime) -> bool:
    """At closure: the topic is closed (closeForumTopic, an outbox row after the closure's messages in it)."""
    room = await room_of(s, incident_id)
    if room is None or room.status not in LIVE:
        return False
    to = room_address.room_address(room)
    await outbox.enqueue(s, to=to, method=outbox.TOPIC_CLOSE, now=now, dedup_key=f"room:{incident_id}:close",
                         notice="room.close")
    room.status, room.closed_at = CLOSED, now
    await audit.append(s, incident_id=incident_id, kind=K.ROOM_CLOSED, now=now,
                       payload={"name": room.name, "link": topic_link(room)})
    return True


# ---------------------------------------------------------------- /decide

@dataclass(frozen=True)
class Where:
    """The incident a /decide names: by the topic it was typed in, or by its number."""

    incident: Incident | None
    text: str


async def incident_of_thread(s: AsyncSession, to: Address) -> Incident | None:
    """The incident whose room is this thread of this group (any status: a decision typed in a closed or gone
    topic still belongs to its incident)."""
    if to.thread is None:
        return None
    room = await s.scalar(select(IncidentRoom).where(IncidentRoom.channel == to.channel, IncidentRoom.conv == to.conv,
                                                     IncidentRoom.thread == to.thread))
    return await s.get(Incident, room.incident_id) if room is not None else None


async def where(s: AsyncSession, to: Address, text: str) -> Where:
    """The topic's incident with the whole text, else an incident number as the text's first word."""
    inc = await incident_of_thread(s, to)
    if inc is not None:
        return Where(inc, text.strip())
    first, _, rest = text.strip().partition(" ")
    if re.match(r"^(?:YQ-)?\d{4}-\d{1,6}$", first, re.IGNORECASE):
        return Where(await incident_by_number(s, first), rest.strip())
    return Where(None, text.strip())


def split_task(text: str) -> tuple[str, str | None]:
    """A decision's text and the task form after it (`交办 UNIT-OR-PERSON WHAT [DUE]`), or None."""
    m = _TASK_SPLIT.search(text)
    if m is None:
        return text.strip(), None
    return text[:m.start()].strip(), text[m.end():].strip()


async def decide(s: AsyncSession, *, to: Address, text: str, person: PersonDTO | None, org: OrgDTO,
                 now: datetime) -> Result:
    """/decide TEXT [交办 UNIT-OR-PERSON WHAT [DUE]]. Results: decided (number, text, task: the task's Result info or
    None, task_error: its refusal code and info, or None); refusals: usage, outside (not in a topic and no number),
    unknown_incident, not_allowed, closed. A task that cannot be given leaves the decision recorded."""
    if not text.strip():
        return fail("usage")
    found = await where(s, to, text)
    if found.incident is None:
        first = text.strip().partition(" ")[0]
        return fail("unknown_incident", number=first.upper()) if found.text != text.strip() else fail("outside")
    inc = found.incident
    if not tasks.may_assign(person, inc):
        return fail("not_allowed")
    if inc.status == "closed":
        return fail("closed", number=inc.number)
    what, task_form = split_task(found.text)
    if not what:
        return fail("usage")
    assert person is not None  # may_assign refuses nobody
    row = Decision(incident_id=inc.id, text=what[:2000], decided_by=person.id, created_at=now)
    s.add(row)
    await s.flush()
    task_info: dict[str, Any] | None = None
    task_error: dict[str, Any] | None = None
    if task_form is not None:
        words = task_form.split()
        if len(words) < 2:
            task_error = {"code": "usage", "info": {}}
        else:
            who, rest = await tasks.split_target(s, words)
            what_words, due = split_due(rest, now=now, tz=org.tz)
            r = await tasks.assign(s, number=inc.number, target=who, what=" ".join(what_words), due=due,
                                   person=person, org=org, now=now)
            if r.ok:
                task_info = dict(r.info)
                row.task_id = r.info["id"]
            else:
                task_error = {"code": r.code, "info": {k: v for k, v in r.info.items() if k != "candidates"}}
    await audit.append(s, incident_id=inc.id, kind=K.DECIDED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"decision": row.id, "text": row.text[:500], "task": row.task_id,
                                "owner": task_info["owner"] if task_info else None})
    return Result("decided", {"number": inc.number, "text": row.text, "task": task_info, "task_error": task_error})


async def decisions_of(s: AsyncSession, incident_id: int) -> list[dict[str, Any]]:
    """The incident's decisions, oldest first: when, who, what, and the task it gave (export and review)."""
    rows = (await s.execute(select(Decision, Person.name, Task.what)
                            .join(Person, Person.id == Decision.decided_by)
                            .outerjoin(Task, Task.id == Decision.task_id)
                            .where(Decision.incident_id == incident_id).order_by(Decision.created_at, Decision.id))).all()
    return [{"at": d.created_at, "by": name, "text": d.text, "task": d.task_id, "task_what": what}
            for d, name, what in rows]

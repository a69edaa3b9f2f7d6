"""Handover notes of the 24-hour duty: written with /handover or as a reply to the bot's handover prompt, from
`policy.duty.handover_window_minutes` before a shift's end until `policy.duty.handover_late_minutes` after it
(both edges included), delivered to the next shift with the open incidents and their clocks, and confirmed
by the incoming person's receipt button.

Outside that window the answer says when a note can be written, so nobody has to guess the rule. Kept apart
from bot/services/duty.py (start/stop, the stored roster, check-in) so the two can change independently.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.duty import receipt_buttons
from bot.channels.types import Address, MessageRef
from bot.i18n import t
from bot.services import outbox
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty import lang_of, neighbours, open_incidents_text, span
from bot.services.notify import Result, fail, tell
from bot.services.send import recipients, to_person
from models import DueItem, Person
from models.duty import DutyEvent, DutyShift

NOTE_CHARS = 3000
# The prompt goes out from the due row of action "handover" (schedules/duty.py) with the outbox dedup key
# `duty:msg:{due row id}`: that key leads from the message someone replied to back to the shift it asked about.
PROMPT_KEY = "duty:msg:"


def window(row: DutyShift, org: OrgDTO) -> tuple[datetime, datetime]:
    """When a note for this shift may be written: [end − handover_window_minutes, end + handover_late_minutes]."""
    pol = org.policy.duty
    return (row.end - timedelta(minutes=pol.handover_window_minutes),
            row.end + timedelta(minutes=pol.handover_late_minutes))


def _in_window(row: DutyShift, org: OrgDTO, now: datetime) -> bool:
    opens, closes = window(row, org)
    return opens <= now <= closes


async def _shifts_of(s: AsyncSession, person_id: int, org: OrgDTO, now: datetime) -> list[tuple[DutyShift, DutyEvent]]:
    """The person's shifts whose handover window has not long closed, earliest end first, with their duty. A
    stopped duty keeps only the shifts that had begun when it stopped: the later ones never happen."""
    since = now - timedelta(minutes=org.policy.duty.handover_late_minutes) - timedelta(days=1)
    rows = (await s.execute(select(DutyShift, DutyEvent).join(DutyEvent, DutyEvent.id == DutyShift.event_id)
                            .where(DutyShift.person_id == person_id, DutyShift.end >= since)
                            .order_by(DutyShift.end, DutyShift.id))).all()
    return [(r, ev) for r, ev in rows
            if ev.status == "running" or (ev.stopped_at is not None and r.start < ev.stopped_at)]


def _at(moment: datetime, ref: datetime, org: OrgDTO) -> str:
    """'19:30' on the day the shift started, '11-25 02:00' on another day."""
    m = moment.astimezone(org.tz)
    return f"{m:%H:%M}" if m.date() == ref.astimezone(org.tz).date() else f"{m:%m-%d %H:%M}"


def _when_info(row: DutyShift, org: OrgDTO) -> dict[str, str]:
    opens, closes = window(row, org)
    return {"span": span(row.start, row.end, org), "opens": _at(opens, row.start, org),
            "closes": _at(closes, row.start, org)}


async def handover_status(s: AsyncSession, person: PersonDTO | None, org: OrgDTO, now: datetime) -> Result:
    """What /handover can do for this person now: "handover.open" (a note may be written, with its shift) or
    why not and when — "handover.not_yet", "handover.already_written", "handover.closed", "handover.none"."""
    rows = await _shifts_of(s, person.id, org, now) if person else []
    open_ = [r for r, _ in rows if _in_window(r, org, now)]
    if pending := next((r for r in open_ if r.handover_note is None), None):
        return Result("handover.open", _when_info(pending, org) | {"shift": pending.id})
    if open_:
        return fail("handover.already_written", **_when_info(open_[-1], org))
    if upcoming := next((r for r, ev in rows if ev.status == "running" and window(r, org)[0] > now), None):
        return fail("handover.not_yet", **_when_info(upcoming, org))
    if missed := [r for r, _ in rows if r.handover_note is None and window(r, org)[1] < now]:
        return fail("handover.closed", **_when_info(missed[-1], org))
    return fail("handover.none")


async def prompt_shift(s: AsyncSession, to: Address, ref: MessageRef) -> int | None:
    """The shift a handover prompt asked about, when the message `ref` in conversation `to` is that prompt as the
    bot sent it; None for any other message."""
    key = await outbox.dedup_key_of(s, to, ref)
    if not key or not key.startswith(PROMPT_KEY) or not key.removeprefix(PROMPT_KEY).isdigit():
        return None
    item = await s.get(DueItem, int(key.removeprefix(PROMPT_KEY)))
    payload = item.payload if item is not None and item.kind == "duty" else {}
    shift = payload.get("shift") if payload.get("action") == "handover" else None
    return shift if isinstance(shift, int) else None


async def write_handover(s: AsyncSession, *, person: PersonDTO | None, text: str, org: OrgDTO, now: datetime,
                         shift_id: int | None = None) -> Result:
    """Saves the note and sends it to the next shift, each message with the Confirm receipt button (a neutral
    button, bot/actions/duty.py). `shift_id`: the shift whose prompt was
    replied to (it must still be the person's); otherwise the person's shift whose window is open now. Refusals
    say when."""
    if person is None:
        return fail("handover.none")
    row = await s.get(DutyShift, shift_id) if shift_id is not None else None
    if row is not None and row.person_id == person.id:
        if row.handover_note is not None:
            return fail("handover.already_written", **_when_info(row, org))
        if not _in_window(row, org, now):
            opens = window(row, org)[0]
            return fail("handover.not_yet" if now < opens else "handover.closed", **_when_info(row, org))
    else:
        status = await handover_status(s, person, org, now)
        if not status.ok:
            return status
        row = await s.get(DutyShift, status.info["shift"])
    row.handover_note = text.strip()[:NOTE_CHARS]
    ev = await s.get(DutyEvent, row.event_id)
    # After a stop the later shifts never happen: the note is kept (the review reads it) but goes to nobody.
    incoming = await neighbours(s, row, 1) if ev is not None and ev.status == "running" else []
    for nxt in incoming:
        p = await s.get(Person, nxt.person_id)
        lang = lang_of(p, org)
        body = t("duty.handover.delivered", lang, name=person.name, span=span(row.start, row.end, org),
                 note=row.handover_note, incidents=await open_incidents_text(s, lang, org, now))
        await to_person(s, p, text=body[:4000], buttons=receipt_buttons(row.id, lang), now=now,
                        dedup_key=f"duty:handover:{row.id}:{p.id}", notice="duty.handover")
    if not incoming:
        return Result("handover.saved_alone", {"span": span(row.start, row.end, org)})
    return Result("handover.saved", {"count": len(incoming), "span": span(row.start, row.end, org)})


async def confirm_handover(s: AsyncSession, *, shift_id: int, person: PersonDTO | None, org: OrgDTO,
                           now: datetime) -> Result:
    row = await s.get(DutyShift, shift_id)
    if row is None or person is None or person.id not in {n.person_id for n in await neighbours(s, row, 1)}:
        return fail("handover.not_yours")
    if row.handover_confirmed_at is not None:
        return fail("handover.already")
    row.handover_confirmed_at = now
    out = await s.get(Person, row.person_id)
    await tell(s, await recipients(s, [(out, lang_of(out, org))]), "duty.handover.received", now=now,
               dedup=f"duty:rcv:{row.id}", name=person.name, notice="duty.handover.received")
    return Result("handover.confirmed")

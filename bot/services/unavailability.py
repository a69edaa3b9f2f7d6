"""Declared unavailability: stored windows (merged per person), /unavailable's declare / list / delete, and
what a new window does to a running duty — its future shifts of that person go to someone else (the swap
rules and the balance decide who, bot/domain/roster_reassign.py), the reminders and the handover chain
follow as in a swap, everyone concerned and the office are told; a slot nobody can take is named to the
office with the reason; a shift under way is not taken away: the office is asked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.duty import receipt_buttons
from bot.actions.unavail import running_buttons
from bot.channels.types import Address
from bot.domain import roster as rd
from bot.domain.roster_reassign import reassign, replacement
from bot.domain.unavailability import UnavailError, Window, clean, merge, parse_window, show
from bot.i18n import t
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty import (
    cancel_rows,
    lang_of,
    neighbours,
    open_incidents_text,
    running_events,
    schedule_shift,
    span,
)
from bot.services.duty_roster import load_roster, unavailability_of
from bot.services.notify import Result, fail, office_chats, tell
from bot.services.org import people_with_roles
from bot.services.send import recipients, to_person
from models import Person
from models.duty import DutyEvent, DutyShift, SwapOffer, UnavailabilityWindow

LIST_LIMIT = 20


# ---------------------------------------------------------------- storing

async def windows_of(s: AsyncSession, person_id: int, now: datetime) -> list[UnavailabilityWindow]:
    """The person's windows that are not over, earliest first."""
    return list((await s.scalars(select(UnavailabilityWindow).where(UnavailabilityWindow.person_id == person_id,
                                                                   UnavailabilityWindow.end > now)
                                 .order_by(UnavailabilityWindow.start))).all())


async def store(s: AsyncSession, *, person_id: int, window: Window, source: str, by: int | None,
                now: datetime) -> tuple[UnavailabilityWindow, int]:
    """Stores the window merged with the person's windows it overlaps or touches (those rows are replaced
    by one); returns the row and how many it absorbed. Storing the same window twice changes nothing.
    Rows of one person never overlap or touch, so the rows overlapping the new window are all it can reach."""
    rows = list((await s.scalars(select(UnavailabilityWindow).where(
        UnavailabilityWindow.person_id == person_id, UnavailabilityWindow.end >= window.start,
        UnavailabilityWindow.start <= window.end))).all())
    merged, absorbed = merge([Window(r.start, r.end, r.reason, r.id) for r in rows], window)
    keep = next((r for r in rows if r.id in {w.id for w in absorbed}), None)
    if keep is None:
        keep = UnavailabilityWindow(person_id=person_id, source=source, created_at=now, created_by=by)
        s.add(keep)
    keep.start, keep.end, keep.reason = merged.start, merged.end, merged.reason
    others = [w.id for w in absorbed if w.id != keep.id]
    if others:
        await s.execute(delete(UnavailabilityWindow).where(UnavailabilityWindow.id.in_(others)))
    await s.flush()
    same = len(absorbed) == 1 and (absorbed[0].start, absorbed[0].end) == (window.start, window.end)
    return keep, 0 if same else len(absorbed)  # the very same window again is not a merge


# ---------------------------------------------------------------- the chat

async def _target(s: AsyncSession, person: PersonDTO, text: str) -> tuple[Person, str]:
    """`@telegram_id` or `@name` at the start names someone else (the office only); else the sender."""
    if not text.startswith("@"):
        return await s.get(Person, person.id), text
    ref = text[1:]
    head = ref.split(" ", 1)[0]
    people = (await s.scalars(select(Person).where(Person.active))).all()
    if head.isdigit():
        found = [p for p in people if str(p.telegram_id) == head]
        who, rest = head, ref[len(head):]
    else:  # names may hold spaces ("Wang Fang"): the longest name the text starts with
        names = sorted({p.name for p in people if ref.startswith(p.name)}, key=len, reverse=True)
        who = names[0] if names else head
        found = [p for p in people if p.name == who]
        rest = ref[len(who):]
    if not found:
        raise UnavailError("unknown_person", who=f"@{who}")
    if len(found) > 1:
        raise UnavailError("ambiguous", who=f"@{who}")
    if found[0].id != person.id and not person.has("office"):
        raise UnavailError("for_others")
    return found[0], rest.strip()


async def command(s: AsyncSession, *, person: PersonDTO | None, args: str, org: OrgDTO, now: datetime) -> Result:
    """/unavailable [@someone] [window [reason]]: without a window, the list; with one, the declaration."""
    if person is None:
        return fail("unavail.err.not_registered")
    try:
        target, text = await _target(s, person, clean(args))  # full-width ＠ and digits too
        if not text:
            return await _listing(s, target, org, now)
        window = parse_window(text, now=now, tz=org.tz)
    except UnavailError as e:
        return fail(f"unavail.err.{e.code}", **e.params)
    row, absorbed = await store(s, person_id=target.id, window=window, source="chat", by=person.id, now=now)
    await apply_to_running(s, person=target, start=row.start, end=row.end, org=org, now=now)
    return Result("unavail.saved", {"name": target.name, "when": show(row.start, row.end, org.tz),
                                    "reason": row.reason, "merged": absorbed})


async def _listing(s: AsyncSession, target: Person, org: OrgDTO, now: datetime) -> Result:
    rows = (await windows_of(s, target.id, now))[:LIST_LIMIT]
    items = [(r.id, show(r.start, r.end, org.tz), r.reason) for r in rows]
    return Result("unavail.list" if items else "unavail.list.none", {"name": target.name, "items": items})


async def remove(s: AsyncSession, *, window_id: int, person: PersonDTO | None, org: OrgDTO) -> Result:
    row = await s.get(UnavailabilityWindow, window_id)
    if row is None:
        return fail("unavail.delete.gone")
    if person is None or (row.person_id != person.id and not person.has("office")):
        return fail("unavail.delete.not_yours")
    label = show(row.start, row.end, org.tz)
    await s.delete(row)
    return Result("unavail.deleted", {"when": label})


# ---------------------------------------------------------------- a running duty

async def _hand_over(s: AsyncSession, row: DutyShift, taker: int, *, org: OrgDTO, now: datetime, gen: str,
                     takeover: bool = False) -> None:
    """The shift row changes hands as in a swap: the old person's pending reminders are cancelled, open swap
    offers on it end, the new person's reminders are planned, and a handover note already written for this
    shift by the previous one is delivered to the new person too."""
    await cancel_rows(s, f"duty:{row.event_id}:{row.id}:", now)
    await s.execute(update(SwapOffer).where(SwapOffer.shift_id == row.id, SwapOffer.status.in_(("open", "taken")))
                    .values(status="cancelled").execution_options(synchronize_session=False))
    row.person_id, row.checked_in_at = taker, None
    await s.flush()
    await schedule_shift(s, row, org=org, now=now, gen=gen, takeover=takeover)
    p = await s.get(Person, taker)
    for prev in await neighbours(s, row, -1):
        if prev.handover_note is None:
            continue
        out = await s.get(Person, prev.person_id)
        lang = lang_of(p, org)
        body = t("duty.handover.delivered", lang, name=out.name, span=span(prev.start, prev.end, org),
                 note=prev.handover_note, incidents=await open_incidents_text(s, lang, org, now))
        await to_person(s, p, text=body[:4000], buttons=receipt_buttons(prev.id, lang),
                        now=now, dedup_key=f"duty:handover:{prev.id}:{p.id}", notice="duty.handover")


async def _pool(s: AsyncSession, now: datetime) -> tuple[list[rd.Person], list[rd.Unavailability]]:
    pool = [rd.Person(p.id, p.name) for p in await people_with_roles(s, ("monitor",))]
    return pool, await unavailability_of(s, [p.id for p in pool], now)


async def _person_chat(s: AsyncSession, p: Person, org: OrgDTO) -> dict[Address, str]:
    return await recipients(s, [(p, lang_of(p, org))])


async def apply_to_running(s: AsyncSession, *, person: Person, start: datetime, end: datetime, org: OrgDTO,
                           now: datetime) -> dict[str, int]:
    """Moves person's future shifts inside [start, end) on every running duty; counts moved / uncovered /
    running. Nothing here is silent: each outcome is a message to the people concerned and the office."""
    out = {"moved": 0, "uncovered": 0, "running": 0}
    office = await office_chats(s, org)
    when = show(start, end, org.tz)
    stamp = f"{now.timestamp():.0f}"
    for ev in await running_events(s):
        roster, _ = await load_roster(s, ev, org)
        pool, unav = await _pool(s, now)
        result = reassign(roster, person.id, [(start, end)], pool, unav, now=now)
        rows = {r.index: r for r in await _rows_of(s, ev, person.id)}
        for move in result.moves:
            row = rows[move.shift_index]
            sp = span(row.start, row.end, org)
            if move.taker is None:
                out["uncovered"] += 1
                for chats, key in ((office, "unavail.uncovered.office"),
                                   (await _person_chat(s, person, org), "unavail.uncovered.self")):
                    for chat, lang in chats.items():  # the reason is worded in each chat's language
                        await tell(s, {chat: lang}, key, now=now, dedup=f"unav:{row.id}:none:{stamp}:{key}",
                                   frm=person.name, when=when, span=sp, why=move.error.text(lang),
                                   notice="unavail.uncovered")
                continue
            out["moved"] += 1
            await _hand_over(s, row, move.taker, org=org, now=now, gen=f"u{stamp}")
            taker = await s.get(Person, move.taker)
            await tell(s, await _person_chat(s, person, org), "unavail.moved.self", now=now,
                       dedup=f"unav:{row.id}:self:{stamp}", span=sp, to=taker.name, notice="unavail.moved")
            await tell(s, await _person_chat(s, taker, org), "unavail.moved.taker", now=now,
                       dedup=f"unav:{row.id}:taker:{stamp}", span=sp, frm=person.name, notice="unavail.moved")
            await tell(s, office, "unavail.moved.office", now=now, dedup=f"unav:{row.id}:office:{stamp}",
                       frm=person.name, when=when, span=sp, to=taker.name, notice="unavail.moved")
        for index in result.running:
            row = rows[index]
            out["running"] += 1
            sp = span(row.start, row.end, org)
            await tell(s, office, "unavail.running.office", now=now, dedup=f"unav:{row.id}:run:{stamp}",
                       buttons=lambda lang, rid=row.id: running_buttons(rid, lang), frm=person.name, when=when, span=sp,
                       notice="unavail.running")
            await tell(s, await _person_chat(s, person, org), "unavail.running.self", now=now,
                       dedup=f"unav:{row.id}:runself:{stamp}", span=sp, notice="unavail.running")
    return out


async def _rows_of(s: AsyncSession, ev: DutyEvent, person_id: int) -> list[DutyShift]:
    return list((await s.scalars(select(DutyShift).where(DutyShift.event_id == ev.id,
                                                         DutyShift.person_id == person_id))).all())


async def take_over(s: AsyncSession, *, shift_id: int, keep: bool, person: PersonDTO | None, org: OrgDTO,
                    now: datetime, lang: str) -> Result:
    """The office's answer about a shift under way whose person declared unavailability."""
    if person is None or not person.has("office"):
        return fail("duty.refused")
    row = await s.get(DutyShift, shift_id)
    ev = await s.get(DutyEvent, row.event_id) if row else None
    if row is None or ev is None or ev.status != "running" or now >= row.end:
        return fail("unavail.takeover.gone")
    leaving = await s.get(Person, row.person_id)
    if not any(w.start < row.end for w in await windows_of(s, leaving.id, now)):
        return fail("unavail.takeover.gone")  # already handed over (a second press), or the window was deleted
    if keep:
        return Result("unavail.takeover.kept")
    roster, _ = await load_roster(s, ev, org)
    pool, unav = await _pool(s, now)
    move = replacement(roster, row.index, leaving.id, pool, unav)
    sp = span(row.start, row.end, org)
    if move.taker is None:
        return fail("unavail.takeover.none", span=sp, why=move.error.text(lang))
    stamp = f"{now.timestamp():.0f}"
    await _hand_over(s, row, move.taker, org=org, now=now, gen=f"t{stamp}", takeover=True)
    taker = await s.get(Person, move.taker)
    await tell(s, await _person_chat(s, taker, org), "unavail.takeover.taker", now=now,
               dedup=f"unav:{row.id}:tk:{stamp}", frm=leaving.name, span=sp, notice="unavail.takeover")
    await tell(s, await _person_chat(s, leaving, org), "unavail.takeover.self", now=now,
               dedup=f"unav:{row.id}:tks:{stamp}", to=taker.name, span=sp, notice="unavail.takeover")
    return Result("unavail.takeover.done", {"span": sp, "to": taker.name})

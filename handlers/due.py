"""/due [YQ-…]: an incident's response clocks with the time left."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.bounds import parse_int
from bot.domain.clocks import ClockError
from bot.domain.lookup import ClockWord, take_clock
from bot.domain.vocab import CLOCKS, GRADES
from bot.i18n import t
from bot.render import fmt_duration, fmt_time
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.incidents import extend_formal_reply, incident_clocks, record_done
from bot.services.numbers import NoSuchIncident

router = Router(name="due")


@router.message(Command("due"))
async def cmd_due(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO,
                  lang: str, org: OrgDTO, clock: Clock) -> None:
    now = clock.now()
    try:
        found = await incident_clocks(session, number=command.args, person=person, now=now,
                                      year=now.astimezone(org.tz).year)
    except NoSuchIncident as e:
        await message.answer(e.render(lang))
        return
    if found is None:
        await message.answer(t("due.not_found", lang, number=command.args or ""))
        return
    grade = GRADES.label(found.grade, lang) if found.grade else t("due.ungraded", lang)
    lines = [t("due.title", lang, number=found.number, grade=grade)]
    for c in found.clocks:
        name, due = t(f"clock.name.{c.name}", lang), fmt_time(c.due_at, org.tz)
        if c.running and c.left > timedelta(0):
            lines.append(t("due.running", lang, name=name, due=due, left=fmt_duration(c.left, lang)))
        elif c.running:
            lines.append(t("due.overdue", lang, name=name, due=due, over=fmt_duration(-c.left, lang)))
        else:
            lines.append(t(f"due.{c.status}", lang, name=name, due=due,
                           at=fmt_time(c.stopped_at, org.tz) if c.stopped_at else "-"))
    if not found.clocks:
        lines.append(t("due.none", lang))
    await message.answer("\n".join(lines))


@router.message(Command("done"))
async def cmd_done(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO,
                   lang: str, org: OrgDTO, clock: Clock) -> None:
    """/done YQ-… CLOCK [note]: the office or a leader records that a clock's duty was done; it stops."""
    if not (person.has("office") or person.is_leader):
        await message.answer(t("done.not_allowed", lang))
        return
    number, rest = ((command.args or "").split(maxsplit=1) + ["", ""])[:2]
    said = take_clock(rest)
    if not number or said.clock is None:
        await message.answer(_clock_refusal(said, number or "YQ-2026-0001", lang))
        return
    name = said.clock
    note = said.rest or t("done.by", lang, name=person.name)
    now = clock.now()
    try:
        done = await record_done(session, number=number, name=name, reason=note, now=now,
                                 year=now.astimezone(org.tz).year, org=org)
    except NoSuchIncident as e:
        await message.answer(e.render(lang))
        return
    label, stopped = t(f"clock.name.{name}", lang), done.clock
    if stopped is None:
        await message.answer(t("done.no_clock", lang, number=done.number, name=label))
        return
    await message.answer(t(f"done.{stopped.status}", lang, number=done.number, name=label,
                           at=fmt_time(stopped.stopped_at or now, org.tz), due=fmt_time(stopped.due_at, org.tz)))


def _clock_labels(slugs: tuple[str, ...], lang: str, *, last: str | None = None) -> str:
    """The clocks' labels in a sentence; with `last` ("或"), quoted and the last one joined by it."""
    labels = [t(f"clock.name.{s}", lang) for s in slugs]
    if last is None:
        return t("list.sep", lang).join(labels)
    labels = [f"「{x}」" if lang == "zh" else f'"{x}"' for x in labels]
    return t("list.sep", lang).join(labels[:-1]) + last + labels[-1]


def _clock_refusal(said: ClockWord, number: str, lang: str) -> str:
    """Why /done cannot go on: no clock word (usage), one no clock has, or one several clocks share."""
    if len(said.slugs) > 1:
        return t("lookup.clock.ambiguous", lang, word=said.word, number=number,
                 clocks=_clock_labels(said.slugs, lang, last=t("lookup.clock.or", lang)),
                 example=t(f"clock.name.{said.slugs[0]}", lang))
    usage = t("done.usage", lang, clocks=_clock_labels(CLOCKS, lang))
    if not said.word:
        return usage
    return t("lookup.clock.unknown", lang, word=said.word) + (" " if lang == "en" else "") + usage


@router.message(Command("extend"))
async def cmd_extend(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO,
                     lang: str, org: OrgDTO, clock: Clock) -> None:
    """/extend YQ-… DAYS REASON: a leader extends the formal reply (at most 10 working days in all)."""
    if not person.is_leader:
        await message.answer(t("extend.not_allowed", lang))
        return
    parts = (command.args or "").split(maxsplit=2)
    # a bound far above any limit a policy sets keeps the calendar walk short; the limit itself is the service's
    days = parse_int(parts[1], lo=1, hi=3650) if len(parts) >= 2 else None
    if days is None:
        await message.answer(t("extend.usage", lang, max=org.policy.clocks.extension_max_working_days))
        return
    now = clock.now()
    try:
        change = await extend_formal_reply(session, number=parts[0], days=days,
                                           reason=parts[2] if len(parts) > 2 else "", person=person, org=org,
                                           now=now, year=now.astimezone(org.tz).year)
    except ClockError as e:
        await message.answer(e.render(lang))
        return
    except NoSuchIncident as e:
        await message.answer(e.render(lang))
        return
    if change.clock is None:
        await message.answer(t("extend.no_clock", lang, number=change.number))
        return
    await message.answer(t("extend.done", lang, number=change.number, due=fmt_time(change.clock.due_at, org.tz)))

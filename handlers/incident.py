"""Presses on incident cards (bot/presses/incident.py: acknowledge, take charge, upper-office receipt, show the
card) and /grade."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.grading import GradingError, render_rules
from bot.domain.vocab import GRADES
from bot.i18n import CATALOG, t
from bot.presses import incident
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.incidents import grade_by_number
from bot.services.numbers import NoSuchIncident
from bot.telegram.callbacks import IncidentCB
from bot.telegram.outcome import press_of, show
from handlers.task_prompt import ask_task

router = Router(name="incident")


@router.callback_query(IncidentCB.filter())
async def on_card_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, state: FSMContext,
                        lang: str, org: OrgDTO, clock: Clock) -> None:
    out = await incident.handle(session, press_of(query, person, lang), org=org, now=clock.now())
    await show(query, out)
    if out.then == "ask_task" and isinstance(query.message, Message):  # 交办: asked here, answered by a reply
        await ask_task(query.message, state, clock, number=out.info["number"], lang=lang)


@router.message(Command("grade"))
async def cmd_grade(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                    lang: str, org: OrgDTO, clock: Clock) -> None:
    """/grade YQ-… GRADE REASON: the office or a leader sets the grade, with a reason."""
    parts = (command.args or "").split(maxsplit=2)
    if person is None or len(parts) < 2:
        await message.answer(t("grade.usage", lang))
        return
    loose = GRADES.resolve(parts[1])  # 特别, Major: a grade's fragment or case; several (or none) stay refused
    grade = loose[0] if len(loose) == 1 else parts[1]
    now = clock.now()
    try:
        change = await grade_by_number(session, number=parts[0], grade=grade,
                                       reason=parts[2] if len(parts) > 2 else "", person=person, org=org, now=now,
                                       year=now.astimezone(org.tz).year)
    except NoSuchIncident as e:
        await message.answer(e.render(lang))
        return
    except GradingError as e:
        await message.answer(t(e.key, lang, **e.params) if e.key in CATALOG else t("grade.usage", lang))
        return
    if change.result is None:
        await message.answer(t("typing.grade_unchanged", lang, number=change.number,
                               grade=GRADES.label(change.grade, lang)))
        return
    await message.answer(t("grade.set", lang, number=change.number, rules=render_rules(change.result, lang)))

"""Presses on incident cards: acknowledge, take charge, upper-office receipt (checked by the service)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.grading import GradingError, render_rules
from bot.domain.vocab import GRADES
from bot.i18n import CATALOG, t
from bot.services.audit import record_refusal
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import acknowledge, show_card
from bot.services.incidents import grade_by_number
from bot.services.numbers import NoSuchIncident
from bot.telegram.callbacks import IncidentAction, IncidentCB

router = Router(name="incident")


@router.callback_query(IncidentCB.filter())
async def on_card_press(query: CallbackQuery, callback_data: IncidentCB, session: AsyncSession,
                        person: PersonDTO | None, lang: str, org: OrgDTO, clock: Clock) -> None:
    chat_id = query.message.chat.id if query.message else query.from_user.id
    if callback_data.action == IncidentAction.SHOW:
        code = await show_card(session, incident_id=callback_data.incident, chat_id=chat_id, person=person, org=org,
                               now=clock.now())
        if code != "card.shown":
            await record_refusal(session, incident_id=callback_data.incident, user=query.from_user.id,
                                 name=query.from_user.full_name, action="card:show", reason=code, now=clock.now())
        await query.answer(t(code, lang), show_alert=code == "ack.refused")
        return
    result = await acknowledge(session, incident_id=callback_data.incident, action=callback_data.action,
                               person=person, chat_id=chat_id, org=org, now=clock.now(),
                               actor_id=query.from_user.id, actor_name=query.from_user.full_name)
    if result.code in ("ack.refused", "ack.unknown", "ack.closed", "ack.unit_take_off"):
        await record_refusal(session, incident_id=callback_data.incident, user=query.from_user.id,
                             name=query.from_user.full_name, action=f"card:{callback_data.action}",
                             reason=result.code, now=clock.now())
    await query.answer(t(result.code, lang), show_alert=result.code in ("ack.refused", "ack.unit_take_off"))


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

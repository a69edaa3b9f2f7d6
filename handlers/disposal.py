"""Presses on the disposal checklist: record a step (the service checks who may)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import t
from bot.services.audit import record_refusal
from bot.services.checklist import checklist_message
from bot.services.disposal import mark_step
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.tracking import incident_of_message
from bot.telegram.callbacks import ChecklistCB
from bot.telegram.refs import message_ref
from bot.telegram.render import inline_keyboard
from models import Incident

router = Router(name="disposal")


@router.callback_query(ChecklistCB.filter())
async def on_step(query: CallbackQuery, callback_data: ChecklistCB, session: AsyncSession, person: PersonDTO | None,
                  lang: str, org: OrgDTO, clock: Clock) -> None:
    result = await mark_step(session, incident_id=callback_data.incident, code=callback_data.step, person=person,
                             org=org, now=clock.now())
    if result.code in ("disposal.refused", "disposal.leader_only", "disposal.unknown"):
        await record_refusal(session, incident_id=callback_data.incident, user=query.from_user.id,
                             name=query.from_user.full_name, action=f"step:{callback_data.step}",
                             reason=result.code, now=clock.now())
        await query.answer(t(result.code, lang), show_alert=True)
        return
    await query.answer(t(result.code, lang, contact=result.contact or "-"))
    inc = await session.get(Incident, callback_data.incident)
    if inc is None or query.message is None:
        return
    hit = await incident_of_message(session, *message_ref(query.message))
    if hit is None or hit[1] != "card":  # a checklist of its own (an office member's, in private)
        text, buttons = await checklist_message(session, inc, lang)
        await query.message.edit_text(text, reply_markup=inline_keyboard(buttons))

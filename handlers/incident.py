"""Presses on incident cards: acknowledge, take charge, upper-office receipt (checked by the service)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import IncidentCB
from bot.clock import Clock
from bot.i18n import t
from bot.services.audit import record_refusal
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import acknowledge

router = Router(name="incident")


@router.callback_query(IncidentCB.filter())
async def on_card_press(query: CallbackQuery, callback_data: IncidentCB, session: AsyncSession,
                        person: PersonDTO | None, lang: str, org: OrgDTO, clock: Clock) -> None:
    chat_id = query.message.chat.id if query.message else query.from_user.id
    result = await acknowledge(session, incident_id=callback_data.incident, action=callback_data.action,
                               person=person, chat_id=chat_id, org=org, now=clock.now(),
                               actor_id=query.from_user.id, actor_name=query.from_user.full_name)
    if result.code in ("ack.refused", "ack.unknown", "ack.closed"):
        await record_refusal(session, incident_id=callback_data.incident, user=query.from_user.id,
                             name=query.from_user.full_name, action=f"card:{callback_data.action}",
                             reason=result.code, now=clock.now())
    await query.answer(t(result.code, lang), show_alert=result.code == "ack.refused")

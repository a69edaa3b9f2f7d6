"""Accept / Can't on a shift offered at short notice (bot/presses/duty.py; bot/services/duty_offers.py decides
everything)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.presses import duty
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import DutyAction, DutyCB
from bot.telegram.outcome import press_of, show

router = Router(name="duty_offers")


@router.callback_query(DutyCB.filter(F.action.in_({DutyAction.ACCEPT, DutyAction.DECLINE})))
async def on_offer_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str,
                         org: OrgDTO, clock: Clock) -> None:
    await show(query, await duty.handle(session, press_of(query, person, lang), org=org, now=clock.now()))

"""Accept / Can't on a shift offered at short notice (bot/services/duty_offers.py decides everything)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import t
from bot.services import duty_offers as offers
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import DutyAction, DutyCB

router = Router(name="duty_offers")


@router.callback_query(DutyCB.filter(F.action.in_({DutyAction.ACCEPT, DutyAction.DECLINE})))
async def on_offer_press(query: CallbackQuery, callback_data: DutyCB, session: AsyncSession,
                         person: PersonDTO | None, lang: str, org: OrgDTO, clock: Clock) -> None:
    act = offers.accept if callback_data.action == DutyAction.ACCEPT else offers.decline
    r = await act(session, shift_id=callback_data.id, person=person, org=org, now=clock.now())
    await query.answer(t(f"duty.{r.code}", lang, **r.info), show_alert=not r.ok)
    if query.message is not None and (r.ok or r.code in ("offer.taken", "offer.over", "offer.gone")):
        await query.message.edit_reply_markup(reply_markup=None)  # answered, or nothing left to answer

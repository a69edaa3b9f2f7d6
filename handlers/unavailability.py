"""/unavailable: declare a window (`/unavailable 2026-11-25 08:00 2026-11-25 20:00 [reason]`, the office also
`/unavailable @someone …`), or alone list one's windows with a Delete button each; and the presses — Delete, and
the office's answer about a running shift whose person declared unavailability (bot/presses/unavail.py).
Checks live in bot/services/unavailability.py."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.unavail import delete_buttons
from bot.clock import Clock
from bot.presses import unavail
from bot.presses.unavail import say
from bot.services import unavailability as sv
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import UnavailCB
from bot.telegram.outcome import press_of, show
from bot.telegram.render import inline_keyboard

router = Router(name="unavailability")


@router.message(Command("unavailable"))
async def cmd_unavailable(message: Message, command: CommandObject, session: AsyncSession,
                          person: PersonDTO | None, lang: str, org: OrgDTO, clock: Clock) -> None:
    r = await sv.command(session, person=person, args=command.args or "", org=org, now=clock.now())
    markup = None
    if r.code == "unavail.list":
        markup = inline_keyboard(delete_buttons([(i, w) for i, w, _ in r.info["items"]], lang))
    await message.answer(say(r, lang), reply_markup=markup)


@router.callback_query(UnavailCB.filter())
async def on_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str, org: OrgDTO,
                   clock: Clock) -> None:
    await show(query, await unavail.handle(session, press_of(query, person, lang), org=org, now=clock.now()))

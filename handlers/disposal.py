"""Presses on the disposal checklist: record a step (bot/presses/checklist.py; the service checks who may)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.presses import checklist
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import ChecklistCB
from bot.telegram.outcome import press_of, show

router = Router(name="disposal")


@router.callback_query(ChecklistCB.filter())
async def on_step(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str, org: OrgDTO,
                  clock: Clock) -> None:
    await show(query, await checklist.handle(session, press_of(query, person, lang), org=org, now=clock.now()))

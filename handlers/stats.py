"""/stats [2026-11 | 2026-11-01 2026-11-30]: the accountability statistics as a chart and a short table."""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.stats import PeriodError, parse_period
from bot.i18n import t
from bot.review.stats_render import chart_png, text
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.stats import load_stats, may_see_stats
from bot.textsplit import split_text

router = Router(name="stats")


@router.message(Command("stats"))
async def cmd_stats(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                    org: OrgDTO, lang: str, clock: Clock) -> None:
    if not may_see_stats(person):
        await message.answer(t("stats.not_allowed", lang))
        return
    now = clock.now()
    try:
        start, end = parse_period((command.args or "").split(), now.astimezone(org.tz).date())
    except PeriodError as e:
        await message.answer(t(f"stats.{e.code}", lang, **e.params) + "\n" + t("stats.usage", lang))
        return
    stats = await load_stats(session, start, end, org=org, now=now)
    await session.commit()
    png = None if stats.empty else await asyncio.to_thread(chart_png, stats, lang)
    if png is not None:
        await message.answer_photo(BufferedInputFile(png, filename=f"stats-{start}-{end}.png"))
    for part in split_text(text(stats, lang)):
        await message.answer(part)

"""/my, group chats, and anything a registered person says outside a dialog."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.reports import my_reports
from bot.textsplit import split_text

router = Router(name="misc")
commands_router = Router(name="commands")  # commands that work in any dialog state
group_router = Router(name="groups")
group_router.message.filter(F.chat.type != "private")


@group_router.message(F.text.startswith("/"))
async def group_command(message: Message, lang: str) -> None:
    await message.reply(t("group.not_here", lang))


@group_router.message()
async def group_other(message: Message) -> None:
    """Group chatter is not for the bot: swallow it silently."""


@commands_router.message(Command("my"))
async def cmd_my(message: Message, session: AsyncSession, person: PersonDTO, lang: str, org: OrgDTO) -> None:
    rows = await my_reports(session, person=person, limit=org.policy.reports.my_reports_limit)
    if not rows:
        await message.answer(t("report.my_empty", lang))
        return
    lines = [t("report.my_title", lang)]
    for r in rows:
        lines.append(t("report.my_line", lang, number=r.number,
                       date=r.created_at.astimezone(org.tz).strftime("%Y-%m-%d %H:%M"),
                       place=r.place[:40], unit=r.unit[:40], status=t(f"status.{r.status}", lang)))
    for part in split_text("\n".join(lines)):
        await message.answer(part)


@router.message(StateFilter(None))
async def fallback(message: Message, lang: str) -> None:
    await message.answer(t("fallback.registered", lang))

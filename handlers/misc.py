"""/my, and anything a registered person says in private outside a dialog (group chats: handlers/groups.py)."""

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
router.message.filter(F.chat.type == "private")  # in a group nothing is said to what nobody took
commands_router = Router(name="commands")  # commands that work in any dialog state


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


@router.message(StateFilter(None), F.text.startswith("/"))
async def unknown_command(message: Message, lang: str) -> None:
    command = message.text.split(maxsplit=1)[0][1:].partition("@")[0]
    await message.answer(t("groups.unknown", lang, command=command))


@router.message(StateFilter(None))
async def fallback(message: Message, lang: str) -> None:
    await message.answer(t("fallback.registered", lang))

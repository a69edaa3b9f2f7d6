"""/timeline YQ-…: the incident's audit log in sentences, paged within Telegram's limit (office, leaders, admins)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit_render import render_timeline
from bot.i18n import t
from bot.services.audit import names, timeline_by_number
from bot.services.dto import OrgDTO, PersonDTO

router = Router(name="timeline")


@router.message(Command("timeline"))
async def cmd_timeline(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO,
                       lang: str, org: OrgDTO) -> None:
    if not (person.has("office", "admin") or person.is_leader):
        await message.answer(t("audit.timeline.not_allowed", lang))
        return
    if not command.args:
        await message.answer(t("audit.timeline.usage", lang))
        return
    found = await timeline_by_number(session, command.args)
    if found is None:
        await message.answer(t("audit.timeline.not_found", lang, number=command.args.strip()))
        return
    lookup = await names(session, org.tz)
    for page in render_timeline(found[1], lang, org.tz, number=found[0], names=lookup):
        await message.answer(page)

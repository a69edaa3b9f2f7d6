"""/interview (a media interview request, for the leading group's authorisation), /breach (an interview or a
disclosure made without it; a photo or a file sent with the command as its caption is its evidence) and the
Authorise / Refuse buttons (bot/presses/interview.py). Every check happens in bot/services/interviews.py."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.config import Settings
from bot.domain.interview import parse_breach, parse_interview
from bot.i18n import t
from bot.presses import interview as presses
from bot.services import interviews
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import IvwV1
from bot.telegram.outcome import press_of, show
from handlers.evidence import capture

router = Router(name="interviews")


@router.message(Command("interview"))
async def cmd_interview(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                        lang: str, org: OrgDTO, clock: Clock) -> None:
    args = parse_interview(command.args)
    if isinstance(args, str):
        await message.answer(t(f"interview.{'usage' if args == 'usage' else 'err.' + args}", lang))
        return
    r = await interviews.register(session, args=args, person=person, org=org, now=clock.now())
    if not r.ok:
        await message.answer(t(f"interview.err.{r.code}", lang, **r.info))
        return
    text = t("interview.requested", lang, **{**r.info, "stage": t(f"release.stage.{r.info['stage']}", lang)})
    await message.answer(text + ("\n" + t("interview.nobody", lang) if r.info.get("blocked") else ""))


@router.message(Command("breach"))
async def cmd_breach(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                     bot: Bot, lang: str, org: OrgDTO, clock: Clock, settings: Settings) -> None:
    args = parse_breach(command.args)
    if isinstance(args, str):
        await message.answer(t(f"breach.{'usage' if args == 'usage' else 'err.' + args}", lang))
        return
    now = clock.now()
    item = await capture(message, bot, evidence_dir=settings.evidence_dir, now=now)
    r = await interviews.record_breach(session, args=args, evidence=[item] if item else [], person=person, org=org,
                                       now=now)
    if not r.ok:
        await message.answer(t(f"breach.err.{r.code}", lang, **r.info))
        return
    i = r.info
    await message.answer(t("breach.recorded", lang, id=i["id"], number=i["number"], who=i["who"],
                           evidence=t("breach.evidence", lang, n=i["evidence"]) if i["evidence"] else "",
                           link=t("breach.link", lang, link=i["link"]) if i["link"] else ""))


@router.callback_query(F.data.startswith(f"{IvwV1.__prefix__}{IvwV1.__separator__}"))
async def on_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str, org: OrgDTO,
                   clock: Clock) -> None:
    """Authorise / Refuse, and data under the prefix that does not parse (refused and audited there)."""
    await show(query, await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now()))

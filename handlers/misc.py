"""/my, and anything a registered person says in private outside a dialog (group chats: handlers/groups.py)."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lookup import closest_command
from bot.domain.menus import private_menu
from bot.i18n import t
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.reports import my_reports
from bot.textsplit import split_text
from handlers.onboarding import help_for

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
async def unknown_command(message: Message, person: PersonDTO, lang: str) -> None:
    """A command no router took (/foo, /dne): unknown, with the closest of the person's own commands."""
    command = message.text.split(maxsplit=1)[0][1:].partition("@")[0]
    closest = closest_command(command, private_menu(person.roles))
    if closest is None:
        await message.answer(t("groups.unknown", lang, command=command))
        return
    await message.answer(t("typing.unknown_command", lang, command=command, closest=closest,
                           what=t(f"cmd.{closest}", lang)))


@router.message(StateFilter(None))
async def fallback(message: Message, person: PersonDTO, lang: str, bot: Bot) -> None:
    """What no dialog took, in private: a reply to one of the bot's messages is told why it cannot be taken
    and what to do; anything else (hello, a location, a sticker) gets the person's /help with how to report."""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
        await message.answer(why_not_taken(reply, lang))
        return
    for part in split_text(t("typing.fallback", lang) + "\n\n" + help_for(person, lang)):
        await message.answer(part)


# buttons that ask for a text after the press: a person replying with that text is told to press them first
_ASKS_TEXT = ("release.btn.changes", "release.btn.reject", "close.btn.refuse", "track.btn.reopen",
              "track.btn.follow")


def why_not_taken(reply: Message, lang: str) -> str:
    """For a text reply to a bot message no flow takes: its buttons, if it has some, else that its question is
    over. Generic — read from the message replied to — so a new card needs nothing here."""
    markup = reply.reply_markup
    buttons = [b.text for row in (markup.inline_keyboard if markup is not None else []) for b in row
               if b.callback_data]
    if not buttons:
        return t("typing.reply.stale", lang)
    quoted = (f"「{b}」" if lang == "zh" else f'"{b}"' for b in buttons)
    lines = [t("typing.reply.buttons", lang, buttons=t("list.sep", lang).join(quoted))]
    asking = {t(key, lang) for key in _ASKS_TEXT}
    for b in buttons:
        if b in asking:
            action = re.sub(r"^\W+", "", b)  # the label without its emoji: 退回修改, request changes
            action = action[:1].lower() + action[1:] if lang == "en" else action
            lines.append(t("typing.reply.asks_text", lang, action=action, button=b))
    return "\n".join(lines)

"""/start (with an invite token), /help, /invite, and what unregistered users are told in private.

/start and /help show each person the commands of their roles (bot/i18n/groups.HELP_SECTIONS). In groups
handlers/groups.py answers /start and /help (and the unregistered) before anything here is reached."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.vocab import ROLES
from bot.i18n import t
from bot.i18n.groups import HELP_SECTIONS
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.invites import InviteError, create_invite, redeem_invite
from bot.telegram.filters import Unregistered

router = Router(name="onboarding")


def help_for(person: PersonDTO, lang: str) -> str:
    """The commands of the person's roles, in their language: the sections of /help they may use."""
    roles = t("list.sep", lang).join(ROLES.label(r, lang) for r in person.roles if r in ROLES)
    lines = [t("help.title.roles", lang, roles=roles) if roles else t("help.title", lang)]
    lines += [t(key, lang) for key, who in HELP_SECTIONS if who is None or person.has(*who)]
    return "\n".join(lines)


@router.message(CommandStart(deep_link=True))
async def start_with_token(message: Message, command: CommandObject, session: AsyncSession, lang: str,
                           clock: Clock) -> None:
    user = message.from_user
    try:
        person = await redeem_invite(session, token=command.args or "", telegram_id=user.id, name=user.full_name,
                                     language=None, now=clock.now())
    except InviteError as e:
        await message.answer(t(f"invite.err.{e.code}", lang))
        return
    roles = t("list.sep", lang).join(ROLES.label(r, lang) for r in person.roles)
    await message.answer(t("start.registered", lang, name=person.name, role=roles))


@router.message(CommandStart())
async def start(message: Message, person: PersonDTO | None, lang: str) -> None:
    if person is None:
        await message.answer(t("start.unregistered", lang))
    else:
        await message.answer(t("start.welcome", lang, name=person.name, help=help_for(person, lang)))


# Everything below needs a registered person: the gate answers everyone else and stops there. (In groups the
# unregistered were answered by handlers/groups.py; what reaches here from a group — a reply to the bot nobody
# took — is left to its silent tail.)
@router.message(Unregistered(), F.chat.type == "private")
async def gate_message(message: Message, lang: str) -> None:
    await message.answer(t("start.unregistered", lang))


@router.callback_query(Unregistered())
async def gate_callback(query: CallbackQuery, lang: str) -> None:
    await query.answer(t("start.unregistered", lang), show_alert=True)


@router.message(Command("help"))
async def cmd_help(message: Message, person: PersonDTO, lang: str) -> None:
    await message.answer(help_for(person, lang))


@router.message(Command("invite"))
async def cmd_invite(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO,
                     lang: str, org: OrgDTO, clock: Clock, bot: Bot) -> None:
    role = ROLES.parse(command.args or "")
    if role is None:
        await message.answer(t("invite.usage", lang, roles=", ".join(ROLES.slugs)))
        return
    try:
        inv = await create_invite(session, by=person, role=role, now=clock.now(),
                                  ttl_hours=org.policy.invites.ttl_hours)
    except InviteError as e:
        await message.answer(t(f"invite.err.{e.code}", lang))
        return
    link = await create_start_link(bot, inv.token)
    await message.answer(t("invite.created", lang, role=ROLES.label(role, lang), hours=org.policy.invites.ttl_hours,
                           link=link))

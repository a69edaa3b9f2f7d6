"""Day one: a personal link opened (/start TOKEN), the bot blocked or let back in, added to or removed from a
group, a group upgraded to a supergroup, `/bind` and `/unbind` in a group, and `/people`."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart, Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.identity import UNREACHABLE, looks_personal
from bot.domain.vocab import ROLES
from bot.i18n import t
from bot.people_render import render_people
from bot.services import binding, reachability
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.onboarding import redeem_link
from bot.services.reachability import LinkError
from handlers.groups import START_PAYLOADS, start_payload

log = logging.getLogger(__name__)
GONE = ("left", "kicked")
_OURS = ("/start ", "/bind", "/unbind", "/people")


class MaybeOurs(Filter):
    """A message this router may take: a /start with a payload, /bind, /unbind, /people, a supergroup upgrade.
    Plain string tests, since every message passes here first (a command filter per handler costs more)."""

    async def __call__(self, message: Message) -> bool:
        text = message.text
        return message.migrate_to_chat_id is not None or (text is not None and text.startswith(_OURS))


router = Router(name="linking")
router.message.filter(MaybeOurs())


class BindCB(CallbackData, prefix="bindV1"):
    key: str
    yes: bool


@router.message(CommandStart(deep_link=True, magic=F.args.func(looks_personal)), F.chat.type == "private")
async def open_personal_link(message: Message, command: CommandObject, session: AsyncSession, lang: str,
                             clock: Clock) -> None:
    user = message.from_user
    try:
        done = await redeem_link(session, token=command.args, telegram_id=user.id, account_name=user.full_name,
                                 now=clock.now(), lang=lang)
    except LinkError as e:
        await message.answer(t(f"link.err.{e.code}", lang))
        return
    if done.opened is None and done.contact_kind is None:
        await message.answer(t("link.again", lang, name=done.name))
        return
    if done.contact_kind is not None:
        await message.answer(t("link.welcome_contact", lang, name=done.name))
        return
    text = t("link.welcome", lang, name=done.name, roles=t("list.sep", lang).join(ROLES.label(r, lang) for r in done.roles))
    if done.opened.released:
        text += "\n\n" + t("link.caught_up", lang, n=done.opened.released)
    await message.answer(text)


@router.message(F.chat.type == "private", CommandStart(deep_link=True, magic=F.args.in_(START_PAYLOADS)))
async def open_payload(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                       state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    """The private chat opened from a group's button (/start report, my, template)."""
    await start_payload(message, command, session, person, state, lang, org, clock)


# ---------------------------------------------------------------- membership: private chats and groups

@router.my_chat_member(F.chat.type == "private")
async def private_membership(event: ChatMemberUpdated, session: AsyncSession, person: PersonDTO | None, lang: str,
                             clock: Clock) -> None:
    if person is None:
        return
    if event.new_chat_member.status in GONE:  # they blocked the bot
        await reachability.person_blocked(session, person.id, person.telegram_id, now=clock.now())
    else:  # let back in (Restart)
        await reachability.person_opened(session, person.id, person.telegram_id, now=clock.now(), lang=lang)


@router.my_chat_member(F.chat.type.in_({"group", "supergroup"}))
async def group_membership(event: ChatMemberUpdated, session: AsyncSession, org: OrgDTO, clock: Clock,
                           bot: Bot) -> None:
    gone = event.new_chat_member.status in GONE
    changed = await reachability.group_state(session, event.chat.id, UNREACHABLE if gone else "reachable",
                                             now=clock.now())
    if gone:
        if changed is not None:
            await reachability.tell_group_removed(session, changed[0], now=clock.now())
        return
    if changed is not None:  # a bound group the bot is known to be in: its menus; and what waited goes out
        row, before = changed
        from bot.services.menus import refresh_menus

        await refresh_menus(session, default_lang=org.language, now=clock.now())
        if before == UNREACHABLE:
            from bot.services.notify import office_chats, tell

            await tell(session, await office_chats(session, org), "reach.office.group_back", now=clock.now(),
                       dedup=f"reach:chatback:{row.key}:{clock.now().isoformat()}",
                       group=t(f"chat.key.{row.key}", org.language), title=row.title or event.chat.title or "",
                       notice="reach.office")
    if event.old_chat_member.status in GONE:
        await bot.send_message(event.chat.id, t("bind.hello", org.language))


@router.message(F.migrate_to_chat_id)
async def group_migrated(message: Message, session: AsyncSession, clock: Clock) -> None:
    await reachability.group_migrated(session, message.chat.id, message.migrate_to_chat_id, now=clock.now())


# ---------------------------------------------------------------- /bind, /unbind

@router.message(Command("bind"))
async def cmd_bind(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                   lang: str, clock: Clock, bot: Bot) -> None:
    key = (command.args or "").strip().lower()
    if key not in binding.KEYS and message.chat.type != "private":  # the usage first, whoever asks
        await message.reply(t("bind.usage", lang))
        return
    if await _refused_here(message, person, bot, lang):
        return
    res = await binding.bind(session, key=key, chat=message.chat.id, title=message.chat.title, person=person,
                             now=clock.now(), lang=lang)
    text, keyboard = _bind_answer(res, lang)
    await message.reply(text, reply_markup=keyboard)


async def _refused_here(message: Message, person: PersonDTO | None, bot: Bot, lang: str) -> bool:
    """/bind and /unbind are for a group, by someone who may: otherwise say why (True)."""
    if message.chat.type == "private":
        await message.answer(t("bind.private", lang))
        return True
    refusal = await _bind_refusal(message.chat.id, message.from_user.id, person, bot)
    if refusal:
        await message.reply(t(refusal, lang))
    return refusal is not None


async def _bind_refusal(chat: int, user: int, person: PersonDTO | None, bot: Bot) -> str | None:
    """Why this person may not bind or unbind this group (an onduty admin or office member who administers
    the group may), or None."""
    if not binding.may_bind(person):
        return "bind.not_allowed"
    try:
        member = await bot.get_chat_member(chat, user)
    except TelegramAPIError:
        log.warning("getChatMember failed for chat %s", chat, exc_info=True)
        return "bind.check_failed"
    return None if member.status in ("creator", "administrator") else "bind.not_chat_admin"


def _bind_answer(res: binding.BindResult, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    key = t(f"chat.key.{res.key}", lang)
    if res.code == "confirm":
        kb = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text=t("bind.confirm.yes", lang), callback_data=BindCB(key=res.key, yes=True).pack()),
            InlineKeyboardButton(text=t("bind.confirm.no", lang), callback_data=BindCB(key=res.key, yes=False).pack())]])
        return t("bind.confirm", lang, key=key, title=res.previous_title or t("bind.unknown_title", lang)), kb
    return t(f"bind.{res.code}", lang, key=key), None


def _is_bind_question(msg: object) -> bool:
    """The press came from the bot's own "bind this group instead?" question in a group (callback data is the
    client's: a forged one on another message must not edit that message)."""
    if not isinstance(msg, Message) or msg.chat.type == "private" or msg.reply_markup is None:
        return False
    return any((b.callback_data or "").startswith(BindCB.__prefix__ + ":")
               for row in msg.reply_markup.inline_keyboard for b in row)


@router.callback_query(BindCB.filter())
async def press_bind(query: CallbackQuery, callback_data: BindCB, session: AsyncSession, person: PersonDTO | None,
                     lang: str, clock: Clock, bot: Bot) -> None:
    msg = query.message
    if not _is_bind_question(msg) or callback_data.key not in binding.KEYS:
        await query.answer(t("bind.stale", lang), show_alert=True)
        return
    refusal = await _bind_refusal(msg.chat.id, query.from_user.id, person, bot)
    if refusal:
        await query.answer(t(refusal, lang), show_alert=True)
        return
    if not callback_data.yes:
        await query.answer()
        await msg.edit_text(t("bind.kept", lang, key=t(f"chat.key.{callback_data.key}", lang)))
        return
    res = await binding.bind(session, key=callback_data.key, chat=msg.chat.id, title=msg.chat.title, person=person,
                             now=clock.now(), confirmed=True, lang=lang)
    await query.answer()
    await msg.edit_text(_bind_answer(res, lang)[0])


@router.message(Command("unbind"))
async def cmd_unbind(message: Message, session: AsyncSession, person: PersonDTO | None, lang: str, clock: Clock,
                     bot: Bot) -> None:
    if await _refused_here(message, person, bot, lang):
        return
    keys = await binding.unbind(session, chat=message.chat.id, person=person, now=clock.now())
    if not keys:
        await message.reply(t("bind.not_bound", lang))
        return
    await message.reply(t("bind.unbound", lang, key=t("list.sep", lang).join(t(f"chat.key.{k}", lang) for k in keys)))


# ---------------------------------------------------------------- /people

@router.message(Command("people"))
async def cmd_people(message: Message, session: AsyncSession, person: PersonDTO | None, lang: str,
                     org: OrgDTO) -> None:
    if person is None or not person.has("office", "admin"):
        await message.answer(t("people.not_allowed", lang))
        return
    people, chats = await binding.people_states(session)
    from bot.textsplit import split_text

    for part in split_text(render_people(people, chats, lang, org.tz)):
        await message.answer(part)

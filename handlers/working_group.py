"""The working group (专门工作组): `/group YQ-… [REASON]`, the presses on its messages (bot/presses/working_group.py:
Confirm / Edit, Join / Can't), the main leader's `+name -name` answering the Edit question, and
`/invite YQ-… NAME`, which makes a one-use link to the office group (createChatInviteLink, member_limit=1) and
sends it to the member privately. A bot cannot add anyone to a group: the link is the most it can do.
Checks live in bot/services/working_group.py."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.working_group import proposal_buttons
from bot.clock import Clock
from bot.i18n import t
from bot.presses import working_group as presses
from bot.services import working_group as sv
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import Result, listing
from bot.telegram.callbacks import GroupCB
from bot.telegram.outcome import press_of, show
from bot.telegram.render import force_reply, inline_keyboard
from handlers import pending

log = logging.getLogger(__name__)
router = Router(name="working_group")
prompt_router = Router(name="working_group_prompt")
DESTINY = "wgroup"
EDIT = "edit"
NO_RIGHTS = "not enough rights"  # Telegram's words when the bot may not manage the chat's invite links
# `/invite YQ-2026-0001 NAME` (or the counter alone) is this; `/invite ROLE` stays the admin's onboarding invite
INCIDENT_ARG = re.compile(r"^\s*(yq-?\d|\d)", re.IGNORECASE)


class InviteToGroup(Filter):
    """/invite whose first word names an incident."""

    async def __call__(self, message: Message, command: CommandObject) -> bool:
        return bool(INCIDENT_ARG.match(command.args or ""))


def _say(r: Result, lang: str) -> str:
    info = dict(r.info)
    return t(f"wg.err.{r.code}", lang, **info) if not r.ok else t(f"wg.{r.code}", lang, **info)


@router.message(Command("group"))
async def cmd_group(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                    lang: str, org: OrgDTO, clock: Clock) -> None:
    number, _, reason = (command.args or "").strip().partition(" ")
    if not number:
        await message.answer(t("wg.group.usage", lang))
        return
    r = await sv.ask_group(session, number=number, reason=reason, person=person, org=org, now=clock.now())
    await message.answer(_say(r, lang))


@router.callback_query(GroupCB.filter())
async def on_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, state: FSMContext,
                   lang: str, org: OrgDTO, clock: Clock) -> None:
    out = await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now())
    await show(query, out)
    if out.then == "ask_group_edit" and isinstance(query.message, Message):
        await pending.ask(state, DESTINY, clock, kind=EDIT, number=out.info["number"], group=out.info["group"])
        sent = await query.message.answer(t("wg.ask.edit", lang, number=out.info["number"]),
                                          reply_markup=force_reply(t("wg.ask.placeholder", lang)))
        await pending.asked(state, DESTINY, sent)


@prompt_router.message(pending.Pending(DESTINY, (EDIT,), ttl=timedelta(hours=1)))
async def on_edit_text(message: Message, prompt: dict, session: AsyncSession, person: PersonDTO | None,
                       state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    r = await sv.edit(session, group_id=int(prompt["group"]), text=message.text or "", person=person, org=org,
                      now=clock.now(), lang=lang)
    if r.code == "usage":  # the question stays open
        sent = await message.answer(t("wg.err.usage", lang), reply_markup=force_reply(t("wg.ask.placeholder", lang)))
        await pending.asked(state, DESTINY, sent)
        return
    await pending.clear(state, DESTINY)
    if not r.ok:
        await message.answer(_say(r, lang))
        return
    i = r.info
    changes = [t(f"wg.edited.{k}", lang, names=listing(i[k], lang))
               for k in ("added", "removed", "unknown", "several") if i[k]]
    head = t("wg.edited", lang, changes=t("track.sep", lang).join(changes)) if i["added"] or i["removed"] \
        else t("wg.edited.none", lang) + ("\n" + t("track.sep", lang).join(changes) if changes else "")
    await message.answer(head + "\n\n" + i["text"], reply_markup=inline_keyboard(proposal_buttons(i["group"], lang)))


@router.message(Command("invite"), InviteToGroup())
async def cmd_invite(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                     lang: str, org: OrgDTO, clock: Clock, bot: Bot) -> None:
    number, _, name = (command.args or "").strip().partition(" ")
    if not name.strip():
        await message.answer(t("wg.invite.usage", lang))
        return
    r = await sv.invite_target(session, number=number, name=name, person=person)
    if not r.ok:
        await message.answer(_say(r, lang))
        return
    try:  # one use: member_limit=1; named for the office's list of links
        link = await bot.create_chat_invite_link(int(r.info["conv"]), name=r.info["number"][:32], member_limit=1)
    except TelegramBadRequest as e:
        log.info("invite link refused: %s", e.message)
        await message.answer(t("wg.invite.no_rights" if NO_RIGHTS in e.message else "wg.invite.failed", lang))
        return
    except TelegramAPIError as e:
        log.warning("invite link failed: %s", e)
        await message.answer(t("wg.invite.failed", lang))
        return
    done = await sv.send_invite(session, info=r.info, link=link.invite_link, person=person, org=org, now=clock.now())
    await message.answer(t("wg.invite.sent", lang, name=done.info["name"]))

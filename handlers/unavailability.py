"""/unavailable: declare a window (`/unavailable 2026-11-25 08:00 2026-11-25 20:00 [reason]`, the office also
`/unavailable @someone …`), or alone list one's windows with a Delete button each; and the office's answer
about a running shift whose person declared unavailability. Checks live in bot/services/unavailability.py."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.unavail import delete_buttons
from bot.clock import Clock
from bot.i18n import t
from bot.services import unavailability as sv
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty import Result
from bot.telegram.callbacks import UnavailAction, UnavailCB
from bot.telegram.render import inline_keyboard

router = Router(name="unavailability")


def say(r: Result, lang: str) -> str:
    info = dict(r.info)
    if r.code == "unavail.saved":
        text = t("unavail.saved", lang, name=info["name"], when=info["when"],
                 reason=t("unavail.reason", lang, reason=info["reason"]) if info["reason"] else "")
        return text + (t("unavail.merged", lang, n=info["merged"]) if info["merged"] else "")
    if r.code == "unavail.list":
        lines = "\n".join(f"· {w}" + (t("unavail.reason", lang, reason=why) if why else "")
                          for _, w, why in info["items"])
        return t("unavail.list", lang, name=info["name"], lines=lines)
    if r.code == "unavail.deleted":
        return t("unavail.deleted", lang, **info) + "\n" + t("unavail.delete.note", lang)
    info.pop("items", None)
    return t(r.code, lang, **info)


@router.message(Command("unavailable"))
async def cmd_unavailable(message: Message, command: CommandObject, session: AsyncSession,
                          person: PersonDTO | None, lang: str, org: OrgDTO, clock: Clock) -> None:
    r = await sv.command(session, person=person, args=command.args or "", org=org, now=clock.now())
    markup = None
    if r.code == "unavail.list":
        markup = inline_keyboard(delete_buttons([(i, w) for i, w, _ in r.info["items"]], lang))
    await message.answer(say(r, lang), reply_markup=markup)


@router.callback_query(UnavailCB.filter())
async def on_press(query: CallbackQuery, callback_data: UnavailCB, session: AsyncSession,
                   person: PersonDTO | None, lang: str, org: OrgDTO, clock: Clock) -> None:
    a, i = callback_data.action, callback_data.id
    if a == UnavailAction.DELETE:
        r = await sv.remove(session, window_id=i, person=person, org=org)
    else:
        r = await sv.take_over(session, shift_id=i, keep=a == UnavailAction.KEEP, person=person, org=org,
                               now=clock.now(), lang=lang)
    await query.answer(say(r, lang)[:200], show_alert=not r.ok)
    if r.ok and query.message is not None and a != UnavailAction.DELETE:
        await query.message.edit_reply_markup(reply_markup=None)

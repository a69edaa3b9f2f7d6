"""Departments in the loop: /unit and the office's picker of the unit involved, /charge (a handler of the unit put
in charge), /sign and /replied (the formal reply). Every check happens in the services (bot/services/
incident_unit.py, unit_charge.py, formal_reply.py)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.unit import UnitAct, unit_of
from bot.clock import Clock
from bot.i18n import t
from bot.services import formal_reply, incident_unit, unit_charge
from bot.services.audit import record_refusal
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import Result, listing
from bot.telegram.callbacks import UnitCB

router = Router(name="units")


def _say(prefix: str, r: Result, lang: str) -> str:
    info = {k: listing(v, lang) if isinstance(v, list) else v for k, v in r.info.items()}
    if "role" in info:
        info["role"] = formal_reply.role_label(str(info["role"]), lang)
    if "head" in info:
        info["head"] = info["head"] or t("unit.head_none", lang)
    return t(f"{prefix}.{r.code}" if r.ok else f"{prefix}.err.{r.code}", lang, **info)


@router.message(Command("unit"))
async def cmd_unit(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                   lang: str, org: OrgDTO, clock: Clock) -> None:
    """/unit YQ-… [UNIT | 无]: shows, sets or clears the unit involved."""
    parts = (command.args or "").split(maxsplit=1)
    if not parts:
        await message.answer(t("unit.usage", lang))
        return
    r = await incident_unit.unit_command(session, number=parts[0], text=parts[1] if len(parts) > 1 else "",
                                         person=person, chat_id=message.chat.id, org=org, now=clock.now())
    await message.answer(_say("unit", r, lang))


@router.callback_query(UnitCB.filter())
async def on_unit_pick(query: CallbackQuery, callback_data: UnitCB, session: AsyncSession, person: PersonDTO | None,
                       lang: str, org: OrgDTO, clock: Clock) -> None:
    chat_id = query.message.chat.id if query.message else query.from_user.id
    act = UnitAct(callback_data.incident, callback_data.unit)
    r = await incident_unit.pick(session, incident_id=act.incident, unit_id=unit_of(act), person=person,
                                 chat_id=chat_id, org=org, now=clock.now())
    if not r.ok:
        await record_refusal(session, incident_id=act.incident, user=query.from_user.id,
                             name=query.from_user.full_name, action="unit.set",
                             reason="ack.refused" if r.code == "not_allowed" else "ack.unknown", now=clock.now())
    await query.answer(_say("unit", r, lang), show_alert=not r.ok)


@router.message(Command("charge"))
async def cmd_charge(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                     lang: str, org: OrgDTO, clock: Clock) -> None:
    """/charge YQ-… NAME: the office or a leader puts a handler of the unit involved in charge."""
    parts = (command.args or "").split(maxsplit=1)
    if len(parts) < 2:
        await message.answer(t("charge.usage", lang))
        return
    r = await unit_charge.put_in_charge(session, number=parts[0], who=parts[1], person=person, org=org,
                                        now=clock.now())
    await message.answer(_say("charge", r, lang))


@router.message(Command("sign"))
async def cmd_sign(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                   lang: str, org: OrgDTO, clock: Clock) -> None:
    """/sign YQ-…: the main leader signs the approved reply."""
    parts = (command.args or "").split()
    if person is None or len(parts) != 1:
        await message.answer(t("sign.usage", lang))
        return
    r = await formal_reply.sign(session, number=parts[0], person=person, org=org, now=clock.now())
    await message.answer(_say("sign", r, lang))


@router.message(Command("replied"))
async def cmd_replied(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                      lang: str, org: OrgDTO, clock: Clock) -> None:
    """/replied YQ-… [how]: the signed reply was sent; the formal reply deadline stops."""
    parts = (command.args or "").split(maxsplit=1)
    if person is None or not parts:
        await message.answer(t("replied.usage", lang))
        return
    r = await formal_reply.replied(session, number=parts[0], how=parts[1] if len(parts) > 1 else "", person=person,
                                   org=org, now=clock.now())
    await message.answer(_say("replied", r, lang))

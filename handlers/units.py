"""Departments in the loop: /unit and the office's picker of the unit involved, /charge (a handler of the unit put
in charge), /sign and /replied (the formal reply). The picker's press is bot/presses/unit.py; every check happens
in the services (bot/services/incident_unit.py, unit_charge.py, formal_reply.py)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import t
from bot.presses import unit as presses
from bot.presses.unit import say as _say
from bot.services import formal_reply, incident_unit, unit_charge
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import UnitCB
from bot.telegram.outcome import press_of, show

router = Router(name="units")


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
async def on_unit_pick(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str, org: OrgDTO,
                       clock: Clock) -> None:
    await show(query, await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now()))


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

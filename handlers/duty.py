"""/duty, /roster, /dutystart, /dutystop, /swap, /handover (and /unavailable: handlers/unavailability.py), the
duty and patrol buttons, and the handover note written as a reply to the bot's prompt. Every check happens in
bot/services/duty.py, duty_handover.py and duty_swaps.py."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.duty import offer_buttons, stop_buttons
from bot.clock import Clock
from bot.duty.render import roster_png, roster_texts
from bot.i18n import CATALOG, LANGS, t
from bot.presses import duty as presses
from bot.presses.duty import say as _say
from bot.services import duty as sv
from bot.services import duty_handover as ho
from bot.services import duty_swaps as swaps
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import DutyCB, PatrolCB
from bot.telegram.outcome import press_of, show
from bot.telegram.refs import replied_to
from bot.telegram.render import inline_keyboard
from handlers.unavailability import router as unavailability_router

router = Router(name="duty")
# /unavailable and its buttons ride on the duty router: the office presses them in its group, before the gate.
router.include_router(unavailability_router)


@router.message(Command("duty"))
async def cmd_duty(message: Message, session: AsyncSession, lang: str, org: OrgDTO, clock: Clock) -> None:
    r = await sv.now_and_next(session, org, clock.now())
    if not r.ok:
        await message.answer(_say(r, lang))
        return
    await message.answer("\n\n".join(t("duty.now", lang, number=n, now=a, next=b) for n, a, b in r.info["lines"]))


@router.message(Command("roster"))
async def cmd_roster(message: Message, session: AsyncSession, lang: str, org: OrgDTO, clock: Clock) -> None:
    ev = await sv.latest_event(session)
    if ev is None:
        await message.answer(t("duty.none", lang))
        return
    roster, names = await sv.load_roster(session, ev, org)
    # The whole duty, as announced when it started: the picture and every shift in text (several messages if
    # needed), never a window of it.
    png = roster_png(roster, names, now=clock.now(), tz=org.tz, lang=lang, whole_duty=True)
    if png is not None:
        await message.answer_photo(BufferedInputFile(png, filename="roster.png"))
    for text in roster_texts(roster, names, now=clock.now(), tz=org.tz, lang=lang):
        await message.answer(text)


@router.message(Command("dutystart"))
async def cmd_start(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                    lang: str, org: OrgDTO, clock: Clock) -> None:
    if not (command.args or "").strip():
        await message.answer(t("duty.usage.start", lang))
        return
    r = await sv.start_by_command(session, number=command.args, person=person, org=org, now=clock.now())
    await message.answer(_say(r, lang))


@router.message(Command("dutystop"))
async def cmd_stop(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                   lang: str, org: OrgDTO, clock: Clock) -> None:
    if not (command.args or "").strip():
        await message.answer(t("duty.usage.stop", lang))
        return
    r = await sv.stop_by_command(session, number=command.args, person=person, org=org, now=clock.now())
    markup = inline_keyboard(stop_buttons(r.info["event"], lang)) if r.code == "stop.confirm" else None
    await message.answer(_say(r, lang), reply_markup=markup)


@router.message(Command("swap"))
async def cmd_swap(message: Message, session: AsyncSession, person: PersonDTO | None, lang: str, org: OrgDTO,
                   clock: Clock) -> None:
    rows = await swaps.my_upcoming(session, person.id, clock.now()) if person else []
    if not rows:
        await message.answer(t("duty.swap.no_shifts", lang))
        return
    shifts = [(r.id, sv.span(r.start, r.end, org)) for r in rows[:10]]
    await message.answer(t("duty.swap.usage", lang),
                         reply_markup=inline_keyboard(offer_buttons(shifts, lang)))


# How the prompt begins in each language (the text before its first placeholder): replies to other bot messages
# (release questions, tracker reminders, cards) are told apart without touching the database.
_PROMPT_STARTS = tuple(CATALOG["duty.handover.ask"][lang].split("{", 1)[0] for lang in LANGS)


class HandoverReply(Filter):
    """A text replying to the bot's handover prompt; gives the shift it asked about. Cheap checks first: only a
    reply to a bot message that reads like the prompt reaches the one lookup (the prompt as the outbox sent it,
    which names the shift)."""

    async def __call__(self, message: Message, session: AsyncSession, person: PersonDTO | None) -> bool | dict[str, Any]:
        reply = message.reply_to_message
        if (person is None or not message.text or message.text.startswith("/") or reply is None
                or not (reply.from_user and reply.from_user.is_bot) or not (reply.text or "").startswith(_PROMPT_STARTS)):
            return False
        shift = await ho.prompt_shift(session, *replied_to(message))  # type: ignore[misc]
        return {"handover_shift": shift} if shift is not None else False


@router.message(F.chat.type == "private", HandoverReply())
async def on_handover_reply(message: Message, handover_shift: int, session: AsyncSession, person: PersonDTO,
                            lang: str, org: OrgDTO, clock: Clock) -> None:
    r = await ho.write_handover(session, person=person, text=message.text, org=org, now=clock.now(),
                                shift_id=handover_shift)
    await message.answer(_say(r, lang))


@router.message(Command("handover"))
async def cmd_handover(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                       lang: str, org: OrgDTO, clock: Clock) -> None:
    if not (command.args or "").strip():  # no note: say whether and until when one can be written
        r = await ho.handover_status(session, person, org, clock.now())
        await message.answer(_say(sv.Result("handover.usage", r.info) if r.ok else r, lang))
        return
    r = await ho.write_handover(session, person=person, text=command.args, org=org, now=clock.now())
    await message.answer(_say(r, lang))


@router.callback_query(DutyCB.filter())
async def on_duty_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str,
                        org: OrgDTO, clock: Clock) -> None:
    await show(query, await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now()))


@router.callback_query(PatrolCB.filter())
async def on_patrol_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str,
                          org: OrgDTO, clock: Clock) -> None:
    await show(query, await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now()))

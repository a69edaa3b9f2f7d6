"""/close (labelled summary, or a short dialog for the missing parts), the leader's Confirm / Refuse, the
proposer's Submit anyway / Drop after warnings (the dialog's own presses), and /reopen. The leader's presses are
bot/presses/closure.py; every check happens in bot/services/closure.py."""

from __future__ import annotations

from datetime import timedelta

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tracking import warn_buttons
from bot.clock import Clock
from bot.domain.closure import MAX_PART, PARTS, SummaryInput, merge, parse_summary, unlabelled
from bot.i18n import t
from bot.presses import closure as presses
from bot.presses.closure import say as _say
from bot.services import closure
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import CloseAction, CloseCB
from bot.telegram.outcome import press_of, show
from bot.telegram.render import force_reply, inline_keyboard
from handlers import pending

router = Router(name="closure")
DESTINY = "closure"


async def _next(message: Message, *, number: str, parts: dict[str, str], session: AsyncSession,
                person: PersonDTO | None, state: FSMContext, lang: str, org: OrgDTO, clock: Clock,
                confirmed: bool = False) -> None:
    """Ask for the next missing part, or submit the proposal (warning first about what is still open)."""
    missing = [p for p in PARTS if not (parts.get(p) or "").strip()]
    if missing:
        await pending.ask(state, DESTINY, clock, kind="summary", number=number, parts=parts)
        sent = await message.answer(t("close.ask_part", lang, number=number, part=t(f"close.part.{missing[0]}", lang),
                                      hint=t(f"close.hint.{missing[0]}", lang), left=len(missing)),
                                    reply_markup=force_reply(t(f"close.part.{missing[0]}", lang)))
        await pending.asked(state, DESTINY, sent)
        return
    r = await closure.propose(session, number=number, person=person, chat_id=message.chat.id, summary=parts,
                              confirmed=confirmed, org=org, now=clock.now())
    if r.code == "warn":
        await pending.ask(state, DESTINY, clock, kind="confirm", number=number, parts=parts, incident=r.info["incident"])
        text = t("close.warn.header", lang, number=r.info["number"]) + "\n" + closure.render_warnings(
            r.info["items"], lang) + "\n" + t("close.warn.question", lang)
        await message.answer(text, reply_markup=inline_keyboard(warn_buttons(r.info["incident"], lang)))
        return
    await pending.clear(state, DESTINY)
    text = _say(r, lang)
    if r.ok and not r.info["approvers"]:
        text += "\n" + t("close.no_approvers", lang, role=closure.role_label(r.info["role"], lang))
    await message.answer(text)


@router.message(Command("close"))
async def cmd_close(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                    state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    args = (command.args or "").strip()
    if not args:
        await message.answer(t("close.usage", lang))
        return
    number, rest = (args.split(maxsplit=1) + [""])[:2]
    pre = await closure.check_proposer(session, number=number, person=person, chat_id=message.chat.id)
    if not pre.ok:
        await message.answer(_say(pre, lang))
        return
    parsed = parse_summary(rest)
    if rest.strip() and not parsed.parts and not parsed.too_long:
        parsed = unlabelled(parsed, "cause", rest)  # one unlabelled sentence: the first part, the rest is asked
    await _too_long(message, parsed, lang)
    await _next(message, number=pre.info["number"], parts=parsed.parts, session=session, person=person, state=state,
                lang=lang, org=org, clock=clock)


async def _too_long(message: Message, parsed: SummaryInput, lang: str) -> None:
    """A part over the limit is refused, not cut: the person says it again shorter (the dialog asks for it)."""
    for part, length in parsed.too_long.items():
        await message.answer(t("close.err.too_long", lang, part=t(f"close.part.{part}", lang), length=length,
                               limit=MAX_PART))


@router.message(Command("reopen"))
async def cmd_reopen(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                     lang: str, org: OrgDTO, clock: Clock) -> None:
    parts = (command.args or "").split(maxsplit=1)
    if not parts:
        await message.answer(t("reopen.usage", lang))
        return
    r = await closure.reopen(session, number=parts[0], reason=parts[1] if len(parts) > 1 else "", person=person,
                             chat_id=message.chat.id, org=org, now=clock.now())
    for text in closure.reopened_texts(r, lang) if r.ok else [t(f"reopen.err.{r.code}", lang, **r.info)]:
        await message.answer(text)


@router.message(pending.Pending(DESTINY, ("summary", "refuse"), ttl=timedelta(hours=1)))
async def on_pending(message: Message, prompt: dict, session: AsyncSession, person: PersonDTO | None,
                     state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    if prompt["kind"] == "refuse":
        r = await closure.decide(session, proposal_id=prompt["proposal"], person=person, confirm=False,
                                 reason=message.text, org=org, now=clock.now())
        if r.ok or r.code != "reason_required":
            await pending.clear(state, DESTINY)
        await message.answer(_say(r, lang))
        return
    parts = dict(prompt.get("parts") or {})
    parsed = parse_summary(message.text)
    if not parsed.parts and not parsed.too_long:
        parsed = unlabelled(parsed, next(p for p in PARTS if not (parts.get(p) or "").strip()), message.text)
    parts = merge(parts, parsed)
    await _too_long(message, parsed, lang)
    await _next(message, number=prompt["number"], parts=parts, session=session, person=person, state=state,
                lang=lang, org=org, clock=clock)


@router.callback_query(CloseCB.filter(F.action.in_({CloseAction.SUBMIT, CloseAction.DROP})))
async def on_warned(query: CallbackQuery, callback_data: CloseCB, session: AsyncSession, person: PersonDTO | None,
                    state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    data = await pending.load(state, DESTINY, clock)
    # an older Submit button (another incident, or a proposal since replaced) must not submit this one
    if data.get("kind") != "confirm" or data.get("incident") != callback_data.ref:
        await query.answer(t("close.err.stale", lang), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    if callback_data.action == CloseAction.DROP:
        await pending.clear(state, DESTINY)
        await query.message.answer(t("close.dropped", lang, number=data["number"]))
        return
    await _next(query.message, number=data["number"], parts=data["parts"], session=session, person=person,
                state=state, lang=lang, org=org, clock=clock, confirmed=True)


@router.callback_query(CloseCB.filter(F.action == CloseAction.CONFIRM))
async def on_confirm(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str, org: OrgDTO,
                     clock: Clock) -> None:
    await show(query, await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now()))


@router.callback_query(CloseCB.filter(F.action == CloseAction.REFUSE))
async def on_refuse(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, state: FSMContext,
                    lang: str, org: OrgDTO, clock: Clock) -> None:
    out = await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now())
    if out.then != "ask_reason":
        await show(query, out)
        return
    await pending.ask(state, DESTINY, clock, kind="refuse", proposal=out.info["proposal"])
    await show(query, out)
    sent = await query.message.answer(t("close.ask_reason", lang, number=out.info["number"]),
                                      reply_markup=force_reply(t("close.placeholder.reason", lang)))
    await pending.asked(state, DESTINY, sent)

"""/track and /follow, replies to an incident card or a tracker reminder, the Follow-up and Reopen buttons (checked
in bot/presses/tracking.py, then the question asked here). Every check happens in bot/services/tracking.py and bot/services/closure.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ForceReply, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tracking import reopen_buttons
from bot.clock import Clock
from bot.config import Settings
from bot.domain.followup import parse_followup
from bot.domain.vocab import GRADES
from bot.i18n import t
from bot.i18n.tracking import render_followup_error
from bot.presses import tracking as presses
from bot.services import closure, tracking
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import listing
from bot.telegram.callbacks import TrackAction, TrackCB
from bot.telegram.outcome import press_of, show
from bot.telegram.refs import replied_to
from bot.telegram.render import force_reply, inline_keyboard
from handlers import pending
from handlers.evidence import capture

router = Router(name="tracking")
DESTINY = "followup"
# An unanswered "send the follow-up" question stops catching messages after this (a forward sent much later
# starts a report, as usual); replies to the question are taken for 24 h.
ANSWER_TTL = timedelta(hours=1)


class RepliedToIncident(Filter):
    """A message (not a command) replying to one of the bot's incident cards or tracker reminders."""

    async def __call__(self, message: Message, session: AsyncSession) -> bool | dict[str, Any]:
        r = message.reply_to_message
        if r is None or r.from_user is None or not r.from_user.is_bot or (message.text or "").startswith("/"):
            return False
        hit = await tracking.incident_of_message(session, *replied_to(message))  # type: ignore[misc]
        return {"target": hit} if hit else False


def _ask_markup(lang: str) -> ForceReply:
    return force_reply(t("follow.placeholder", lang))


async def _record(message: Message, *, text: str, source: str, session: AsyncSession, person: PersonDTO | None,
                  state: FSMContext, bot: Bot, lang: str, org: OrgDTO, clock: Clock, settings: Settings,
                  number: str | None = None, incident_id: int | None = None) -> None:
    now = clock.now()
    values = parse_followup(text, now=now, tz=org.tz)
    if values.errors:
        await pending.ask(state, DESTINY, clock, kind="follow", number=number, incident=incident_id, source=source)
        sent = await message.answer("\n".join([render_followup_error(e, lang) for e in values.errors]
                                              + [t("follow.fix_and_resend", lang)]))
        await pending.asked(state, DESTINY, sent)
        return
    item = await capture(message, bot, evidence_dir=settings.evidence_dir, now=now)
    evidence = [item] if item else []
    r = await tracking.record_followup(session, incident_id=incident_id, number=number, person=person, values=values,
                                       evidence=evidence, source=source, chat_id=message.chat.id, org=org, now=now,
                                       raw=text)
    if r.code == "closed":
        # held in the database (HeldFollowUp): the next reopening records it, whoever reopens
        await pending.clear(state, DESTINY)
        await message.answer(t("follow.err.closed", lang, number=r.info["number"]),
                             reply_markup=inline_keyboard(reopen_buttons(r.info["incident"], lang)))
        return
    if not r.ok:
        await message.answer(t(f"follow.err.{r.code}", lang, **r.info))
        return
    await pending.clear(state, DESTINY)
    await message.answer(_recorded_text(r.info, values, lang))


def _recorded_text(info: dict, values: object, lang: str) -> str:
    lines = [t("follow.recorded", lang, number=info["number"], count=info["count"],
               summary=tracking.brief(values, lang) or t("follow.only_evidence", lang))]
    if info["evidence"]:
        lines.append(t("follow.evidence", lang, count=info["evidence"]))
    if info["raised"]:
        lines.append(t("follow.raised", lang, old=GRADES.label(info["previous"], lang) if info["previous"] else "-",
                       new=GRADES.label(info["raised"], lang)))
    return "\n".join(lines)


@router.message(Command("track"))
async def cmd_track(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                    lang: str, org: OrgDTO, clock: Clock) -> None:
    parts = (command.args or "").split(maxsplit=1)
    if not parts:
        await message.answer(t("track.usage", lang))
        return
    if len(parts) == 1:
        r = await tracking.tracker_status(session, number=parts[0], person=person, chat_id=message.chat.id, org=org)
    else:
        r = await tracking.assign_tracker(session, number=parts[0], who=parts[1], person=person,
                                          chat_id=message.chat.id, org=org, now=clock.now())
    info = {k: listing(v, lang) if isinstance(v, list) else v for k, v in r.info.items()}
    await message.answer(t(f"track.{r.code}" if r.ok else f"track.err.{r.code}", lang, **info))


@router.message(Command("follow"))
async def cmd_follow(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                     state: FSMContext, bot: Bot, lang: str, org: OrgDTO, clock: Clock, settings: Settings) -> None:
    parts = (command.args or "").split(maxsplit=1)
    if not parts:
        await message.answer(t("follow.usage", lang))
        return
    if person is None:
        await message.answer(t("follow.err.not_allowed", lang))
        return
    rest = parts[1] if len(parts) > 1 else ""
    if not rest.strip() and not (message.photo or message.document or message.forward_origin):
        r = await tracking.follow_question(session, number=parts[0])
        if not r.ok:
            await message.answer(t(f"follow.err.{r.code}", lang, **r.info),
                                 reply_markup=inline_keyboard(reopen_buttons(r.info["incident"], lang)) if "incident" in r.info else None)
            return
        await pending.ask(state, DESTINY, clock, kind="follow", number=r.info["number"], source="command")
        sent = await message.answer(t("follow.ask", lang, number=r.info["number"]), reply_markup=_ask_markup(lang))
        await pending.asked(state, DESTINY, sent)
        return
    await _record(message, text=rest, source="command", number=parts[0], session=session, person=person, state=state,
                  bot=bot, lang=lang, org=org, clock=clock, settings=settings)


@router.message(RepliedToIncident())
async def on_reply(message: Message, target: tuple[int, str], session: AsyncSession, person: PersonDTO | None,
                   state: FSMContext, bot: Bot, lang: str, org: OrgDTO, clock: Clock, settings: Settings) -> None:
    incident_id, kind = target
    await _record(message, text=message.text or message.caption or "", source="reply" if kind == "card" else "tracker",
                  incident_id=incident_id, session=session, person=person, state=state, bot=bot, lang=lang, org=org,
                  clock=clock, settings=settings)


@router.message(pending.Pending(DESTINY, ("follow", "reopen"), media=True, ttl=ANSWER_TTL))
async def on_pending(message: Message, prompt: dict, session: AsyncSession, person: PersonDTO | None,
                     state: FSMContext, bot: Bot, lang: str, org: OrgDTO, clock: Clock, settings: Settings) -> None:
    if prompt["kind"] == "reopen":
        await _reopen(message, prompt, session=session, person=person, state=state, lang=lang, org=org, clock=clock)
        return
    await _record(message, text=message.text or message.caption or "", source=prompt.get("source", "command"),
                  number=prompt.get("number"), incident_id=prompt.get("incident"), session=session, person=person,
                  state=state, bot=bot, lang=lang, org=org, clock=clock, settings=settings)


async def _reopen(message: Message, prompt: dict, *, session: AsyncSession, person: PersonDTO | None,
                  state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    r = await closure.reopen(session, number=prompt["number"], reason=message.text or "", person=person,
                             chat_id=message.chat.id, org=org, now=clock.now())
    if not r.ok:
        if r.code != "reason_required":
            await pending.clear(state, DESTINY)
        await message.answer(t(f"reopen.err.{r.code}", lang, **r.info))
        return
    await pending.clear(state, DESTINY)
    for text in closure.reopened_texts(r, lang):
        await message.answer(text)


@router.callback_query(TrackCB.filter(F.action == TrackAction.FOLLOW))
async def on_follow_button(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None,
                           state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    out = await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now())
    if out.then != "ask_follow":
        await show(query, out)
        return
    await pending.ask(state, DESTINY, clock, kind="follow", number=out.info["number"], source=out.info["source"])
    await show(query, out)
    sent = await query.message.answer(t("follow.ask", lang, number=out.info["number"]), reply_markup=_ask_markup(lang))
    await pending.asked(state, DESTINY, sent)


@router.callback_query(TrackCB.filter(F.action == TrackAction.REOPEN))
async def on_reopen_button(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None,
                           state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    out = await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now())
    if out.then != "ask_reopen":
        await show(query, out)
        return
    await pending.ask(state, DESTINY, clock, kind="reopen", number=out.info["number"])
    await show(query, out)
    sent = await query.message.answer(t("reopen.ask_reason", lang, **out.info),
                                      reply_markup=force_reply(t("reopen.placeholder", lang)))
    await pending.asked(state, DESTINY, sent)

"""/release and /publish, the Submit / Approve / Reject / Request changes buttons (bot/presses/release.py), and the
replies they ask for.

A pending question (the release text, a reason, a revision) lives in the person's FSM record under its own
destiny ("release"), so it never disturbs a report dialog in progress. Every check happens in
bot/services/releases.py, on the server, at the moment of the action. /release and /publish work in private and
in the office group (handlers/groups.py lets the office through there); in the group a question is answered
only by a reply to the very message that asked it.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.release import submit_buttons
from bot.clock import Clock
from bot.domain.release import outlet_label
from bot.domain.report_fields import FieldError
from bot.domain.report_parse import parse_link
from bot.i18n import t
from bot.presses import release as presses
from bot.presses.release import err as _err
from bot.presses.types import Outcome
from bot.services import releases
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.callbacks import RelAction, RelV1
from bot.telegram.outcome import press_of, show
from bot.telegram.refs import answers_one_of
from bot.telegram.render import force_reply, inline_keyboard

router = Router(name="release")
DESTINY = "release"
PROMPT_TTL = timedelta(hours=24)  # a revision may take a while; an abandoned question expires


def prompt_ctx(state: FSMContext, user_id: int | None = None) -> FSMContext:
    """The person's (or `user_id`'s, in their private chat) pending release question."""
    key = (StorageKey(bot_id=state.key.bot_id, chat_id=user_id, user_id=user_id, destiny=DESTINY)
           if user_id is not None else dataclasses.replace(state.key, destiny=DESTINY))
    return FSMContext(storage=state.storage, key=key)


class Pending(Filter):
    """A text answering a pending question (asked less than PROMPT_TTL ago): a reply to the bot, or — for a
    question the person asked for themselves — any text sent outside another dialog. In a group: only a reply
    to the message that asked."""

    async def __call__(self, message: Message, clock: Clock, session: AsyncSession,
                       state: FSMContext | None = None) -> bool | dict[str, Any]:
        if state is None or not message.text or message.text.startswith("/"):
            return False
        data = await prompt_ctx(state).get_data()
        if not data.get("kind") or clock.now() - datetime.fromisoformat(data["at"]) > PROMPT_TTL:
            return False
        if message.chat.type != "private":
            if message.reply_to_message is None:
                return False
            if not await answers_one_of(message, session, [data.get("msg")]):
                return False
        elif message.reply_to_message is None and (data["kind"] == "revise" or await state.get_state() is not None):
            return False
        return {"prompt": data}


async def ask(ctx: FSMContext, clock: Clock, **data: Any) -> None:
    await ctx.set_data({**data, "at": clock.now().isoformat()})


async def asked(ctx: FSMContext, sent: Message) -> None:
    """The question went out as `sent`: in a group only a reply to it answers."""
    await ctx.update_data(msg=sent.message_id)


async def _drafted(message: Message, r: releases.Result, lang: str, org: OrgDTO) -> None:
    if not r.ok:
        await message.answer(_err(r, lang, org))
        return
    d = r.draft
    await message.answer(t("release.drafted", lang, number=d.number, version=d.version, chars=len(d.text), text=d.text),
                         reply_markup=inline_keyboard(submit_buttons(d.id, lang)))


@router.message(Command("release"))
async def cmd_release(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO,
                      state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    parts = (command.args or "").strip().split(maxsplit=1)
    if not parts:
        await message.answer(t("release.usage", lang))
        return
    if len(parts) == 2:
        await prompt_ctx(state).set_data({})
        await _drafted(message, await releases.create_draft(session, number=parts[0], person=person, text=parts[1],
                                                            org=org, now=clock.now()), lang, org)
        return
    r = await releases.precheck_draft(session, number=parts[0], person=person, now=clock.now())
    if not r.ok:
        await message.answer(_err(r, lang, org))
        return
    await ask(prompt_ctx(state), clock, kind="text", number=r.info["number"])
    sent = await message.answer(t("release.ask_text", lang, number=r.info["number"], max=org.policy.release.max_text),
                                reply_markup=force_reply(t("release.placeholder.text", lang)))
    await asked(prompt_ctx(state), sent)


@router.message(Pending())
async def on_pending_text(message: Message, prompt: dict, session: AsyncSession, person: PersonDTO,
                          state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    ctx = prompt_ctx(state)
    if prompt["kind"] in ("text", "revise"):
        r = await releases.create_draft(session, number=prompt["number"], person=person, text=message.text,
                                        org=org, now=clock.now())
        if r.ok or r.code not in ("empty", "too_long"):
            await ctx.set_data({})  # a text to fix keeps the question open
        await _drafted(message, r, lang, org)
        return
    await ctx.set_data({})
    decision = "reject" if prompt["kind"] == "reject" else "changes"
    r = await releases.decide(session, draft_id=prompt["draft"], stage=prompt["stage"], person=person,
                              decision=decision, comment=message.text.strip()[:org.policy.release.max_text],
                              org=org, now=clock.now())
    if r.ok and r.info.get("revise_for"):
        await ask(prompt_ctx(state, r.info["revise_for"]), clock, kind="revise", number=r.draft.number)
    await message.answer(t(f"release.decided.{r.code}", lang, **r.info) if r.ok else _err(r, lang, org))


async def _press(query: CallbackQuery, session: AsyncSession, person: PersonDTO, lang: str, org: OrgDTO,
                 clock: Clock) -> Outcome:
    return await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now())


@router.callback_query(RelV1.filter(F.action.in_({RelAction.SUBMIT, RelAction.APPROVE})))
async def on_submit_or_approve(query: CallbackQuery, session: AsyncSession, person: PersonDTO, lang: str,
                               org: OrgDTO, clock: Clock) -> None:
    await show(query, await _press(query, session, person, lang, org, clock))


@router.callback_query(RelV1.filter(F.action.in_({RelAction.REJECT, RelAction.CHANGES})))
async def on_reject_or_changes(query: CallbackQuery, session: AsyncSession, person: PersonDTO, state: FSMContext,
                               lang: str, org: OrgDTO, clock: Clock) -> None:
    out = await _press(query, session, person, lang, org, clock)
    if out.then not in ("ask_reject", "ask_changes"):
        await show(query, out)
        return
    i = out.info
    await ask(prompt_ctx(state), clock, kind=i["kind"], draft=i["draft"], stage=i["stage"])
    await show(query, out)
    key = "release.ask_reason" if i["kind"] == "reject" else "release.ask_changes"
    sent = await query.message.answer(t(key, lang, number=i["number"], version=i["version"]),
                                      reply_markup=force_reply(t("release.placeholder.reason", lang)))
    await asked(prompt_ctx(state), sent)


@router.callback_query(F.data.startswith(f"{RelV1.__prefix__}{RelV1.__separator__}"))
async def on_tampered(query: CallbackQuery, session: AsyncSession, person: PersonDTO, lang: str, org: OrgDTO,
                      clock: Clock) -> None:
    """Data that does not even parse (an unknown action, a non-numeric id): refused and audited there."""
    await show(query, await _press(query, session, person, lang, org, clock))


@router.message(Command("publish"))
async def cmd_publish(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO,
                      lang: str, org: OrgDTO, clock: Clock) -> None:
    """`/publish YQ-… OUTLET [LINK]`: one outlet of the approved version a message; the last word is the link
    when it reads as one, otherwise the whole rest is the outlet (the service refuses it when a link is due)."""
    parts = (command.args or "").split()
    if len(parts) < 2:
        await message.answer(t("release.err.publish_usage", lang))
        return
    link = _as_link(parts[-1])
    outlet = " ".join(parts[1:-1] if link is not None else parts[1:])
    if not outlet or (link is None and "://" in parts[-1]):  # no outlet, or a link meant but none (ftp://…)
        await message.answer(t("release.err.publish_usage", lang))
        return
    r = await releases.publish(session, number=parts[0], person=person, outlet=outlet, link=link, org=org,
                               now=clock.now())
    if not r.ok:
        info = {**r.info, "outlet": outlet_label(r.info["outlet"], lang)} if "outlet" in r.info else r.info
        await message.answer(_err(dataclasses.replace(r, info=info), lang, org))
        return
    d, where, link_text = r.draft, outlet_label(r.info["outlet"], lang), r.info["link"] or t("release.no_link", lang)
    if not r.info["first"]:
        await message.answer(t("release.published_more", lang, number=d.number, version=d.version, outlet=where,
                               link=link_text))
        return
    clock_key = r.info["clock"] if r.info["clock"] in ("met", "missed") else "none"
    await message.answer(t("release.published", lang, number=d.number, version=d.version, outlet=where,
                           link=link_text, clock=t(f"release.clock.{clock_key}", lang)))


def _as_link(raw: str) -> str | None:
    """The word as a link (`weibo.com/school/2` as the report takes it, https:// added), or None."""
    try:
        return parse_link("link", raw)
    except FieldError:
        return None

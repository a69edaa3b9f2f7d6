"""The leaders' assessment (研判): `/assess YQ-… [NATURE] [large] DECISION REASON`, and the card's button opening a
short guided flow (nature, effect, decision: bot/presses/assess.py, then the typed reason). Every check is
bot/services/assessment.py's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.assess import KEEP
from bot.clock import Clock
from bot.domain.assessment import parse_assess
from bot.i18n import t
from bot.presses import assess as presses
from bot.services import assessment
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.numbers import NoSuchIncident, require_incident
from bot.telegram.callbacks import AssessCB
from bot.telegram.outcome import press_of, show
from bot.telegram.render import force_reply
from handlers import pending
from models import Incident

router = Router(name="assess")
# the typed reason: late in the order (handlers/__init__.py), so a report dialog's messages never pay for its check
reason_router = Router(name="assess_reason")
DESTINY = "assess"


@router.message(Command("assess"))
async def cmd_assess(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                     lang: str, org: OrgDTO, clock: Clock) -> None:
    parsed = parse_assess(command.args)
    if person is None or not parsed.complete:
        await message.answer(t("assess.usage", lang))
        return
    now = clock.now()
    try:
        inc = await require_incident(session, parsed.number, year=now.astimezone(org.tz).year)
    except NoSuchIncident as e:
        await message.answer(e.render(lang))
        return
    out = await assessment.assess(session, inc, person=person, category=parsed.category, large=parsed.large,
                                  decision=parsed.decision, reason=parsed.reason, based_on=None, org=org, now=now,
                                  actor_id=message.from_user.id if message.from_user else None,
                                  actor_name=message.from_user.full_name if message.from_user else None)
    await message.answer(assessment.outcome_text(out, lang))


@router.callback_query(AssessCB.filter())
async def on_assess_press(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, state: FSMContext,
                          lang: str, org: OrgDTO, clock: Clock) -> None:
    out = await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now())
    msg = query.message if isinstance(query.message, Message) else None
    if msg is None:  # the flow's message is out of reach: the notice only, and no dialog is opened
        await show(query, replace(out, edit=None, reply=None, clear_buttons=False))
        return
    if out.then == "cancel":
        await pending.clear(state, DESTINY)
    await show(query, out)
    if out.then == "ask_reason":  # the typed reason answers a force-reply prompt under the flow's message
        await pending.ask(state, DESTINY, clock, kind="reason", **out.info)
        sent = await msg.answer(t("assess.placeholder", lang) + " · " + out.info["number"],
                                reply_markup=force_reply(t("assess.placeholder", lang)))
        await pending.asked(state, DESTINY, msg)
        await pending.asked(state, DESTINY, sent)


@reason_router.message(pending.Pending(DESTINY, ("reason",), ttl=timedelta(hours=1)))
async def on_reason(message: Message, prompt: dict, session: AsyncSession, person: PersonDTO | None,
                    state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    inc = await session.get(Incident, prompt.get("incident") or 0)
    base = str(prompt.get("base") or "")
    if inc is None or not base.isdigit():
        await pending.clear(state, DESTINY)
        await message.answer(t("assess.bad_input", lang))
        return
    cat = prompt.get("cat")
    out = await assessment.assess(session, inc, person=person, category=None if cat in (KEEP, "", None) else cat,
                                  large=prompt.get("large") == "1", decision=prompt.get("decision"),
                                  reason=message.text or "", based_on=int(base), org=org, now=clock.now(),
                                  actor_id=message.from_user.id if message.from_user else None,
                                  actor_name=message.from_user.full_name if message.from_user else None)
    if out.code != "reason_required":  # an empty reason: the question stays open, nothing is lost
        await pending.clear(state, DESTINY)
    await message.answer(assessment.outcome_text(out, lang))

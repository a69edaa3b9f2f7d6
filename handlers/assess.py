"""The leaders' assessment (研判): `/assess YQ-… [NATURE] [large] DECISION REASON`, and the card's button opening a
short guided flow (nature, effect, decision, then the typed reason). Every check is bot/services/assessment.py's."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.assess import KEEP, decision_buttons, effect_buttons, nature_buttons
from bot.clock import Clock
from bot.domain.assessment import DECISIONS, parse_assess
from bot.domain.vocab import CATEGORIES
from bot.i18n import t
from bot.services import assessment
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.numbers import NoSuchIncident, require_incident
from bot.telegram.callbacks import AssessCB, AssessStep
from bot.telegram.render import force_reply, inline_keyboard
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


def _nature(slug: str | None, lang: str) -> str:
    return CATEGORIES.label(slug, lang) if slug and slug in CATEGORIES else t("assess.no_category", lang)


@router.callback_query(AssessCB.filter())
async def on_assess_press(query: CallbackQuery, callback_data: AssessCB, session: AsyncSession,
                          person: PersonDTO | None, state: FSMContext, lang: str, clock: Clock) -> None:
    cb = callback_data
    opening = await assessment.open_assessment(session, incident_id=cb.incident, person=person, now=clock.now(),
                                               actor_id=query.from_user.id, actor_name=query.from_user.full_name)
    if opening.code != "open":
        await query.answer(t(f"assess.{opening.code}", lang, number=opening.number or "-"), show_alert=True)
        return
    msg = query.message if isinstance(query.message, Message) else None
    await query.answer()
    if msg is None:
        return
    number, iid = opening.number, opening.incident_id
    picked = opening.category if cb.cat == KEEP else cb.cat
    effect = t("assess.effect.large" if cb.large == "1" else "assess.effect.none", lang)
    if cb.step == AssessStep.START:  # a message of its own under the card: the card keeps its buttons
        await msg.answer(t("assess.ask.category", lang, number=number, category=_nature(opening.category, lang)),
                         reply_markup=inline_keyboard(nature_buttons(iid, opening.version, lang)))
    elif cb.step == AssessStep.CANCEL:
        await pending.clear(state, DESTINY)
        await msg.edit_text(t("assess.cancelled", lang))
    elif cb.step == AssessStep.NATURE:
        await msg.edit_text(t("assess.ask.effect", lang, number=number, category=_nature(picked, lang)),
                            reply_markup=inline_keyboard(effect_buttons(iid, cb.base, cb.cat, lang)))
    elif cb.step == AssessStep.EFFECT:
        await msg.edit_text(t("assess.ask.decision", lang, number=number, category=_nature(picked, lang), effect=effect),
                            reply_markup=inline_keyboard(decision_buttons(iid, cb.base, cb.cat, cb.large, lang)))
    elif cb.decision in DECISIONS:  # the decision: the reason is typed as a reply
        text = t("assess.ask.reason", lang, number=number, category=_nature(picked, lang), effect=effect,
                 decision=DECISIONS.label(cb.decision, lang))
        await msg.edit_text(text)
        await pending.ask(state, DESTINY, clock, kind="reason", number=number, incident=iid, base=cb.base,
                          cat=cb.cat, large=cb.large, decision=cb.decision)
        sent = await msg.answer(t("assess.placeholder", lang) + " · " + number,
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

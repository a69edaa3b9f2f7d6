"""Presses on the leaders' assessment (asV1): the card's 研判 opens the guided flow in a message of its own under
the card (the card keeps its buttons); the nature and the effect redraw that message with the next question;
Cancel ends it (`then="cancel"`: the channel drops its dialog), and the decision asks for the typed reason
(`then="ask_reason"`, with the picks so far). Each press re-checks the presser and the incident (refusals on the
timeline): bot/services/assessment.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.assess import KEEP, AssessAct, AssessStep, decision_buttons, effect_buttons, nature_buttons
from bot.channels.types import Card
from bot.domain.assessment import DECISIONS
from bot.domain.vocab import CATEGORIES
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services import assessment
from bot.services.dto import OrgDTO


def nature(slug: str | None, lang: str) -> str:
    return CATEGORIES.label(slug, lang) if slug and slug in CATEGORIES else t("assess.no_category", lang)


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = AssessAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    lang = press.lang
    opening = await assessment.open_assessment(s, incident_id=act.incident, person=press.actor, now=now,
                                               actor_id=press.actor_id, actor_name=press.actor_name)
    if opening.code != "open":
        return Outcome(t(f"assess.{opening.code}", lang, number=opening.number or "-"), alert=True, ok=False)
    number, iid = opening.number, opening.incident_id
    picked = opening.category if act.cat == KEEP else act.cat
    effect = t("assess.effect.large" if act.large == "1" else "assess.effect.none", lang)
    if act.step == AssessStep.START:
        return Outcome("", reply=Card(t("assess.ask.category", lang, number=number,
                                        category=nature(opening.category, lang)),
                                      nature_buttons(iid, opening.version, lang)))
    if act.step == AssessStep.CANCEL:
        return Outcome("", edit=Card(t("assess.cancelled", lang)), then="cancel")
    if act.step == AssessStep.NATURE:
        return Outcome("", edit=Card(t("assess.ask.effect", lang, number=number, category=nature(picked, lang)),
                                     effect_buttons(iid, act.base, act.cat, lang)))
    if act.step == AssessStep.EFFECT:
        return Outcome("", edit=Card(t("assess.ask.decision", lang, number=number, category=nature(picked, lang),
                                       effect=effect),
                                     decision_buttons(iid, act.base, act.cat, act.large, lang)))
    if act.decision in DECISIONS:  # the reason is typed next, as a reply; the picks wait in the channel's dialog
        text = t("assess.ask.reason", lang, number=number, category=nature(picked, lang), effect=effect,
                 decision=DECISIONS.label(act.decision, lang))
        return Outcome("", edit=Card(text), then="ask_reason",
                       info={"number": number, "incident": iid, "base": act.base, "cat": act.cat,
                             "large": act.large, "decision": act.decision})
    return Outcome("")  # a decision no longer offered: nothing changes

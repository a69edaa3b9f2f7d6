"""The leaders' assessment buttons (issue 22): "研判" on an incident card, then a short guided flow — the nature,
the effect, the decision — each press carrying the picks so far and the version the assessment is based on.
The server re-checks the presser and the incident on every press; the reason is typed last."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.domain.assessment import DECISIONS
from bot.domain.vocab import CATEGORIES
from bot.i18n import t

KEEP = "-"  # the nature stays as it is


class AssessStep(StrEnum):
    START = "go"      # the card's button
    NATURE = "cat"    # picked the nature (cat)
    EFFECT = "eff"    # picked the effect (large "1" | "0")
    DECISION = "dec"  # picked the decision: the reason is asked next
    CANCEL = "no"


@dataclass(frozen=True)
class AssessAct(Action, prefix="asV1"):
    incident: int
    step: AssessStep
    base: str = ""      # the incident's assessment version the flow started on (digits)
    cat: str = ""       # a category slug or KEEP
    large: str = ""     # "1" | "0"
    decision: str = ""  # a decision slug


def assess_button(incident_id: int, lang: str) -> Button:
    return Button(t("card.btn.assess", lang), AssessAct(incident_id, AssessStep.START).pack())


def _cancel(incident_id: int, lang: str) -> list[Button]:
    return [Button(t("assess.btn.cancel", lang), AssessAct(incident_id, AssessStep.CANCEL).pack())]


def nature_buttons(incident_id: int, base: int, lang: str) -> Buttons:
    rows = [[Button(CATEGORIES.label(slug, lang), AssessAct(incident_id, AssessStep.NATURE, str(base), slug).pack())]
            for slug in CATEGORIES.slugs]
    rows.append([Button(t("assess.btn.keep", lang), AssessAct(incident_id, AssessStep.NATURE, str(base), KEEP).pack())])
    return [*rows, _cancel(incident_id, lang)]


def effect_buttons(incident_id: int, base: str, cat: str, lang: str) -> Buttons:
    return [[Button(t("assess.btn.large", lang), AssessAct(incident_id, AssessStep.EFFECT, base, cat, "1").pack()),
             Button(t("assess.btn.not_large", lang), AssessAct(incident_id, AssessStep.EFFECT, base, cat, "0").pack())],
            _cancel(incident_id, lang)]


def decision_buttons(incident_id: int, base: str, cat: str, large: str, lang: str) -> Buttons:
    return [[Button(DECISIONS.label(slug, lang),
                    AssessAct(incident_id, AssessStep.DECISION, base, cat, large, slug).pack())
             for slug in DECISIONS.slugs], _cancel(incident_id, lang)]

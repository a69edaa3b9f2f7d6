"""The "review report" button: on a closed incident's card and after closure. It names only the incident;
who may ask for the review is checked on every press."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actions.codec import Action
from bot.channels.types import Button
from bot.i18n import t


@dataclass(frozen=True)
class ReviewAct(Action, prefix="rvV1"):
    incident: int


def review_button(incident_id: int, lang: str) -> Button:
    return Button(t("review.button", lang), ReviewAct(incident_id).pack())

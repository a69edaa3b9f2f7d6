"""The "review report" button: shown on a closed incident's card and after closure.

The prefix carries a version so buttons already sent keep parsing. The data names only the incident;
who may ask for the review is checked on every press.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import DbId
from bot.i18n import t


class ReviewCB(CallbackData, prefix="rvV1"):
    incident: DbId


def review_button(incident_id: int, lang: str) -> dict[str, str]:
    """One inline button (Bot API dict form) that asks for the incident's review document."""
    return {"text": t("review.button", lang), "callback_data": ReviewCB(incident=incident_id).pack()}

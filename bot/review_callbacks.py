"""Callback data of the "review report" button (aiogram's parsing for the handler's filter; the button itself:
bot/actions/review.py). The prefix carries a version so buttons already sent keep parsing. The data names only
the incident; who may ask for the review is checked on every press.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import DbId


class ReviewCB(CallbackData, prefix="rvV1"):
    incident: DbId

"""Callback data of declared unavailability (aiogram's parsing for the handlers' filters; the actions and their
buttons: bot/actions/unavail.py): delete a window (its id), and the office's decision on a shift under way
whose person declared unavailability (the shift row id). Every press is checked on the server."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.actions.unavail import UnavailAction
from bot.callbacks import DbId

__all__ = ["UnavailAction", "UnavailCB"]


class UnavailCB(CallbackData, prefix="unavV1"):
    action: UnavailAction
    id: DbId

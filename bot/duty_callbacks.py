"""Callback data of duty and patrol messages (aiogram's parsing for the handlers' filters). Versioned prefixes;
a button carries only an id — the server checks the presser, the row and its state on every press. The
actions and their buttons are neutral: bot/actions/duty.py."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.actions.duty import DutyAction, PatrolAction
from bot.callbacks import DbId

__all__ = ["DutyAction", "DutyCB", "PatrolAction", "PatrolCB"]


class DutyCB(CallbackData, prefix="dutyV1"):
    action: DutyAction
    id: DbId


class PatrolCB(CallbackData, prefix="patV1"):
    action: PatrolAction
    patrol: DbId

"""Callback data of the release cards (aiogram's parsing for the handlers' filters). The prefix carries a
version so buttons already sent keep parsing; the actions and their buttons are neutral: bot/actions/release.py.

A button names the version (draft id) and the stage it was sent for; the server checks both, the
person's current roles and the draft's state on every press — the data itself is never trusted.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.actions.release import RelAction
from bot.callbacks import DbId

__all__ = ["RelAction", "RelV1"]


class RelV1(CallbackData, prefix="relV1"):
    action: RelAction
    draft: DbId
    stage: str = ""  # review | approval; empty for SUBMIT

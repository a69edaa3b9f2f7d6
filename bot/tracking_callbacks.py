"""Callback data of tracking and closure (aiogram's parsing for the handlers' filters; the actions and their
buttons: bot/actions/tracking.py). Versioned prefixes, so buttons already sent keep parsing; every press is
checked again on the server (the data only names the object)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.actions.tracking import CloseAction, TrackAction
from bot.callbacks import DbId

__all__ = ["CloseAction", "CloseCB", "TrackAction", "TrackCB"]


class TrackCB(CallbackData, prefix="trkV1"):
    action: TrackAction
    incident: DbId


class CloseCB(CallbackData, prefix="clsV1"):
    action: CloseAction
    ref: DbId  # the incident (submit/drop) or the proposal (confirm/refuse)

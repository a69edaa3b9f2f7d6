"""Buttons of tracking and closure. Versioned prefixes, so buttons already sent keep parsing; every press
is checked again on the server (the data only names the object)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import DbId
from bot.i18n import t


class TrackAction(StrEnum):
    FOLLOW = "follow"  # the tracker's reminder: write a follow-up now
    REOPEN = "reopen"  # a follow-up came for a closed incident: reopen it


class TrackCB(CallbackData, prefix="trkV1"):
    action: TrackAction
    incident: DbId


class CloseAction(StrEnum):
    SUBMIT = "submit"    # the proposer saw the warnings and submits anyway
    DROP = "drop"        # ... or drops the proposal
    CONFIRM = "ok"       # a leader confirms the closure
    REFUSE = "no"        # a leader refuses, with a reason


class CloseCB(CallbackData, prefix="clsV1"):
    action: CloseAction
    ref: DbId  # the incident (submit/drop) or the proposal (confirm/refuse)


def _btn(text: str, data: CallbackData) -> dict[str, str]:
    return {"text": text, "callback_data": data.pack()}


def follow_markup(incident_id: int, lang: str) -> dict:
    return {"inline_keyboard": [[_btn(t("track.btn.follow", lang), TrackCB(action=TrackAction.FOLLOW,
                                                                            incident=incident_id))]]}


def reopen_markup(incident_id: int, lang: str) -> dict:
    return {"inline_keyboard": [[_btn(t("track.btn.reopen", lang), TrackCB(action=TrackAction.REOPEN,
                                                                            incident=incident_id))]]}


def warn_markup(incident_id: int, lang: str) -> dict:
    return {"inline_keyboard": [[_btn(t("close.btn.submit", lang), CloseCB(action=CloseAction.SUBMIT, ref=incident_id)),
                                 _btn(t("close.btn.drop", lang), CloseCB(action=CloseAction.DROP, ref=incident_id))]]}


def decide_markup(proposal_id: int, lang: str) -> dict:
    return {"inline_keyboard": [[_btn(t("close.btn.confirm", lang), CloseCB(action=CloseAction.CONFIRM, ref=proposal_id)),
                                 _btn(t("close.btn.refuse", lang), CloseCB(action=CloseAction.REFUSE, ref=proposal_id))]]}

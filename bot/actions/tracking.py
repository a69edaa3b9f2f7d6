"""Buttons of tracking and closure. The data only names the object; every press is checked on the server."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.i18n import t


class TrackAction(StrEnum):
    FOLLOW = "follow"  # the tracker's reminder: write a follow-up now
    REOPEN = "reopen"  # a follow-up came for a closed incident: reopen it


@dataclass(frozen=True)
class TrackAct(Action, prefix="trkV1"):
    action: TrackAction
    incident: int


class CloseAction(StrEnum):
    SUBMIT = "submit"    # the proposer saw the warnings and submits anyway
    DROP = "drop"        # ... or drops the proposal
    CONFIRM = "ok"       # a leader confirms the closure
    REFUSE = "no"        # a leader refuses, with a reason


@dataclass(frozen=True)
class CloseAct(Action, prefix="clsV1"):
    action: CloseAction
    ref: int  # the incident (submit/drop) or the proposal (confirm/refuse)


def follow_buttons(incident_id: int, lang: str) -> Buttons:
    return [[Button(t("track.btn.follow", lang), TrackAct(TrackAction.FOLLOW, incident_id).pack())]]


def reopen_buttons(incident_id: int, lang: str) -> Buttons:
    return [[Button(t("track.btn.reopen", lang), TrackAct(TrackAction.REOPEN, incident_id).pack())]]


def warn_buttons(incident_id: int, lang: str) -> Buttons:
    return [[Button(t("close.btn.submit", lang), CloseAct(CloseAction.SUBMIT, incident_id).pack()),
             Button(t("close.btn.drop", lang), CloseAct(CloseAction.DROP, incident_id).pack())]]


def decide_buttons(proposal_id: int, lang: str) -> Buttons:
    return [[Button(t("close.btn.confirm", lang), CloseAct(CloseAction.CONFIRM, proposal_id).pack()),
             Button(t("close.btn.refuse", lang), CloseAct(CloseAction.REFUSE, proposal_id).pack())]]

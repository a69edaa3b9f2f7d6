"""Buttons of duty and patrol messages. A button carries only an id — the server checks the presser, the row
and its state on every press."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons, InputRequest
from bot.i18n import t


class DutyAction(StrEnum):
    CHECKIN = "in"      # shift row id
    RECEIPT = "rcv"     # the outgoing shift row id: the incoming person confirms the handover
    STOP = "stop"       # event id: confirm stopping while shifts are running
    OFFER = "off"       # shift row id
    TAKE = "take"       # swap offer id
    APPROVE = "ok"      # swap offer id (office)
    REJECT = "no"       # swap offer id (office)
    ACCEPT = "acc"      # shift row id: I take this shift (offered at short notice)
    DECLINE = "dec"     # shift row id: I cannot take it


@dataclass(frozen=True)
class DutyAct(Action, prefix="dutyV1"):
    action: DutyAction
    id: int


class PatrolAction(StrEnum):
    DONE = "ok"         # patrolled, nothing new
    REPORT = "rep"      # file a report


@dataclass(frozen=True)
class PatrolAct(Action, prefix="patV1"):
    action: PatrolAction
    patrol: int


def _b(label: str, action: DutyAction, id_: int) -> Button:
    return Button(label, DutyAct(action, id_).pack())


def checkin_buttons(shift_id: int, lang: str) -> Buttons:
    return [[_b(t("duty.btn.checkin", lang), DutyAction.CHECKIN, shift_id)]]


def receipt_buttons(shift_id: int, lang: str) -> Buttons:
    return [[_b(t("duty.btn.receipt", lang), DutyAction.RECEIPT, shift_id)]]


def stop_buttons(event_id: int, lang: str) -> Buttons:
    return [[_b(t("duty.btn.stop", lang), DutyAction.STOP, event_id)]]


def offer_buttons(shifts: list[tuple[int, str]], lang: str) -> Buttons:
    return [[_b(t("duty.btn.offer", lang, span=label), DutyAction.OFFER, sid)] for sid, label in shifts]


def accept_buttons(shift_id: int, lang: str) -> Buttons:
    return [[_b(t("duty.offer.btn.accept", lang), DutyAction.ACCEPT, shift_id),
             _b(t("duty.offer.btn.decline", lang), DutyAction.DECLINE, shift_id)]]


def take_buttons(offer_id: int, lang: str) -> Buttons:
    return [[_b(t("duty.btn.take", lang), DutyAction.TAKE, offer_id)]]


def approve_buttons(offer_id: int, lang: str) -> Buttons:
    return [[_b(t("duty.btn.approve", lang), DutyAction.APPROVE, offer_id),
             _b(t("duty.btn.reject", lang), DutyAction.REJECT, offer_id)]]


def patrol_buttons(patrol_id: int, lang: str) -> Buttons:
    return [[Button(t("patrol.btn.done", lang), PatrolAct(PatrolAction.DONE, patrol_id).pack())],
            [Button(t("patrol.btn.report", lang), PatrolAct(PatrolAction.REPORT, patrol_id).pack())]]


def handover_input(lang: str) -> InputRequest:
    """The handover note is typed as an answer to the prompt."""
    return InputRequest(t("duty.handover.placeholder", lang))

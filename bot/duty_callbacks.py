"""Buttons of duty and patrol messages. Versioned prefixes; a button carries only an id — the server
checks the presser, the row and its state on every press."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import DbId
from bot.i18n import t
from bot.services.buttons import register


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


class DutyCB(CallbackData, prefix="dutyV1"):
    action: DutyAction
    id: DbId


class PatrolAction(StrEnum):
    DONE = "ok"         # patrolled, nothing new
    REPORT = "rep"      # file a report


class PatrolCB(CallbackData, prefix="patV1"):
    action: PatrolAction
    patrol: DbId


def _b(text: str, action: DutyAction, id_: int) -> dict[str, str]:
    return {"text": text, "callback_data": DutyCB(action=action, id=id_).pack()}


def _kb(*rows: list[dict[str, str]]) -> dict[str, Any]:
    return {"inline_keyboard": list(rows)}


def checkin_markup(shift_id: int, lang: str) -> dict[str, Any]:
    return _kb([_b(t("duty.btn.checkin", lang), DutyAction.CHECKIN, shift_id)])


def receipt_markup(shift_id: int, lang: str) -> dict[str, Any]:
    return _kb([_b(t("duty.btn.receipt", lang), DutyAction.RECEIPT, shift_id)])


def stop_markup(event_id: int, lang: str) -> dict[str, Any]:
    return _kb([_b(t("duty.btn.stop", lang), DutyAction.STOP, event_id)])


def offer_markup(shifts: list[tuple[int, str]], lang: str) -> dict[str, Any]:
    return _kb(*[[_b(t("duty.btn.offer", lang, span=label), DutyAction.OFFER, sid)] for sid, label in shifts])


@register("duty.offer")
def accept_markup(*, lang: str, shift: int) -> dict[str, Any]:
    return _kb([_b(t("duty.offer.btn.accept", lang), DutyAction.ACCEPT, shift),
                _b(t("duty.offer.btn.decline", lang), DutyAction.DECLINE, shift)])


def take_markup(offer_id: int, lang: str) -> dict[str, Any]:
    return _kb([_b(t("duty.btn.take", lang), DutyAction.TAKE, offer_id)])


def approve_markup(offer_id: int, lang: str) -> dict[str, Any]:
    return _kb([_b(t("duty.btn.approve", lang), DutyAction.APPROVE, offer_id),
                _b(t("duty.btn.reject", lang), DutyAction.REJECT, offer_id)])


def patrol_markup(patrol_id: int, lang: str) -> dict[str, Any]:
    return _kb([{"text": t("patrol.btn.done", lang), "callback_data": PatrolCB(action=PatrolAction.DONE,
                                                                              patrol=patrol_id).pack()}],
               [{"text": t("patrol.btn.report", lang), "callback_data": PatrolCB(action=PatrolAction.REPORT,
                                                                                patrol=patrol_id).pack()}])


def handover_prompt_markup(lang: str) -> dict[str, Any]:
    return {"force_reply": True, "input_field_placeholder": t("duty.handover.placeholder", lang)[:64]}

"""Callback data factories. The prefix carries a version so buttons already sent keep parsing."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ReportAction(StrEnum):
    SET = "set"          # choose a value for the current field
    BACK = "back"
    SKIP = "skip"
    KEEP = "keep"        # keep the answer the current field has (value: the field)
    CANCEL = "cancel"
    CONFIRM = "ok"
    EDIT = "edit"        # open the field picker
    FIELD = "field"      # edit this field
    REVIEW = "review"    # back to the summary
    RESUME = "resume"
    DISCARD = "discard"
    RESTORE = "restore"  # bring back a draft just cancelled


class ReportCB(CallbackData, prefix="rpV1"):
    action: ReportAction
    value: str = ""


class IncidentAction(StrEnum):
    ACK = "ack"        # a leader or the office: received
    TAKE = "take"      # ... and takes charge
    UPPER = "up"       # the upper-level office acknowledges the dual report


class IncidentCB(CallbackData, prefix="incV1"):
    action: IncidentAction
    incident: int


class ChecklistCB(CallbackData, prefix="chkV1"):
    incident: int
    step: str

"""Callback data factories. The prefix carries a version so buttons already sent keep parsing.

Every id in callback data is a `DbId`: data outside 1 … 2**31-1 (negative, 2**64, 10**30) does not unpack,
so no handler — and no query — ever sees it; the catch-all (handlers/stale.py) answers it as a stale button.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.domain.bounds import INT4_MAX

DbId = Annotated[int, Field(ge=1, le=INT4_MAX)]  # a primary key the database can hold


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
    SHOW = "show"      # a digest's button: post the incident's full card in this chat


class IncidentCB(CallbackData, prefix="incV1"):
    action: IncidentAction
    incident: DbId


class ChecklistCB(CallbackData, prefix="chkV1"):
    incident: DbId
    step: str

"""Callback data factories (aiogram's parsing for the handlers' filters). The prefix carries a version so
buttons already sent keep parsing; the actions themselves, and packing them, are neutral: bot/actions/.

Every id in callback data is a `DbId`: data outside 1 … 2**31-1 (negative, 2**64, 10**30) does not unpack,
so no handler — and no query — ever sees it; the catch-all (handlers/stale.py) answers it as a stale button.
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.actions.incident import IncidentAction
from bot.actions.report import ReportAction
from bot.domain.bounds import INT4_MAX

__all__ = ["ChecklistCB", "DbId", "IncidentAction", "IncidentCB", "ReportAction", "ReportCB"]

DbId = Annotated[int, Field(ge=1, le=INT4_MAX)]  # a primary key the database can hold


class ReportCB(CallbackData, prefix="rpV1"):
    action: ReportAction
    value: str = ""


class IncidentCB(CallbackData, prefix="incV1"):
    action: IncidentAction
    incident: DbId


class ChecklistCB(CallbackData, prefix="chkV1"):
    incident: DbId
    step: str

"""Callback data factories: aiogram's parsing of a pressed button's data for the handlers' filters. Each prefix
carries a version so buttons already sent keep parsing; the actions themselves, their buttons and packing them
are neutral: bot/actions/.

Every id in callback data is a `DbId`: data outside 1 … 2**31-1 (negative, 2**64, 10**30) does not unpack,
so no handler — and no query — ever sees it; the catch-all (handlers/stale.py) answers it as a stale button.
A button carries only ids: the server checks the presser, the row and its state on every press — the data
itself is never trusted.
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.actions.assess import AssessStep
from bot.actions.duty import DutyAction, PatrolAction
from bot.actions.incident import IncidentAction
from bot.actions.interview import IvwAction
from bot.actions.release import RelAction
from bot.actions.report import ReportAction
from bot.actions.tasks import TaskAction
from bot.actions.tracking import CloseAction, TrackAction
from bot.actions.unavail import UnavailAction
from bot.actions.working_group import GroupAction
from bot.domain.bounds import INT4_MAX

__all__ = ["AssessCB", "AssessStep", "ChecklistCB", "CloseAction", "CloseCB", "DbId", "DutyAction", "DutyCB", "GroupAction", "GroupCB",
           "IncidentAction", "IncidentCB", "IvwAction", "IvwV1", "PatrolAction", "PatrolCB", "RelAction", "RelV1", "ReportAction", "ReportCB",
           "ReviewCB", "TaskAction", "TaskCB", "TrackAction", "TrackCB", "UnavailAction", "UnavailCB", "UnitCB"]

DbId = Annotated[int, Field(ge=1, le=INT4_MAX)]  # a primary key the database can hold


# The report dialogue and the incident card (bot/actions/report.py, bot/actions/incident.py).
class ReportCB(CallbackData, prefix="rpV1"):
    action: ReportAction
    value: str = ""


class IncidentCB(CallbackData, prefix="incV1"):
    action: IncidentAction
    incident: DbId


class ChecklistCB(CallbackData, prefix="chkV1"):
    incident: DbId
    step: str


# The leaders' assessment (bot/actions/assess.py): the card's button and the guided flow's picks.
class AssessCB(CallbackData, prefix="asV1"):
    incident: DbId
    step: AssessStep
    base: str = ""
    cat: str = ""
    large: str = ""
    decision: str = ""


# Duty and patrol messages (bot/actions/duty.py).
class DutyCB(CallbackData, prefix="dutyV1"):
    action: DutyAction
    id: DbId


class PatrolCB(CallbackData, prefix="patV1"):
    action: PatrolAction
    patrol: DbId


# Release cards (bot/actions/release.py): the version (draft id) and the stage the button was sent for; the
# server checks both, the person's current roles and the draft's state.
class RelV1(CallbackData, prefix="relV1"):
    action: RelAction
    draft: DbId
    stage: str = ""  # review | approval; empty for SUBMIT


# A media interview request's card (bot/actions/interview.py): the request and the stage the button was sent for.
class IvwV1(CallbackData, prefix="ivwV1"):
    action: IvwAction
    request: DbId
    stage: str  # review | approval


# The "review report" button (bot/actions/review.py): the incident only; who may ask is checked on each press.
class ReviewCB(CallbackData, prefix="rvV1"):
    incident: DbId


# Tracking and closure (bot/actions/tracking.py).
class TrackCB(CallbackData, prefix="trkV1"):
    action: TrackAction
    incident: DbId


# Tasks (bot/actions/tasks.py): the task, or for a pick the unit or the person chosen.
class TaskCB(CallbackData, prefix="tskV1"):
    action: TaskAction
    ref: DbId


class CloseCB(CallbackData, prefix="clsV1"):
    action: CloseAction
    ref: DbId  # the incident (submit/drop) or the proposal (confirm/refuse)


# Declared unavailability (bot/actions/unavail.py): delete a window (its id), and the office's decision on a
# shift under way whose person declared unavailability (the shift row id).
class UnavailCB(CallbackData, prefix="unavV1"):
    action: UnavailAction
    id: DbId


# The office's picker of the unit involved (bot/actions/unit.py): the incident, and a unit's id or "none".
class UnitCB(CallbackData, prefix="unitV1"):
    incident: DbId
    unit: Annotated[str, Field(pattern=r"^(none|[1-9][0-9]{0,9})$")]


# The working group (bot/actions/working_group.py): confirm / edit name the group, join / can't the meeting.
class GroupCB(CallbackData, prefix="wgV1"):
    action: GroupAction
    ref: DbId

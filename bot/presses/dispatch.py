"""One entry for any channel: the press's family, by its action's prefix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.assess import AssessAct
from bot.actions.duty import DutyAct, PatrolAct
from bot.actions.incident import ChecklistAct, IncidentAct
from bot.actions.interview import IvwAct
from bot.actions.release import RelAct
from bot.actions.report import ReportAct
from bot.actions.review import ReviewAct
from bot.actions.tasks import TaskAct
from bot.actions.tracking import CloseAct, TrackAct
from bot.actions.unavail import UnavailAct
from bot.actions.unit import UnitAct
from bot.actions.working_group import GroupAct
from bot.presses import (
    assess,
    checklist,
    closure,
    duty,
    incident,
    interview,
    release,
    report,
    review,
    tasks,
    tracking,
    unavail,
    unit,
    working_group,
)
from bot.presses.types import Outcome, Press
from bot.services.dto import OrgDTO

Handle = Callable[..., Awaitable[Outcome]]
FAMILIES: dict[str, Handle] = {
    IncidentAct.prefix: incident.handle,
    ChecklistAct.prefix: checklist.handle,
    DutyAct.prefix: duty.handle,
    PatrolAct.prefix: duty.handle,
    RelAct.prefix: release.handle,
    IvwAct.prefix: interview.handle,
    CloseAct.prefix: closure.handle,
    TrackAct.prefix: tracking.handle,
    UnavailAct.prefix: unavail.handle,
    ReviewAct.prefix: review.handle,
    ReportAct.prefix: report.handle,
    UnitAct.prefix: unit.handle,
    TaskAct.prefix: tasks.handle,
    AssessAct.prefix: assess.handle,
    GroupAct.prefix: working_group.handle,
}


async def press(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome | None:
    """The outcome of a press; None for an action no family knows (the channel answers it as stale)."""
    handle = FAMILIES.get(press.action.partition(":")[0])
    return await handle(s, press, org=org, now=now) if handle is not None else None

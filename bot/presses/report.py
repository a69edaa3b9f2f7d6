"""Presses in the report dialog (rpV1): every one of them answers the draft the channel's dialog holds (its
state machine: Telegram's FSM record), so the whole step stays with the channel; filing the report is
bot/services/reports.py. Here they are told apart from an unknown action."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.report import ReportAct
from bot.presses.types import Outcome, Press, stale
from bot.services.dto import OrgDTO


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = ReportAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    return Outcome("", then="dialog", info={"action": str(act.action), "value": act.value})

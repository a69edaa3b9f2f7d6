"""Presses on a task (tskV1): the owner's Accept and Need help, and Done, whose note is asked next by the channel
(`then="ask_note"`). The assigner's pick among several matching targets answers the channel's own dialog (the
candidates are held there), so it comes back as a dialog step (`then="pick"`). Every check happens in
bot/services/tasks.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tasks import TaskAct, TaskAction
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services import tasks
from bot.services.dto import OrgDTO
from bot.services.notify import Result

PICKS = {TaskAction.PICK_UNIT: "unit", TaskAction.PICK_PERSON: "person"}


def say(r: Result, lang: str) -> str:
    return t(f"task.{r.code}" if r.ok else f"task.err.{r.code}", lang, **r.info)


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = TaskAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    if act.action in PICKS:
        return Outcome("", then="pick", info={"kind": PICKS[act.action], "ref": act.ref})
    if act.action == TaskAction.ACCEPT:
        r = await tasks.accept(s, task_id=act.ref, person=press.actor, now=now)
        return Outcome(say(r, press.lang), alert=not r.ok, ok=r.ok)
    if act.action == TaskAction.HELP:  # an alert either way: the presser should see that the office was told
        r = await tasks.need_help(s, task_id=act.ref, person=press.actor, org=org, now=now)
        return Outcome(say(r, press.lang), alert=True, ok=r.ok)
    r = await tasks.done_target(s, task_id=act.ref, person=press.actor)
    if not r.ok:
        return Outcome(say(r, press.lang), alert=True, ok=False)
    return Outcome("", then="ask_note", info={"task": r.info["id"], "number": r.info["number"]})

"""Due rows of kind "task": a reminder to a task's owner, or at the due time the overdue escalation
(bot/services/tasks.py `fire`)."""

from __future__ import annotations

from bot.services.tasks import KIND, fire
from schedules.sweeps import DueDTO, SweepContext, register_kind


async def task_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    item = items[0]
    task_id, point = item.payload.get("task"), item.payload.get("point")
    if not isinstance(task_id, int) or not isinstance(point, str):
        return "cancelled"
    return await fire(ctx.session, task_id=task_id, point=point, org=ctx.org, now=ctx.now, late=ctx.is_late(item))


register_kind(KIND, task_handler)

"""Due kind "filed": a filed report whose grading, clocks or notifications failed is graded again.

The report and its number stood (bot/services/reports.py kept them under a savepoint); this retries the
rest until it works — the sweeper counts a failed attempt and retries after its lease — and tells the
office when it has.
"""

from __future__ import annotations

from bot.domain.grading import GRADES
from bot.services.notify import office_chats, tell
from bot.services.reports import FILED, grade_incident
from models import Incident
from schedules.sweeps import DueDTO, SweepContext, register_kind


async def filed_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    s = ctx.session
    inc = await s.get(Incident, items[0].incident_id) if items[0].incident_id else None
    if inc is None or inc.status == "closed" or inc.grade is not None:
        return "cancelled"  # gone, closed meanwhile, or graded by hand (/grade) in the meantime
    result = await grade_incident(s, inc, org=ctx.org, now=ctx.now)
    ctx.enqueued += await tell(s, await office_chats(s, ctx.org, incident_id=inc.id), "report.followup_done", now=ctx.now,
                               dedup=f"filed:{inc.id}:done", number=inc.number, grade=GRADES.label(result.grade, ctx.org.language),
                               notice="report.graded")
    return None


register_kind(FILED, filed_handler)

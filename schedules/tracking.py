"""Due rows of kind "tracking": remind the incident's tracker to post a follow-up, then plan the next."""

from __future__ import annotations

from sqlalchemy import select

from bot.actions.tracking import follow_buttons
from bot.domain import audit_kinds as K
from bot.i18n import t
from bot.render import fmt_duration
from bot.services import audit
from bot.services.send import to_person
from bot.services.tracking import TRACK, schedule_reminder
from models import FollowUp, Incident, Person
from schedules.sweeps import DueDTO, SweepContext, register_kind


async def tracking_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    item = items[0]
    s, org, now = ctx.session, ctx.org, ctx.now
    inc = await s.get(Incident, item.incident_id) if item.incident_id else None
    # A row meant for a former tracker, or for a closed incident, has nothing left to do.
    if inc is None or inc.status == "closed" or inc.tracker_id != item.payload.get("tracker_id"):
        return "cancelled"
    tracker = await s.get(Person, inc.tracker_id)
    if tracker is None or not tracker.active:
        return "cancelled"
    last = await s.scalar(select(FollowUp.created_at).where(FollowUp.incident_id == inc.id)
                          .order_by(FollowUp.created_at.desc()).limit(1))
    lang = tracker.language or org.language
    since = t("track.remind.last", lang, ago=fmt_duration(now - last, lang)) if last else t("track.remind.none", lang)
    late = t("track.remind.late", lang) if ctx.is_late(item) else ""
    if await to_person(s, tracker, now=now, dedup_key=f"trk:remind:{inc.id}:{item.id}",
                       text=late + t("track.remind", lang, number=inc.number, since=since),
                       buttons=follow_buttons(inc.id, lang), notice="tracking.remind"):
        ctx.enqueued += 1
    await audit.append(s, incident_id=inc.id, kind=K.TRACKER_REMINDED, now=now,
                       payload={"tracker": tracker.name, "due": item.due_at.isoformat()})
    # the next one counts from now, not from the missed instant: after downtime one reminder, not a burst
    await schedule_reminder(s, inc, org=org, now=now)
    return None


register_kind(TRACK, tracking_handler)

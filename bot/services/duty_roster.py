"""A duty's stored roster and the due rows of its shifts: below bot/services/duty.py (start/stop, check-in) and
bot/services/duty_offers.py (a shift at short notice offered, not imposed), which both build on it.

The roster (bot/domain/roster.py) is stored as `duty_shifts` rows; every reminder is a due row of kind
"duty" (schedules/duty.py) with a dedup key `duty:{event}:{shift row}:{person}:{generation}:{action}`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import roster as rd
from bot.services.clocks import due_values
from bot.services.dto import OrgDTO
from models import Person
from models.duty import DutyEvent, DutyShift, UnavailabilityWindow

DUTY = "duty"
OFFER, TIMEOUT = "offer", "offer_timeout"  # due row actions of a shift offered at short notice


async def shift_rows(s: AsyncSession, event_id: int) -> list[DutyShift]:
    return list((await s.scalars(select(DutyShift).where(DutyShift.event_id == event_id)
                                 .order_by(DutyShift.index, DutyShift.id))).all())


async def load_roster(s: AsyncSession, ev: DutyEvent, org: OrgDTO) -> tuple[rd.Roster, dict[int, str]]:
    """The event's roster as the domain sees it (ids are people.id) and the names to show."""
    by_index: dict[int, list[DutyShift]] = {}
    for r in await shift_rows(s, ev.id):
        by_index.setdefault(r.index, []).append(r)
    shifts = tuple(rd.Shift(i, rows[0].start.astimezone(org.tz), rows[0].end.astimezone(org.tz),
                            tuple(r.person_id for r in rows)) for i, rows in sorted(by_index.items()))
    names = {p.id: p.name for p in (await s.scalars(select(Person))).all()}
    return rd.Roster(shifts, org.policy.duty), names


async def unavailability_of(s: AsyncSession, person_ids: list[int], now: datetime) -> list[rd.Unavailability]:
    """The declared windows of these people that are not over (the generator refuses past ones)."""
    rows = (await s.scalars(select(UnavailabilityWindow).where(UnavailabilityWindow.person_id.in_(person_ids),
                                                              UnavailabilityWindow.end > now))).all()
    return [rd.Unavailability(r.person_id, r.start, r.end) for r in rows]


def _key(row: DutyShift, gen: int | str, action: str) -> str:
    return f"duty:{row.event_id}:{row.id}:{row.person_id}:{gen}:{action}"


def shift_due_rows(row: DutyShift, *, org: OrgDTO, now: datetime, gen: int | str = 0,
                   takeover: bool = False) -> list[dict]:
    """The person's due rows of one shift: reminder, Check in button, check-in deadline, handover prompt.
    `takeover`: the person takes over a shift under way, so their Check in button and grace start now."""
    pol = org.policy.duty
    if row.offered_to is not None and not takeover:  # at short notice: offered, not imposed
        return [*offer_due_rows(row, row.offered_to, org=org, now=now),
                due_values(kind=DUTY, due=max(row.end, now), dedup_key=_key(row, gen, "handover"), now=now,
                           payload={"action": "handover", "event": row.event_id, "shift": row.id,
                                    "person": row.person_id})]
    begin = max(row.start, now) if takeover else row.start
    points = {"remind": begin - timedelta(minutes=pol.reminder_before_minutes), "start": begin,
              "checkin": begin + timedelta(minutes=pol.checkin_grace_minutes), "handover": row.end}
    rows = []
    for action, at in points.items():
        if action == "remind" and at < now:
            continue  # the reminder's moment has passed (duty started just now, or a late swap): the start says it
        if action == "start" and begin < now - timedelta(minutes=1):
            continue  # a shift already under way (a swap) gets no "it starts now"
        rows.append(due_values(kind=DUTY, due=max(at, now), dedup_key=_key(row, gen, action), now=now,
                               payload={"action": action, "event": row.event_id, "shift": row.id,
                                        "person": row.person_id}))
    return rows


# ---------------------------------------------------------------- a shift at short notice (duty_offers.py)

def short_notice(row: DutyShift, *, org: OrgDTO, now: datetime) -> bool:
    """Starts sooner than the warning every shift gets: offered, not imposed."""
    return row.start - now < timedelta(minutes=org.policy.duty.reminder_before_minutes)


def offer_due_rows(row: DutyShift, person_id: int, *, org: OrgDTO, now: datetime) -> list[dict[str, Any]]:
    """Ask `person_id` now; without an answer within the check-in grace, the offer moves on."""
    grace = timedelta(minutes=org.policy.duty.checkin_grace_minutes)
    round_ = len(row.declined or [])
    base = {"event": row.event_id, "shift": row.id, "person": person_id, "round": round_}
    key = f"duty:{row.event_id}:{row.id}:{person_id}:offer{round_}"
    return [due_values(kind=DUTY, due=now, dedup_key=f"{key}:ask", now=now, payload={"action": OFFER, **base}),
            due_values(kind=DUTY, due=now + grace, dedup_key=f"{key}:timeout", now=now,
                       payload={"action": TIMEOUT, **base})]


def mark_offered(row: DutyShift, person_id: int, now: datetime) -> None:
    row.offered_to, row.offered_at = person_id, now

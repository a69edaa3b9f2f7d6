"""`onduty roster export --ics --out DIR`: one .ics file per person on the current (or latest) duty roster."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.duty.ics import write_ics
from bot.services import duty as sv
from bot.services.org import load_org


async def export_ics(sessions: async_sessionmaker[AsyncSession], out_dir: str | Path) -> list[Path]:
    """The written files (none when no duty was ever started)."""
    async with sessions() as s:
        org = await load_org(s)
        ev = await sv.latest_event(s)
        if ev is None:
            return []
        roster, names = await sv.load_roster(s, ev, org)
    return write_ics(roster, names, out_dir, tz=org.tz, org_name=org.name, lang=org.language,
                     alarm_minutes=org.policy.duty.reminder_before_minutes)

"""The digest of a group chat's waiting incident cards: when more new cards wait for a group than Telegram's
20 messages a minute let out now, the sender posts one message naming them all (each with a button that posts
its full card), instead of letting the office fall minutes behind (bot/delivery/sender.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import report as rf
from models import Incident, Report

CARD_PREFIX = "card:"
DIGEST_MAX = 20  # incidents named in one digest (its buttons and its text stay well within Telegram's limits)


@dataclass(frozen=True)
class DigestEntry:
    incident_id: int
    number: str
    grade: str | None
    where: str | None  # the first report's place and unit, as the monitor wrote them


def card_incident(dedup_key: str | None) -> int | None:
    """The incident of a first card row (dedup key card:{incident}:{chat}), else None."""
    parts = (dedup_key or "").split(":")
    if len(parts) == 3 and parts[0] + ":" == CARD_PREFIX and parts[1].isdigit():
        return int(parts[1])
    return None


async def digest_entries(s: AsyncSession, incident_ids: list[int]) -> list[DigestEntry]:
    """In the order given (the order the cards were queued)."""
    incs = {i.id: i for i in (await s.scalars(select(Incident).where(Incident.id.in_(incident_ids)))).all()}
    firsts: dict[int, dict] = {}
    for r in (await s.scalars(select(Report).where(Report.incident_id.in_(incident_ids))
                              .order_by(Report.id))).all():
        firsts.setdefault(r.incident_id, r.fields or {})
    out = []
    for iid in incident_ids:
        inc = incs.get(iid)
        if inc is None:
            continue
        values = rf.from_json(firsts.get(iid, {}))
        where = " / ".join(str(values[k]) for k in ("place", "unit") if values.get(k))
        out.append(DigestEntry(incident_id=iid, number=inc.number, grade=inc.grade,
                               where=(where[:60] + "…") if len(where) > 61 else where or None))
    return out

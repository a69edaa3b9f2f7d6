"""Plain results the services hand to handlers (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.policy import Policy
from bot.domain.vocab import LEADER_ROLES


@dataclass(frozen=True)
class PersonDTO:
    id: int
    telegram_id: int
    name: str
    roles: tuple[str, ...]
    unit: str | None
    language: str | None
    reachable: str | None = None  # their telegram identity's state, where the query read it

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def is_leader(self) -> bool:
        return bool(LEADER_ROLES & set(self.roles))


@dataclass(frozen=True)
class UnitDTO:
    """A unit or department (the org file's `units:`); head_id: the person who answers for it."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    head_id: int | None = None


@dataclass(frozen=True)
class OrgDTO:
    name: str
    timezone: str
    work_hours: str
    language: str
    policy: Policy

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class IncidentSummary:
    number: str
    status: str
    grade: str | None
    created_at: datetime
    place: str
    unit: str

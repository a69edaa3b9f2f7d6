"""Finding an incident by the number a person typed (`yq-2026-1`, `YQ2026-1`, `1`…): the one place every
command's number goes through (bot/domain/lookup.py reads the text; this looks it up)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lookup import PREFIX, choose, parse_number
from bot.i18n import t
from models import Incident


@dataclass(frozen=True)
class Lookup:
    """The incident meant, or why there is none: `wanted` is the number as read (YQ-2026-0099) — or the text
    itself when it is no number — and `several` the candidates when a bare counter matches more than one
    (`typed`: what the person wrote, which the answer quotes)."""

    incident: Incident | None
    wanted: str
    several: tuple[str, ...] = ()
    typed: str = ""

    def render(self, lang: str) -> str:
        """One sentence for a lookup that found nothing: none (找不到事件 YQ-2026-0099), or which ones."""
        if self.several:
            return t("lookup.several", lang, number=self.typed or self.wanted, numbers=t("list.sep", lang).join(self.several),
                     first=self.several[0])
        return t("lookup.none", lang, number=self.wanted)


class NoSuchIncident(LookupError):
    """The typed number matches no incident, or several; `render(lang)` says so."""

    def __init__(self, found: Lookup):
        super().__init__(found.wanted)
        self.found = found

    def render(self, lang: str) -> str:
        return self.found.render(lang)


async def lookup_incident(s: AsyncSession, text: str | None, *, year: int | None = None) -> Lookup:
    """The incident `text` names. `year`: the organisation's year now, for a bare counter (`1`); without it,
    the year of the newest incident stands for it (the same answer, without needing a clock)."""
    raw = (text or "").strip()
    query = parse_number(raw)
    if query is None:
        return Lookup(None, raw)
    if query.exact is not None:  # the common case: one indexed equality
        return Lookup(await s.scalar(select(Incident).where(Incident.number == query.exact)), query.exact)
    found = list((await s.scalars(select(Incident.number).where(
        Incident.number.like(f"{PREFIX}-%{query.suffix}")))).all())
    if year is None:
        newest = await s.scalar(select(Incident.number).order_by(Incident.id.desc()).limit(1))
        newest_query = parse_number(newest) if newest else None
        year = newest_query.year if newest_query is not None else None
    number, several = choose(query, found, year)
    wanted = query.number(year) if year is not None else raw
    if number is None:
        return Lookup(None, wanted, several, raw)
    return Lookup(await s.scalar(select(Incident).where(Incident.number == number)), number)


async def require_incident(s: AsyncSession, text: str | None, *, year: int | None = None) -> Incident:
    """The incident `text` names; NoSuchIncident when it names none or several."""
    found = await lookup_incident(s, text, year=year)
    if found.incident is None:
        raise NoSuchIncident(found)
    return found.incident

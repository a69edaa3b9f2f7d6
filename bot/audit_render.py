"""The timeline as chat pages: one sentence per event ("10:05 王校长 确认收到"), organisation time, a date line
where the day changes (and atop every page), each page ≤ 4096 characters, never splitting an entry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.audit_sentences import Names, Sentence, Story, describe
from bot.domain.audit import AuditRecord
from bot.i18n import t
from bot.textsplit import LIMIT

ENTRY_MAX = 1200  # one entry is cut (…) beyond this, so a page always holds at least one
DAY_MAX = 40  # the date line above an entry


def sentences(rows: Sequence[AuditRecord], lang: str, names: Names | None = None) -> list[Sentence]:
    """Each row as a sentence, in order (earlier rows tell how later ones read: the grade, the stages)."""
    story = Story()
    return [describe(r.kind, r.payload, actor_name=r.actor_name, actor_telegram_id=r.actor_telegram_id, lang=lang,
                     names=names, story=story) for r in rows]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_entry(row: AuditRecord, lang: str, tz: tzinfo, names: Names | None = None,
                 said: Sentence | None = None) -> str:
    said = said or describe(row.kind, row.payload, actor_name=row.actor_name, actor_telegram_id=row.actor_telegram_id,
                            lang=lang, names=names)
    return _cut(f"{row.at.astimezone(tz).strftime('%H:%M')} {said.text(lang)}", ENTRY_MAX)


def _tz_name(tz: tzinfo, when: datetime) -> str:
    return getattr(tz, "key", None) or when.astimezone(tz).tzname() or "UTC"


def render_timeline(rows: Sequence[AuditRecord], lang: str, tz: tzinfo, *, number: str | None = None,
                    limit: int = LIMIT, now: datetime | None = None, names: Names | None = None) -> list[str]:
    """Pages of the timeline, each with a header (number, zone, page i/n), never splitting an entry."""
    number = number or t("audit.timeline.global", lang)
    if not rows:
        return [t("audit.timeline.empty", lang, number=number)]
    tz_name = _tz_name(tz, now or rows[-1].at)
    widest = t("audit.timeline.header", lang, number=number, tz=tz_name, page=len(rows), pages=len(rows))
    budget = limit - len(widest) - 1
    if budget < ENTRY_MAX + DAY_MAX:
        raise ValueError(f"a {limit}-character page cannot hold a {ENTRY_MAX}-character entry")
    bodies: list[str] = []
    cur, cur_day = "", None
    for row, said in zip(rows, sentences(rows, lang, names), strict=True):
        entry = render_entry(row, lang, tz, names, said)
        day = row.at.astimezone(tz).strftime("%Y-%m-%d")
        dated = f"{t('audit.timeline.day', lang, day=day)}\n{entry}"
        candidate = f"{cur}\n{dated if day != cur_day else entry}" if cur else dated
        if cur and len(candidate) > budget:
            bodies.append(cur)
            cur = dated  # a new page says its date again
        else:
            cur = candidate
        cur_day = day
    bodies.append(cur)
    n = len(bodies)
    return [t("audit.timeline.header", lang, number=number, tz=tz_name, page=i, pages=n) + "\n" + body
            for i, body in enumerate(bodies, 1)]

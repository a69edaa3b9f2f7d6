"""The timeline as chat pages: one entry per event, organisation time, each page ≤ 4096 characters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from bot.domain.audit import AuditRecord
from bot.domain.identity import is_unlinked
from bot.i18n import CATALOG, t
from bot.textsplit import LIMIT

ENTRY_MAX = 1200  # one entry is cut (…) beyond this, so a page always holds at least one
VALUE_MAX = 200  # one payload value is cut beyond this


def kind_label(kind: str, lang: str) -> str:
    key = f"audit.kind.{kind}"
    return t(key, lang) if key in CATALOG else kind


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(v: Any) -> str:
    """A payload value as words, not JSON (the timeline is read by leaders, not parsers); an unlinked person's
    placeholder address is never shown."""
    if isinstance(v, dict):
        return ", ".join(f"{k} {_plain(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return " / ".join(_plain(x) for x in v if not (isinstance(x, int) and is_unlinked(x) and x > 0))
    if v is None or (isinstance(v, int) and not isinstance(v, bool) and v > 0 and is_unlinked(v)):
        return "-"
    return v if isinstance(v, str) else str(v)


def _value(v: Any) -> str:
    return _cut(" ".join(_plain(v).split()), VALUE_MAX)


def payload_summary(payload: dict[str, Any]) -> str:
    return "; ".join(f"{k}={_value(v)}" for k, v in payload.items())


def _tz_name(tz: tzinfo, when: datetime) -> str:
    return getattr(tz, "key", None) or when.astimezone(tz).tzname() or "UTC"


def render_entry(row: AuditRecord, lang: str, tz: tzinfo) -> str:
    when = row.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    actor = row.actor_name or (str(row.actor_telegram_id) if row.actor_telegram_id else t("audit.actor.system", lang))
    head = f"#{row.seq} {when} · {actor} · {kind_label(row.kind, lang)}"
    summary = payload_summary(row.payload)
    return _cut(f"{head}\n    {summary}" if summary else head, ENTRY_MAX)


def render_timeline(rows: Sequence[AuditRecord], lang: str, tz: tzinfo, *, number: str | None = None,
                    limit: int = LIMIT, now: datetime | None = None) -> list[str]:
    """Pages of the timeline, each with a header (number, zone, page i/n), never splitting an entry."""
    number = number or t("audit.timeline.global", lang)
    if not rows:
        return [t("audit.timeline.empty", lang, number=number)]
    tz_name = _tz_name(tz, now or rows[-1].at)
    widest = t("audit.timeline.header", lang, number=number, tz=tz_name, page=len(rows), pages=len(rows))
    budget = limit - len(widest) - 1
    if budget < ENTRY_MAX:
        raise ValueError(f"a {limit}-character page cannot hold a {ENTRY_MAX}-character entry")
    bodies: list[str] = []
    cur = ""
    for row in rows:
        entry = render_entry(row, lang, tz)
        candidate = f"{cur}\n{entry}" if cur else entry
        if cur and len(candidate) > budget:
            bodies.append(cur)
            cur = entry
        else:
            cur = candidate
    bodies.append(cur)
    n = len(bodies)
    return [t("audit.timeline.header", lang, number=number, tz=tz_name, page=i, pages=n) + "\n" + body
            for i, body in enumerate(bodies, 1)]

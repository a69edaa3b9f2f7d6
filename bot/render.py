"""Formatting for people: durations and instants in the organisation's zone."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from bot.i18n import t


def fmt_duration(delta: timedelta, lang: str) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    d, rest = divmod(minutes, 24 * 60)
    h, m = divmod(rest, 60)
    if d:
        return t("nudge.duration.days", lang, d=d, h=h, m=m)
    if h:
        return t("nudge.duration.hours", lang, h=h, m=m)
    return t("nudge.duration.minutes", lang, m=m)


def fmt_time(when: datetime, tz: tzinfo) -> str:
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")

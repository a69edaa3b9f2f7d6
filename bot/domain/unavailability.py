"""Declared unavailability (不可值班时段): forgiving parsing of what a person types after /unavailable or
writes in the org file, validation (reversed, in the past) and merging of overlapping windows.

Pure: no aiogram, no SQLAlchemy. Errors are UnavailError with a code; the text is `unavail.err.<code>`.

Accepted (zh or en, full- or half-width): `2026-11-25 08:00 2026-11-25 20:00`, `11-25 08:00 20:00`
(the end's date is the start's; an end time before the start time is the next day), `2026-11-25`
(the whole day), `11-25 11-27` (whole days, both included), `明天 8:00 至 明天 20:00`, `2026年11月25日8时
到 20时`, `tomorrow 9am - 6pm`, ISO 8601 (`2026-11-25T08:00`). A date without a year is the next such
date that is not over. Anything after the times is the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from bot.i18n import t

MAX_REASON = 200
_DAY_WORDS = {"今天": 0, "今日": 0, "today": 0, "明天": 1, "明日": 1, "tomorrow": 1, "后天": 2}
_AP = {"凌晨": "am", "早上": "am", "早晨": "am", "上午": "am", "中午": "noon", "下午": "pm", "傍晚": "pm",
       "晚上": "pm", "夜里": "pm", "am": "am", "a.m.": "am", "pm": "pm", "p.m.": "pm"}
_POINT = re.compile(r"""
    (?:(?P<word>今天|今日|明天|明日|后天|today|tomorrow)
      | (?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?
    )?
    (?:\s*t?\s*
      (?P<ap>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)?\s*
      (?P<h>\d{1,2})\s*(?::\s*(?P<mi>\d{2})|[时点]\s*(?:(?P<mi2>\d{1,2})\s*分?|(?P<half>半))?|(?=\s*(?:am|pm|a\.m\.|p\.m\.)))
      \s*(?P<ap2>am|pm|a\.m\.|p\.m\.)?
    )?
""", re.X)
_SEP = re.compile(r"\s*(?:至|到|~|〜|—|–|-|to|until|till)?\s*")


class UnavailError(ValueError):
    """Bad input; `text(lang)` is one clear sentence."""

    def __init__(self, code: str, **params: Any):
        self.code, self.params = code, params
        super().__init__(f"{code}: {params}")

    def text(self, lang: str = "zh") -> str:
        return t(f"unavail.err.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    reason: str = ""
    id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Point:
    day: date | None
    at: time | None
    whole_day_end: bool = False  # "24:00"
    year_given: bool = False


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).strip()


def _hour(h: int, ap: str | None) -> int:
    if ap is None or h > 12:
        return h
    if ap == "am":
        return 0 if h == 12 else h
    if ap == "noon":
        return h + 12 if h < 11 else h
    return h + 12 if h < 12 else h


def _point(s: str, pos: int, today: date) -> tuple[_Point | None, int]:
    m = _POINT.match(s, pos)
    if m is None or m.end() == pos or not (m.group("word") or m.group("mo") or m.group("h")):
        return None, pos
    nxt = s[m.end():m.end() + 1]
    if s[m.end() - 1].isdigit() and nxt.isascii() and nxt.isalnum() and not m.group("h"):
        return None, pos  # "11-25x" is not a date
    g = m.groupdict()
    day: date | None = None
    if g["word"]:
        day = today + timedelta(days=_DAY_WORDS[g["word"]])
    elif g["mo"]:
        try:
            day = date(int(g["y"]) if g["y"] else today.year, int(g["mo"]), int(g["d"]))
        except ValueError:
            raise UnavailError("bad_date", value=s[pos:m.end()].strip()) from None
    at, end24 = None, False
    if g["h"]:
        h = _hour(int(g["h"]), _AP.get(g["ap"] or g["ap2"] or ""))
        mi = 30 if g["half"] else int(g["mi"] or g["mi2"] or 0)
        if (h, mi) == (24, 0):
            end24 = True
            at = time(0, 0)
        elif h > 23 or mi > 59:
            raise UnavailError("bad_date", value=s[pos:m.end()].strip())
        else:
            at = time(h, mi)
    return _Point(day, at, end24, bool(g["y"])), m.end()


def parse_window(text: str, *, now: datetime, tz: tzinfo) -> Window:
    """The window (and reason) in `text`; UnavailError when it cannot be read or makes no sense.
    Past windows are refused here too (`now` is the current instant)."""
    s = clean(text)
    low = s.lower()
    today = now.astimezone(tz).date()
    if re.match(r"\d{4}-\d{2}-\d{2}t\d{2}:\d{2}", low):  # ISO 8601: replace the T and read it as usual
        low = low[:10] + " " + low[11:]
    a, pos = _point(low, 0, today)
    if a is None:
        raise UnavailError("usage")
    sep = _SEP.match(low, pos)
    b, pos2 = _point(low, sep.end(), today)
    if b is None:
        pos2 = pos
    reason = s[pos2:].strip(" ,，;；:：")
    if len(reason) > MAX_REASON:  # refused, not cut: the person decides what to keep
        raise UnavailError("reason_long", limit=MAX_REASON, length=len(reason))
    start, end = _resolve(a, b, today, tz, s)
    if end <= start:
        raise UnavailError("reversed", when=show(start, end, tz))
    if end <= now:
        raise UnavailError("past", when=show(start, end, tz))
    return Window(start, end, reason)


def _resolve(a: _Point, b: _Point | None, today: date, tz: tzinfo, raw: str) -> tuple[datetime, datetime]:
    if a.day is None and b is None:
        raise UnavailError("no_end", value=raw)
    day_a = a.day or today
    if a.day is not None and not a.year_given and day_a < today:
        day_a = day_a.replace(year=day_a.year + 1)  # "11-25" typed in December is next year's
    start = datetime.combine(day_a, a.at or time(0, 0), tz)
    if a.whole_day_end:
        start += timedelta(days=1)
    if b is None:
        if a.at is not None:
            raise UnavailError("no_end", value=raw)
        return start, start + timedelta(days=1)  # a date alone: the whole day
    day_b = b.day or day_a
    if b.day is not None and not b.year_given:
        day_b = day_b.replace(year=day_a.year)
        if day_b < day_a and (day_a - day_b).days > 180:
            day_b = day_b.replace(year=day_a.year + 1)  # 12-30 to 01-02
    if b.at is None:  # a date alone as the end: that day is included
        return start, datetime.combine(day_b + timedelta(days=1), time(0, 0), tz)
    end = datetime.combine(day_b, b.at, tz) + (timedelta(days=1) if b.whole_day_end else timedelta())
    if b.day is None and end <= start and a.at is not None:
        end += timedelta(days=1)  # "22:00 06:00": overnight
    return start, end


def parse_file_window(frm: Any, to: Any, *, tz: tzinfo) -> Window:
    """A window of the org file: `from`/`to` as text (or YAML dates); a year is required; past windows
    are not refused here (the import skips them), reversed ones are."""
    def text(v: Any) -> str:
        if isinstance(v, datetime):
            return v.strftime("%Y-%m-%d %H:%M")
        if isinstance(v, date):
            return v.isoformat()
        return str(v)

    epoch = datetime(1970, 1, 2, tzinfo=tz)
    frm_s, to_s = text(frm), text(to)
    a, pa = _point(clean(frm_s).lower(), 0, epoch.date())
    b, pb = _point(clean(to_s).lower(), 0, epoch.date())
    for p, pos, raw in ((a, pa, frm_s), (b, pb, to_s)):
        if p is None or pos != len(clean(raw)) or p.day is None or not p.year_given:
            raise UnavailError("file_time", value=raw)
    start, end = _resolve(a, b, epoch.date(), tz, f"{frm_s} {to_s}")
    if end <= start:
        raise UnavailError("file_reversed", when=show(start, end, tz))
    return Window(start, end)


def show(a: datetime, b: datetime, tz: tzinfo) -> str:
    """'2026-11-25 08:00–20:00' (or '–2026-11-26 08:00'; a whole day ends at 24:00)."""
    a, b = a.astimezone(tz), b.astimezone(tz)
    if b.date() == a.date():
        return f"{a:%Y-%m-%d %H:%M}–{b:%H:%M}"
    if b.date() == a.date() + timedelta(days=1) and (b.hour, b.minute) == (0, 0):
        return f"{a:%Y-%m-%d %H:%M}–24:00"
    return f"{a:%Y-%m-%d %H:%M}–{b:%Y-%m-%d %H:%M}"


def file_time(v: datetime, tz: tzinfo) -> str:
    """How the org file export writes an instant."""
    return f"{v.astimezone(tz):%Y-%m-%d %H:%M}"


def merge(existing: Iterable[Window], new: Window) -> tuple[Window, list[Window]]:
    """The new window grown over every existing window it overlaps or touches, and those it absorbs.
    Overlaps are merged rather than refused: a person who says "busy 8-12" and then "busy 10-18" means
    "busy 8-18", and one row per stretch keeps /unavailable's list and the roster's checks simple."""
    merged, absorbed, rest = new, [], list(existing)
    while True:
        hit = next((w for w in rest if w.start <= merged.end and merged.start <= w.end), None)
        if hit is None:
            break
        rest.remove(hit)
        absorbed.append(hit)
        merged = Window(min(merged.start, hit.start), max(merged.end, hit.end), merged.reason)
    # reasons in the order of the windows they came with, each once
    reasons = dict.fromkeys(w.reason for w in sorted([new, *absorbed], key=lambda w: (w.start, w.end)) if w.reason)
    # each reason was at most MAX_REASON when given; joined they may be longer, and are kept whole
    return Window(merged.start, merged.end, "；".join(reasons)), absorbed

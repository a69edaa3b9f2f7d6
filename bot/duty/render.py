"""The duty roster as a picture (PNG) and as accessible text.

/roster shows the whole duty: `roster_png(..., whole=True)` draws every shift from the first to the last and
`roster_texts` lists every shift, in as many messages of at most 4096 characters as it takes — a duty is
announced with its span and number of shifts, and the roster people look at must show all of them.

The 24–72-hour view (`window`, `roster_png` without `whole`, `roster_text`) starts at the start of the shift
covering `now` (or at `now` when no shift covers it, e.g. before the roster starts) and lasts `hours`
(clamped to 24–72); every shift overlapping it is shown, in the organisation's zone `tz`. The PNG clips
shifts to the window; the text lists them whole. `roster_png` returns None when no shift falls in the
window: never an empty image. Pure rendering: matplotlib (Agg, `Figure` directly, no pyplot, no global
rcParams changed).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cache

from bot.domain.roster import Roster, Shift, is_partial, shift_at, when
from bot.i18n import t
from bot.review import fonts

__all__ = ["MIN_HOURS", "MAX_HOURS", "TEXT_LIMIT", "Window", "display_name", "hhmm", "roster_png", "roster_text",
           "roster_texts", "tz_label", "whole", "window"]

MIN_HOURS, MAX_HOURS = 24, 72
TEXT_LIMIT = 4096  # a Telegram message
NAME_CHARS_TEXT = 64
NAME_CHARS_PNG = 10
DPI = 150
BAR = "#3182bd"
BAR_CURRENT = "#e6550d"
CURRENT_BG = "#fee6ce"
VACANT = "#bdbdbd"
DAY_LINE = "#525252"
NOW_LINE = "#d7301f"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime  # start + hours, cut to the end of the last shift shown
    shifts: tuple[Shift, ...]
    current: Shift | None


def window(roster: Roster, now: datetime, hours: int = 48) -> Window:
    """The shifts overlapping [start of the current shift (or now), + hours)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    hours = min(max(int(hours), MIN_HOURS), MAX_HOURS)
    current = shift_at(roster, now) if roster.shifts else None
    start = current.start if current else now
    end = start + timedelta(hours=hours)
    shifts = tuple(s for s in roster.shifts if s.end > start and s.start < end)
    if shifts:
        end = min(end, shifts[-1].end)
    return Window(start, end, shifts, current)


def whole(roster: Roster, now: datetime) -> Window:
    """Every shift of the roster, from the start of the first to the end of the last."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if not roster.shifts:
        return Window(now, now, (), None)
    return Window(roster.start, roster.end, roster.shifts, shift_at(roster, now))


def tz_label(tz: tzinfo, at: datetime) -> str:
    """'Asia/Shanghai' for a zoneinfo zone, else the zone's abbreviation at `at` (e.g. 'UTC+08:00')."""
    return getattr(tz, "key", None) or at.astimezone(tz).tzname() or str(tz)


def _clean(name: str, limit: int) -> str:
    """One line, no control or format characters, at most `limit` characters."""
    out = []
    for ch in name:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp") or ch.isspace():
            out.append(" ")
        elif not cat.startswith("C"):
            out.append(ch)
    text = " ".join("".join(out).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def display_name(people: Mapping[int, str], pid: int, lang: str, limit: int = NAME_CHARS_TEXT) -> str:
    """The person's name made safe for one line; 'person <id>' when unknown or blank."""
    name = _clean(people.get(pid) or "", limit)
    return name or t("duty.render.unknown_person", lang, person_id=pid)


def _names(shift: Shift, people: Mapping[int, str], lang: str) -> str:
    if not shift.people:
        return t("duty.render.vacant", lang)
    return t("duty.render.name_sep", lang).join(display_name(people, p, lang) for p in shift.people)


def _utf16(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units; >= len())."""
    return len(text.encode("utf-16-le")) // 2


def roster_text(roster: Roster, people: Mapping[int, str], *, now: datetime, tz: tzinfo, lang: str = "zh",
                hours: int = 48, limit: int = TEXT_LIMIT) -> str:
    """One line per shift: '▶ 11-24 06:00–12:00  张三、李四' (▶ on the current shift), in zone tz.

    At most `limit` characters (UTF-16 units); lines that do not fit are replaced by a note saying how
    many shifts were left out. Without shifts in the window: a sentence saying so.
    """
    win = window(roster, now, hours)
    zone = tz_label(tz, win.start)
    if not win.shifts:
        span = when(win.start, win.end, tz)
        return t("duty.render.text_empty", lang, span=span, tz=zone)
    header = "duty.render.text_header" if win.current else "duty.render.text_header_upcoming"
    lines = [t(header, lang, span=when(win.start, win.end, tz), tz=zone)]
    for s in win.shifts:
        mark = "▶ " if s == win.current else "· "
        lines.append(f"{mark}{when(s.start, s.end, tz)}  {_names(s, people, lang)}")
    text = "\n".join(lines)
    if _utf16(text) <= limit:
        return text
    kept, size = lines[:1], _utf16(lines[0])
    for i, line in enumerate(lines[1:]):
        note = t("duty.render.text_more", lang, n=len(lines) - 1 - i)
        if size + 1 + _utf16(line) + 1 + _utf16(note) > limit:
            kept.append(note)
            break
        kept.append(line)
        size += 1 + _utf16(line)
    return "\n".join(kept)[:limit]


def _fit(line: str, limit: int) -> str:
    """The line cut to `limit` UTF-16 units, ending with "…" when cut."""
    if _utf16(line) <= limit:
        return line
    while _utf16(line) > limit - 1:
        line = line[:-1]
    return line + "…"


def roster_texts(roster: Roster, people: Mapping[int, str], *, now: datetime, tz: tzinfo, lang: str = "zh",
                 limit: int = TEXT_LIMIT) -> list[str]:
    """Every shift of the roster, one line each ('▶ ' on the current one), under a header with the duty's span
    and how many shifts it has; split on line boundaries into messages of at most `limit` UTF-16 units, each
    after the first headed as a continuation. Nothing is left out."""
    win = whole(roster, now)
    if not win.shifts:
        return [t("duty.render.no_shifts", lang)]
    zone = tz_label(tz, win.start)
    key = "duty.render.all_header" if win.current else "duty.render.all_header_idle"
    header = t(key, lang, span=when(win.start, win.end, tz), tz=zone, n=len(win.shifts))
    cont = t("duty.render.text_cont", lang)
    room = max(limit - max(_utf16(header), _utf16(cont)) - 1, 1)  # a line always fits under either header
    messages: list[str] = []
    lines = [_fit(header, limit)]
    size = _utf16(lines[0])
    for s in win.shifts:
        mark = "▶ " if s == win.current else "· "
        partial = t("duty.render.partial", lang) if s is roster.shifts[0] and is_partial(s, roster.policy) else ""
        line = _fit(f"{mark}{when(s.start, s.end, tz)}{partial}  {_names(s, people, lang)}", room)
        if size + 1 + _utf16(line) > limit:
            messages.append("\n".join(lines))
            lines, size = [cont], _utf16(cont)
        lines.append(line)
        size += 1 + _utf16(line)
    messages.append("\n".join(lines))
    return messages


# ---------------------------------------------------------------- the picture


@cache
def _font_files() -> tuple[str, ...]:
    from matplotlib import font_manager

    files = []
    cjk = fonts.cjk_font_path()
    if cjk:
        files.append(str(cjk))
    files.append(font_manager.findfont(font_manager.FontProperties(family=fonts.FALLBACK_FAMILY),
                                       fallback_to_default=True))
    return tuple(files)


@cache
def _face(path: str):
    from matplotlib.ft2font import FT2Font

    return FT2Font(path)


def _drawable(text: str) -> str:
    """Drop characters no font of ours has (emoji, rare symbols) so they are never drawn as boxes."""
    faces = [_face(p) for p in _font_files()]
    kept = "".join(ch for ch in text if ch == " " or any(f.get_char_index(ord(ch)) for f in faces))
    return " ".join(kept.split())


def _png_name(people: Mapping[int, str], pid: int, lang: str) -> str:
    name = _drawable(_clean(people.get(pid) or "", NAME_CHARS_PNG))
    return name if name.strip(" …") else t("duty.render.unknown_person", lang, person_id=pid)


def _render(draw: Callable[[], object]) -> bytes:
    import matplotlib

    with matplotlib.rc_context(fonts.rc_params()):
        fig = draw()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def hhmm(a: datetime, b: datetime, tz: tzinfo) -> str:
    """'06:00–12:00' in tz; an end at midnight is '24:00'."""
    a, b = a.astimezone(tz), b.astimezone(tz)
    end = "24:00" if (b.hour, b.minute) == (0, 0) and b.date() > a.date() else f"{b:%H:%M}"
    return f"{a:%H:%M}–{end}"


def _bar_label(s: Shift, share: float, tz: tzinfo) -> str:
    """'06:00–12:00' on a wide bar, '06–12' on a narrow one, nothing when even that would not fit."""
    full = hhmm(s.start, s.end, tz)
    if share >= 0.1:
        return full
    if share >= 0.045 and full.count(":00") == 2:
        return full.replace(":00", "")
    return ""


def _midnights(start: datetime, end: datetime, tz: tzinfo) -> list[datetime]:
    """Local midnights strictly inside (start, end), computed on wall-clock dates (DST-safe)."""
    out = []
    day = start.astimezone(tz).date() + timedelta(days=1)
    while True:
        m = datetime(day.year, day.month, day.day, tzinfo=tz)
        if m >= end:
            return out
        if m > start:
            out.append(m)
        day += timedelta(days=1)


def _day_label(d: datetime, lang: str) -> str:
    wd = t("duty.render.weekdays", lang).split(",")[d.weekday()]
    return t("duty.render.day", lang, date=f"{d:%m-%d}", weekday=wd)


def roster_png(roster: Roster, people: Mapping[int, str], *, now: datetime, tz: tzinfo, lang: str = "zh",
               hours: int = 48, whole_duty: bool = False) -> bytes | None:
    """A Gantt-like PNG of the window (`whole_duty`: of every shift of the roster): one row per person on
    duty in it (in order of first shift), each shift a bar labelled with its hours, the current shift
    highlighted, local midnights marked with the day, a line at `now`. None when no shift falls in it."""
    win = whole(roster, now) if whole_duty else window(roster, now, hours)
    if not win.shifts:
        return None
    rows: list[int | None] = []  # person ids in order of first shift; None = a vacant shift
    for s in win.shifts:
        for p in s.people or (None,):
            if p not in rows:
                rows.append(p)

    def draw():
        from matplotlib import dates as mdates
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch

        fig = Figure(figsize=(10.0, max(3.2, 0.5 * len(rows) + 2.0)), dpi=DPI)
        ax = fig.add_subplot()
        x0, x1 = mdates.date2num(win.start), mdates.date2num(win.end)
        span_days = x1 - x0
        ys = {p: len(rows) - 1 - i for i, p in enumerate(rows)}
        cur = win.current
        if cur is not None:
            ax.axvspan(mdates.date2num(max(cur.start, win.start)), mdates.date2num(min(cur.end, win.end)),
                       color=CURRENT_BG, lw=0, zorder=0)
        for s in win.shifts:
            a, b = mdates.date2num(max(s.start, win.start)), mdates.date2num(min(s.end, win.end))
            colour = BAR_CURRENT if s == cur else BAR
            for p in s.people or (None,):
                ax.broken_barh([(a, b - a)], (ys[p] - 0.32, 0.64), facecolors=VACANT if p is None else colour,
                               edgecolor="white", lw=1.0, hatch="//" if p is None else None, zorder=2)
                label = _bar_label(s, (b - a) / span_days, tz)
                if label:
                    ax.text((a + b) / 2, ys[p], label, ha="center", va="center",
                            fontsize=7, color="white" if p is not None else "black", zorder=3,
                            parse_math=False)
        for m in [win.start, *_midnights(win.start, win.end, tz)]:
            xm = mdates.date2num(m)
            if m != win.start:
                ax.axvline(xm, color=DAY_LINE, lw=1.2, zorder=1)
            if (x1 - xm) / span_days > 0.08:
                ax.text(xm, 1.01, " " + _day_label(m.astimezone(tz), lang), transform=ax.get_xaxis_transform(),
                        ha="left", va="bottom", fontsize=8, color=DAY_LINE, parse_math=False)
        if win.start <= now <= win.end:
            ax.axvline(mdates.date2num(now), color=NOW_LINE, lw=1.2, ls="--", zorder=2.5)
        labels = [t("duty.render.vacant", lang) if p is None else _png_name(people, p, lang) for p in rows]
        ax.set_yticks([ys[p] for p in rows], labels, parse_math=False)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlim(x0, x1)
        # Hour ticks far enough apart to stay readable however long the duty is.
        step = 3 if span_days <= 1.01 else 6 if span_days <= 3.01 else 12 if span_days <= 6.01 else 24
        ax.xaxis.set_major_locator(mdates.HourLocator(byhour=range(0, 24, step), tz=tz))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=tz))
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.25, zorder=0)
        zone = tz_label(tz, win.start)
        ax.set_xlabel(t("duty.render.axis_time", lang, tz=zone))
        ax.set_title(t("duty.render.title", lang, span=when(win.start, win.end, tz), tz=zone), pad=18)
        handles = [Patch(color=BAR, label=t("duty.render.shift", lang))]
        if cur is not None:
            handles.append(Patch(color=BAR_CURRENT, label=t("duty.render.current", lang)))
        if win.start <= now <= win.end:
            from matplotlib.lines import Line2D

            handles.append(Line2D([], [], color=NOW_LINE, ls="--", lw=1.2, label=t("duty.render.now", lang)))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16 if len(rows) > 3 else -0.3),
                  ncol=len(handles), fontsize=8, frameon=False)
        return fig

    return _render(draw)

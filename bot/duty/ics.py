"""The duty roster as iCalendar files: one .ics per person, to import into a phone's calendar.

Each file holds one VEVENT per shift of that person:
- UID `<shift start UTC>-<hours>h-p<person id>-<org hash>@onduty`: stable for the same person on the
  same slot of the same organisation, so re-importing a regenerated roster updates, not duplicates;
- DTSTART/DTEND in the organisation's zone (TZID, with the VTIMEZONE it needs); a zone without an IANA
  name (a fixed offset such as `timezone(timedelta(hours=8))`) is written in UTC instead;
- SUMMARY '舆情值班 06:00–12:00'; DESCRIPTION with the organisation, the shift, who shares it and who
  is on the previous / next shift (the handover);
- a VALARM `alarm_minutes` before the start (default 30; None for no alarm).
A person without a shift gets NO file (and is not in the returned list): an empty calendar would
only confuse a calendar app. Nothing is deleted from `out_dir`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from bot.domain.roster import Roster, Shift, when
from bot.duty.render import display_name, hhmm, tz_label
from bot.i18n import t

__all__ = ["DEFAULT_ALARM_MINUTES", "PRODID", "ics_filename", "person_calendar", "shift_uid", "write_ics"]

DEFAULT_ALARM_MINUTES = 30
PRODID = "-//onduty//duty roster//ZH"
FILENAME_CHARS = 40


def _org_tag(org_name: str) -> str:
    return hashlib.sha256(org_name.encode("utf-8")).hexdigest()[:10]


def shift_uid(shift: Shift, person_id: int, org_name: str) -> str:
    """Stable per (organisation, shift slot, person)."""
    start = shift.start.astimezone(UTC)
    hours = round((shift.end - shift.start) / timedelta(hours=1))
    return f"{start:%Y%m%dT%H%M%SZ}-{hours}h-p{person_id}-{_org_tag(org_name)}@onduty"


def ics_filename(person_id: int, name: str) -> str:
    """'12-张三.ics': the id keeps it unique, the name is reduced to letters, digits, '-' and '_'."""
    norm = unicodedata.normalize("NFKC", name or "")
    safe = re.sub(r"[^\w-]+", "_", norm, flags=re.UNICODE).strip("._-")[:FILENAME_CHARS].strip("._-")
    return f"{int(person_id)}-{safe}.ics" if safe else f"{int(person_id)}.ics"


def _names(pids: tuple[int, ...], people: Mapping[int, str], lang: str) -> str:
    if not pids:
        return t("duty.render.vacant", lang)
    return t("duty.render.name_sep", lang).join(display_name(people, p, lang) for p in pids)


def _description(roster: Roster, shift: Shift, pid: int, people: Mapping[int, str], *, tz: tzinfo,
                 org_name: str, lang: str) -> str:
    zone = tz_label(tz, shift.start)
    lines = [t("duty.render.ics.desc_org", lang, org=org_name),
             t("duty.render.ics.desc_when", lang, when=when(shift.start, shift.end, tz), tz=zone)]
    others = tuple(p for p in shift.people if p != pid)
    if others:
        lines.append(t("duty.render.ics.desc_with", lang, names=_names(others, people, lang)))
    pos = roster.shifts.index(shift)
    if pos > 0:
        prev = roster.shifts[pos - 1]
        lines.append(t("duty.render.ics.desc_before", lang, names=_names(prev.people, people, lang),
                       when=when(prev.start, prev.end, tz)))
    else:
        lines.append(t("duty.render.ics.desc_first", lang))
    if pos + 1 < len(roster.shifts):
        nxt = roster.shifts[pos + 1]
        lines.append(t("duty.render.ics.desc_after", lang, names=_names(nxt.people, people, lang),
                       when=when(nxt.start, nxt.end, tz)))
    else:
        lines.append(t("duty.render.ics.desc_last", lang))
    return "\n".join(lines)


def person_calendar(roster: Roster, people: Mapping[int, str], person_id: int, *, tz: tzinfo, org_name: str,
                    lang: str = "zh", alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
                    stamp: datetime | None = None) -> Calendar | None:
    """The calendar of one person's shifts; None when they have none."""
    mine = roster.shifts_of(person_id)
    if not mine:
        return None
    if alarm_minutes is not None and alarm_minutes < 0:
        raise ValueError("alarm_minutes must be >= 0 or None")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    who = display_name(people, person_id, lang)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("duty.render.ics.calname", lang, org=org_name, person=who))
    # a named zone (zoneinfo) is written as TZID + VTIMEZONE; anything else (a fixed offset) as UTC
    zone: tzinfo = tz if getattr(tz, "key", None) else UTC
    if zone is tz:
        cal.add("x-wr-timezone", tz.key)  # type: ignore[attr-defined]
    for s in mine:
        span = hhmm(s.start, s.end, tz)
        ev = Event()
        ev.add("uid", shift_uid(s, person_id, org_name))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", s.start.astimezone(zone))
        ev.add("dtend", s.end.astimezone(zone))
        ev.add("summary", t("duty.render.ics.summary", lang, range=span))
        ev.add("description", _description(roster, s, person_id, people, tz=tz, org_name=org_name, lang=lang))
        ev.add("categories", [t("duty.render.shift", lang)])
        ev.add("transp", "OPAQUE")
        if alarm_minutes is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(minutes=-alarm_minutes))
            alarm.add("description", t("duty.render.ics.alarm", lang, minutes=alarm_minutes, range=span))
            ev.add_component(alarm)
        cal.add_component(ev)
    if zone is tz:  # whole years, so the VTIMEZONE carries the zone's DST rules around the shifts
        first, last = mine[0].start.astimezone(tz).year, mine[-1].end.astimezone(tz).year
        cal.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))
    return cal


def write_ics(roster: Roster, people: Mapping[int, str], out_dir: str | Path, *, tz: tzinfo, org_name: str,
              lang: str = "zh", alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
              stamp: datetime | None = None) -> list[Path]:
    """Write '<id>-<name>.ics' for every person with a shift (people named in `people` and anyone else
    on the roster); the paths, in order of person id. People without shifts get no file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stamp = stamp or datetime.now(UTC)
    ids = sorted({p for s in roster.shifts for p in s.people})
    paths = []
    for pid in ids:
        cal = person_calendar(roster, people, pid, tz=tz, org_name=org_name, lang=lang,
                              alarm_minutes=alarm_minutes, stamp=stamp)
        if cal is None:
            continue
        path = out / ics_filename(pid, people.get(pid, ""))
        path.write_bytes(cal.to_ical())
        paths.append(path)
    return paths

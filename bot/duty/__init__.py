"""The duty roster for people: a picture (PNG), accessible text and per-person calendar files (.ics).

Pure rendering of a `bot.domain.roster.Roster`; no Telegram, no database. `bot.duty.ics` needs the
`icalendar` package and is imported on its own (`from bot.duty.ics import write_ics`).
"""

from bot.duty.render import roster_png, roster_text, window

__all__ = ["roster_png", "roster_text", "window"]

"""Telegram's command menu per person: the commands of their roles, in the private chat and in the office group.
Plain data: which commands a set of roles gets; the texts are the i18n catalogue's `cmd.*`."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.vocab import LEADER_ROLES

EVERYONE = ("report", "template", "my", "follow", "due", "duty", "roster", "unavailable", "cancel", "help")
_BY_ROLE: dict[str, tuple[str, ...]] = {
    "monitor": ("swap", "handover"),
    "office": ("grade", "assess", "group", "done", "timeline", "track", "unit", "charge", "task", "tasks", "decide", "release", "publish",
               "replied", "close", "stats", "review", "people", "dutystart", "interview", "breach"),
    "leader": ("grade", "assess", "group", "done", "extend", "timeline", "track", "unit", "charge", "task", "tasks", "decide", "interview",
               "stats", "review", "dutystart"),
    "main_leader": ("sign",),
    "handler": ("tasks", "release", "replied", "interview"),
    "spokesperson": ("interview",),
    "admin": ("people", "timeline", "stats", "invite"),
}
# what the office works with in its group (the report dialog stays private)
OFFICE_GROUP = ("due", "timeline", "grade", "assess", "group", "done", "track", "unit", "charge", "task", "tasks", "decide", "release",
                "publish", "sign", "replied", "interview", "breach", "stats", "review", "duty", "roster", "people", "help")
_ORDER = (*EVERYONE, "swap", "handover", "grade", "assess", "group", "done", "extend", "timeline", "track", "unit", "charge",
          "task", "tasks", "decide", "release", "publish", "sign", "replied", "interview", "breach", "close", "stats", "review", "dutystart", "people",
          "invite")


def _keys(roles: Iterable[str]) -> set[str]:
    held = set(roles)
    keys = {r for r in held if r in _BY_ROLE}
    if held & LEADER_ROLES:
        keys.add("leader")
    return keys


def private_menu(roles: Iterable[str]) -> tuple[str, ...]:
    """The commands a person with these roles sees in their private chat, in a stable order."""
    wanted = set(EVERYONE)
    for k in _keys(roles):
        wanted.update(_BY_ROLE[k])
    return tuple(c for c in _ORDER if c in wanted)


def default_menu() -> tuple[str, ...]:
    """The menu everyone sees unless their chat has its own (set at start-up): a monitor's."""
    return private_menu(("monitor",))


def group_menu(roles: Iterable[str]) -> tuple[str, ...]:
    """The commands a member with these roles may use in the office group."""
    allowed = {"due", "duty", "roster", "help", "track"}
    for k in _keys(roles):
        allowed.update(_BY_ROLE[k])
    return tuple(c for c in OFFICE_GROUP if c in allowed)

"""Timeline sentences of the working group (bot/services/working_group.py) — proposed, edited, confirmed, an invite,
the first meeting and its answers — and of the incident's room (bot/services/room.py): its topic opened, refused,
deleted, closed, and the decisions typed there. Pure, as bot/audit_sentences.py, which merges MAKERS into its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.audit_words import Names, Story, free_text, listing, local_time, part, say
from bot.domain import audit_kinds as K

P = Mapping[str, Any]


def _s(kind: str, lang: str, **kw: Any) -> str:
    return say(f"s.{kind}", lang, **kw)


def _names(value: Any, names: Names, lang: str) -> str:
    """A list of people's names as stored (free text), joined in the language's way."""
    items = [free_text(x) for x in value] if isinstance(value, list) else []
    return listing([x for x in items if x], lang) if any(items) else ""


def group_proposed(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.GROUP_PROPOSED, lang, members=part("colon", lang, _names(p.get("members"), names, lang)),
              reason=part("reason", lang, free_text(p.get("reason"))))


def group_edited(p: P, names: Names, lang: str, story: Story) -> str:
    added, removed = _names(p.get("added"), names, lang), _names(p.get("removed"), names, lang)
    return _s(K.GROUP_EDITED, lang, added=_s("group_edited.added", lang, names=added) if added else "",
              removed=_s("group_edited.removed", lang, names=removed) if removed else "")


def group_confirmed(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.GROUP_CONFIRMED, lang, members=part("colon", lang, _names(p.get("members"), names, lang)))


def group_invited(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.GROUP_INVITED, lang, member=free_text(p.get("member")) or say("who.unknown", lang))


def meeting_proposed(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.MEETING_PROPOSED, lang, at=local_time(p.get("at"), names))


def meeting_answered(p: P, names: Names, lang: str, story: Story) -> str:
    key = "meeting_answered.join" if p.get("answer") == "join" else "meeting_answered.cant"
    return _s(key, lang, at=local_time(p.get("at"), names))


def room_opened(p: P, names: Names, lang: str, story: Story) -> str:
    link = free_text(p.get("link"))
    return _s(K.ROOM_OPENED, lang, name=part("quoted", lang, free_text(p.get("name"))), link=f" {link}" if link else "")


def room_refused(p: P, names: Names, lang: str, story: Story) -> str:
    why = p.get("reason") if p.get("reason") in ("not_forum", "rights") else "other"
    return _s(K.ROOM_REFUSED, lang, why=say(f"room.why.{why}", lang))


def room_gone(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.ROOM_GONE, lang, name=part("quoted", lang, free_text(p.get("name"))))


def room_closed(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.ROOM_CLOSED, lang, name=part("quoted", lang, free_text(p.get("name"))))


def decided(p: P, names: Names, lang: str, story: Story) -> str:
    owner = free_text(p.get("owner")) if p.get("owner") not in (None, "") else ""
    return _s(K.DECIDED, lang, what=part("colon", lang, free_text(p.get("text"))),
              task=say("room.decided_task", lang, owner=owner) if owner else "")


MAKERS: dict[str, Callable[[P, Names, str, Story], str]] = {
    K.GROUP_PROPOSED: group_proposed, K.GROUP_EDITED: group_edited, K.GROUP_CONFIRMED: group_confirmed,
    K.GROUP_INVITED: group_invited, K.MEETING_PROPOSED: meeting_proposed, K.MEETING_ANSWERED: meeting_answered,
    K.ROOM_OPENED: room_opened, K.ROOM_REFUSED: room_refused, K.ROOM_GONE: room_gone, K.ROOM_CLOSED: room_closed,
    K.DECIDED: decided,
}

"""Media interviews and breaches (对外沟通): reading `/interview` and `/breach`, and who may register them.

Pure rules (no aiogram, no SQLAlchemy). The plan: media interviews are coordinated by the office (如有媒体采访，
由办公室统一协调) and nobody gives one without the leading group's authorisation (不得擅自接受记者采访); an
interview or disclosure made without it is recorded for accountability (擅自向外界透露…追究责任). The approval
stages are the release's (bot/domain/release.py `pipeline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.vocab import LEADER_ROLES

MAX_NAME = 200  # media, reporter, who: one line each
MAX_TEXT = 2000  # the topic, what was disclosed
# the optional last word naming who is to speak: 发言人：张三 · 发言人=张三 · speaker:Zhang
_SPEAKER = re.compile(r"^(?:发言人|受访人|spokesperson|speaker)\s*[:：=]\s*(\S+)$", re.I)
# a link: with its scheme, or a bare domain with a path as people paste them (weibo.com/x/1)
_LINK = re.compile(r"^(?:https?://\S+|(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?)$", re.I)


@dataclass(frozen=True)
class InterviewArgs:
    number: str
    media: str
    reporter: str
    topic: str
    speaker: str | None = None  # a person's name, when the request names who is to speak


@dataclass(frozen=True)
class BreachArgs:
    number: str
    who: str
    what: str
    link: str | None = None


def parse_interview(args: str | None) -> InterviewArgs | str:
    """`YQ-… MEDIA REPORTER TOPIC… [发言人：NAME]`; the error code `usage` or `too_long` otherwise."""
    words = (args or "").split()
    speaker = None
    if words and (m := _SPEAKER.match(words[-1])):
        speaker, words = m.group(1), words[:-1]
    if len(words) < 4:
        return "usage"
    number, media, reporter, topic = words[0], words[1], words[2], " ".join(words[3:])
    if max(len(media), len(reporter), len(speaker or "")) > MAX_NAME or len(topic) > MAX_TEXT:
        return "too_long"
    return InterviewArgs(number, media, reporter, topic, speaker)


def parse_breach(args: str | None) -> BreachArgs | str:
    """`YQ-… WHO WHAT… [LINK]` (the link anywhere after WHO); `usage` or `too_long` otherwise."""
    words = (args or "").split()
    if len(words) < 2:
        return "usage"
    number, who, rest = words[0], words[1], words[2:]
    links = [w for w in rest if _LINK.match(w)]
    what = " ".join(w for w in rest if not _LINK.match(w))
    if not what:
        return "usage"
    link = links[0] if links else None
    if link and not link.lower().startswith("http"):
        link = "https://" + link
    if len(who) > MAX_NAME or len(what) > MAX_TEXT or (link and len(link) > 2048):
        return "too_long"
    return BreachArgs(number, who, what, link)


def may_request(roles: tuple[str, ...] | list[str], *, person_id: int, incident_people: set[int]) -> bool:
    """The office coordinates; a leader, the spokesperson, or a person of the incident (the one in charge, the
    tracker, who filed it) may register a request they received too."""
    held = set(roles)
    return bool(held & {"office", "spokesperson", *LEADER_ROLES}) or person_id in incident_people


def may_record_breach(roles: tuple[str, ...] | list[str]) -> bool:
    """Only the office records a breach: it is an accusation, kept for the rewards and punishments."""
    return "office" in roles

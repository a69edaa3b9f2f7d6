"""The special working group of a major incident (专门工作组) and its first meeting (碰头会): who is proposed, in
what role, how the main leader's edit is read, and when the first meeting is proposed. Pure: no database, no
aiogram.

The source: on a major incident the plan is activated, a special working group is formed from the people the
incident concerns (根据事件性质与舆情主体部门有重点地选择小组成员), and it holds a first meeting. The source names no
time for that meeting: `policy.working_group.first_meeting_within_minutes` (60 by default) says how soon after
the group is confirmed it is proposed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from bot.domain.policy_section import Section

# a member's role in the group, in the order the proposal lists them (a person holding several is listed once,
# under the first)
GROUP_ROLES: tuple[str, ...] = ("main_leader", "leading_group", "handler", "spokesperson", "office", "tracker",
                                "added")
MAJOR_GRADES = frozenset({"major", "especially_major"})
JOIN, CANT = "join", "cant"
ANSWERS = (JOIN, CANT)


@dataclass(frozen=True)
class WorkingGroupPolicy(Section):
    """`propose_on_major`: a major or especially major grade proposes the group by itself (else only /group);
    `first_meeting_within_minutes`: the first meeting is proposed this long after the group is confirmed
    (rounded up to `meeting_round_minutes`)."""

    name: ClassVar[str] = "working_group"
    propose_on_major: bool = True
    first_meeting_within_minutes: int = 60
    meeting_round_minutes: int = 5

    @classmethod
    def from_mapping(cls, data: dict | None) -> WorkingGroupPolicy:
        out = super().from_mapping(data)
        if not isinstance(out.propose_on_major, bool):
            raise ValueError("policy.working_group.propose_on_major must be true or false")
        return out


def needs_reason(grade: str | None) -> bool:
    """A group for a general (or ungraded) incident is the exception: it is proposed only with a reason."""
    return grade not in MAJOR_GRADES


def first_meeting_at(confirmed_at: datetime, policy: WorkingGroupPolicy) -> datetime:
    """When the first meeting is proposed: `first_meeting_within_minutes` after confirmation, rounded up to a
    round time (a meeting at 10:37:12 is hard to remember; 10:40 is not)."""
    at = confirmed_at + timedelta(minutes=policy.first_meeting_within_minutes)
    step = policy.meeting_round_minutes * 60
    seconds = int(at.timestamp())
    rest = seconds % step
    if rest or at.microsecond:
        at = at + timedelta(seconds=step - rest) - timedelta(microseconds=at.microsecond)
    return at


@dataclass(frozen=True)
class EditWords:
    """The main leader's edit: names to add and names to remove, as typed."""

    add: tuple[str, ...]
    remove: tuple[str, ...]
    stray: tuple[str, ...]  # words with neither + nor - in front of them


PLUS, MINUS = ("+", "＋"), ("-", "－", "−")


def parse_edit(text: str) -> EditWords:
    """`+李强 -赵组员`, `+ 李强, - 赵组员`, one per line: each name after a + joins, after a - leaves. A name of
    several words (Wang Fang) runs until the next + or -; commas, 、 and ；separate too."""
    add: list[str] = []
    remove: list[str] = []
    stray: list[str] = []
    for chunk in (text or "").replace("，", ",").replace("、", ",").replace("；", ",").replace(";", ",") \
            .replace("\n", ",").split(","):
        buf, sign = "", None
        for ch in chunk + "\0":
            if ch in PLUS or ch in MINUS or ch == "\0":
                name = buf.strip()
                if name:
                    (add if sign == "+" else remove if sign == "-" else stray).append(name)
                buf, sign = "", ("+" if ch in PLUS else "-" if ch in MINUS else None)
            else:
                buf += ch
    return EditWords(tuple(add), tuple(remove), tuple(stray))

"""Closing an incident (后续, 总结评估): the four-part summary and who may confirm.

The summary is four labelled parts — 原因 cause, 传播 spread, 处置 handling, 教训 lessons — given as
labelled lines (a part may span several lines) or one at a time in a short dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.report_fields import norm_label
from bot.domain.report_template import split_label
from bot.domain.vocab import LEADER_ROLES

PARTS: tuple[str, ...] = ("cause", "spread", "handling", "lessons")
MAX_PART = 1000
_LABELS: dict[str, tuple[str, ...]] = {
    "cause": ("原因", "起因", "成因", "缘由", "事件原因", "发生原因", "cause", "causes", "why", "root cause"),
    "spread": ("传播", "传播情况", "传播过程", "扩散", "扩散情况", "舆情传播", "spread", "spreading", "propagation",
               "how it spread"),
    "handling": ("处置", "处置情况", "处置过程", "处理", "处理情况", "应对", "应对情况", "handling", "response",
                 "handled", "how it was handled"),
    "lessons": ("教训", "经验教训", "改进", "改进措施", "启示", "总结", "lessons", "lesson", "lessons learned",
                "improvements"),
}
_INDEX = {norm_label(w): part for part, words in _LABELS.items() for w in words}


@dataclass
class SummaryInput:
    parts: dict[str, str] = field(default_factory=dict)
    too_long: dict[str, int] = field(default_factory=dict)  # part → its length, when over MAX_PART (not kept)

    @property
    def missing(self) -> list[str]:
        return [p for p in PARTS if not self.parts.get(p, "").strip()]


def part_of_label(label: str) -> str | None:
    return _INDEX.get(norm_label(label))


def parse_summary(text: str) -> SummaryInput:
    """Labelled lines → parts; an unlabelled line continues the part above it."""
    raw: dict[str, list[str]] = {}
    current: str | None = None
    for line in (text or "").splitlines():
        hit = split_label(line) if line.strip() else None
        part = part_of_label(hit[0]) if hit else None
        if part is not None:
            raw.setdefault(part, []).append(hit[1].strip())
            current = part
        elif current is not None:
            raw[current].append(line.strip())
    out = SummaryInput()
    for part, lines in raw.items():
        value = "\n".join(ln for ln in lines if ln).strip()
        if len(value) > MAX_PART:
            out.too_long[part] = len(value)
            continue
        if value:
            out.parts[part] = value
    return out


def unlabelled(parsed: SummaryInput, part: str, text: str) -> SummaryInput:
    """Text without labels answers `part` (the one being asked), under the same limit."""
    value = (text or "").strip()
    if len(value) > MAX_PART:
        return SummaryInput(too_long={part: len(value)})
    return SummaryInput(parts={part: value} if value else {})


def merge(old: dict[str, str], new: SummaryInput) -> dict[str, str]:
    return {**old, **{k: v for k, v in new.parts.items() if v.strip()}}


def may_confirm(roles: tuple[str, ...] | list[str], approver: str) -> bool:
    """`approver` is a policy value: "leader" (any leader role) or one role slug."""
    if approver == "leader":
        return bool(LEADER_ROLES & set(roles))
    return approver in roles


def may_propose(roles: tuple[str, ...] | list[str], *, in_office_chat: bool) -> bool:
    return "office" in roles or in_office_chat

"""Who hears about an incident of a grade, and the escalation plan when nobody acknowledges.

Pure data: the service turns each EscalationStep into a due row and cancels the rest on acknowledgement.

Recipients (报告, docs/domain.md): the report goes to the office and, level by level, to the leaders; the
upper-level office always receives the dual report (双重报告) — `Route.upper_office`.

Escalation: the chain of leader levels is supervising_leader → main_leader → leading_group (the whole
group at the top). A general incident starts at the supervising leader, a major one at the main leader
(who leads it), an especially major one notifies every leader at once, so its plan only reminds.
From the notification: wait `remind_after_minutes` → remind the level; wait `escalate_after_minutes`
more → notify the next level; repeat; at the top, `reminders_at_top` reminders, then stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

from bot.domain.grading import GRADE_ORDER, grade_rank
from bot.domain.vocab import GRADES, ROLES
from bot.i18n import t

CHAIN: tuple[tuple[str, ...], ...] = (("supervising_leader",), ("main_leader",), ("leading_group",))
ALL_LEADERS: tuple[str, ...] = tuple(r for level in CHAIN for r in level)

_RECIPIENTS: dict[str, tuple[str, ...]] = {
    "general": ("office", "supervising_leader"),
    "major": ("office", "supervising_leader", "main_leader", "leading_group"),
    "especially_major": ("office", "supervising_leader", "main_leader", "leading_group"),
}
# Index into CHAIN of the level that must act first; None = every level at once.
_START: dict[str, int | None] = {"general": 0, "major": 1, "especially_major": None}


def _check_grade(grade: str) -> None:
    grade_rank(grade)  # ValueError for an unknown grade


@dataclass(frozen=True)
class Route:
    grade: str
    roles: tuple[str, ...]
    upper_office: bool = True       # the dual report to the upper-level office, every grade
    all_at_once: bool = False       # every leader level is asked to act at once


def route_for(grade: str) -> Route:
    _check_grade(grade)
    return Route(grade, _RECIPIENTS[grade], upper_office=True, all_at_once=_START[grade] is None)


def recipients_for(grade: str) -> list[str]:
    """Role slugs notified when an incident of `grade` is reported or graded (plus the upper office)."""
    return list(route_for(grade).roles)


def first_level(grade: str) -> tuple[str, ...]:
    """The roles that must acknowledge first."""
    _check_grade(grade)
    start = _START[grade]
    return ALL_LEADERS if start is None else CHAIN[start]


# ---------------------------------------------------------------------------------------- policy

_PER_GRADE_KEYS: dict[str, tuple[int, int]] = {
    # key: (default, minimum)
    "remind_after_minutes": (15, 1),
    "escalate_after_minutes": (15, 1),
    "reminders_at_top": (1, 0),
    "unprogressed_after_minutes": (60, 1),
}


def _value(key: str, v: Any, minimum: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        what = "a positive whole number" if minimum > 0 else "a whole number ≥ 0"
        raise ValueError(f"policy.escalation.{key} must be {what}, got {v!r}")
    return v


@dataclass(frozen=True)
class EscalationPolicy:
    """Org file `policy: escalation:`. Each key is a number for every grade, or a mapping
    grade: number (grades left out keep the default), e.g. `remind_after_minutes: {major: 10}`."""

    name: ClassVar[str] = "escalation"

    remind_after_minutes: int | dict[str, int] = 15
    escalate_after_minutes: int | dict[str, int] = 15
    reminders_at_top: int | dict[str, int] = 1
    unprogressed_after_minutes: int | dict[str, int] = 60   # acknowledged but no disposal step yet
    _resolved: dict[str, dict[str, int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        resolved: dict[str, dict[str, int]] = {}
        for key, (default, minimum) in _PER_GRADE_KEYS.items():
            raw = getattr(self, key)
            if isinstance(raw, Mapping):
                per: dict[str, int] = {}
                for g, v in raw.items():
                    slug = GRADES.parse(str(g))
                    if slug is None:
                        raise ValueError(f"policy.escalation.{key}: unknown grade {g!r}; "
                                         f"valid: {', '.join(GRADE_ORDER)}")
                    per[slug] = _value(f"{key}.{slug}", v, minimum)
                resolved[key] = {g: per.get(g, default) for g in GRADE_ORDER}
            else:
                n = _value(key, raw, minimum)
                resolved[key] = dict.fromkeys(GRADE_ORDER, n)
        object.__setattr__(self, "_resolved", resolved)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(_PER_GRADE_KEYS)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> EscalationPolicy:
        data = dict(data or {})
        unknown = set(data) - set(_PER_GRADE_KEYS)
        if unknown:
            raise ValueError(f"policy.escalation: unknown key(s) {sorted(unknown)}; known: {sorted(_PER_GRADE_KEYS)}")
        for k, v in data.items():
            if isinstance(v, Mapping):
                data[k] = dict(v)
            elif v is None:
                raise ValueError(f"policy.escalation.{k} must be a number or a mapping grade: number")
        return cls(**data)

    def to_mapping(self) -> dict[str, Any]:
        """A single number when every grade agrees, else the full grade: number mapping."""
        out: dict[str, Any] = {}
        for key in _PER_GRADE_KEYS:
            per = self._resolved[key]
            values = set(per.values())
            out[key] = values.pop() if len(values) == 1 else dict(per)
        return out

    def get(self, key: str, grade: str) -> int:
        _check_grade(grade)
        return self._resolved[key][grade]


# ---------------------------------------------------------------------------------------- plan

@dataclass(frozen=True)
class EscalationStep:
    offset: timedelta              # from the notification time
    action: str                    # "remind" | "escalate"
    roles: tuple[str, ...]


def escalation_plan(grade: str, policy: EscalationPolicy | None = None) -> list[EscalationStep]:
    """The reminders and escalations after notifying `first_level(grade)`, stopping at the top."""
    policy = policy or EscalationPolicy()
    remind = timedelta(minutes=policy.get("remind_after_minutes", grade))
    escalate = timedelta(minutes=policy.get("escalate_after_minutes", grade))
    top_reminders = policy.get("reminders_at_top", grade)
    start = _START[grade]
    levels = [ALL_LEADERS] if start is None else list(CHAIN[start:])

    steps: list[EscalationStep] = []
    at = timedelta(0)
    for i, level in enumerate(levels):
        if i == len(levels) - 1:
            for _ in range(top_reminders):
                at += remind
                steps.append(EscalationStep(at, "remind", level))
            break
        at += remind
        steps.append(EscalationStep(at, "remind", level))
        at += escalate
        steps.append(EscalationStep(at, "escalate", levels[i + 1]))
    return steps


def unprogressed_after(grade: str, policy: EscalationPolicy | None = None) -> timedelta:
    """How long an acknowledged incident may go without a disposal step before it is flagged."""
    policy = policy or EscalationPolicy()
    return timedelta(minutes=policy.get("unprogressed_after_minutes", grade))


# ---------------------------------------------------------------------------------------- text

def _roles_text(roles: tuple[str, ...] | list[str], lang: str) -> str:
    return t("route.role_sep", lang).join(ROLES.label(r, lang) for r in roles)


def render_route(grade: str, lang: str = "zh") -> str:
    """E.g. "通知：舆情办公室、分管领导；同时报上级部门应急处置办公室（双重报告）"."""
    route = route_for(grade)
    text = t("route.recipients", lang, roles=_roles_text(route.roles, lang))
    if route.upper_office:
        text += t("route.upper_office", lang)
    return text


def render_step(step: EscalationStep, lang: str = "zh") -> str:
    minutes = int(step.offset.total_seconds() // 60)
    return t(f"route.step.{step.action}", lang, minutes=minutes, roles=_roles_text(step.roles, lang))


def render_plan(grade: str, policy: EscalationPolicy | None = None, lang: str = "zh") -> str:
    steps = escalation_plan(grade, policy)
    if not steps:
        return t("route.plan_empty", lang)
    return "\n".join(render_step(s, lang) for s in steps)

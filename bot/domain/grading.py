"""Grading an incident (评估): general / major / especially major, with the rules that fired.

Pure domain code. The seed's rules (part 一): major when cross-regional, when the effect on the
organisation's image is large, when provincial- or city-level mainstream media expose it, or when
Weibo reposts reach 100 (达100条以上: 100 itself counts). Every number is a key of
`GradingPolicy` (org file `policy: grading:`); especially-major rules are off by default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.domain.grading_policy import GradingPolicy
from bot.domain.vocab import GRADES, LEADER_ROLES, MEDIA_LEVELS, PLATFORMS

GRADE_ORDER: tuple[str, ...] = ("general", "major", "especially_major")
# Rank of media levels: the highest level among reports is the one shown.
MEDIA_RANK: dict[str, int] = {"self_media": 0, "county": 1, "city": 2, "provincial": 3, "central": 4}
IMAGE_IMPACTS = ("small", "large")

# Every rule code a GradeResult can carry; each has the catalogue key `grade.rule.<code>`.
RULE_CODES = ("weibo_reposts", "platform_reposts", "platform_comments", "platform_views", "media_level",
              "cross_region", "image_impact_large", "within_jurisdiction", "override")


def grade_rank(grade: str) -> int:
    try:
        return GRADE_ORDER.index(grade)
    except ValueError:
        raise ValueError(f"unknown grade {grade!r}; valid: {', '.join(GRADE_ORDER)}") from None


class GradingError(Exception):
    """A refused grading action; `code` is stable, `key` the catalogue text to show."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def key(self) -> str:
        return f"grade.error.{self.code}"


# ---------------------------------------------------------------------------------------- facts

def highest_media_level(levels: Iterable[str]) -> str | None:
    levels = list(levels)
    return max(levels, key=MEDIA_RANK.__getitem__) if levels else None


def _count(name: str, v: int | None) -> None:
    if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
        raise ValueError(f"{name} must be a whole number ≥ 0, got {v!r}")


@dataclass(frozen=True)
class ReportFacts:
    """What one report says about spread; None = not stated."""

    platform: str | None = None
    reposts: int | None = None
    comments: int | None = None
    views: int | None = None
    media_level: str | None = None
    cross_region: bool | None = None

    def __post_init__(self) -> None:
        if self.platform is not None and self.platform not in PLATFORMS:
            raise ValueError(f"unknown platform {self.platform!r}")
        if self.media_level is not None and self.media_level not in MEDIA_LEVELS:
            raise ValueError(f"unknown media level {self.media_level!r}")
        for n in ("reposts", "comments", "views"):
            _count(n, getattr(self, n))

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, n) is None for n in ReportFacts.__dataclass_fields__)


@dataclass(frozen=True)
class GradingFacts(ReportFacts):
    """The incident's facts: one report's fields (optional) plus `reports` (the others), combined —
    max count per platform, any cross-region, the highest media level — and the office's judgement of
    the image impact ("small" | "large" | None)."""

    image_impact: str | None = None
    reports: tuple[ReportFacts, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.image_impact is not None and self.image_impact not in IMAGE_IMPACTS:
            raise ValueError(f"image_impact must be small, large or empty, got {self.image_impact!r}")
        object.__setattr__(self, "reports", tuple(self.reports))

    @classmethod
    def combine(cls, reports: Iterable[ReportFacts], *, image_impact: str | None = None) -> GradingFacts:
        return cls(image_impact=image_impact, reports=tuple(reports))

    def all_reports(self) -> list[ReportFacts]:
        own = ReportFacts(self.platform, self.reposts, self.comments, self.views, self.media_level,
                          self.cross_region)
        return ([] if own.is_empty else [own]) + list(self.reports)

    def max_by_platform(self, attr: str) -> dict[str, int]:
        """Highest `attr` (reposts/comments/views) per platform; an unnamed platform counts as `other`."""
        out: dict[str, int] = {}
        for r in self.all_reports():
            n = getattr(r, attr)
            if n is not None:
                p = r.platform or "other"
                out[p] = max(out.get(p, 0), n)
        return out

    @property
    def media_levels(self) -> set[str]:
        return {r.media_level for r in self.all_reports() if r.media_level}

    @property
    def highest_media_level(self) -> str | None:
        return highest_media_level(self.media_levels)

    @property
    def any_cross_region(self) -> bool | None:
        vals = [r.cross_region for r in self.all_reports() if r.cross_region is not None]
        return any(vals) if vals else None


# ---------------------------------------------------------------------------------------- result

@dataclass(frozen=True)
class FiredRule:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class GradeResult:
    grade: str
    rules: list[FiredRule] = field(default_factory=list)

    @property
    def overridden(self) -> bool:
        return any(r.code == "override" for r in self.rules)

    def rules_to_json(self) -> list[dict[str, Any]]:
        """For `incidents.grade_rules` and the export."""
        return [r.to_dict() for r in self.rules]

    @classmethod
    def from_json(cls, grade: str, rules: Iterable[Mapping[str, Any]]) -> GradeResult:
        return cls(grade, [FiredRule(r["code"], dict(r.get("params") or {})) for r in rules])


def _count_rules(facts: GradingFacts, policy: GradingPolicy, *, especially: bool) -> list[FiredRule]:
    fired: list[FiredRule] = []
    order = PLATFORMS.slugs.index
    for attr, code in (("reposts", "platform_reposts"), ("comments", "platform_comments"),
                       ("views", "platform_views")):
        for platform, count in sorted(facts.max_by_platform(attr).items(), key=lambda kv: order(kv[0])):
            if attr == "reposts":
                limit = policy.repost_threshold(platform, especially=especially)
            elif especially:
                limit = None
            else:
                limit = (policy.comment_thresholds if attr == "comments" else policy.view_thresholds).get(platform)
            if limit is not None and count >= limit:
                if attr == "reposts" and platform == "weibo":
                    fired.append(FiredRule("weibo_reposts", {"count": count, "threshold": limit}))
                else:
                    fired.append(FiredRule(code, {"platform": platform, "count": count, "threshold": limit}))
    return fired


def compute_grade(facts: GradingFacts, policy: GradingPolicy | None = None) -> GradeResult:
    """The grade the facts call for, with every rule of that grade that fired (never an empty list)."""
    policy = policy or GradingPolicy()
    levels = facts.media_levels

    especially = _count_rules(facts, policy, especially=True)
    level = highest_media_level(levels & set(policy.especially_major_media_levels))
    if level is not None:
        especially.append(FiredRule("media_level", {"level": level}))
    if especially:
        return GradeResult("especially_major", especially)

    major = _count_rules(facts, policy, especially=False)
    level = highest_media_level(levels & set(policy.major_media_levels))
    if level is not None:
        major.append(FiredRule("media_level", {"level": level}))
    if policy.cross_region_is_major and facts.any_cross_region:
        major.append(FiredRule("cross_region", {}))
    if policy.large_image_impact_is_major and facts.image_impact == "large":
        major.append(FiredRule("image_impact_large", {}))
    if major:
        return GradeResult("major", major)
    return GradeResult("general", [FiredRule("within_jurisdiction", {})])


# ---------------------------------------------------------------------------------------- override / regrade

def can_override(actor_roles: Iterable[str]) -> bool:
    roles = set(actor_roles)
    return "office" in roles or bool(roles & LEADER_ROLES)


def override(current: GradeResult | None, new_grade: str, reason: str, actor_roles: Iterable[str]) -> GradeResult:
    """A manual grade set by the office or a leader, with a reason; it stays until a computed upgrade exceeds it."""
    if new_grade not in GRADES:
        raise GradingError("unknown_grade", grade=new_grade)
    if not can_override(actor_roles):
        raise GradingError("not_authorised")
    reason = (reason or "").strip()
    if not reason:
        raise GradingError("reason_required")
    previous = current.grade if current is not None else None
    return GradeResult(new_grade, [FiredRule("override", {"previous": previous, "reason": reason})])


@dataclass(frozen=True)
class RegradeDecision:
    """`grade`: the incident's grade after an applied change, or the proposed one for a downgrade.
    `changed`: the grade changes now, without anyone's approval (announce it when direction is "up").
    `needs_authority`: a proposal the office or a leader must confirm (downgrades)."""

    grade: str
    changed: bool
    direction: str | None
    needs_authority: bool


def regrade(current: GradeResult | None, new: GradeResult, *, overridden_grade: str | None = None) -> RegradeDecision:
    """Compare a fresh computation with the incident's grade. Upgrades apply; downgrades are proposed;
    a manual override holds unless the computation goes above it."""
    cur = current.grade if current is not None else overridden_grade
    if cur is None:
        return RegradeDecision(new.grade, True, None, False)
    cur_rank, new_rank = grade_rank(cur), grade_rank(new.grade)
    if overridden_grade is not None:
        floor = max(cur_rank, grade_rank(overridden_grade))
        if new_rank > floor:
            return RegradeDecision(new.grade, True, "up", False)
        return RegradeDecision(cur, False, None, False)
    if new_rank > cur_rank:
        return RegradeDecision(new.grade, True, "up", False)
    if new_rank < cur_rank:
        return RegradeDecision(new.grade, False, "down", True)
    return RegradeDecision(cur, False, None, False)


# ---------------------------------------------------------------------------------------- text

def _localise(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    from bot.i18n import t

    out = dict(params)
    if "platform" in out:
        out["platform"] = PLATFORMS.label(out["platform"], lang)
    if "level" in out:
        out["level"] = MEDIA_LEVELS.label(out["level"], lang)
    if "previous" in out:
        out["previous"] = GRADES.label(out["previous"], lang) if out["previous"] else t("grade.ungraded", lang)
    return out


def render_rule(rule: FiredRule, lang: str = "zh") -> str:
    from bot.i18n import t

    return t(f"grade.rule.{rule.code}", lang, **_localise(rule.params, lang))


def render_rules(result: GradeResult, lang: str = "zh") -> str:
    """E.g. "重大：微博转发 150 ≥ 100" / "major: Weibo reposts 150 ≥ 100"."""
    from bot.i18n import t

    rules = t("grade.rule_sep", lang).join(render_rule(r, lang) for r in result.rules)
    return t("grade.line", lang, grade=GRADES.label(result.grade, lang), rules=rules)


def render_decision(decision: RegradeDecision, old_grade: str | None, lang: str = "zh") -> str:
    """The announcement for a regrade: applied upgrade, proposed downgrade, or unchanged."""
    from bot.i18n import t

    old = GRADES.label(old_grade, lang) if old_grade else t("grade.ungraded", lang)
    new = GRADES.label(decision.grade, lang)
    if decision.direction == "up":
        return t("grade.regrade.up", lang, old=old, new=new)
    if decision.direction == "down":
        return t("grade.regrade.down_proposed", lang, old=old, new=new)
    if decision.changed:
        return t("grade.regrade.first", lang, new=new)
    return t("grade.regrade.unchanged", lang, grade=old)

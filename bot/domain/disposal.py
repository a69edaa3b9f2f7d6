"""Disposal checklists by category (分类处置, seed part 一) plus the steps every major incident adds.

1. inquiry / doubt / appeal — the leaders approve the reply; reply the same day, or tell the same day
   when the answer will come;
2. malicious spreading / hype — publish the facts; if it goes on, refer to law enforcement;
3. fabrication / defamation / online crime — clarify the facts; insider (educate or discipline) or
   outsider; refer to the police;
4. constructive suggestion — adopt it; reply.
Major and especially major sensitive negative incidents are also told to both outside authorities, the
propaganda department (网宣) and the police (网警) (seed part 五(三)). An incident is negative when its category is
hype or fabrication, or its replies' tendency (跟帖倾向) is 负面 with a share above
`policy.outside.negative_share` (a 负面 given without a share counts as negative: the reporter judged the whole).
A constructive suggestion, and an inquiry whose replies are not negative enough, get neither step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.domain.grading import grade_rank
from bot.domain.policy_section import Section
from bot.domain.vocab import CATEGORIES, CONTACT_KINDS
from bot.i18n import t


@dataclass(frozen=True)
class OutsidePolicy(Section):
    """`policy.outside`: when an incident counts as negative for outside communication. The source names no
    number; 50 means "most replies are negative" (docs/policy.md)."""

    name: ClassVar[str] = "outside"
    negative_share: int = 50  # percent of negative replies above which a major incident is told outside

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> OutsidePolicy:
        out = super().from_mapping(data)
        share = out.negative_share
        if not isinstance(share, int) or isinstance(share, bool) or not 1 <= share <= 100:
            raise ValueError("policy.outside.negative_share must be a whole number from 1 to 100")
        return out


@dataclass(frozen=True)
class ChecklistStep:
    code: str
    needs_contact: str | None = None     # a contact kind (CONTACT_KINDS) the step reaches out to
    label_key: str = ""

    def label(self, lang: str = "zh") -> str:
        return t(self.label_key, lang)


def _step(code: str, needs_contact: str | None = None) -> ChecklistStep:
    assert needs_contact is None or needs_contact in CONTACT_KINDS
    return ChecklistStep(code, needs_contact, f"disposal.step.{code}")


CATEGORY_STEPS: dict[str, tuple[ChecklistStep, ...]] = {
    "inquiry": (
        _step("leaders_approve_reply"),
        _step("reply_same_day"),
    ),
    "hype": (
        _step("publish_facts"),
        _step("refer_law_enforcement", "law_enforcement"),
    ),
    "fabrication": (
        _step("clarify_facts"),
        _step("insider_or_outsider"),
        _step("refer_police", "police"),
    ),
    "constructive": (
        _step("adopt_suggestion"),
        _step("reply_suggestion"),
    ),
}

# Added for major and especially major negative incidents, after the category's steps: both outside authorities.
MAJOR_STEPS: tuple[ChecklistStep, ...] = (
    _step("notify_propaganda", "propaganda"),
    _step("notify_police", "police"),
)
NOT_NEGATIVE: frozenset[str] = frozenset({"constructive"})
ALWAYS_NEGATIVE: frozenset[str] = frozenset({"hype", "fabrication"})


def is_negative(category: str | None, sentiment: Any, negative_share: int = OutsidePolicy.negative_share) -> bool:
    """Negative for outside communication: hype or fabrication whatever the replies say; otherwise (never for a
    constructive suggestion) replies 负面 above `negative_share` percent, or 负面 with no share given.
    `sentiment` is anything with `slug` and `share` (bot/domain/report_fields.Sentiment), a {"slug", "share"}
    mapping, a bare slug, or None."""
    if category in ALWAYS_NEGATIVE:
        return True
    if category in NOT_NEGATIVE or sentiment is None:
        return False
    if isinstance(sentiment, dict):
        slug, share = sentiment.get("slug"), sentiment.get("share")
    elif isinstance(sentiment, str):
        slug, share = sentiment, None
    else:
        slug, share = getattr(sentiment, "slug", None), getattr(sentiment, "share", None)
    return slug == "negative" and (share is None or int(share) > negative_share)

ALL_STEPS: tuple[ChecklistStep, ...] = tuple(s for steps in CATEGORY_STEPS.values() for s in steps) + MAJOR_STEPS


def checklist_for(category: str | None, grade: str | None, negative: bool) -> list[ChecklistStep]:
    """The steps for an incident; with no category yet only the grade's common steps. `negative` is
    is_negative(...) of the incident as it stands (required: a caller that forgot it would drop the outside
    steps silently)."""
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; valid: {', '.join(CATEGORIES.slugs)}")
    steps = list(CATEGORY_STEPS.get(category, ())) if category else []
    if grade is not None and grade_rank(grade) >= grade_rank("major") and negative and category not in NOT_NEGATIVE:
        steps.extend(MAJOR_STEPS)
    return steps


def step_by_code(code: str) -> ChecklistStep:
    for s in ALL_STEPS:
        if s.code == code:
            return s
    raise KeyError(code)


def render_checklist(category: str | None, grade: str | None, negative: bool, lang: str = "zh",
                     done: set[str] | frozenset[str] = frozenset()) -> str:
    """A numbered checklist with ☑ for codes in `done`, headed by the category."""
    cat = CATEGORIES.label(category, lang) if category else t("disposal.no_category", lang)
    lines = [t("disposal.title", lang, category=cat)]
    for i, s in enumerate(checklist_for(category, grade, negative), 1):
        mark = "☑" if s.code in done else "☐"
        lines.append(t("disposal.item", lang, mark=mark, n=i, label=s.label(lang)))
    return "\n".join(lines)

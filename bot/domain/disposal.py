"""Disposal checklists by category (分类处置, seed part 一) plus the steps every major incident adds.

1. inquiry / doubt / appeal — the leaders approve the reply; reply the same day, or tell the same day
   when the answer will come;
2. malicious spreading / hype — publish the facts; if it goes on, refer to law enforcement;
3. fabrication / defamation / online crime — clarify the facts; insider (educate or discipline) or
   outsider; refer to the police;
4. constructive suggestion — adopt it; reply.
Major and especially major sensitive negative incidents are also told to the propaganda department
(every category but the constructive one, which is not negative).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.grading import grade_rank
from bot.domain.vocab import CATEGORIES, CONTACT_KINDS
from bot.i18n import t


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

# Added for major and especially major incidents, after the category's steps.
MAJOR_STEPS: tuple[ChecklistStep, ...] = (
    _step("notify_propaganda", "propaganda"),
)
NOT_NEGATIVE: frozenset[str] = frozenset({"constructive"})

ALL_STEPS: tuple[ChecklistStep, ...] = tuple(s for steps in CATEGORY_STEPS.values() for s in steps) + MAJOR_STEPS


def checklist_for(category: str | None, grade: str | None) -> list[ChecklistStep]:
    """The steps for an incident; with no category yet only the grade's common steps."""
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; valid: {', '.join(CATEGORIES.slugs)}")
    steps = list(CATEGORY_STEPS.get(category, ())) if category else []
    if grade is not None and grade_rank(grade) >= grade_rank("major") and category not in NOT_NEGATIVE:
        steps.extend(MAJOR_STEPS)
    return steps


def step_by_code(code: str) -> ChecklistStep:
    for s in ALL_STEPS:
        if s.code == code:
            return s
    raise KeyError(code)


def render_checklist(category: str | None, grade: str | None, lang: str = "zh",
                     done: set[str] | frozenset[str] = frozenset()) -> str:
    """A numbered checklist with ☑ for codes in `done`, headed by the category."""
    cat = CATEGORIES.label(category, lang) if category else t("disposal.no_category", lang)
    lines = [t("disposal.title", lang, category=cat)]
    for i, s in enumerate(checklist_for(category, grade), 1):
        mark = "☑" if s.code in done else "☐"
        lines.append(t("disposal.item", lang, mark=mark, n=i, label=s.label(lang)))
    return "\n".join(lines)

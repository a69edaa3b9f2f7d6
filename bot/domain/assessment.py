"""The leaders' assessment (评估): the incident's nature (category), a large effect on the image, and how far to
respond (对是否需要应对、进行何种程度的应对措施提出意见), with a reason. Pure: the words people type and who may assess.

`/assess YQ-… [CATEGORY] [large] DECISION REASON`: the optional words come first, in any order, each one a
vocabulary word (exact, or a unique loose match); the first word that is none of them starts the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.vocab import CATEGORIES, LEADER_ROLES, Term, Vocabulary

DECISIONS = Vocabulary("decision", [
    Term("watch", "仅关注", "watch only", ("关注", "观察", "持续关注", "不回应", "暂不回应", "watch")),
    Term("respond", "回应", "respond", ("回复", "作出回应", "予以回应", "response", "reply")),
    Term("full", "全面处置", "full disposal", ("全面", "全力处置", "启动处置", "full", "dispose")),
])
LARGE_WORDS = Vocabulary("effect", [
    Term("large", "重大影响", "large", ("影响重大", "较大影响", "形象影响大", "影响大", "large effect", "major effect")),
])
ASSESSOR_ROLES = frozenset({"office"}) | LEADER_ROLES
REASON_MAX = 1000


def may_assess(roles: Iterable[str]) -> bool:
    """The office or a leader (the leading group decides the nature; the office prepares it)."""
    return bool(ASSESSOR_ROLES & set(roles))


@dataclass(frozen=True)
class AssessInput:
    number: str
    category: str | None  # None: the nature stays as it is
    large: bool
    decision: str | None
    reason: str

    @property
    def complete(self) -> bool:
        return bool(self.number and self.decision and self.reason)


def _one(vocab: Vocabulary, word: str) -> str | None:
    exact = vocab.parse(word)
    if exact is not None:
        return exact
    loose = vocab.resolve(word)
    return loose[0] if len(loose) == 1 else None


def parse_assess(args: str | None) -> AssessInput:
    """The words of `/assess`; an incomplete input (no number, decision or reason) has `complete` False."""
    words = (args or "").split()
    if not words:
        return AssessInput("", None, False, None, "")
    number, rest = words[0], words[1:]
    category, large, decision = None, False, None
    i = 0
    while i < len(rest):
        w = rest[i]
        # exact words first, so 回应 (respond) is never taken loosely for something else
        if decision is None and DECISIONS.parse(w):
            decision = DECISIONS.parse(w)
        elif category is None and CATEGORIES.parse(w):
            category = CATEGORIES.parse(w)
        elif not large and LARGE_WORDS.parse(w):
            large = True
        elif decision is None and _one(DECISIONS, w):
            decision = _one(DECISIONS, w)
        elif category is None and _one(CATEGORIES, w):
            category = _one(CATEGORIES, w)
        else:
            break
        i += 1
    reason = " ".join(rest[i:]).strip()[:REASON_MAX]
    return AssessInput(number, category, large, decision, reason)

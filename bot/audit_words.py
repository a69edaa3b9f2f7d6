"""The words timeline sentences (bot/audit_sentences.py) are made of: people and groups by name (never an
id), grades, clocks, roles and stages by their labels, optional clauses. Pure: a `Names` lookup the caller
gathered from the database (bot/services/audit.names) stands in for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from bot.domain import audit_kinds as K
from bot.domain.identity import is_unlinked
from bot.domain.vocab import CLOCKS, GRADES, PLATFORMS, ROLES, SENTIMENTS
from bot.i18n import CATALOG, t

TEXT_MAX = 160  # free text (a reason, a comment, a follow-up's words) is cut beyond this
MAJOR = frozenset({"major", "especially_major"})
GROUP_KEYS = ("office", "upper_office")


@dataclass(frozen=True)
class Names:
    """Who an id is: telegram ids of people and outside contacts → name; bound group chat ids → their key."""

    people: Mapping[int, str] = field(default_factory=dict)
    groups: Mapping[int, str] = field(default_factory=dict)
    tz: tzinfo = UTC


@dataclass(frozen=True)
class Sentence:
    subject: str  # who did it, in words; "" when nobody in particular did (the bot, a schedule)
    predicate: str

    def text(self, lang: str) -> str:
        if self.subject:
            return f"{self.subject} {self.predicate}"
        return self.predicate[:1].upper() + self.predicate[1:] if lang == "en" else self.predicate


@dataclass
class Story:
    """What earlier rows of the same timeline tell about later ones: the grade, and whether the release went
    through the main leader's review (then its "approval" stage is the leading group's, not the supervisor's)."""

    grade: str | None = None
    reviewed: bool = False

    def note(self, kind: str, payload: Mapping[str, Any]) -> None:
        if kind in (K.GRADED, K.REGRADED) and known(GRADES, payload.get("grade")):
            self.grade = payload["grade"]
        if payload.get("stage") == "review" and kind in (K.DRAFT_VERSION, K.APPROVAL, K.REFUSAL):
            self.reviewed = True


# ---------------------------------------------------------------- words


def known(vocabulary: Any, v: Any) -> bool:
    """A slug of the vocabulary; a payload value of another shape (a list, a dict) is none."""
    return isinstance(v, str) and v in vocabulary


def say(key: str, lang: str, **kw: Any) -> str:
    return t(f"audit.{key}", lang, **kw)


def cut(v: Any) -> str:
    text = " ".join(str(v).split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def as_int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def free_text(v: Any) -> str:
    """Free text from a payload; anything that is not text (an id, a structure) is left out."""
    return cut(v) if isinstance(v, str) and v.strip() else ""


def person(tid: Any, names: Names, lang: str) -> str:
    """A person by telegram id: the name, or neutral words (never the number)."""
    if tid is None:
        return say("who.unlinked", lang)
    if isinstance(tid, int) and not isinstance(tid, bool):
        if tid in names.people:
            return names.people[tid]
        if tid > 0 and is_unlinked(tid):
            return say("who.unlinked", lang)
    return say("who.unknown", lang)


def group(key: Any, lang: str) -> str:
    """A bound group by its role ("舆情办公室群", "the office group"); "一个群" / "a group" otherwise."""
    if key not in GROUP_KEYS:
        return say("who.group", lang)
    return t(f"chat.key.{key}", lang) if lang == "zh" else "the " + t(f"chat.key.{key}", lang)


def chat(cid: Any, names: Names, lang: str, audience: Any = None) -> str:
    """A chat a message went to: a bound group by its role, a person by name; neutral words otherwise."""
    if audience in GROUP_KEYS:
        return group(audience, lang)
    if isinstance(cid, int) and not isinstance(cid, bool) and cid in names.groups:
        return group(names.groups[cid], lang)
    if isinstance(cid, int) and not isinstance(cid, bool) and cid < 0:
        return say("who.group", lang)
    return person(cid, names, lang)


def name_of(v: Any, names: Names, lang: str) -> str:
    """A person a payload names: by the name written, or by telegram id."""
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        return person(int(v), names, lang)
    if isinstance(v, str) and v.strip():
        return cut(v)
    return person(v, names, lang) if isinstance(v, int) else say("who.unknown", lang)


def listing(words: Iterable[str], lang: str) -> str:
    """"舆情办公室群、陈副校长、2 位未登记人员": repeated neutral words counted, names in order."""
    words = list(words)
    counts = Counter(words)
    neutral = {say("who.unknown", lang): "who.unknown_n", say("who.unlinked", lang): "who.unlinked_n",
               say("who.group", lang): "who.group_n"}
    out: list[str] = []
    for w in dict.fromkeys(words):
        out.append(say(neutral[w], lang, n=counts[w]) if w in neutral and counts[w] > 1 else w)
    return t("list.sep", lang).join(out)


def grade_word(slug: Any, lang: str) -> str:
    if known(GRADES, slug):
        return GRADES.label(slug, lang)
    return t("grade.ungraded", lang) if slug is None else say("word.some_grade", lang)


def clock_word(slug: Any, lang: str) -> str:
    return t(f"clock.name.{slug}", lang) if known(CLOCKS, slug) else say("word.some_clock", lang)


def the_clock(slug: Any, lang: str) -> str:
    """"时限“首次回应网民”" / "the deadline “first response to the post”"; "一项时限" / "a deadline"."""
    return say("word.the_clock", lang, name=t(f"clock.name.{slug}", lang)) if known(CLOCKS, slug) else \
        say("word.some_clock", lang)


def role_word(slug: Any, lang: str) -> str:
    if known(ROLES, slug):
        return ROLES.label(slug, lang)
    return say("word.leader", lang)


def stage_word(stage: Any, story: Story, lang: str) -> str:
    if stage == "review":
        return say("stage.review", lang)
    if stage == "approval":
        if story.reviewed or story.grade in MAJOR:
            return say("stage.approval_group", lang)
        return say("stage.approval_supervisor" if story.grade == "general" else "stage.approval", lang)
    return say("stage.some", lang)


def version_word(v: Any, lang: str) -> str:
    n = as_int(v)
    return say("part.version", lang, v=n) if n is not None else say("part.version_some", lang)


def part(key: str, lang: str, value: str, **kw: Any) -> str:
    """An optional clause ("，理由：…"): empty when the value is."""
    return say(f"part.{key}", lang, x=value, **kw) if value else ""


def local_time(v: Any, names: Names) -> str:
    try:
        return datetime.fromisoformat(v).astimezone(names.tz).strftime("%Y-%m-%d %H:%M") if isinstance(v, str) else ""
    except ValueError:
        return ""


def rule_words(rules: Any, lang: str) -> str:
    """The grading rules that fired, as the cards say them; rules of an unknown shape are left out."""
    from bot.domain.grading import FiredRule, render_rule

    said = []
    for r in rules if isinstance(rules, list) else []:
        params = r.get("params") if isinstance(r, Mapping) else None
        if not isinstance(params, Mapping | None) or any(  # a value of another shape would be said as its repr
                not isinstance(v, str | int | float) or isinstance(v, bool) for v in (params or {}).values()):
            continue
        if isinstance(r, Mapping) and f"grade.rule.{r.get('code')}" in CATALOG:
            try:
                said.append(render_rule(FiredRule(r["code"], dict(r.get("params") or {})), lang))
            except (KeyError, IndexError, ValueError, TypeError, AttributeError):
                continue
    return t("grade.rule_sep", lang).join(said)


def followup_words(p: Mapping[str, Any], lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    parts = [t(f"review.fu.{k}", lang, n=f"{p[k]:,}") for k in ("reposts", "comments", "views") if as_int(p.get(k))
             is not None]
    if known(SENTIMENTS, p.get("sentiment")):
        share = f" {p['share']}%" if as_int(p.get("share")) is not None else ""
        parts.append(SENTIMENTS.label(p["sentiment"], lang) + share)
    plats = [PLATFORMS.label(x, lang) for x in p.get("platforms") or [] if known(PLATFORMS, x)] \
        if isinstance(p.get("platforms"), list) else []
    if plats:
        parts.append(t("review.fu.platforms", lang, v=t("list.sep", lang).join(plats)))
    regions = [cut(x) for x in p.get("regions") or [] if isinstance(x, str)] if isinstance(p.get("regions"), list) else []
    if regions:
        parts.append(t("review.fu.regions", lang, v=t("list.sep", lang).join(regions)))
    if free_text(p.get("text")):
        parts.append(free_text(p.get("text")))
    return sep.join(parts)

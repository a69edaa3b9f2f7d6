"""Timeline sentences of outside communication (bot/services/interviews.py): interview requests, their
decisions and outcome, breaches. Pure, as bot/audit_sentences.py, which merges MAKERS into its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.audit_words import Names, Story, as_int, free_text, part, say, stage_word
from bot.domain import audit_kinds as K

P = Mapping[str, Any]


def _s(kind: str, lang: str, **kw: Any) -> str:
    return say(f"s.{kind}", lang, **kw)


def interview_requested(p: P, names: Names, lang: str, story: Story) -> str:
    media = " ".join(x for x in (free_text(p.get("media")), free_text(p.get("reporter"))) if x)
    return _s(K.INTERVIEW_REQUESTED, lang, media=part("media", lang, media),
              topic=part("colon", lang, free_text(p.get("topic"))), speaker=part("speaker", lang, free_text(p.get("speaker"))))


def interview_decided(p: P, names: Names, lang: str, story: Story) -> str:
    decision = p.get("decision") if p.get("decision") in ("approve", "reject") else "approve"
    stage = p.get("stage")
    return _s(K.INTERVIEW_DECIDED, lang, decision=say(f"part.decision.{decision}", lang),
              stage=part("stage", lang, stage_word(stage, story, lang)) if stage in ("review", "approval") else "")


def interview_authorised(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.INTERVIEW_AUTHORISED, lang, media=part("media", lang, free_text(p.get("media"))),
              speaker=part("speaker", lang, free_text(p.get("speaker"))))


def interview_refused(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.INTERVIEW_REFUSED, lang, media=part("media", lang, free_text(p.get("media"))))


def interview_blocked(p: P, names: Names, lang: str, story: Story) -> str:
    stage = p.get("stage")
    return _s(K.INTERVIEW_BLOCKED, lang,
              stage=part("stage", lang, stage_word(stage, story, lang)) if stage in ("review", "approval") else "")


def breach_recorded(p: P, names: Names, lang: str, story: Story) -> str:
    n = as_int(p.get("evidence")) or 0
    who = free_text(p.get("who")) or say("who.unknown", lang)
    return _s(K.BREACH_RECORDED, lang, who=who, what=part("colon", lang, free_text(p.get("what"))),
              evidence=say("part.evidence", lang, n=n) if n > 0 else "")


MAKERS: dict[str, Callable[[P, Names, str, Story], str]] = {
    K.INTERVIEW_REQUESTED: interview_requested, K.INTERVIEW_DECIDED: interview_decided,
    K.INTERVIEW_AUTHORISED: interview_authorised, K.INTERVIEW_REFUSED: interview_refused,
    K.INTERVIEW_BLOCKED: interview_blocked, K.BREACH_RECORDED: breach_recorded,
}

"""Timeline entries of the review: each audit event as a sentence (who, and what they did), and which events
are key ones.

Pure: takes the audit record's kind, payload and actor (bot/domain/audit.AuditRecord fields) and a `Names`
lookup the service gathered; the sentences are bot/audit_sentences.py's, the same as /timeline's and the
export's. A kind this module does not know still reads as a sentence, never as its key or payload.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.audit_sentences import Names, Sentence, Story, describe
from bot.i18n import CATALOG, t

# the events section 2 of the document lists (report, grade, acknowledgement, upper-office receipt,
# escalation, approvals, publication, follow-ups, closure, reopening, deadline changes)
KEY_KINDS = frozenset({
    "report_filed", "graded", "regraded", "acknowledged", "escalated", "approval", "approval_blocked",
    "publication", "clock_stopped", "clock_extended", "closed", "reopened", "assessed",
    "group_confirmed", "meeting_proposed",  # the working group stands, its first meeting (碰头会)
})
KEY_PREFIXES = ("follow", "clos", "reopen", "track")  # tracking and closure events (any spelling of theirs)


def is_key(kind: str, payload: Mapping[str, Any] | None = None) -> bool:
    if kind == "draft_version":
        return (payload or {}).get("event") == "submitted"
    return kind in KEY_KINDS or kind.startswith(KEY_PREFIXES)


def kind_label(kind: str, lang: str) -> str:
    for key in (f"review.kind.{kind}", f"audit.kind.{kind}"):
        if key in CATALOG:
            return t(key, lang)
    return t("audit.kind.other", lang)


def line(kind: str, payload: Mapping[str, Any] | None, lang: str, *, actor_name: str | None = None,
         actor_telegram_id: int | None = None, names: Names | None = None, story: Story | None = None) -> Sentence:
    """The event as a sentence: its subject (the actor's name; "" for the system) and what they did."""
    return describe(kind, payload, actor_name=actor_name, actor_telegram_id=actor_telegram_id, lang=lang,
                    names=names, story=story)


def summary(kind: str, payload: Mapping[str, Any] | None, lang: str, names: Names | None = None) -> str:
    """What happened, without who: "定级为重大（微博转发 150 ≥ 100）", "同意第 2 版发布稿（主要负责人审核）"…"""
    return line(kind, payload, lang, names=names).predicate


def decision_label(decision: Any, lang: str) -> str:
    key = f"review.decision.{decision}"
    return t(key, lang) if key in CATALOG else t("audit.kind.other", lang)


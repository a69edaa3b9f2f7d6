"""Timeline entries of the review: a readable line per audit event, and which events are key ones.

Pure: takes the audit record's kind and payload (bot/domain/audit.AuditRecord fields), no database.
A kind this module does not know is shown by its timeline label (bot/i18n/audit.py) and its payload.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.domain.vocab import CLOCKS, GRADES
from bot.i18n import CATALOG, t

# the events section 2 of the document lists (report, grade, acknowledgement, upper-office receipt,
# escalation, approvals, publication, follow-ups, closure, reopening, deadline changes)
KEY_KINDS = frozenset({
    "report_filed", "graded", "regraded", "acknowledged", "escalated", "approval", "publication",
    "clock_stopped", "clock_extended", "closed", "reopened",
})
KEY_PREFIXES = ("follow", "clos", "reopen", "track")  # tracking and closure events (any spelling of theirs)
VALUE_MAX = 160
# payload keys a kind's own line needs; without them (an older payload shape) the generic line is used
NEEDS = {"graded": ("grade",), "regraded": ("grade",), "approval": ("decision", "version"),
         "draft_version": ("version",), "publication": ("version",), "clock_stopped": ("clock", "status"),
         "clock_extended": ("working_days",)}


def is_key(kind: str, payload: Mapping[str, Any] | None = None) -> bool:
    if kind == "draft_version":
        return (payload or {}).get("event") == "submitted"
    return kind in KEY_KINDS or kind.startswith(KEY_PREFIXES)


def kind_label(kind: str, lang: str) -> str:
    for key in (f"review.kind.{kind}", f"audit.kind.{kind}"):
        if key in CATALOG:
            return t(key, lang)
    return kind


def _cut(v: Any) -> str:
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    text = " ".join(text.split())
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def _grade(slug: Any, lang: str) -> str:
    return GRADES.label(slug, lang) if isinstance(slug, str) and slug in GRADES else str(slug or "-")


def _clock(slug: Any, lang: str) -> str:
    return t(f"clock.name.{slug}", lang) if slug in CLOCKS else str(slug)


def _generic(kind: str, payload: Mapping[str, Any], lang: str) -> str:
    label = kind_label(kind, lang)
    rest = "; ".join(f"{k}={_cut(v)}" for k, v in payload.items() if v not in (None, "", [], {}))
    return f"{label}: {rest}" if rest else label


def summary(kind: str, payload: Mapping[str, Any] | None, lang: str) -> str:
    """One line for the document: "定级：重大", "审批：批准 v2（领导小组审批）", …"""
    p = dict(payload or {})
    if any(p.get(k) is None or isinstance(p.get(k), dict | list) for k in NEEDS.get(kind, ())):
        return _generic(kind, p, lang)
    try:
        if kind == "report_filed":
            n = p.get("evidence") or 0
            return t("review.ev.report", lang, n=n) if n else t("review.ev.report0", lang)
        if kind == "graded":
            return t("review.ev.graded", lang, grade=_grade(p.get("grade"), lang))
        if kind == "regraded":
            return t("review.ev.regraded", lang, old=_grade(p.get("previous"), lang), new=_grade(p.get("grade"), lang),
                     reason=_cut(p.get("reason") or ""))
        if kind == "acknowledged":
            if p.get("by") == "upper_office":
                return t("review.ev.upper_ack", lang)
            return t("review.ev.take" if p.get("action") == "take" else "review.ev.ack", lang)
        if kind == "notified":
            return t("review.ev.notified", lang, n=len(p.get("chats") or []))
        if kind == "approval":
            return t("review.ev.approval", lang, decision=decision_label(p.get("decision"), lang),
                     v=p.get("version", "?"), stage=stage_label(p.get("stage"), lang),
                     comment=f" — {_cut(p['comment'])}" if p.get("comment") else "")
        if kind == "draft_version":
            key = "review.ev.submitted" if p.get("event") == "submitted" else "review.ev.drafted"
            return t(key, lang, v=p.get("version", "?"))
        if kind == "publication":
            return t("review.ev.published", lang, v=p.get("version", "?"), channel=_cut(p.get("channel") or ""),
                     link=_cut(p.get("link") or ""))
        if kind == "clock_stopped":
            return t("review.ev.clock_stopped", lang, clock=_clock(p.get("clock"), lang),
                     status=t(f"review.status.{p.get('status')}", lang)
                     if f"review.status.{p.get('status')}" in CATALOG else str(p.get("status")))
        if kind == "tracker_assigned" and p.get("tracker"):
            return t("review.ev.tracker", lang, name=p["tracker"])
        if kind == "followup_added":
            return _followup(p, lang)
        if kind == "closure_proposed":
            return t("review.ev.close_proposed", lang)
        if kind == "closure_refused":
            return t("review.ev.close_refused", lang, reason=_cut(p.get("reason") or ""))
        if kind == "closed":
            return t("review.ev.closed", lang, n=len(p.get("clocks_stopped") or []))
        if kind == "reopened":
            return t("review.ev.reopened", lang, reason=_cut(p.get("reason") or ""))
        if kind == "clock_extended":
            return t("review.ev.extended", lang, days=p.get("working_days", "?"), reason=_cut(p.get("reason") or ""))
    except (TypeError, ValueError, KeyError):
        pass  # a payload of an older shape: the generic line below still shows everything
    return _generic(kind, p, lang)


def _followup(p: dict[str, Any], lang: str) -> str:
    from bot.domain.vocab import PLATFORMS, SENTIMENTS

    sep = "，" if lang == "zh" else ", "
    parts = [t(f"review.fu.{k}", lang, n=f"{int(p[k]):,}") for k in ("reposts", "comments", "views")
             if isinstance(p.get(k), int)]
    if p.get("sentiment") in SENTIMENTS:
        share = f" {p['share']}%" if p.get("share") is not None else ""
        parts.append(SENTIMENTS.label(p["sentiment"], lang) + share)
    plats = [PLATFORMS.label(x, lang) if x in PLATFORMS else str(x) for x in p.get("platforms") or []]
    if plats:
        parts.append(t("review.fu.platforms", lang, v=t("list.sep", lang).join(plats)))
    if p.get("regions"):
        parts.append(t("review.fu.regions", lang, v=t("list.sep", lang).join(map(str, p["regions"]))))
    if p.get("text"):
        parts.append(_cut(p["text"]))
    return t("review.ev.followup", lang, what=sep.join(parts) or "-")


def decision_label(decision: Any, lang: str) -> str:
    key = f"review.decision.{decision}"
    return t(key, lang) if key in CATALOG else str(decision)


def stage_label(stage: Any, lang: str) -> str:
    key = f"review.stage.{stage}"
    return t(key, lang) if key in CATALOG else str(stage or "")

"""A timeline (audit) row as a sentence in the reader's language, with names, never ids or keys.

Pure: the row's kind, payload and actor, plus a `Names` lookup the caller gathered from the database
(bot/services/audit.names). Every kind of bot/domain/audit_kinds.py has its phrases in bot/i18n/audit.py.
Rows written by older versions (missing keys, other shapes) still read as a sentence: a value of an
unexpected shape is left out or said in neutral words, and an unknown telegram or chat id is never shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
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
        if kind in (K.GRADED, K.REGRADED) and payload.get("grade") in GRADES:
            self.grade = payload["grade"]
        if payload.get("stage") == "review" and kind in (K.DRAFT_VERSION, K.APPROVAL, K.REFUSAL):
            self.reviewed = True


# ---------------------------------------------------------------- words


def _t(key: str, lang: str, **kw: Any) -> str:
    return t(f"audit.{key}", lang, **kw)


def cut(v: Any) -> str:
    text = " ".join(str(v).split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _text(v: Any) -> str:
    """Free text from a payload; anything that is not text (an id, a structure) is left out."""
    return cut(v) if isinstance(v, str) and v.strip() else ""


def person(tid: Any, names: Names, lang: str) -> str:
    """A person by telegram id: the name, or neutral words (never the number)."""
    if tid is None:
        return _t("who.unlinked", lang)
    if isinstance(tid, int) and not isinstance(tid, bool):
        if tid in names.people:
            return names.people[tid]
        if tid > 0 and is_unlinked(tid):
            return _t("who.unlinked", lang)
    return _t("who.unknown", lang)


def group(key: Any, lang: str) -> str:
    """A bound group by its role ("舆情办公室群", "the office group"); "一个群" / "a group" otherwise."""
    if key not in GROUP_KEYS:
        return _t("who.group", lang)
    return t(f"chat.key.{key}", lang) if lang == "zh" else "the " + t(f"chat.key.{key}", lang)


def chat(cid: Any, names: Names, lang: str, audience: Any = None) -> str:
    """A chat a message went to: a bound group by its role, a person by name; neutral words otherwise."""
    if audience in GROUP_KEYS:
        return group(audience, lang)
    if isinstance(cid, int) and not isinstance(cid, bool) and cid in names.groups:
        return group(names.groups[cid], lang)
    if isinstance(cid, int) and not isinstance(cid, bool) and cid < 0:
        return _t("who.group", lang)
    return person(cid, names, lang)


def name_of(v: Any, names: Names, lang: str) -> str:
    """A person a payload names: by the name written, or by telegram id."""
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        return person(int(v), names, lang)
    if isinstance(v, str) and v.strip():
        return cut(v)
    return person(v, names, lang) if isinstance(v, int) else _t("who.unknown", lang)


def listing(words: Iterable[str], lang: str) -> str:
    """"舆情办公室群、陈副校长、2 位未登记人员": repeated neutral words counted, names in order."""
    words = list(words)
    counts = Counter(words)
    neutral = {_t("who.unknown", lang): "who.unknown_n", _t("who.unlinked", lang): "who.unlinked_n",
               _t("who.group", lang): "who.group_n"}
    out: list[str] = []
    for w in dict.fromkeys(words):
        out.append(_t(neutral[w], lang, n=counts[w]) if w in neutral and counts[w] > 1 else w)
    return t("list.sep", lang).join(out)


def grade_word(slug: Any, lang: str) -> str:
    if slug in GRADES:
        return GRADES.label(slug, lang)
    return t("grade.ungraded", lang) if slug is None else _t("word.some_grade", lang)


def clock_word(slug: Any, lang: str) -> str:
    return t(f"clock.name.{slug}", lang) if slug in CLOCKS else _t("word.some_clock", lang)


def the_clock(slug: Any, lang: str) -> str:
    """"时限“首次回应网民”" / "the deadline “first response to the post”"; "一项时限" / "a deadline"."""
    return _t("word.the_clock", lang, name=t(f"clock.name.{slug}", lang)) if slug in CLOCKS else \
        _t("word.some_clock", lang)


def role_word(slug: Any, lang: str) -> str:
    if slug in ROLES:
        return ROLES.label(slug, lang)
    return _t("word.leader", lang)


def stage_word(stage: Any, story: Story, lang: str) -> str:
    if stage == "review":
        return _t("stage.review", lang)
    if stage == "approval":
        if story.reviewed or story.grade in MAJOR:
            return _t("stage.approval_group", lang)
        return _t("stage.approval_supervisor" if story.grade == "general" else "stage.approval", lang)
    return _t("stage.some", lang)


def version_word(v: Any, lang: str) -> str:
    n = _int(v)
    return _t("part.version", lang, v=n) if n is not None else _t("part.version_some", lang)


def part(key: str, lang: str, value: str, **kw: Any) -> str:
    """An optional clause ("，理由：…"): empty when the value is."""
    return _t(f"part.{key}", lang, x=value, **kw) if value else ""


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
        if isinstance(r, Mapping) and f"grade.rule.{r.get('code')}" in CATALOG:
            try:
                said.append(render_rule(FiredRule(r["code"], dict(r.get("params") or {})), lang))
            except (KeyError, IndexError, ValueError, TypeError, AttributeError):
                continue
    return t("grade.rule_sep", lang).join(said)


def followup_words(p: Mapping[str, Any], lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    parts = [t(f"review.fu.{k}", lang, n=f"{p[k]:,}") for k in ("reposts", "comments", "views") if _int(p.get(k))
             is not None]
    if p.get("sentiment") in SENTIMENTS:
        share = f" {p['share']}%" if _int(p.get("share")) is not None else ""
        parts.append(SENTIMENTS.label(p["sentiment"], lang) + share)
    plats = [PLATFORMS.label(x, lang) for x in p.get("platforms") or [] if x in PLATFORMS] \
        if isinstance(p.get("platforms"), list) else []
    if plats:
        parts.append(t("review.fu.platforms", lang, v=t("list.sep", lang).join(plats)))
    regions = [cut(x) for x in p.get("regions") or [] if isinstance(x, str)] if isinstance(p.get("regions"), list) else []
    if regions:
        parts.append(t("review.fu.regions", lang, v=t("list.sep", lang).join(regions)))
    if _text(p.get("text")):
        parts.append(_text(p.get("text")))
    return sep.join(parts)


# ---------------------------------------------------------------- kinds

Maker = Callable[[Mapping[str, Any], Names, str, Story], str]


def _s(kind: str, lang: str, **kw: Any) -> str:
    return _t(f"s.{kind}", lang, **kw)


def report_filed(p, names, lang, story) -> str:  # noqa: ANN001
    number = _text(p.get("number"))
    n = _int(p.get("evidence")) or 0
    return _s(K.REPORT_FILED, lang, number=part("number", lang, number),
              evidence=_t("part.evidence", lang, n=n) if n > 0 else "")


def graded(p, names, lang, story) -> str:  # noqa: ANN001
    if p.get("grade") not in GRADES:
        return _s("graded.plain", lang)
    return _s(K.GRADED, lang, grade=grade_word(p.get("grade"), lang), rules=part("paren", lang, rule_words(p.get("rules"), lang)))


def regraded(p, names, lang, story) -> str:  # noqa: ANN001
    old, new = grade_word(p.get("previous"), lang), grade_word(p.get("grade"), lang)
    if p.get("grade") not in GRADES:
        return _s("regraded.plain", lang, reason=part("reason", lang, _text(p.get("reason"))))
    rules = part("paren", lang, rule_words(p.get("rules"), lang))
    if p.get("reason") == "followup":
        return _s("regraded.followup", lang, old=old, new=new, rules=rules)
    return _s(K.REGRADED, lang, old=old, new=new, reason=part("reason", lang, _text(p.get("reason"))))


def notified(p, names, lang, story) -> str:  # noqa: ANN001
    chats = p.get("chats") if isinstance(p.get("chats"), list) else p.get("to") if isinstance(p.get("to"), list) else []
    auds = p.get("audiences") if isinstance(p.get("audiences"), list) else []
    whom = [chat(c, names, lang, auds[i] if i < len(auds) else None) for i, c in enumerate(chats)]
    return _s(K.NOTIFIED, lang, whom=listing(whom, lang)) if whom else _s("notified.none", lang)


def acknowledged(p, names, lang, story) -> str:  # noqa: ANN001
    if p.get("by") == "upper_office":
        where = chat(p.get("chat"), names, lang) if p.get("chat") in names.groups else group("upper_office", lang)
        return _s("acknowledged.upper", lang, group=where)
    return _s("acknowledged.take" if p.get("action") == "take" else K.ACKNOWLEDGED, lang)


def escalated(p, names, lang, story) -> str:  # noqa: ANN001
    roles = p.get("roles") if isinstance(p.get("roles"), list) else []
    whom = t("list.sep", lang).join(role_word(r, lang) for r in roles) or _t("word.those_concerned", lang)
    step = _int(p.get("step"))
    key = f"escalated.{p.get('action')}" if p.get("action") in ("remind", "escalate") else K.ESCALATED
    return _s(key, lang, roles=whom, step=_t("part.step", lang, n=step) if step else "")


def checklist_step(p, names, lang, story) -> str:  # noqa: ANN001
    key = f"disposal.step.{p.get('code')}"
    step = part("quoted", lang, t(key, lang)) if isinstance(p.get("code"), str) and key in CATALOG else ""
    contact = _text(p.get("contact"))
    fwd = part("forwarded" if p.get("forwarded") else "not_forwarded", lang, contact)
    return _s(K.CHECKLIST_STEP, lang, step=step, forwarded=fwd)


def card_shown(p, names, lang, story) -> str:  # noqa: ANN001
    aud = p.get("audience")
    return _s(K.CARD_SHOWN, lang, where=group(aud, lang) if aud in GROUP_KEYS else _t("word.private", lang))


def draft_version(p, names, lang, story) -> str:  # noqa: ANN001
    v = version_word(p.get("version"), lang)
    if p.get("event") == "submitted":
        stage = p.get("stage")
        return _s("draft_version.submitted", lang, version=v,
                  stage=stage_word(stage, story, lang) if stage in ("review", "approval") else _t("stage.approval", lang))
    return _s(K.DRAFT_VERSION, lang, version=v)


def approval(p, names, lang, story) -> str:  # noqa: ANN001
    decision = p.get("decision") if p.get("decision") in ("approve", "reject", "changes") else "other"
    stage = part("stage", lang, stage_word(p["stage"], story, lang)) if p.get("stage") in ("review", "approval") else ""
    outcome, a, n = p.get("outcome"), _int(p.get("approvals")), _int(p.get("needed"))
    if outcome == "passed":
        after = _t("part.passed", lang, next=_t("stage.approval_group", lang))
    elif outcome == "approved":
        after = _t("part.approved", lang)
    elif outcome == "counted" and a is not None and n is not None:
        after = _t("part.counted", lang, a=a, n=n)
    else:
        after = ""
    return _s(f"approval.{decision}", lang, version=version_word(p.get("version"), lang), stage=stage,
              comment=part("comment", lang, _text(p.get("comment"))), outcome=after)


def approval_blocked(p, names, lang, story) -> str:  # noqa: ANN001
    stage = p.get("stage")
    if stage == "approval" and (story.reviewed or story.grade in MAJOR):
        why = _t("part.blocked_reviewer", lang)
    elif _int(p.get("needed")) is not None and _int(p.get("eligible")) is not None:
        why = _t("part.blocked_count", lang, needed=p["needed"], eligible=p["eligible"])
    else:
        why = ""
    return _s(K.APPROVAL_BLOCKED, lang, version=version_word(p.get("version"), lang),
              stage=stage_word(stage, story, lang), why=why)


def publication(p, names, lang, story) -> str:  # noqa: ANN001
    channel = _text(p.get("channel")) or _t("word.some_channel", lang)
    return _s(K.PUBLICATION, lang, version=version_word(p.get("version"), lang), channel=channel,
              link=part("link", lang, _text(p.get("link"))))


def refusal(p, names, lang, story) -> str:  # noqa: ANN001
    action, detail = K.refusal_action(p.get("action"))
    if action == "step":
        key = f"disposal.step.{detail}"
        what = _t("refusal.action.step", lang, step=part("quoted", lang, t(key, lang) if key in CATALOG else ""))
    elif action == "press":
        key = f"audit.refusal.press.{detail}"
        what = t(key, lang) if key in CATALOG else _t("refusal.action.press", lang)
    else:
        what = _t(f"refusal.action.{action.replace(':', '_')}", lang)
    reason = K.reason_key(p.get("reason"))
    return _s(K.REFUSAL, lang, action=what, reason=part("paren", lang, _t(f"refusal.reason.{reason}", lang) if reason else ""))


def clock_stopped(p, names, lang, story) -> str:  # noqa: ANN001
    status = p.get("status") if p.get("status") in ("met", "missed", "stopped") else "other"
    return _s(K.CLOCK_STOPPED, lang, clock=the_clock(p.get("clock"), lang), status=_t(f"word.clock_{status}", lang),
              note=part("paren", lang, _text(p.get("reason"))))


def clock_extended(p, names, lang, story) -> str:  # noqa: ANN001
    days = _int(p.get("working_days"))
    span = _t("part.days", lang, n=days) if days is not None else _t("part.days_some", lang)
    return _s(K.CLOCK_EXTENDED, lang, clock=the_clock(p.get("clock") or "formal_reply", lang), days=span,
              due=part("due", lang, local_time(p.get("due"), names)), reason=part("reason", lang, _text(p.get("reason"))))


def duty_joined(p, names, lang, story) -> str:  # noqa: ANN001
    lead = _text(p.get("lead"))
    return _s(K.DUTY_JOINED, lang, lead=part("lead", lang, "" if lead == "-" else lead))


def duty_handed(p, names, lang, story) -> str:  # noqa: ANN001
    src = _text(p.get("from"))
    return _s(K.DUTY_HANDED, lang, source=src) if src else _s("duty_handed.plain", lang)


def tracker_assigned(p, names, lang, story) -> str:  # noqa: ANN001
    prev = name_of(p["previous"], names, lang) if p.get("previous") not in (None, "") else ""
    if p.get("tracker") in (None, ""):
        return _s("tracker_assigned.none", lang, previous=part("of", lang, prev))
    tracker = name_of(p.get("tracker"), names, lang)
    return _s(K.TRACKER_ASSIGNED, lang, tracker=tracker, previous=part("instead", lang, prev))


def tracker_reminded(p, names, lang, story) -> str:  # noqa: ANN001
    who = name_of(p.get("tracker"), names, lang) if p.get("tracker") not in (None, "") else _t("word.tracker", lang)
    return _s(K.TRACKER_REMINDED, lang, tracker=who)


def followup_added(p, names, lang, story) -> str:  # noqa: ANN001
    what = followup_words(p, lang)
    n = _int(p.get("evidence")) or 0
    return _s(K.FOLLOWUP_ADDED, lang, what=part("colon", lang, what),
              evidence=_t("part.evidence_more" if what else "part.evidence", lang, n=n) if n > 0 else "")


def closure_proposed(p, names, lang, story) -> str:  # noqa: ANN001
    warnings = p.get("warnings") if isinstance(p.get("warnings"), list) else []
    role = p.get("approver")
    whom = t("close.any_leader", lang) if role == "leader" else role_word(role, lang)
    return _s(K.CLOSURE_PROPOSED, lang, role=whom,
              warnings=_t("part.warnings", lang, n=len(warnings)) if warnings else "")


def closure_refused(p, names, lang, story) -> str:  # noqa: ANN001
    return _s(K.CLOSURE_REFUSED, lang, reason=part("reason", lang, _text(p.get("reason"))))


def closure_superseded(p, names, lang, story) -> str:  # noqa: ANN001
    if p.get("reason") == "regraded":
        role = p.get("approver")
        whom = t("close.any_leader", lang) if role == "leader" else role_word(role, lang)
        return _s("closure_superseded.regraded", lang, role=whom)
    return _s(K.CLOSURE_SUPERSEDED, lang)


def closed(p, names, lang, story) -> str:  # noqa: ANN001
    stopped = p.get("clocks_stopped") if isinstance(p.get("clocks_stopped"), list) else []
    clocks = t("list.sep", lang).join(clock_word(c, lang) for c in stopped)
    duty = _t("part.duty_ended", lang) if (_int(p.get("duty_stopped")) or 0) > 0 else ""
    return _s(K.CLOSED, lang, clocks=part("clocks", lang, clocks), duty=duty)


def reopened(p, names, lang, story) -> str:  # noqa: ANN001
    return _s(K.REOPENED, lang, reason=part("reason", lang, _text(p.get("reason"))))


def person_unreachable(p, names, lang, story) -> str:  # noqa: ANN001
    why = p.get("why")
    return _s(K.PERSON_UNREACHABLE, lang,
              why=_t(f"part.why_{why}", lang) if why in ("blocked", "deactivated", "never_opened", "not_linked") else "")


def person_reachable(p, names, lang, story) -> str:  # noqa: ANN001
    n = _int(p.get("released")) or 0
    return _s(K.PERSON_REACHABLE, lang, released=_t("part.released", lang, n=n) if n > 0 else "")


def account_linked(p, names, lang, story) -> str:  # noqa: ANN001
    return _s(K.ACCOUNT_LINKED, lang, role=_t("part.as_contact", lang) if p.get("as") == "contact" else "")


def _titled(p: Mapping[str, Any], lang: str) -> str:
    title = _text(p.get("title"))
    return _t("word.titled_group", lang, title=title) if title else _t("who.group", lang)


def chat_bound(p, names, lang, story) -> str:  # noqa: ANN001
    return _s(K.CHAT_BOUND, lang, title=_titled(p, lang), group=group(p.get("key"), lang),
              replaced=part("replaced", lang, _text(p.get("replaced"))))


def chat_unbound(p, names, lang, story) -> str:  # noqa: ANN001
    return _s(K.CHAT_UNBOUND, lang, title=_titled(p, lang), group=group(p.get("key"), lang))


def chat_unreachable(p, names, lang, story) -> str:  # noqa: ANN001
    return _s(K.CHAT_UNREACHABLE, lang, group=group(p.get("key"), lang), title=part("quoted", lang, _text(p.get("title"))))


def chat_reachable(p, names, lang, story) -> str:  # noqa: ANN001
    return _s(K.CHAT_REACHABLE, lang, group=group(p.get("key"), lang), title=part("quoted", lang, _text(p.get("title"))))


def legacy_clock_started(p, names, lang, story) -> str:  # noqa: ANN001
    return _s("clock_started", lang, clock=the_clock(p.get("clock") or p.get("name"), lang))


MAKERS: dict[str, Maker] = {
    K.REPORT_FILED: report_filed, K.GRADED: graded, K.REGRADED: regraded, K.NOTIFIED: notified,
    K.ACKNOWLEDGED: acknowledged, K.ESCALATED: escalated, K.CHECKLIST_STEP: checklist_step, K.CARD_SHOWN: card_shown,
    K.DRAFT_VERSION: draft_version, K.APPROVAL: approval, K.APPROVAL_BLOCKED: approval_blocked,
    K.PUBLICATION: publication, K.REFUSAL: refusal, K.CLOCK_STOPPED: clock_stopped, K.CLOCK_EXTENDED: clock_extended,
    K.DUTY_JOINED: duty_joined, K.DUTY_HANDED: duty_handed, K.TRACKER_ASSIGNED: tracker_assigned,
    K.TRACKER_REMINDED: tracker_reminded, K.FOLLOWUP_ADDED: followup_added, K.CLOSURE_PROPOSED: closure_proposed,
    K.CLOSURE_REFUSED: closure_refused, K.CLOSURE_SUPERSEDED: closure_superseded, K.CLOSED: closed,
    K.REOPENED: reopened, K.PERSON_UNREACHABLE: person_unreachable, K.PERSON_REACHABLE: person_reachable,
    K.ACCOUNT_LINKED: account_linked, K.CHAT_BOUND: chat_bound, K.CHAT_UNBOUND: chat_unbound,
    K.CHAT_UNREACHABLE: chat_unreachable, K.CHAT_REACHABLE: chat_reachable, "clock_started": legacy_clock_started,
}
# the person a row is about, when it is not the actor (the organisation's chain names them in the payload)
ABOUT_WHO = frozenset({K.PERSON_UNREACHABLE, K.PERSON_REACHABLE, K.ACCOUNT_LINKED})
NO_SUBJECT = frozenset({K.CHAT_UNREACHABLE, K.CHAT_REACHABLE})


def actor_words(actor_name: str | None, actor_telegram_id: int | None, names: Names, lang: str) -> str:
    """The actor by the name the organisation knows, else the name recorded; "" for the system."""
    if actor_telegram_id is not None and actor_telegram_id in names.people:
        return names.people[actor_telegram_id]
    if isinstance(actor_name, str) and actor_name.strip() and not actor_name.strip().lstrip("-").isdigit():
        return cut(actor_name)
    return person(actor_telegram_id, names, lang) if actor_telegram_id is not None else ""


def describe(kind: str, payload: Mapping[str, Any] | None, *, actor_name: str | None = None,
             actor_telegram_id: int | None = None, lang: str, names: Names | None = None,
             story: Story | None = None) -> Sentence:
    """The row as a sentence. Never raises: a payload that defeats its kind's phrasing reads as the kind's
    plain sentence with nothing from the payload."""
    names, story = names or Names(), story or Story()
    p = payload if isinstance(payload, Mapping) else {}
    subject = actor_words(actor_name, actor_telegram_id, names, lang)
    if kind in ABOUT_WHO:
        subject = name_of(p.get("who"), names, lang) if p.get("who") not in (None, "") else \
            subject or _t("who.unknown", lang)
    elif kind in NO_SUBJECT:
        subject = ""
    maker = MAKERS.get(kind)
    try:
        if maker is not None:
            predicate = maker(p, names, lang, story)
        else:  # a legacy kind has a plain sentence; a kind this version does not know, a neutral one
            predicate = _t(f"s.{kind}" if f"audit.s.{kind}" in CATALOG else "s.other", lang)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        predicate = _t("s.plain", lang, label=kind_label(kind, lang))
    story.note(kind, p)
    return Sentence(subject, " ".join(predicate.split()) if lang == "en" else predicate)


def kind_label(kind: str, lang: str) -> str:
    key = f"audit.kind.{kind}"
    return t(key, lang) if key in CATALOG else _t("kind.other", lang)

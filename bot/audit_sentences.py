"""A timeline (audit) row as a sentence in the reader's language, with names, never ids or keys.

Pure: the row's kind, payload and actor, plus a `Names` lookup the caller gathered from the database
(bot/services/audit.names). Every kind of bot/domain/audit_kinds.py has its phrases in bot/i18n/audit.py.
Rows written by older versions (missing keys, other shapes) still read as a sentence: a value of an
unexpected shape is left out or said in neutral words, and an unknown telegram or chat id is never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.audit_group import MAKERS as GROUP_MAKERS
from bot.audit_outside import MAKERS as OUTSIDE_MAKERS
from bot.audit_words import (
    GROUP_KEYS,
    MAJOR,
    Names,
    Sentence,
    Story,
    as_int,
    chat,
    clock_word,
    cut,
    followup_words,
    free_text,
    grade_word,
    group,
    known,
    listing,
    local_time,
    name_of,
    part,
    person,
    role_word,
    rule_words,
    say,
    stage_word,
    the_clock,
    version_word,
)
from bot.domain import audit_kinds as K
from bot.domain.assessment import DECISIONS
from bot.domain.release import outlet_label
from bot.domain.vocab import CATEGORIES, GRADES
from bot.i18n import CATALOG, t

__all__ = ["Names", "Sentence", "Story", "describe", "kind_label"]
P = Mapping[str, Any]
Maker = Callable[[P, Names, str, Story], str]



def _s(kind: str, lang: str, **kw: Any) -> str:
    return say(f"s.{kind}", lang, **kw)


def report_filed(p: P, names: Names, lang: str, story: Story) -> str:
    number = free_text(p.get("number"))
    n = as_int(p.get("evidence")) or 0
    return _s(K.REPORT_FILED, lang, number=part("number", lang, number),
              evidence=say("part.evidence", lang, n=n) if n > 0 else "")


def graded(p: P, names: Names, lang: str, story: Story) -> str:
    if not known(GRADES, p.get("grade")):
        return _s("graded.plain", lang)
    return _s(K.GRADED, lang, grade=grade_word(p.get("grade"), lang), rules=part("paren", lang, rule_words(p.get("rules"), lang)))


def regraded(p: P, names: Names, lang: str, story: Story) -> str:
    old, new = grade_word(p.get("previous"), lang), grade_word(p.get("grade"), lang)
    if not known(GRADES, p.get("grade")):
        return _s("regraded.plain", lang, reason=part("reason", lang, free_text(p.get("reason"))))
    rules = part("paren", lang, rule_words(p.get("rules"), lang))
    if p.get("reason") == "followup":
        return _s("regraded.followup", lang, old=old, new=new, rules=rules)
    return _s(K.REGRADED, lang, old=old, new=new, reason=part("reason", lang, free_text(p.get("reason"))))


def notified(p: P, names: Names, lang: str, story: Story) -> str:
    chats = p.get("chats") if isinstance(p.get("chats"), list) else p.get("to") if isinstance(p.get("to"), list) else []
    auds = p.get("audiences") if isinstance(p.get("audiences"), list) else []
    whom = [chat(c, names, lang, auds[i] if i < len(auds) else None) for i, c in enumerate(chats)]
    return _s(K.NOTIFIED, lang, whom=listing(whom, lang)) if whom else _s("notified.none", lang)


def acknowledged(p: P, names: Names, lang: str, story: Story) -> str:
    if p.get("by") == "upper_office":
        where = chat(p.get("chat"), names, lang) if isinstance(p.get("chat"), int) and p["chat"] in names.groups else group("upper_office", lang)
        return _s("acknowledged.upper", lang, group=where)
    return _s("acknowledged.take" if p.get("action") == "take" else K.ACKNOWLEDGED, lang)


def escalated(p: P, names: Names, lang: str, story: Story) -> str:
    roles = p.get("roles") if isinstance(p.get("roles"), list) else []
    whom = t("list.sep", lang).join(role_word(r, lang) for r in roles) or say("word.those_concerned", lang)
    step = as_int(p.get("step"))
    key = f"escalated.{p.get('action')}" if p.get("action") in ("remind", "escalate") else K.ESCALATED
    return _s(key, lang, roles=whom, step=say("part.step", lang, n=step) if step else "")


def checklist_step(p: P, names: Names, lang: str, story: Story) -> str:
    key = f"disposal.step.{p.get('code')}"
    step = part("quoted", lang, t(key, lang)) if isinstance(p.get("code"), str) and key in CATALOG else ""
    contact = free_text(p.get("contact"))
    fwd = part("forwarded" if p.get("forwarded") else "not_forwarded", lang, contact)
    return _s(K.CHECKLIST_STEP, lang, step=step, forwarded=fwd)


def card_shown(p: P, names: Names, lang: str, story: Story) -> str:
    aud = p.get("audience")
    return _s(K.CARD_SHOWN, lang, where=group(aud, lang) if aud in GROUP_KEYS else say("word.private", lang))


def draft_version(p: P, names: Names, lang: str, story: Story) -> str:
    v = version_word(p.get("version"), lang)
    if p.get("event") == "submitted":
        stage = p.get("stage")
        return _s("draft_version.submitted", lang, version=v,
                  stage=stage_word(stage, story, lang) if stage in ("review", "approval") else say("stage.approval", lang))
    return _s(K.DRAFT_VERSION, lang, version=v)


def approval(p: P, names: Names, lang: str, story: Story) -> str:
    decision = p.get("decision")
    key = f"approval.{decision}" if decision in ("approve", "reject", "changes") else K.APPROVAL
    stage = part("stage", lang, stage_word(p["stage"], story, lang)) if p.get("stage") in ("review", "approval") else ""
    outcome, a, n = p.get("outcome"), as_int(p.get("approvals")), as_int(p.get("needed"))
    if outcome == "passed":
        after = say("part.passed", lang, next=say("stage.approval_group", lang))
    elif outcome == "approved":
        after = say("part.approved", lang)
    elif outcome == "counted" and a is not None and n is not None:
        after = say("part.counted", lang, a=a, n=n)
    else:
        after = ""
    return _s(key, lang, version=version_word(p.get("version"), lang), stage=stage,
              comment=part("comment", lang, free_text(p.get("comment"))), outcome=after)


def approval_blocked(p: P, names: Names, lang: str, story: Story) -> str:
    stage = p.get("stage")
    if stage == "approval" and (story.reviewed or story.grade in MAJOR):
        why = say("part.blocked_reviewer", lang)
    elif as_int(p.get("needed")) is not None and as_int(p.get("eligible")) is not None:
        why = say("part.blocked_count", lang, needed=p["needed"], eligible=p["eligible"])
    else:
        why = ""
    return _s(K.APPROVAL_BLOCKED, lang, version=version_word(p.get("version"), lang),
              stage=stage_word(stage, story, lang), why=why)


def publication(p: P, names: Names, lang: str, story: Story) -> str:
    # "channel": rows before 0017; an outlet's slug (0023 on) read as its label, a name as typed
    outlet = free_text(outlet_label(p.get("outlet") or p.get("channel"), lang)) or say("word.some_outlet", lang)
    key = f"{K.PUBLICATION}.more" if p.get("first") is False else K.PUBLICATION  # rows before 0023: no "first"
    return _s(key, lang, version=version_word(p.get("version"), lang), outlet=outlet,
              link=part("link", lang, free_text(p.get("link"))))


def refusal(p: P, names: Names, lang: str, story: Story) -> str:
    action, detail = K.refusal_action(p.get("action"))
    if action == "step":
        key = f"disposal.step.{detail}"
        what = say("refusal.action.step", lang, step=part("quoted", lang, t(key, lang) if key in CATALOG else ""))
    elif action == "press":
        key = f"audit.refusal.press.{detail}"
        what = t(key, lang) if key in CATALOG else say("refusal.action.press", lang)
    else:
        what = say(f"refusal.action.{action.replace(':', '_')}", lang)
    reason = K.reason_key(p.get("reason"))
    return _s(K.REFUSAL, lang, action=what, reason=part("paren", lang, say(f"refusal.reason.{reason}", lang) if reason else ""))


def clock_stopped(p: P, names: Names, lang: str, story: Story) -> str:
    status = p.get("status") if p.get("status") in ("met", "missed", "stopped") else "other"
    return _s(K.CLOCK_STOPPED, lang, clock=the_clock(p.get("clock"), lang), status=say(f"word.clock_{status}", lang),
              note=part("paren", lang, free_text(p.get("reason"))))


def clock_extended(p: P, names: Names, lang: str, story: Story) -> str:
    days = as_int(p.get("working_days"))
    span = say("part.days", lang, n=days) if days is not None else say("part.days_some", lang)
    return _s(K.CLOCK_EXTENDED, lang, clock=the_clock(p.get("clock") or "formal_reply", lang), days=span,
              due=part("due", lang, local_time(p.get("due"), names)), reason=part("reason", lang, free_text(p.get("reason"))))


def duty_joined(p: P, names: Names, lang: str, story: Story) -> str:
    lead = free_text(p.get("lead"))
    return _s(K.DUTY_JOINED, lang, lead=part("lead", lang, "" if lead == "-" else lead))


def duty_handed(p: P, names: Names, lang: str, story: Story) -> str:
    src = free_text(p.get("from"))
    return _s(K.DUTY_HANDED, lang, source=src) if src else _s("duty_handed.plain", lang)


def _shift(p: P, names: Names) -> str:
    a, b = local_time(p.get("start"), names), local_time(p.get("end"), names)
    if not a:
        return ""
    return f"{a[5:]}–{b[11:] if b[:10] == a[:10] else b[5:]}" if b else a[5:]  # 12-04 14:02–15:00


def duty_offered(p: P, names: Names, lang: str, story: Story) -> str:
    owner = person(p["owner"], names, lang) if p.get("owner") not in (None, p.get("person")) else ""
    return _s(K.DUTY_OFFERED, lang, person=person(p.get("person"), names, lang), when=_shift(p, names),
              instead=part("instead", lang, owner))


def duty_offer_declined(p: P, names: Names, lang: str, story: Story) -> str:
    kind = "duty_offer_declined.no_answer" if p.get("reason") == "no_answer" else K.DUTY_OFFER_DECLINED
    return _s(kind, lang, when=_shift(p, names))


def duty_offer_accepted(p: P, names: Names, lang: str, story: Story) -> str:
    owner = person(p["owner"], names, lang) if p.get("owner") not in (None, p.get("person")) else ""
    return _s(K.DUTY_OFFER_ACCEPTED, lang, when=_shift(p, names), instead=part("instead", lang, owner))


def duty_unfilled(p: P, names: Names, lang: str, story: Story) -> str:
    who = listing([person(x, names, lang) for x in p.get("declined") or [] if isinstance(x, int)], lang)
    return _s(K.DUTY_UNFILLED, lang, when=_shift(p, names), who=part("declined_all", lang, who))


def tracker_assigned(p: P, names: Names, lang: str, story: Story) -> str:
    prev = name_of(p["previous"], names, lang) if p.get("previous") not in (None, "") else ""
    if p.get("tracker") in (None, ""):
        return _s("tracker_assigned.none", lang, previous=part("of", lang, prev))
    tracker = name_of(p.get("tracker"), names, lang)
    return _s(K.TRACKER_ASSIGNED, lang, tracker=tracker, previous=part("instead", lang, prev))


def tracker_reminded(p: P, names: Names, lang: str, story: Story) -> str:
    who = name_of(p.get("tracker"), names, lang) if p.get("tracker") not in (None, "") else say("word.tracker", lang)
    return _s(K.TRACKER_REMINDED, lang, tracker=who)


def followup_added(p: P, names: Names, lang: str, story: Story) -> str:
    what = followup_words(p, lang)
    n = as_int(p.get("evidence")) or 0
    return _s(K.FOLLOWUP_ADDED, lang, what=part("colon", lang, what),
              evidence=say("part.evidence_more" if what else "part.evidence", lang, n=n) if n > 0 else "")


def closure_proposed(p: P, names: Names, lang: str, story: Story) -> str:
    warnings = p.get("warnings") if isinstance(p.get("warnings"), list) else []
    role = p.get("approver")
    whom = t("close.any_leader", lang) if role == "leader" else role_word(role, lang)
    return _s(K.CLOSURE_PROPOSED, lang, role=whom,
              warnings=say("part.warnings", lang, n=len(warnings)) if warnings else "")


def closure_refused(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.CLOSURE_REFUSED, lang, reason=part("reason", lang, free_text(p.get("reason"))))


def closure_superseded(p: P, names: Names, lang: str, story: Story) -> str:
    if p.get("reason") == "regraded":
        role = p.get("approver")
        whom = t("close.any_leader", lang) if role == "leader" else role_word(role, lang)
        return _s("closure_superseded.regraded", lang, role=whom)
    return _s(K.CLOSURE_SUPERSEDED, lang)


def closed(p: P, names: Names, lang: str, story: Story) -> str:
    stopped = p.get("clocks_stopped") if isinstance(p.get("clocks_stopped"), list) else []
    clocks = t("list.sep", lang).join(clock_word(c, lang) for c in stopped)
    duty = say("part.duty_ended", lang) if (as_int(p.get("duty_stopped")) or 0) > 0 else ""
    return _s(K.CLOSED, lang, clocks=part("clocks", lang, clocks), duty=duty)


def reopened(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.REOPENED, lang, reason=part("reason", lang, free_text(p.get("reason"))))


def person_unreachable(p: P, names: Names, lang: str, story: Story) -> str:
    why = p.get("why")
    return _s(K.PERSON_UNREACHABLE, lang,
              why=say(f"part.why_{why}", lang) if why in ("blocked", "deactivated", "never_opened", "not_linked") else "")


def person_reachable(p: P, names: Names, lang: str, story: Story) -> str:
    n = as_int(p.get("released")) or 0
    return _s(K.PERSON_REACHABLE, lang, released=say("part.released", lang, n=n) if n > 0 else "")


def account_linked(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.ACCOUNT_LINKED, lang, role=say("part.as_contact", lang) if p.get("as") == "contact" else "")


def _titled(p: Mapping[str, Any], lang: str) -> str:
    title = free_text(p.get("title"))
    return say("word.titled_group", lang, title=title) if title else say("who.group", lang)


def chat_bound(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.CHAT_BOUND, lang, title=_titled(p, lang), group=group(p.get("key"), lang),
              replaced=part("replaced", lang, free_text(p.get("replaced"))))


def chat_unbound(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.CHAT_UNBOUND, lang, title=_titled(p, lang), group=group(p.get("key"), lang))


def chat_unreachable(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.CHAT_UNREACHABLE, lang, group=group(p.get("key"), lang), title=part("quoted", lang, free_text(p.get("title"))))


def chat_reachable(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.CHAT_REACHABLE, lang, group=group(p.get("key"), lang), title=part("quoted", lang, free_text(p.get("title"))))


def unit_set(p: P, names: Names, lang: str, story: Story) -> str:
    how = p.get("how")
    words = say("s.unit_set.matched", lang, x=free_text(p.get("text"))) if how == "matched" and p.get("text") else \
        say("s.unit_set.picked", lang) if how == "picked" else ""
    unit = free_text(p.get("unit"))
    return _s(K.UNIT_SET, lang, unit=unit, how=words) if unit else _s("unit_set.none", lang, how=words)


def charge_assigned(p: P, names: Names, lang: str, story: Story) -> str:
    unit = free_text(p.get("unit"))
    return _s(K.CHARGE_ASSIGNED, lang, name=name_of(p.get("name"), names, lang),
              unit=say("s.charge_assigned.unit", lang, x=unit) if unit else "")


def reply_signed(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.REPLY_SIGNED, lang, version=version_word(p.get("version"), lang))


def reply_sent(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.REPLY_SENT, lang, version=version_word(p.get("version"), lang),
              signer=name_of(p.get("signer"), names, lang), how=part("colon", lang, free_text(p.get("how"))))


def legacy_clock_started(p: P, names: Names, lang: str, story: Story) -> str:
    return _s("clock_started", lang, clock=the_clock(p.get("clock") or p.get("name"), lang))


def _nature(slug: Any, lang: str) -> str:
    return CATEGORIES.label(slug, lang) if known(CATEGORIES, slug) else t("assess.no_category", lang)


def _decision(slug: Any, lang: str) -> str:
    return DECISIONS.label(slug, lang) if known(DECISIONS, slug) else say("assess.why.other", lang)


def assessed(p: P, names: Names, lang: str, story: Story) -> str:
    old, new = p.get("category_before"), p.get("category")
    nature = say("s.assessed.category", lang, old=_nature(old, lang), new=_nature(new, lang)) if old != new else \
        say("s.assessed.same", lang, new=_nature(new, lang))
    grade = say("s.assessed.grade", lang, old=grade_word(p.get("grade_before"), lang), new=grade_word(p.get("grade"), lang)) \
        if p.get("grade_before") != p.get("grade") and known(GRADES, p.get("grade")) else ""
    return _s(K.ASSESSED, lang, category=nature, effect=say("s.assessed.large", lang) if p.get("large") is True else "",
              decision=_decision(p.get("decision"), lang), grade=grade,
              reason=part("reason", lang, free_text(p.get("reason"))))


def assessment_refused(p: P, names: Names, lang: str, story: Story) -> str:
    why = p.get("why") if p.get("why") in ("not_allowed", "closed", "stale", "reason_required", "bad_input") else "other"
    what = [CATEGORIES.label(p["category"], lang)] if known(CATEGORIES, p.get("category")) else []
    what += [t("assess.effect.large", lang)] if p.get("large") is True else []
    what += [DECISIONS.label(p["decision"], lang)] if known(DECISIONS, p.get("decision")) else []
    asked = _s("assessment_refused.asked", lang, what=t("list.sep", lang).join(what)) if what else ""
    return _s(K.ASSESSMENT_REFUSED, lang, why=say(f"assess.why.{why}", lang), asked=asked,
              reason=part("reason", lang, free_text(p.get("reason"))))


def _owner_unit(p: P, names: Names, lang: str) -> str:
    owner = name_of(p.get("owner"), names, lang) if p.get("owner") not in (None, "") else say("who.unknown", lang)
    unit = free_text(p.get("unit"))
    return f"{unit}{part('paren', lang, owner)}" if unit else owner


def task_assigned(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.TASK_ASSIGNED, lang, owner=_owner_unit(p, names, lang), what=part("colon", lang, free_text(p.get("what"))),
              due=part("due", lang, local_time(p.get("due"), names)))


def task_accepted(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.TASK_ACCEPTED, lang, what=part("colon", lang, free_text(p.get("what"))))


def task_done(p: P, names: Names, lang: str, story: Story) -> str:
    n = as_int(p.get("evidence")) or 0
    return _s(K.TASK_DONE, lang, what=part("colon", lang, free_text(p.get("what"))),
              late=say("part.late", lang) if p.get("late") is True else "",
              note=part("note", lang, free_text(p.get("note"))),
              evidence=say("part.evidence_more", lang, n=n) if n > 0 else "")


def task_help(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.TASK_HELP, lang, what=part("quoted", lang, free_text(p.get("what"))))


def task_reminded(p: P, names: Names, lang: str, story: Story) -> str:
    return _s(K.TASK_REMINDED, lang, owner=name_of(p.get("owner"), names, lang))


def task_overdue(p: P, names: Names, lang: str, story: Story) -> str:
    head = name_of(p["head"], names, lang) if p.get("head") not in (None, "") else ""
    return _s(K.TASK_OVERDUE, lang, owner=name_of(p.get("owner"), names, lang),
              what=part("quoted", lang, free_text(p.get("what"))), head=part("told_head", lang, head))


MAKERS: dict[str, Maker] = {
    K.ASSESSED: assessed, K.ASSESSMENT_REFUSED: assessment_refused,
    K.REPORT_FILED: report_filed, K.GRADED: graded, K.REGRADED: regraded, K.NOTIFIED: notified,
    K.ACKNOWLEDGED: acknowledged, K.ESCALATED: escalated, K.CHECKLIST_STEP: checklist_step, K.CARD_SHOWN: card_shown,
    K.DRAFT_VERSION: draft_version, K.APPROVAL: approval, K.APPROVAL_BLOCKED: approval_blocked,
    K.PUBLICATION: publication, K.REFUSAL: refusal, K.CLOCK_STOPPED: clock_stopped, K.CLOCK_EXTENDED: clock_extended,
    K.DUTY_JOINED: duty_joined, K.DUTY_HANDED: duty_handed, K.TRACKER_ASSIGNED: tracker_assigned,
    K.DUTY_OFFERED: duty_offered, K.DUTY_OFFER_DECLINED: duty_offer_declined,
    K.DUTY_OFFER_ACCEPTED: duty_offer_accepted, K.DUTY_UNFILLED: duty_unfilled,
    K.TRACKER_REMINDED: tracker_reminded, K.FOLLOWUP_ADDED: followup_added, K.CLOSURE_PROPOSED: closure_proposed,
    K.CLOSURE_REFUSED: closure_refused, K.CLOSURE_SUPERSEDED: closure_superseded, K.CLOSED: closed,
    K.REOPENED: reopened, K.TASK_ASSIGNED: task_assigned, K.TASK_ACCEPTED: task_accepted, K.TASK_DONE: task_done,
    K.TASK_HELP: task_help, K.TASK_REMINDED: task_reminded, K.TASK_OVERDUE: task_overdue, K.PERSON_UNREACHABLE: person_unreachable, K.PERSON_REACHABLE: person_reachable,
    K.ACCOUNT_LINKED: account_linked, K.CHAT_BOUND: chat_bound, K.CHAT_UNBOUND: chat_unbound,
    K.CHAT_UNREACHABLE: chat_unreachable, K.CHAT_REACHABLE: chat_reachable, "clock_started": legacy_clock_started,
    K.UNIT_SET: unit_set, K.CHARGE_ASSIGNED: charge_assigned, K.REPLY_SIGNED: reply_signed, K.REPLY_SENT: reply_sent,
    **OUTSIDE_MAKERS,  # interviews and breaches (bot/audit_outside.py)
    **GROUP_MAKERS,  # the working group, its meeting, the incident's topic and its decisions (bot/audit_group.py)
}
# the person a row is about, when it is not the actor (the organisation's chain names them in the payload)
ABOUT_WHO = frozenset({K.PERSON_UNREACHABLE, K.PERSON_REACHABLE, K.ACCOUNT_LINKED})
NO_SUBJECT = frozenset({K.CHAT_UNREACHABLE, K.CHAT_REACHABLE})
PERSON_IS_SUBJECT = frozenset({K.DUTY_OFFER_DECLINED, K.DUTY_OFFER_ACCEPTED})


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
            subject or say("who.unknown", lang)
    elif kind in NO_SUBJECT:
        subject = ""
    elif kind in PERSON_IS_SUBJECT and p.get("person") is not None:  # who declined or took the shift
        subject = person(p.get("person"), names, lang)
    maker = MAKERS.get(kind)
    try:
        if maker is not None:
            predicate = maker(p, names, lang, story)
        else:  # a legacy kind has a plain sentence; a kind this version does not know, a neutral one
            predicate = say(f"s.{kind}" if f"audit.s.{kind}" in CATALOG else "s.other", lang)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        predicate = say("s.plain", lang, label=kind_label(kind, lang))
    story.note(kind, p)
    return Sentence(subject, " ".join(predicate.split()) if lang == "en" else predicate)


def kind_label(kind: str, lang: str) -> str:
    key = f"audit.kind.{kind}"
    return t(key, lang) if key in CATALOG else say("kind.other", lang)

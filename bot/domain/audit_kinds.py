"""Every kind of timeline (audit log) row the code writes, in one place, and the refusals' actions.

Each kind has a label (`audit.kind.<kind>`) and a sentence (`audit.s.<kind>`) in bot/i18n/audit.py;
tests/audit/test_sentences.py fails when code writes a kind missing here or a kind here lacks a text.
Pure: no aiogram, no SQLAlchemy.
"""

from __future__ import annotations

# ---------------------------------------------------------------- an incident's chain
REPORT_FILED = "report_filed"
GRADED = "graded"
REGRADED = "regraded"
NOTIFIED = "notified"
ACKNOWLEDGED = "acknowledged"
ESCALATED = "escalated"
CHECKLIST_STEP = "checklist_step"
CARD_SHOWN = "card_shown"
DRAFT_VERSION = "draft_version"
APPROVAL = "approval"
APPROVAL_BLOCKED = "approval_blocked"
PUBLICATION = "publication"
REFUSAL = "refusal"
CLOCK_STOPPED = "clock_stopped"
CLOCK_EXTENDED = "clock_extended"
DUTY_JOINED = "duty_joined"
DUTY_HANDED = "duty_handed"
DUTY_OFFERED = "duty_offered"  # a shift starting within the warning time, asked of someone
DUTY_OFFER_DECLINED = "duty_offer_declined"
DUTY_OFFER_ACCEPTED = "duty_offer_accepted"
DUTY_UNFILLED = "duty_unfilled"  # everyone eligible declined: the office is alarmed
TRACKER_ASSIGNED = "tracker_assigned"
TRACKER_REMINDED = "tracker_reminded"
FOLLOWUP_ADDED = "followup_added"
CLOSURE_PROPOSED = "closure_proposed"
CLOSURE_REFUSED = "closure_refused"
CLOSURE_SUPERSEDED = "closure_superseded"
CLOSED = "closed"
REOPENED = "reopened"
UNIT_SET = "unit_set"  # the unit involved (涉及单位) matched, chosen or set by /unit
CHARGE_ASSIGNED = "charge_assigned"  # a handler of the unit put in charge by the office or a leader
REPLY_SIGNED = "reply_signed"  # the main leader signed the reply (答复内容)
REPLY_SENT = "reply_sent"  # the signed reply recorded as sent: the formal_reply clock stops
ASSESSED = "assessed"  # the leaders' assessment (bot/services/assessment.py)
ASSESSMENT_REFUSED = "assessment_refused"  # ... refused, with what was asked
TASK_ASSIGNED = "task_assigned"
TASK_ACCEPTED = "task_accepted"
TASK_DONE = "task_done"
TASK_HELP = "task_help"
TASK_REMINDED = "task_reminded"
TASK_OVERDUE = "task_overdue"
INTERVIEW_REQUESTED = "interview_requested"  # a media interview request registered (bot/services/interviews.py)
INTERVIEW_DECIDED = "interview_decided"  # one decider's decision at a stage
INTERVIEW_AUTHORISED = "interview_authorised"  # the last stage passed: who speaks was told
INTERVIEW_REFUSED = "interview_refused"
INTERVIEW_BLOCKED = "interview_blocked"  # a stage too few may decide
BREACH_RECORDED = "breach_recorded"  # an interview or disclosure without authorisation (擅自向外界透露)
GROUP_PROPOSED = "group_proposed"  # the working group proposed to the main leader (bot/services/working_group.py)
GROUP_EDITED = "group_edited"  # ... members added or removed by the main leader
GROUP_CONFIRMED = "group_confirmed"
GROUP_INVITED = "group_invited"  # the office sent a member an invite link to the office group
MEETING_PROPOSED = "meeting_proposed"  # the first meeting (碰头会)
MEETING_ANSWERED = "meeting_answered"  # a member joins or cannot
# the incident's room (its forum topic) and the decisions typed there (issue 23 item 4)
ROOM_OPENED = "room_opened"
ROOM_REFUSED = "room_refused"  # no topic: not a forum, or the bot may not manage topics
ROOM_GONE = "room_gone"  # a person deleted the topic
ROOM_CLOSED = "room_closed"
DECIDED = "decided"
# ---------------------------------------------------------------- the organisation's own chain
PERSON_UNREACHABLE = "person_unreachable"
PERSON_REACHABLE = "person_reachable"
ACCOUNT_LINKED = "account_linked"
CHAT_BOUND = "chat_bound"
CHAT_UNBOUND = "chat_unbound"
CHAT_UNREACHABLE = "chat_unreachable"
CHAT_REACHABLE = "chat_reachable"

KINDS: tuple[str, ...] = (
    REPORT_FILED, GRADED, REGRADED, NOTIFIED, ACKNOWLEDGED, ESCALATED, CHECKLIST_STEP, CARD_SHOWN, DRAFT_VERSION,
    APPROVAL, APPROVAL_BLOCKED, PUBLICATION, REFUSAL, CLOCK_STOPPED, CLOCK_EXTENDED, DUTY_JOINED, DUTY_HANDED,
    DUTY_OFFERED, DUTY_OFFER_DECLINED, DUTY_OFFER_ACCEPTED, DUTY_UNFILLED,
    TRACKER_ASSIGNED, TRACKER_REMINDED, FOLLOWUP_ADDED, CLOSURE_PROPOSED, CLOSURE_REFUSED, CLOSURE_SUPERSEDED,
    CLOSED, REOPENED, UNIT_SET, CHARGE_ASSIGNED, REPLY_SIGNED, REPLY_SENT, ASSESSED, ASSESSMENT_REFUSED,
    TASK_ASSIGNED, TASK_ACCEPTED, TASK_DONE, TASK_HELP, TASK_REMINDED, TASK_OVERDUE,
    INTERVIEW_REQUESTED, INTERVIEW_DECIDED, INTERVIEW_AUTHORISED, INTERVIEW_REFUSED, INTERVIEW_BLOCKED,
    BREACH_RECORDED,
    GROUP_PROPOSED, GROUP_EDITED, GROUP_CONFIRMED, GROUP_INVITED, MEETING_PROPOSED, MEETING_ANSWERED,
    ROOM_OPENED, ROOM_REFUSED, ROOM_GONE, ROOM_CLOSED, DECIDED,
    PERSON_UNREACHABLE, PERSON_REACHABLE, ACCOUNT_LINKED, CHAT_BOUND, CHAT_UNBOUND,
    CHAT_UNREACHABLE, CHAT_REACHABLE,
)
# kinds no code writes today but the catalogue has named since the first versions: a database may hold them
LEGACY_KINDS: tuple[str, ...] = ("delivered", "clock_started", "nudge_sent")
ALL_KINDS: tuple[str, ...] = KINDS + LEGACY_KINDS

# ---------------------------------------------------------------- refusals
# A refusal's `action` as written: "card:<IncidentAction>", "step:<checklist code>", "closure",
# "press:<callback prefix>:<field>" (a button not on its card), "release.<what>". Each normal form below has
# a phrase `audit.refusal.action.<form>`; anything else reads as the fallback `audit.refusal.action.other`.
REFUSAL_ACTIONS: tuple[str, ...] = (
    "card:ack", "card:take", "card:up", "card:show", "card:task", "step", "closure", "press",
    "release.draft", "release.submit", "release.approve", "release.reject", "release.changes", "release.publish",
    "release.callback", "unit.set", "unit.charge", "reply.sign", "reply.sent",
    "interview.request", "interview.decide", "breach.record",
    "group.confirm", "group.edit", "meeting.answer",
)
# A refusal's `reason`: an i18n key of the answer the presser got, or a service's code. Each has a phrase
# `audit.refusal.reason.<reason with dots as underscores>`; an unknown one is left out of the sentence.
REFUSAL_REASONS: tuple[str, ...] = (
    "ack.refused", "ack.unknown", "ack.closed", "disposal.refused", "disposal.leader_only", "disposal.unknown",
    "not_approver", "own", "not_on_card", "stale",
    "not_drafter", "unknown", "outdated", "already_submitted", "not_submitted", "already_decided", "own_draft",
    "not_allowed", "reviewed", "not_office", "no_draft", "already_published", "not_approved",
    "outlet_already",
    "unit_not_handler", "ack.unit_take_off", "not_signed", "not_signer", "own_request",
    "not_main_leader", "not_member",
)


def refusal_action(action: object) -> tuple[str, str]:
    """(the action's normal form in REFUSAL_ACTIONS or "other", its detail: the checklist step's code, the
    pressed button's callback prefix), from whatever an older or newer writer stored."""
    if not isinstance(action, str):
        return "other", ""
    if action in REFUSAL_ACTIONS:
        return action, ""
    head, _, rest = action.partition(":")
    if head == "step":
        return "step", rest
    if head == "press":
        return "press", rest.partition(":")[0]
    return "other", ""


def reason_key(reason: object) -> str | None:
    """The catalogue suffix of a refusal's reason, or None for a reason this version does not know."""
    return reason.replace(".", "_") if isinstance(reason, str) and reason in REFUSAL_REASONS else None

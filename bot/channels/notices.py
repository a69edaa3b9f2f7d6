"""Every kind of message the core sends on its own — cards and notifications — in one registry.

Each call that queues one (`notify.tell`, `send.to_person`, `send.to_address`, `outbox.enqueue` in the
services, schedules and the sender) names its kind with `notice="…"`; tests/delivery/test_notices.py checks that every
such call does, that every kind here is sent somewhere, and that each reaches a person whose only account is on
a test channel. A new channel reads its shape here: which kinds carry buttons, ask for a typed answer, or edit
a message sent before. Replies to a person's own command are not listed: they answer where they were asked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    name: str
    what: str  # for the reader of this file and of docs/channels.md
    buttons: bool = False  # carries buttons (bot/actions/ strings)
    input: bool = False  # asks for a typed answer (InputRequest)
    edit: bool = False  # replaces a message sent before (a card's latest state)
    only: str | None = None  # meaningful on one channel only (Telegram's command menus)


_ALL = (
    # incident cards and what hangs on them
    Notice("incident.card", "the incident card of a leader, the office or the upper office", buttons=True),
    Notice("incident.card.edit", "a card's latest state replacing the one sent", buttons=True, edit=True),
    Notice("incident.card.shown", "a card opened again from a digest's button", buttons=True),
    Notice("incident.referral", "the card handed to an outside contact (propaganda, police)"),
    Notice("checklist", "the disposal checklist of an office member", buttons=True),
    Notice("report.graded", "the office told a report's grading was finished after filing"),
    Notice("report.grading_failed", "the office told a report's grading failed and will be retried"),
    Notice("escalation.step", "the next level of the chain told, or reminded, of an unacknowledged incident"),
    Notice("escalation.unprogressed", "the office told an acknowledged incident has made no progress"),
    Notice("clock.nudge", "a deadline coming up or missed, to the person responsible and the office"),
    Notice("unit.picker", "the office asked which org unit a report's unit involved is", buttons=True),
    Notice("charge.assigned", "a handler told they were put in charge of an incident"),
    Notice("reply.signed", "the office and drafter told the main leader signed the formal reply"),
    Notice("reply.sent", "the office told the signed formal reply was recorded as sent"),
    # tasks (督办)
    Notice("task.assigned", "a task's owner told of it, with Accept / Done / Need help", buttons=True),
    Notice("task.remind", "a task's owner reminded before it is due", buttons=True),
    Notice("task.done", "whoever gave a task told it is done"),
    Notice("task.help", "the office and whoever gave a task told its owner needs help"),
    Notice("task.overdue", "a late task: the unit's head (else the office) and whoever gave it told"),
    Notice("task.overdue.owner", "a late task's owner told it is overdue", buttons=True),
    # the working group (专门工作组) and its first meeting (碰头会)
    Notice("wgroup.proposal", "the main leader asked to confirm or edit the proposed working group", buttons=True),
    Notice("wgroup.no_leader", "the office told no main leader can confirm a proposed working group"),
    Notice("wgroup.confirmed", "the office told the working group was confirmed, with its members"),
    Notice("wgroup.member", "a member told they are in the working group"),
    Notice("wgroup.meeting", "a member asked to join the first meeting, with its agenda", buttons=True),
    Notice("wgroup.meeting.office", "the office told the first meeting was proposed, with its agenda"),
    Notice("wgroup.meeting.answer", "the office told who joins the meeting and who cannot"),
    Notice("wgroup.invite", "a member sent a one-use invite link to the office group"),
    # release approval
    Notice("release.ask", "a stage's approver asked to decide on a draft", buttons=True),
    Notice("release.blocked", "the office told a stage has nobody eligible to approve"),
    Notice("release.to_drafter", "the drafter told of a decision; asked for the revision when sent back",
           input=True),
    Notice("release.published", "the office told a release was published"),
    # outside communication: media interviews under authorisation, breaches (bot/services/interviews.py)
    Notice("interview.requested", "the office told a media interview request was registered"),
    Notice("interview.ask", "a stage's decider asked to authorise or refuse an interview", buttons=True),
    Notice("interview.blocked", "the office and main leader told nobody may decide an interview's stage"),
    Notice("interview.authorised", "who speaks told the interview is authorised, with the talking points"),
    Notice("interview.decided", "the office told an interview was authorised and who was told"),
    Notice("interview.refused", "the office and who asked told an interview was refused"),
    Notice("breach.recorded", "the main leader told of an unauthorised interview or disclosure"),
    # follow-up tracking and closure
    Notice("tracking.assigned", "a tracker told they follow an incident", buttons=True),
    Notice("tracking.relieved", "the previous tracker told someone else follows it now"),
    Notice("tracking.stopped", "a tracker told the tracking stopped"),
    Notice("tracking.remind", "a tracker reminded to record the next follow-up", buttons=True),
    Notice("followup.office", "the office told of a follow-up recorded"),
    Notice("followup.regraded", "the office told a follow-up raised the grade"),
    Notice("followup.reopen_request", "the office asked to reopen after a follow-up on a closed incident"),
    Notice("followup.held_recorded", "a tracker told their held follow-up was recorded"),
    Notice("closure.summary", "an approver sent the closure summary"),
    Notice("closure.decide", "an approver asked to confirm or refuse the closure", buttons=True),
    Notice("closure.proposed", "the office told a closure was proposed"),
    Notice("closure.refused", "the proposer and office told the closure was refused"),
    Notice("closure.closed", "the proposer and office told it closed, with the review button", buttons=True),
    Notice("closure.reopened", "the office told an incident was reopened"),
    Notice("closure.superseded", "a closure proposal dropped because the grade was raised"),
    Notice("closure.tracker", "the tracker told tracking ends or resumes with the closure"),
    # duty roster
    Notice("duty.started", "the office told a duty period started"),
    Notice("duty.start_failed", "the office told a duty period could not start"),
    Notice("duty.joined", "the office told an incident joined the running duty"),
    Notice("duty.stopped", "those on duty told the duty period stopped"),
    Notice("duty.handed", "the office told the duty carries on for another incident"),
    Notice("duty.remind", "a person reminded their shift starts soon"),
    Notice("duty.start", "a person told their shift started, asked to check in", buttons=True),
    Notice("duty.missed", "the office told nobody checked in"),
    Notice("duty.missed.prev", "the previous person asked to stay until someone checks in"),
    Notice("duty.missed.self", "a person who did not check in reminded", buttons=True),
    Notice("duty.relieved", "the people around told a late check-in relieved the previous shift"),
    Notice("duty.handover.ask", "a person asked for their handover note", input=True),
    Notice("duty.handover", "the next person sent the handover note, with a receipt button", buttons=True),
    Notice("duty.handover.received", "the previous person told the handover was received"),
    Notice("duty.offer", "a shift at short notice offered to a person", buttons=True),
    Notice("duty.offer.unfilled", "the office told nobody took a shift at short notice"),
    Notice("duty.offer.taken_over", "the office and owner told a shift was taken over"),
    Notice("duty.swap.offered", "colleagues offered a shift to take", buttons=True),
    Notice("duty.swap.approve", "the office asked to approve a swap", buttons=True),
    Notice("duty.swap.done", "both told a swap was applied"),
    Notice("duty.swap.rejected", "both told a swap was rejected"),
    Notice("patrol.remind", "a patrol slot's reminder", buttons=True),
    Notice("patrol.digest", "the office told of the day's missed patrols"),
    Notice("unavail.moved", "a shift moved because its person is unavailable (them, the taker, the office)"),
    Notice("unavail.uncovered", "nobody could take the shift of an unavailable person"),
    Notice("unavail.running", "a running shift's person declared unavailable: the office asked", buttons=True),
    Notice("unavail.takeover", "the office's take-over applied: both told"),
    # the incident's room: its forum topic in the office group (bot/services/room.py)
    Notice("room.topic", "an incident's own topic opened in the office group (its thread carries what follows)",
           only="telegram"),
    Notice("room.pointer", "the office group's General topic told where an incident's topic is"),
    Notice("room.hint", "the office told once no topic could be opened, and how to enable topics"),
    Notice("room.gone", "the office told an incident's topic was deleted: its messages go to General"),
    Notice("room.close", "an incident's topic closed at its closure", only="telegram"),
    # people and groups
    Notice("link.office", "the office told someone linked their account, or tried a used link"),
    Notice("bind.moved", "a group told the office's binding moved to another group"),
    Notice("reach.office", "the office told someone (or a bound group) cannot be reached, or is back"),
    Notice("reach.closed_meanwhile", "a person back told which incidents closed meanwhile"),
    Notice("scheduled.message", "a message queued for later (a reminder set by the office)", buttons=True),
    Notice("delivery.failed", "the office told a message could not be delivered"),
    Notice("commands.menu", "the command menu of a chat", only="telegram"),
)

NOTICES: dict[str, Notice] = {n.name: n for n in _ALL}


def check(name: str | None) -> None:
    """Refuse a kind nobody registered: a new kind is added above, where the next channel finds it."""
    if name is not None and name not in NOTICES:
        raise ValueError(f"unknown notice kind {name!r}: add it to bot/channels/notices.py")

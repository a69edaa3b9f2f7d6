"""An incident's card buttons: receipt, taking charge, the upper office's receipt, a digest's "show card", and
the office's disposal checklist steps (ticked as they are recorded)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.actions.assess import assess_button
from bot.actions.codec import Action
from bot.actions.review import review_button
from bot.channels.types import Button, Buttons
from bot.domain.disposal import ChecklistStep
from bot.i18n import t


class IncidentAction(StrEnum):
    ACK = "ack"        # a leader or the office: received
    TAKE = "take"      # ... and takes charge
    UPPER = "up"       # the upper-level office acknowledges the dual report
    SHOW = "show"      # a digest's button: post the incident's full card in this chat
    TASK = "task"      # the office, a leader or whoever is in charge: give a task (督办), as /task does


@dataclass(frozen=True)
class IncidentAct(Action, prefix="incV1"):
    action: IncidentAction
    incident: int


@dataclass(frozen=True)
class ChecklistAct(Action, prefix="chkV1"):
    incident: int
    step: str


def _button(label: str, action: IncidentAction, incident_id: int) -> Button:
    return Button(label, IncidentAct(action, incident_id).pack())


def checklist_buttons(incident_id: int, steps: Iterable[ChecklistStep], done: Collection[str],
                      lang: str) -> Buttons:
    """A row per step, ☑ when recorded."""
    return [[Button(("☑ " if step.code in done else "☐ ") + step.label(lang),
                    ChecklistAct(incident_id, step.code).pack())] for step in steps]


def incident_buttons(incident_id: int, *, audience: str, lang: str, acknowledged: bool, upper_acked: bool,
                     closed: bool = False, steps: Iterable[ChecklistStep] = (),
                     done: Collection[str] = frozenset(), handler_take: bool = False) -> Buttons:
    """A card's buttons for its audience (person | office | upper_office | unit). A closed incident's card offers
    the review document instead (not to the upper office, which gets no internal review); the office's card has a
    button per checklist step (`steps`) under the card's own. A unit handler's card (`unit`): "received" until
    they pressed it (`acknowledged` is their own receipt), "take charge" only when policy lets a handler take it."""
    if closed:
        return [] if audience in ("upper_office", "unit") else [[review_button(incident_id, lang)]]
    if audience == "unit":
        own = [] if acknowledged else [_button(t("card.btn.ack", lang), IncidentAction.ACK, incident_id)]
        if handler_take:
            own.append(_button(t("card.btn.take", lang), IncidentAction.TAKE, incident_id))
        return [own] if own else []
    if audience == "upper_office":
        return [] if upper_acked else [[_button(t("card.btn.upper_ack", lang), IncidentAction.UPPER, incident_id)]]
    row = [_button(t("card.btn.take", lang), IncidentAction.TAKE, incident_id)]
    if not acknowledged:
        row.insert(0, _button(t("card.btn.ack", lang), IncidentAction.ACK, incident_id))
    # the leaders' assessment (研判): nature, effect, decision; a task (督办) for a unit or a person, as /task
    rows = [row, [assess_button(incident_id, lang), _button(t("card.btn.task", lang), IncidentAction.TASK, incident_id)]]
    if audience == "office":
        rows += checklist_buttons(incident_id, steps, done, lang)
    return rows


def digest_buttons(incidents: Iterable[tuple[int, str]], lang: str) -> Buttons:
    """A button per (incident id, number), two to a row: its full card, posted in the chat on a press."""
    buttons = [_button(t("card.btn.show", lang, number=number), IncidentAction.SHOW, iid) for iid, number in incidents]
    return [buttons[i:i + 2] for i in range(0, len(buttons), 2)]

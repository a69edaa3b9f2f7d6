"""Buttons of the release cards. A button names the version (draft id) and the stage it was sent for; the
server checks both, the person's current roles and the draft's state on every press."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.i18n import t


class RelAction(StrEnum):
    SUBMIT = "sub"      # the drafter sends the version for approval
    APPROVE = "ok"
    REJECT = "no"       # asks for a reason first
    CHANGES = "chg"     # asks for a comment first; it goes back to the drafter


@dataclass(frozen=True)
class RelAct(Action, prefix="relV1"):
    action: RelAction
    draft: int
    stage: str = ""  # review | approval; empty for SUBMIT


def _button(label: str, action: RelAction, draft: int, stage: str = "") -> Button:
    return Button(label, RelAct(action, draft, stage).pack())


def submit_buttons(draft: int, lang: str) -> Buttons:
    return [[_button(t("release.btn.submit", lang), RelAction.SUBMIT, draft)]]


def decision_buttons(draft: int, stage: str, lang: str) -> Buttons:
    return [[_button(t("release.btn.approve", lang), RelAction.APPROVE, draft, stage)],
            [_button(t("release.btn.reject", lang), RelAction.REJECT, draft, stage),
             _button(t("release.btn.changes", lang), RelAction.CHANGES, draft, stage)]]

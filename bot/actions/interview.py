"""Buttons of a media interview request's card (对外沟通): Authorise / Refuse at the stage the card was sent for.
The data names the request and the stage only; the server checks the presser, their roles, the stage and the
request's state on every press (bot/services/interviews.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.i18n import t


class IvwAction(StrEnum):
    APPROVE = "ok"
    REFUSE = "no"


@dataclass(frozen=True)
class IvwAct(Action, prefix="ivwV1"):
    action: IvwAction
    request: int
    stage: str  # review | approval


def decision_buttons(request: int, stage: str, lang: str) -> Buttons:
    return [[Button(t("interview.btn.approve", lang), IvwAct(IvwAction.APPROVE, request, stage).pack()),
             Button(t("interview.btn.refuse", lang), IvwAct(IvwAction.REFUSE, request, stage).pack())]]

"""Buttons of declared unavailability: delete a window (its id), and the office's decision on a shift under
way whose person declared unavailability (the shift row id). Every press is checked on the server."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.i18n import t


class UnavailAction(StrEnum):
    DELETE = "del"      # unavailability window id
    TAKEOVER = "take"   # duty shift row id: find someone to take over the running shift now
    KEEP = "keep"       # duty shift row id: leave the roster as it is


@dataclass(frozen=True)
class UnavailAct(Action, prefix="unavV1"):
    action: UnavailAction
    id: int


def _b(label: str, action: UnavailAction, id_: int) -> Button:
    return Button(label, UnavailAct(action, id_).pack())


def delete_buttons(windows: list[tuple[int, str]], lang: str) -> Buttons:
    return [[_b(t("unavail.btn.delete", lang, when=w), UnavailAction.DELETE, i)] for i, w in windows]


def running_buttons(shift_id: int, lang: str) -> Buttons:
    return [[_b(t("unavail.btn.takeover", lang), UnavailAction.TAKEOVER, shift_id),
             _b(t("unavail.btn.keep", lang), UnavailAction.KEEP, shift_id)]]

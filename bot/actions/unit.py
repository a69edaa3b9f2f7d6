"""The office's picker of the unit involved (涉及单位): a button per candidate unit and "none of these". The press
carries the incident and the unit's id (or NONE); the server checks the presser and the unit on every press."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.i18n import t

NONE = "none"  # "none of these": the unit involved is not one of the organisation's units


@dataclass(frozen=True)
class UnitAct(Action, prefix="unitV1"):
    incident: int
    unit: str  # a unit's id, or NONE


def picker_buttons(incident_id: int, units: Iterable[tuple[int, str]], lang: str) -> Buttons:
    """A button per (unit id, name), two to a row, then "none of these" on its own row."""
    buttons = [Button(name, UnitAct(incident_id, str(uid)).pack()) for uid, name in units]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return [*rows, [Button(t("unit.btn.none", lang), UnitAct(incident_id, NONE).pack())]]


def unit_of(act: UnitAct) -> int | None:
    """The unit id a press names; None for NONE; ValueError for anything else."""
    if act.unit == NONE:
        return None
    if not (act.unit.isascii() and act.unit.isdigit()) or len(act.unit) > 10:
        raise ValueError(act.unit)
    return int(act.unit)

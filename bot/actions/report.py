"""The report dialogue's buttons (their keyboards are laid out by the Telegram adapter,
bot/telegram/keyboards.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action


class ReportAction(StrEnum):
    SET = "set"          # choose a value for the current field
    BACK = "back"
    SKIP = "skip"
    KEEP = "keep"        # keep the answer the current field has (value: the field)
    CANCEL = "cancel"
    CONFIRM = "ok"
    EDIT = "edit"        # open the field picker
    FIELD = "field"      # edit this field
    REVIEW = "review"    # back to the summary
    RESUME = "resume"
    DISCARD = "discard"
    RESTORE = "restore"  # bring back a draft just cancelled


@dataclass(frozen=True)
class ReportAct(Action, prefix="rpV1"):
    action: ReportAction
    value: str = ""

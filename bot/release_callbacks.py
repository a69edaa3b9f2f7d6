"""Buttons of the release cards. The prefix carries a version so buttons already sent keep parsing.

A button names the version (draft id) and the stage it was sent for; the server checks both, the
person's current roles and the draft's state on every press — the data itself is never trusted.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import DbId
from bot.i18n import t


class RelAction(StrEnum):
    SUBMIT = "sub"      # the drafter sends the version for approval
    APPROVE = "ok"
    REJECT = "no"       # asks for a reason first
    CHANGES = "chg"     # asks for a comment first; it goes back to the drafter


class RelV1(CallbackData, prefix="relV1"):
    action: RelAction
    draft: DbId
    stage: str = ""  # review | approval; empty for SUBMIT


def _button(text: str, action: RelAction, draft: int, stage: str = "") -> dict[str, str]:
    return {"text": text, "callback_data": RelV1(action=action, draft=draft, stage=stage).pack()}


def submit_markup(draft: int, lang: str) -> dict[str, Any]:
    """As a reply_markup dict (aiogram validates it on `answer`, the outbox stores it as JSON)."""
    return {"inline_keyboard": [[_button(t("release.btn.submit", lang), RelAction.SUBMIT, draft)]]}


def decision_markup(draft: int, stage: str, lang: str) -> dict[str, Any]:
    return {"inline_keyboard": [
        [_button(t("release.btn.approve", lang), RelAction.APPROVE, draft, stage)],
        [_button(t("release.btn.reject", lang), RelAction.REJECT, draft, stage),
         _button(t("release.btn.changes", lang), RelAction.CHANGES, draft, stage)],
    ]}


def force_reply(placeholder: str) -> dict[str, Any]:
    return {"force_reply": True, "input_field_placeholder": placeholder[:64]}

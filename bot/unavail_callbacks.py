"""Buttons of declared unavailability: delete a window (its id), and the office's decision on a shift
under way whose person declared unavailability (the shift row id). Every press is checked on the server."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import DbId
from bot.i18n import t


class UnavailAction(StrEnum):
    DELETE = "del"      # unavailability window id
    TAKEOVER = "take"   # duty shift row id: find someone to take over the running shift now
    KEEP = "keep"       # duty shift row id: leave the roster as it is


class UnavailCB(CallbackData, prefix="unavV1"):
    action: UnavailAction
    id: DbId


def _b(text: str, action: UnavailAction, id_: int) -> dict[str, str]:
    return {"text": text, "callback_data": UnavailCB(action=action, id=id_).pack()}


def delete_markup(windows: list[tuple[int, str]], lang: str) -> dict[str, Any]:
    return {"inline_keyboard": [[_b(t("unavail.btn.delete", lang, when=w), UnavailAction.DELETE, i)]
                                for i, w in windows]}


def running_markup(shift_id: int, lang: str) -> dict[str, Any]:
    return {"inline_keyboard": [[_b(t("unavail.btn.takeover", lang), UnavailAction.TAKEOVER, shift_id),
                                 _b(t("unavail.btn.keep", lang), UnavailAction.KEEP, shift_id)]]}

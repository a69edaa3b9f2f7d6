"""Buttons of the working group (专门工作组): the main leader confirms or edits the proposed group; each member
joins or cannot join the first meeting (碰头会). The data only names the group or the meeting; every press is
checked on the server (bot/presses/working_group.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.i18n import t


class GroupAction(StrEnum):
    CONFIRM = "ok"   # the group's id
    EDIT = "edit"    # the group's id
    JOIN = "join"    # the meeting's id
    CANT = "cant"    # the meeting's id


@dataclass(frozen=True)
class GroupAct(Action, prefix="wgV1"):
    action: GroupAction
    ref: int


def _b(key: str, lang: str, action: GroupAction, ref: int) -> Button:
    return Button(t(key, lang), GroupAct(action, ref).pack())


def proposal_buttons(group_id: int, lang: str) -> Buttons:
    return [[_b("wg.btn.confirm", lang, GroupAction.CONFIRM, group_id),
             _b("wg.btn.edit", lang, GroupAction.EDIT, group_id)]]


def meeting_buttons(meeting_id: int, lang: str) -> Buttons:
    return [[_b("wg.btn.join", lang, GroupAction.JOIN, meeting_id),
             _b("wg.btn.cant", lang, GroupAction.CANT, meeting_id)]]

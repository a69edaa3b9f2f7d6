"""Buttons of a task (督办): the owner accepts it, reports it done or asks for help; an ambiguous target is
picked among the candidates. The data only names the object; every press is checked on the server."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.actions.codec import Action
from bot.channels.types import Button, Buttons
from bot.i18n import t


class TaskAction(StrEnum):
    ACCEPT = "ok"
    DONE = "done"
    HELP = "help"
    PICK_UNIT = "pu"    # the assigner chose this unit among several that matched
    PICK_PERSON = "pp"  # ... or this person


@dataclass(frozen=True)
class TaskAct(Action, prefix="tskV1"):
    action: TaskAction
    ref: int  # the task; for a pick, the unit or the person


def owner_buttons(task_id: int, lang: str, *, accepted: bool = False) -> Buttons:
    row = [] if accepted else [Button(t("task.btn.accept", lang), TaskAct(TaskAction.ACCEPT, task_id).pack())]
    return [row + [Button(t("task.btn.done", lang), TaskAct(TaskAction.DONE, task_id).pack()),
                   Button(t("task.btn.help", lang), TaskAct(TaskAction.HELP, task_id).pack())]]


def pick_buttons(candidates: list[tuple[str, int, str]], lang: str) -> Buttons:
    """One button a candidate: ("unit" | "person", id, label)."""
    return [[Button(label, TaskAct(TaskAction.PICK_UNIT if kind == "unit" else TaskAction.PICK_PERSON, ref).pack())]
            for kind, ref, label in candidates]

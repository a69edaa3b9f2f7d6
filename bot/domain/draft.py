"""A report being filled in: which field to ask next, Back/Skip, and the template merge.

Kept as JSON in the FSM storage, so it survives restarts; pure, so it is easy to test.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from bot.domain import report as rf

# The guided dialog asks these in order; `discovered` defaults to when the report was started.
DIALOG_FIELDS: tuple[str, ...] = tuple(f for f in rf.FIELD_NAMES if f != "discovered")


@dataclass
class Draft:
    values: dict[str, Any] = field(default_factory=dict)  # rf.to_json form
    evidence: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "dialog"  # dialog: every field, optional ones skippable | template: only what is missing/invalid
    step: str | None = None
    history: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    editing: bool = False
    # questions Back went past: asked again, in order, on the way forward (with their answers shown and kept
    # by one tap), rather than jumping to the first unanswered field
    ahead: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, now: datetime, mode: str = "dialog") -> Draft:
        return cls(values=rf.to_json({"discovered": now}), mode=mode)

    @classmethod
    def load(cls, data: dict[str, Any]) -> Draft | None:
        raw = data.get("draft")
        return cls(**raw) if raw else None

    def _fields(self) -> dict[str, Any]:
        # not dataclasses.asdict: its deep copy is a walk in Python, and every consumer (the FSM storage, the
        # token's JSON) copies or encodes anyway
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def dump(self) -> dict[str, Any]:
        return {"draft": self._fields()}

    def token(self) -> str:
        """Names this draft as it stands (a Restore button carries it, so an older button cannot bring back a
        later draft)."""
        return hashlib.sha256(json.dumps(self._fields(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]

    def parsed(self) -> dict[str, Any]:
        return rf.from_json(self.values)

    @property
    def filled(self) -> int:
        return sum(1 for k in self.values if k != "discovered")

    def set(self, name: str, value: Any) -> None:
        merged = self.parsed()
        merged[name] = value
        self.values = rf.to_json(merged)
        for lst in (self.skipped, self.invalid):
            if name in lst:
                lst.remove(name)

    def merge_template(self, result: rf.TemplateResult) -> None:
        merged = self.parsed()
        merged.update(result.values)
        self.values = rf.to_json(merged)
        self.invalid = [n for n in rf.FIELD_NAMES if n in result.errors]
        self.ahead = []  # a template re-decides what is left to ask
        if result.recognised >= 2 and self.filled >= 2 and self.mode == "dialog" and not self.history:
            self.mode = "template"

    def next_field(self) -> str | None:
        if self.invalid:
            return self.invalid[0]
        filled = set(self.values)
        if self.mode == "template":
            return next((f for f in rf.missing(self.parsed()) if f != "discovered"), None)
        for name in DIALOG_FIELDS:
            if name not in filled and name not in self.skipped:
                return name
        return next((f for f in rf.missing(self.parsed())), None)

    def advance(self) -> str | None:
        """Move to the next question; None when the draft is ready for review."""
        if self.step and (not self.history or self.history[-1] != self.step):
            self.history.append(self.step)
        if self.editing:
            self.step = None
        elif self.ahead:
            self.step = self.ahead.pop(0)
        else:
            self.step = self.next_field()
        self.editing = False
        return self.step

    def back(self) -> str | None:
        if not self.history:
            return self.step
        if self.step is not None:
            self.ahead.insert(0, self.step)
        self.step = self.history.pop()
        if self.step in self.skipped:
            self.skipped.remove(self.step)
        return self.step

    def current(self) -> Any:
        """The answer the current question already has (after Back, or Edit from the summary), else None."""
        value = self.parsed().get(self.step) if self.step else None
        return value if rf.is_filled(value) else None

    def keep(self, name: str) -> bool:
        """Keep the current question's answer as it is and move on; False when the button is not for the
        current question or there is nothing to keep. A wrong value pasted over a good answer is dropped, the
        answer kept."""
        if name != self.step or self.current() is None:
            return False
        if name in self.invalid:
            self.invalid.remove(name)
        self.advance()
        return True

    def skip(self) -> bool:
        """Skip the current question, leaving it blank; False when it is required."""
        if self.step is None or self.step in rf.REQUIRED:
            return False
        if self.step not in self.skipped:
            self.skipped.append(self.step)
        if self.step in self.values:  # an answer given before Back: skipping (Clear) leaves the field blank
            self.values = {k: v for k, v in self.values.items() if k != self.step}
        if self.step in self.invalid:  # a wrong value in a pasted template: skipping it drops it for good
            self.invalid.remove(self.step)
        return True

    def edit(self, name: str) -> None:
        self.step = name
        self.editing = True

    def progress(self) -> tuple[int, int]:
        if self.step in DIALOG_FIELDS and self.mode == "dialog":
            return DIALOG_FIELDS.index(self.step) + 1, len(DIALOG_FIELDS)
        if self.mode == "template":
            # only the questions this template needs: those asked since, and those still ahead (a wrong optional
            # value among them, which counting the required fields made "9/8")
            ahead = list(dict.fromkeys([*self.ahead, *self.invalid,
                                        *(f for f in rf.missing(self.parsed()) if f != "discovered")]))
            if self.step is not None and self.step not in ahead:
                ahead.insert(0, self.step)
            asked = [f for f in dict.fromkeys(self.history) if f not in ahead]
            return len(asked) + 1, len(asked) + len(ahead)
        return len([f for f in rf.REQUIRED if f in self.values]) + 1, len(rf.REQUIRED)

    def add_evidence(self, item: dict[str, Any]) -> int:
        key = item.get("file_unique_id") or item.get("sha256") or item.get("url") or item.get("text")
        if key and any((e.get("file_unique_id") or e.get("sha256") or e.get("url") or e.get("text")) == key
                       for e in self.evidence):
            return len(self.evidence)
        self.evidence.append(item)
        return len(self.evidence)

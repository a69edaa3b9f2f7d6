"""A report being filled in: which field to ask next, Back/Skip, and the template merge.

Kept as JSON in the FSM storage, so it survives restarts; pure, so it is easy to test.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
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

    @classmethod
    def start(cls, now: datetime, mode: str = "dialog") -> Draft:
        return cls(values=rf.to_json({"discovered": now}), mode=mode)

    @classmethod
    def load(cls, data: dict[str, Any]) -> Draft | None:
        raw = data.get("draft")
        return cls(**raw) if raw else None

    def dump(self) -> dict[str, Any]:
        return {"draft": asdict(self)}

    def token(self) -> str:
        """Names this draft as it stands (a Restore button carries it, so an older button cannot bring back a
        later draft)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]

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
        self.step = None if self.editing else self.next_field()
        self.editing = False
        return self.step

    def back(self) -> str | None:
        if not self.history:
            return self.step
        self.step = self.history.pop()
        if self.step in self.skipped:
            self.skipped.remove(self.step)
        return self.step

    def skip(self) -> bool:
        """Skip the current question; False when it is required."""
        if self.step is None or self.step in rf.REQUIRED:
            return False
        if self.step not in self.skipped:
            self.skipped.append(self.step)
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
            ahead = list(dict.fromkeys([*self.invalid, *(f for f in rf.missing(self.parsed()) if f != "discovered")]))
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

"""The base of every `policy:` section (bot/domain/policy.py): a frozen dataclass with the source's defaults,
whose `from_mapping` rejects unknown keys and non-positive numbers. Its own module, so the capabilities that
define a section (patrol, release …) and the policy that gathers them do not import each other."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Section:
    name: ClassVar[str] = ""

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None):  # noqa: ANN206
        data = dict(data or {})
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(data) - set(known)
        if unknown:
            raise ValueError(f"policy.{cls.name}: unknown key(s) {sorted(unknown)}; known: {sorted(known)}")
        for k, v in data.items():
            default = getattr(cls(), k)
            if isinstance(default, int | float) and not isinstance(default, bool):
                if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
                    raise ValueError(f"policy.{cls.name}.{k} must be a positive number, got {v!r}")
        return cls(**data)

    def to_mapping(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

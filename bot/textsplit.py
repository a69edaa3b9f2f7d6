"""Keep every message within Telegram's 4096-character limit."""

from __future__ import annotations

LIMIT = 4096


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split on line boundaries; a single over-long line is cut hard."""
    parts: list[str] = []
    cur = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if cur:
                parts.append(cur)
                cur = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{cur}\n{line}" if cur else line
        if len(candidate) > limit:
            parts.append(cur)
            cur = line
        else:
            cur = candidate
    if cur or not parts:
        parts.append(cur)
    return [p for p in parts if p] or [" "]

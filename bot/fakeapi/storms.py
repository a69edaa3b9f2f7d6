"""Time-based storms (every matching call answered 429 or 502 for a while) and the rule Telegram punishes:
no call to a chat within a retry_after window it was given for that chat.

``api.storm(20)`` answers every call but getUpdates with 429 for 20 seconds, retry_after = the seconds the
storm has left (rounded up) unless ``retry_after=`` says otherwise; ``api.storm(15, status=502)`` (or
``api.storm_502(15)``) with Bad Gateway. Every 429 this server answers — a storm, an injected fault, the
enforced limits — opens a window for its chat (or, for a call without a chat, for the whole bot); a call
made inside an open window is recorded in ``api.violations`` (and still answered, as Telegram would).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from .records import Violation
from .spec import ApiError

UNSTORMED = frozenset({"getupdates"})  # "*" spares the update stream: the bot must still hear the user
WINDOW_SLACK = 0.01  # seconds: the client's window starts when it reads the answer, after ours


@dataclass
class Storm:
    until: float  # time.monotonic()
    status: int
    methods: frozenset[str] | None  # lower-case names; None = every method but getUpdates
    retry_after: int | None
    chat_id: Any = None  # only this chat, when set

    def matches(self, method: str, chat_id: Any, now: float) -> bool:
        if now >= self.until:
            return False
        m = method.lower()
        if self.methods is None and m in UNSTORMED:
            return False
        if self.methods is not None and m not in self.methods:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self, now: float) -> ApiError:
        if self.status == 429:
            retry = self.retry_after if self.retry_after is not None else max(1, math.ceil(self.until - now))
            return ApiError(429, f"Too Many Requests: retry after {retry}", parameters={"retry_after": retry})
        return ApiError(self.status, {502: "Bad Gateway", 500: "Internal Server Error"}.get(self.status, "Error"))


class StormsMixin:
    """State lives on FakeBotAPI (``_storms``, ``_windows``, ``storm_answers``); see the module docstring."""

    _storms: list[Storm]
    _windows: dict[Any, float]  # chat id (None: the whole bot) -> monotonic end of its retry_after window
    violations: list[Violation]
    storm_answers: int

    def _init_storms(self) -> None:
        self._storms, self._windows, self.storm_answers = [], {}, 0

    def storm(self, seconds: float, *, retry_after: int | None = None, methods: str | list[str] = "*",
              status: int = 429, chat_id: Any = None) -> None:
        """For the next `seconds`, answer every matching call with `status` (429 or a 5xx). `methods`: "*"
        (all but getUpdates) or names; `chat_id`: one chat only."""
        if status != 429 and not 500 <= status < 600:
            raise ValueError(f"a storm answers 429 or a 5xx, not {status}")
        names = None if methods == "*" else frozenset(m.lower() for m in ([methods] if isinstance(methods, str)
                                                                           else methods))
        cid = self._chat(chat_id)["id"] if chat_id is not None else None  # type: ignore[attr-defined]
        self._storms.append(Storm(time.monotonic() + float(seconds), status, names, retry_after, cid))

    def storm_502(self, seconds: float, *, methods: str | list[str] = "*", chat_id: Any = None) -> None:
        self.storm(seconds, methods=methods, status=502, chat_id=chat_id)

    def end_storms(self) -> None:
        self._storms.clear()

    def storming(self) -> bool:
        now = time.monotonic()
        return any(s.until > now for s in self._storms)

    def retry_windows(self) -> dict[str, float]:
        """Open windows: chat id (or "*" for the whole bot) -> seconds left."""
        now = time.monotonic()
        return {("*" if k is None else str(k)): round(v - now, 3) for k, v in self._windows.items() if v > now}

    def window_violations(self) -> list[Violation]:
        return [v for v in self.violations if v.description.startswith("called within retry_after")]

    # ------------------------------------------------------------------ used by process()
    def _storm_error(self, method: str, chat_id: Any) -> ApiError | None:
        now = time.monotonic()
        for s in self._storms:
            if s.matches(method, chat_id, now):
                self.storm_answers += 1
                return s.error(now)
        return None

    def _check_window(self, method: str, chat_id: Any, params: dict[str, Any]) -> None:
        """A call inside a retry_after window Telegram gave: recorded (Telegram would lengthen the ban)."""
        if method.lower() in UNSTORMED:
            return
        now = time.monotonic()
        for key in (None, chat_id) if chat_id is not None else (None,):
            end = self._windows.get(key)
            if end is not None and now < end - WINDOW_SLACK:
                where = "the bot" if key is None else f"chat {key}"
                self.violations.append(Violation(method, f"called within retry_after for {where} "
                                                         f"({end - now:.2f} s left)", dict(params), 429))
                return

    def _note_retry_after(self, chat_id: Any, retry_after: Any) -> None:
        try:
            seconds = float(retry_after)
        except (TypeError, ValueError):
            return
        end = time.monotonic() + seconds
        self._windows[chat_id] = max(self._windows.get(chat_id, 0.0), end)

"""Is Telegram answering this instance? Every Bot API call's outcome is noted, so /healthz can say when the
bot has been cut off (an outage, a network or proxy fault, a revoked token) instead of reporting healthy
while no update comes in and nothing goes out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramConflictError,
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates


class TelegramLink(BaseRequestMiddleware):
    """A request middleware (innermost, so each attempt counts). Telegram "answered" when a call returned or
    Telegram refused it for a reason of its own (bad request, forbidden, 429); it did not when the call got
    no answer (network, timeout) or a server error. A refused token is a failure of its own: nothing works."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.last_answer: datetime | None = None
        self.failing_since: datetime | None = None
        self.last_error: str | None = None
        self.token_refused = False
        # getUpdates refused with 409: Telegram gives the updates to someone else (a webhook is set, or a
        # second process polls with the same token). Telegram answers, but nothing reaches this instance.
        self.conflict_since: datetime | None = None
        self.conflict: str | None = None

    async def __call__(self, make_request, bot, method):  # noqa: ANN001, ANN204
        try:
            result = await make_request(bot, method)
        except TelegramUnauthorizedError as e:
            self._failed(e)
            self.token_refused = True
            raise
        except (TelegramServerError, TelegramNetworkError) as e:  # no answer, or Telegram's side broken
            self._failed(e)
            raise
        except TelegramConflictError as e:
            self._answered()
            self.conflict_since, self.conflict = self.conflict_since or self.now(), e.message[:300]
            raise
        except TelegramAPIError:  # an answer, if a refusal: Telegram is there
            self._answered()
            raise
        except Exception as e:  # no answer at all (a timeout, a socket error)
            self._failed(e)
            raise
        self._answered()
        if isinstance(method, GetUpdates):
            self.conflict_since = self.conflict = None
        return result

    def _answered(self) -> None:
        self.last_answer, self.failing_since, self.token_refused = self.now(), None, False

    def _failed(self, e: BaseException) -> None:
        self.failing_since = self.failing_since or self.now()
        self.last_error = f"{type(e).__name__}: {e}"[:300]

    def report(self, now: datetime, max_lag: float) -> tuple[dict[str, Any], list[str]]:
        """The health report's telegram fields, and its problems: a refused token at once, no answer for
        longer than `max_lag` seconds."""
        failing = (now - self.failing_since).total_seconds() if self.failing_since else 0.0
        conflict = (now - self.conflict_since).total_seconds() if self.conflict_since else 0.0
        fields: dict[str, Any] = {
            "telegram": ("token refused" if self.token_refused else "failing" if self.failing_since
                         else "conflict" if self.conflict_since else "ok" if self.last_answer else "no call yet"),
            "telegram_failing_seconds": round(max(failing, 0.0), 3),
            "telegram_last_answer": self.last_answer.isoformat() if self.last_answer else None,
        }
        if self.failing_since:
            fields["telegram_last_error"] = self.last_error
        if self.conflict_since:
            fields["telegram_conflict"] = self.conflict
        problems = []
        if self.token_refused:
            problems.append("telegram refused the bot token")
        elif failing > max_lag:
            problems.append(f"telegram_failing_seconds {failing:.0f} s > {max_lag:.0f} s")
        elif conflict > max_lag:
            problems.append(f"telegram gives this bot's updates to another process for {conflict:.0f} s "
                            f"(> {max_lag:.0f} s): {self.conflict}")
        return fields, problems

"""What tests and load drivers read from FakeBotAPI: the chats' current messages, the recorded calls, and
waiting until the bot has done something. A mixin of FakeBotAPI (bot/fakeapi/server.py), whose state it reads."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from typing import Any

from .records import CallRecord


class QueriesMixin:
    def chat_messages(self, chat_id: Any, *, include_user: bool = False) -> list[dict]:
        """Current state (edits applied, deletions removed) of the messages in a chat, oldest first."""
        hist = self._history.get(self._chat(chat_id)["id"], {})
        return [copy.deepcopy(m) for mid, (who, m) in sorted(hist.items()) if who == "bot" or include_user]

    def message(self, chat_id: Any, message_id: int) -> dict | None:
        entry = self._history.get(self._chat(chat_id)["id"], {}).get(message_id)
        return copy.deepcopy(entry[1]) if entry else None

    def last_message(self, chat_id: Any) -> dict | None:
        """The bot's latest message in the chat (a copy of that one only: load drivers call it per press)."""
        hist = self._history.get(self._chat(chat_id)["id"], {})
        mid = max((mid for mid, (who, _) in hist.items() if who == "bot"), default=None)
        return copy.deepcopy(hist[mid][1]) if mid is not None else None

    def _match(self, rec: CallRecord, method: str | None, chat_id: Any, contains: str | None) -> bool:
        return ((method is None or rec.method.lower() == method.lower())
                and (chat_id is None or rec.chat_id == self._chat(chat_id)["id"])
                and (contains is None or contains in (rec.text or "")))

    def sent(self, method: str | None = None, chat_id: Any = None, *, contains: str | None = None) -> list[CallRecord]:
        """Message-sending calls whose message Telegram took (delivered), incl. 'timeout' faults."""
        return [r for r in self.calls if r.taken and self._match(r, method, chat_id, contains)]

    def refused(self, method: str | None = None, chat_id: Any = None, *, contains: str | None = None) -> list[CallRecord]:
        """Message-sending calls that were answered with an error (nothing delivered)."""
        return [r for r in self.calls if r.sends_message and r.finished and not r.taken
                and self._match(r, method, chat_id, contains)]

    def calls_to(self, method: str) -> list[CallRecord]:
        return [r for r in self.calls if r.method.lower() == method.lower()]

    @property
    def errors(self) -> list[CallRecord]:
        """Calls answered with an error (incl. injected faults and 429s; not client-cancelled polls)."""
        return [r for r in self.calls if r.finished and not r.ok and r.error_code is not None]

    @property
    def confirmed(self) -> int:
        """Highest update id that is no longer pending."""
        return min(self._pending, default=self._next_update_id) - 1

    def unanswered_callbacks(self) -> list[str]:
        return [cid for cid, answered in self._callbacks.items() if not answered]

    # ------------------------------------------------------------------ waiting
    async def _wait_until(self, pred: Callable[[], Any], timeout: float, what: str) -> Any:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while True:
            ev = self._changed
            if result := pred():
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                last = [f"{r.method}({'ok' if r.ok else r.description})" for r in self.calls[-5:]]
                raise TimeoutError(f"FakeBotAPI: {what} not reached in {timeout}s; pending updates "
                                   f"{list(self._pending)}, webhook={bool(self._webhook)}, last calls {last}")
            try:
                await asyncio.wait_for(ev.wait(), remaining)
            except TimeoutError:
                pass

    async def wait_confirmed(self, update_id: int, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until the bot confirmed ``update_id`` (getUpdates offset beyond it / webhook 2xx)."""
        await self._wait_until(lambda: update_id not in self._pending and update_id < self._next_update_id,
                               timeout, f"confirmation of update {update_id}")
        if update_id in self.dropped_updates:
            raise RuntimeError(f"update {update_id} was dropped: {self.dropped_updates[update_id]}")

    async def wait_idle(self, timeout: float = 10, settle: float = 0.05) -> None:  # noqa: ASYNC109
        """Until every pushed update is confirmed and no call happened for ``settle`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            await self._wait_until(lambda: not self._pending and self._inflight == 0,
                                   max(0.0, deadline - time.monotonic()), "idle")
            n = len(self.calls)
            await asyncio.sleep(settle)
            if len(self.calls) == n and not self._pending and self._inflight == 0:
                return

    async def wait_for_call(self, method: str, predicate: Callable[[CallRecord], bool] | None = None,
                            timeout: float = 10, start: int = 0) -> CallRecord:  # noqa: ASYNC109
        """First finished call of ``method`` (from index ``start`` of ``api.calls``) matching ``predicate``."""
        def find() -> CallRecord | None:
            return next((r for r in self.calls[start:] if r.finished and r.method.lower() == method.lower()
                         and (predicate is None or predicate(r))), None)
        return await self._wait_until(find, timeout, f"call to {method}")

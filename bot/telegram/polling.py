"""Long polling through the durable inbox.

aiogram's own polling confirms an update to Telegram (the next getUpdates offset) before its
handler has finished, so a crash loses it. Here a batch is first written to the inbox and
committed; each update is then processed, and marked done in the same transaction as its effects;
only then does the next getUpdates confirm the batch. On start, rows received but not done are
processed first. Updates of one chat are handled in order; different chats concurrently.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates
from aiogram.types import Update
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.ops.dbfault import FAULTS, backoff
from bot.services import inbox
from bot.telegram.middlewares import InboxOutcome

log = logging.getLogger("onduty.polling")
T = TypeVar("T")


def _chat_key(payload: dict[str, Any]) -> Any:
    for kind in ("message", "edited_message", "callback_query", "my_chat_member", "chat_member"):
        obj = payload.get(kind)
        if isinstance(obj, dict):
            user = obj.get("from") or {}
            return user.get("id") or (obj.get("chat") or {}).get("id")
    return payload.get("update_id")


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but end at once when the process is asked to stop."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


class InboxProcessor:
    """Feeds inbox rows to the dispatcher and books failures; shared by polling and the webhook.

    A storage fault (the disk is full, the database read-only or locked past its timeout, PostgreSQL gone:
    bot/ops/dbfault.py) is not the update's failure: the row stays "received", no attempt is counted, and the
    update is tried again after a back-off (`settle`) — after the ones before it in its chat, never before."""

    WHERE = "inbox"  # the loop's name in /healthz while it waits out a storage fault

    def __init__(self, dp: Dispatcher, bot: Bot, sessions: async_sessionmaker[AsyncSession], clock: Clock):
        self.dp, self.bot, self.sessions, self.clock = dp, bot, sessions, clock

    async def process(self, update_id: int, payload: dict[str, Any], upd: Update | None = None) -> bool:
        """True when the update is settled (done, or its failure booked); False when the database could not
        take it: it is still "received", to be tried again."""
        outcome = InboxOutcome()
        try:
            if upd is None:  # read back from the inbox; a fresh poll hands over the parsed update
                upd = Update.model_validate(payload, context={"bot": self.bot})
            await self.dp.feed_update(self.bot, upd, inbox_update_id=update_id, inbox_outcome=outcome)
            if outcome.settled:
                FAULTS.recovered(self.WHERE)
                return True  # done and committed with its effects: no second transaction to check
            if outcome.fault is not None:
                FAULTS.failed(self.WHERE, outcome.fault)
                return False
            error = "handler failed"
        except Exception as e:  # noqa: BLE001 - any failure is booked on the row, never lost
            if FAULTS.failed(self.WHERE, e):
                return False
            log.exception("update %s failed", update_id)
            error = f"{type(e).__name__}: {e}"
        try:
            async with self.sessions() as s, s.begin():
                if await inbox.status_of(s, update_id) == "received":  # its transaction did not commit
                    status = await inbox.note_failure(s, update_id, error=error)
                    log.warning("update %s not done (%s); inbox status %s", update_id, error, status)
        except Exception as e:
            if FAULTS.failed(self.WHERE, e):
                return False
            raise
        FAULTS.recovered(self.WHERE)
        return True

    async def process_many(self, items: list[tuple[int, dict[str, Any]]],
                           parsed: list[Update | None] | None = None) -> list[tuple[int, dict[str, Any]]]:
        """Process the updates, each chat's in order; returns those the database could not take (in order):
        after one such, the rest of its chat waits too, so a chat's updates are never reordered."""
        by_chat: dict[Any, list[tuple[int, dict, Update | None]]] = defaultdict(list)
        for i, (update_id, payload) in enumerate(items):
            by_chat[_chat_key(payload)].append((update_id, payload, parsed[i] if parsed else None))
        left: list[tuple[int, dict[str, Any]]] = []

        async def run(chain: list[tuple[int, dict, Update | None]]) -> None:
            for n, (update_id, payload, upd) in enumerate(chain):
                if not await self.process(update_id, payload, upd):
                    left.extend((u, p) for u, p, _ in chain[n:])
                    return

        await asyncio.gather(*(run(chain) for chain in by_chat.values()))
        return sorted(left, key=lambda item: item[0])

    async def settle(self, items: list[tuple[int, dict[str, Any]]], stop: asyncio.Event,
                     parsed: list[Update | None] | None = None) -> bool:
        """Process the updates, trying those the database could not take again, with back-off, until all are
        settled (True) or `stop` is set (False: they stay "received" in the inbox for the next start)."""
        wait = 0.0
        left = await self.process_many(items, parsed)
        while left and not stop.is_set():
            wait = backoff(wait)
            log.warning("%d update(s) wait for the database (%s); next try in %.1fs", len(left),
                        "; ".join(FAULTS.problems()) or "storage fault", wait)
            await _pause(stop, wait)
            if not stop.is_set():
                left = await self.process_many(left)
        return not left

    async def recover(self, stop: asyncio.Event | None = None) -> int:
        """Process what was received but not done before the last stop or crash. With `stop`, what the
        database cannot take yet is tried again until it can (or `stop`); without, one pass."""
        items = await self._with_retries(stop, self._pending)
        if items:
            log.warning("recovering %d update(s) received but not done before the last stop", len(items))
            if stop is None:
                await self.process_many(items)
            else:
                await self.settle(items, stop)
        return len(items)

    async def _pending(self) -> list[tuple[int, dict[str, Any]]]:
        async with self.sessions() as s:
            return await inbox.pending(s, limit=100_000)

    async def _with_retries(self, stop: asyncio.Event | None, fn: Callable[[], Awaitable[T]]) -> T:
        """`fn()`, tried again with back-off while it meets a storage fault (once only without `stop`);
        when `stop` is set meanwhile, the last fault is raised."""
        wait = 0.0
        while True:
            try:
                result = await fn()
            except Exception as e:
                if stop is None or stop.is_set() or not FAULTS.failed(self.WHERE, e):
                    raise
                wait = backoff(wait)
                log.warning("the database cannot take the inbox (%s); next try in %.1fs",
                            "; ".join(FAULTS.problems()), wait)
                await _pause(stop, wait)
                continue
            if wait:
                FAULTS.recovered(self.WHERE)
            return result


class _RawUpdates(GetUpdates):
    """getUpdates, its result left as JSON objects: each update is checked and parsed on its own (`_screen`),
    so one that cannot be read is skipped rather than failing the whole batch at every poll."""

    __returning__ = list[dict[str, Any]]


class DurablePoller(InboxProcessor):
    def __init__(self, dp: Dispatcher, bot: Bot, sessions: async_sessionmaker[AsyncSession], clock: Clock, *,
                 polling_timeout: int = 10):
        super().__init__(dp, bot, sessions, clock)
        self.polling_timeout = polling_timeout

    async def run(self, stop: asyncio.Event) -> None:
        await self.recover(stop)
        allowed = self.dp.resolve_used_update_types()
        offset: int | None = None
        backoff = 1.0
        while not stop.is_set():
            call = _RawUpdates(offset=offset, timeout=self.polling_timeout, allowed_updates=allowed)
            getter = asyncio.create_task(self.bot(call, request_timeout=self.polling_timeout + 10))
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if getter not in done:
                getter.cancel()
                break
            try:
                updates = getter.result()
            except TelegramRetryAfter as e:
                await _pause(stop, e.retry_after)
                continue
            except TelegramConflictError as e:
                # Not ours to settle (deleting someone's webhook would only fight over it): say so and wait.
                # Telegram keeps the updates for whoever takes them; /healthz turns unhealthy after the lag.
                log.error("getUpdates refused: %s — another process takes this bot's updates (a webhook is set, "
                          "or a second `onduty run` polls with the same token); retrying in %.0fs", e.message, backoff)
                await _pause(stop, backoff)
                backoff = min(backoff * 2, 30)
                continue
            except (TelegramNetworkError, TelegramServerError) as e:
                log.warning("getUpdates failed (%s); retrying in %.0fs", e, backoff)
                await _pause(stop, backoff)
                backoff = min(backoff * 2, 30)
                continue
            backoff = 1.0
            if not updates:
                continue
            items, parsed = self._screen(updates)
            if items:
                try:
                    await self._with_retries(stop, partial(self._record, [p for _, p in items]))
                except Exception:
                    if stop.is_set():  # asked to stop while the database was failing: not confirmed, nothing lost
                        break
                    raise
                if not await self.settle(items, stop, parsed):
                    break  # stopping: the rest stay "received" (and unconfirmed), taken first on the next start
            # Confirmed to Telegram only now (the next getUpdates' offset): everything up to here is done, or
            # was refused for good (_screen), which a retry would only refuse again.
            ids = [u["update_id"] for u in updates if isinstance(u, dict) and type(u.get("update_id")) is int
                   and u["update_id"] >= 0]
            if ids:
                offset = max(ids) + 1

    async def _record(self, payloads: list[dict[str, Any]]) -> None:
        async with self.sessions() as s, s.begin():
            await inbox.record(s, payloads, now=self.clock.now())

    def _screen(self, updates: list[Any]) -> tuple[list[tuple[int, dict[str, Any]]], list[Update | None]]:
        """The updates that can be taken, parsed; the others (out-of-range numbers, not an update aiogram
        can read) are logged and skipped: they would fail the same way at every retry."""
        items: list[tuple[int, dict[str, Any]]] = []
        parsed: list[Update | None] = []
        for payload in updates:
            reason = inbox.refuse_reason(payload)
            if reason is None:
                try:
                    parsed.append(Update.model_validate(payload, context={"bot": self.bot}))
                except ValidationError as e:
                    reason = f"unreadable ({e.error_count()} error(s))"
            if reason is not None:
                uid = payload.get("update_id") if isinstance(payload, dict) else None
                log.error("update %s skipped: %s", str(uid)[:40], reason)
                continue
            items.append((payload["update_id"], payload))
        return items, parsed

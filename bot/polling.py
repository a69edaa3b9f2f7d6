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
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.middlewares import InboxOutcome
from bot.services import inbox

log = logging.getLogger("onduty.polling")


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
    """Feeds inbox rows to the dispatcher and books failures; shared by polling and the webhook."""

    def __init__(self, dp: Dispatcher, bot: Bot, sessions: async_sessionmaker[AsyncSession], clock: Clock):
        self.dp, self.bot, self.sessions, self.clock = dp, bot, sessions, clock

    async def process(self, update_id: int, payload: dict[str, Any], upd: Update | None = None) -> None:
        outcome = InboxOutcome()
        try:
            if upd is None:  # read back from the inbox; a fresh poll hands over the parsed update
                upd = Update.model_validate(payload, context={"bot": self.bot})
            await self.dp.feed_update(self.bot, upd, inbox_update_id=update_id, inbox_outcome=outcome)
            if outcome.settled:
                return  # done and committed with its effects: no second transaction to check
            error = "handler failed"
        except Exception as e:  # noqa: BLE001 - any failure is booked on the row, never lost
            log.exception("update %s failed", update_id)
            error = f"{type(e).__name__}: {e}"
        async with self.sessions() as s, s.begin():
            if await inbox.status_of(s, update_id) == "received":  # its transaction did not commit
                status = await inbox.note_failure(s, update_id, error=error)
                log.warning("update %s not done (%s); inbox status %s", update_id, error, status)

    async def process_many(self, items: list[tuple[int, dict[str, Any]]], parsed: list[Update] | None = None) -> None:
        by_chat: dict[Any, list[tuple[int, dict, Update | None]]] = defaultdict(list)
        for i, (update_id, payload) in enumerate(items):
            by_chat[_chat_key(payload)].append((update_id, payload, parsed[i] if parsed else None))

        async def run(chain: list[tuple[int, dict, Update | None]]) -> None:
            for update_id, payload, upd in chain:
                await self.process(update_id, payload, upd)

        await asyncio.gather(*(run(chain) for chain in by_chat.values()))

    async def recover(self) -> int:
        """Process what was received but not done before the last stop or crash (one pass)."""
        async with self.sessions() as s:
            items = await inbox.pending(s, limit=100_000)
        if items:
            log.warning("recovering %d update(s) received but not done before the last stop", len(items))
            await self.process_many(items)
        return len(items)


class DurablePoller(InboxProcessor):
    def __init__(self, dp: Dispatcher, bot: Bot, sessions: async_sessionmaker[AsyncSession], clock: Clock, *,
                 polling_timeout: int = 10):
        super().__init__(dp, bot, sessions, clock)
        self.polling_timeout = polling_timeout

    async def run(self, stop: asyncio.Event) -> None:
        await self.recover()
        allowed = self.dp.resolve_used_update_types()
        offset: int | None = None
        backoff = 1.0
        while not stop.is_set():
            call = GetUpdates(offset=offset, timeout=self.polling_timeout, allowed_updates=allowed)
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
            payloads = [u.model_dump(mode="json", exclude_none=True, by_alias=True) for u in updates]
            async with self.sessions() as s, s.begin():
                await inbox.record(s, payloads, now=self.clock.now())
            await self.process_many([(p["update_id"], p) for p in payloads], updates)
            offset = updates[-1].update_id + 1

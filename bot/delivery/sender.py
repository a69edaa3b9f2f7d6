"""The outbox sender: claims due rows, sends them through their channel (bot/channels/port.py; Telegram:
bot/telegram/channel.py) within its limits, and records what the channel said.

Order of effects per message: claim committed → in_flight committed → call the channel → mark sent
committed. A crash before in_flight loses nothing and duplicates nothing; a crash after it leaves a
row that the next claim takes over and flags possible_duplicate (DELIVERY contract in docs/names.md).

Outcomes, as the channel classifies its error: retry-after (429) → pending again after that many seconds (the
channel did not take it); an error response (5xx, 401, 409…) → retried with exponential backoff; no response
(network error, timeout) → retried and flagged possible_duplicate, unless the channel's sends are idempotent
and the retry falls within its window; unreachable (blocked, kicked) → the rows wait for the person or group
and the office is told once; permanent refusal (chat not found, bad request) → failed, and the office is told
(bot/delivery/failures.py). Nudge-like rows to one group chat with the same coalesce_key, created in the same
minute, go out as one combined message (bot/delivery/coalesce.py). When more new incident cards wait for a group
than its minute limit lets out now, they go out as one digest naming them all, each with a button that posts its
card (bot/delivery/group_burst.py): the office group is never minutes behind in a burst.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.port import Channel
from bot.channels.types import TELEGRAM, Address, Classified, ErrorKind, MessageRef, card_from_body
from bot.clock import Clock
from bot.crashpoints import crash_point
from bot.delivery.coalesce import Group, coalesce
from bot.delivery.failures import notify_office_of_failure
from bot.delivery.group_burst import fold_for_group
from bot.delivery.limiter import Limits, RateLimiter
from bot.ops.metrics import OUTBOX_FAILED, OUTBOX_RETRIED, OUTBOX_SENT
from bot.services import card_state, outbox, reachability, room
from bot.services.outbox import OutboxItem

log = logging.getLogger("onduty.delivery")

CRASH_POINTS = ("after_claim", "before_send", "after_send", "before_mark", "after_mark")
TRACKED = TELEGRAM  # the channel bot/services/reachability.py keeps people's and groups' reachability for


class StandInWaiting(Exception):
    """An edit refers to a reply row not sent yet."""


class StandInLost(Exception):
    """An edit refers to a reply row that failed or is gone."""


class ThreadsUnsupported(Exception):
    """A thread (a room's forum topic) asked of a channel that has none: refused for good, the room is not opened."""


def _error_text(e: BaseException) -> str:
    return f"{type(e).__name__}: {getattr(e, 'message', None) or e}"


class OutboxSender:
    """Drains the outbox. `run_once()` sends what is due now; `run_forever(stop)` keeps at it.

    `channels`: the channel every row goes through, or a mapping of channel name → channel (a row names its
    channel; rows without one are Telegram's). Each channel has its own limiter, from `limits` for the first
    and from the channel's published limits for the others; a channel with a fast path of its own for the
    handlers' replies (`replies`: Telegram's request middleware) shares that limiter with it."""

    def __init__(self, channels: Channel | Mapping[str, Channel], sessions: async_sessionmaker[AsyncSession],
                 clock: Clock, *, instance: str | None = None, limits: Limits | None = None,
                 limiter: RateLimiter | None = None, lease: timedelta = timedelta(seconds=60), batch: int = 100,
                 request_timeout: float | None = None, max_wait: float = 5.0, backoff_base: float = 2.0,
                 backoff_max: float = 600.0, concurrency: int = 8, idle: float = 1.0,
                 default_tz: str = "Asia/Shanghai") -> None:
        self.channels: dict[str, Channel] = dict(channels) if isinstance(channels, Mapping) \
            else {channels.name: channels}
        self.default = next(iter(self.channels))
        self.sessions, self.clock = sessions, clock
        self.instance = instance or f"sender-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.limiters = {name: RateLimiter(limits if name == self.default else Limits.of(ch.limits))
                         for name, ch in self.channels.items()}
        if limiter is not None:
            self.limiters[self.default] = limiter
        if request_timeout is None:  # the longest a channel's call may take, counted in the lease
            request_timeout = max(float(getattr(ch, "request_timeout", 15.0)) for ch in self.channels.values())
        self.lease, self.batch, self.request_timeout = lease, batch, request_timeout
        self.max_wait, self.backoff_base, self.backoff_max = max_wait, backoff_base, backoff_max
        self.concurrency, self.idle, self.default_tz = concurrency, idle, default_tz
        self._wake = asyncio.Event()
        self._reachable: set[int] = set()  # private chats a send reached (their identity says so)
        self.stats: dict[str, int] = defaultdict(int)
        # One limiter per channel for the process: a channel's own path for handler replies takes this sender's
        # limiter (and clock, lease, name), so a 429 anywhere holds back every path to that chat.
        self.replies: dict[str, Any] = {}
        for name, ch in self.channels.items():
            fast = getattr(ch, "replies", None)
            if fast is not None:
                fast.attach(limiter=self.limiters[name], now=clock.now, lease=lease, instance=self.instance,
                            sessions=sessions, wake=self.wake, request_timeout=request_timeout)
                self.replies[name] = fast

    @property
    def limiter(self) -> RateLimiter:
        """The first channel's limiter (Telegram's)."""
        return self.limiters[self.default]

    @limiter.setter
    def limiter(self, value: RateLimiter) -> None:
        self.limiters[self.default] = value

    def channel_of(self, item: OutboxItem) -> str:
        """The row's channel; a row that names none is the first channel's (Telegram's, before rows named one)."""
        return getattr(item, "channel", None) or self.default

    def limiter_for(self, g: Group) -> RateLimiter:
        return self.limiters.get(self.channel_of(g.first)) or self.limiter

    def address(self, item: OutboxItem) -> Address:
        return Address(self.channel_of(item), item.conv)

    def is_group(self, item: OutboxItem) -> bool:
        ch = self.channels.get(self.channel_of(item))
        return ch.is_group(self.address(item)) if ch is not None else item.conv.startswith("-")

    def wake(self) -> None:
        """Something was enqueued: look now rather than after the idle wait."""
        self._wake.set()

    # ---------------------------------------------------------------- loop
    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox sender pass failed")
            self._wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            try:
                await asyncio.wait(waiters, timeout=self.idle, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for w in waiters:
                    w.cancel()

    async def run_once(self) -> int:
        """Send everything due now (and what this very pass made due, such as failure notices);
        returns the number of rows marked sent."""
        total = 0
        for fast in self.replies.values():  # replies the channel took, marked sent before anything is claimed
            await fast.flush()
        while True:
            sent, claimed = await self._pass()
            total += sent
            if not claimed:
                return total

    async def _pass(self) -> tuple[int, int]:
        now = self.clock.now()
        async with self.sessions() as s, s.begin():
            items = await outbox.claim_batch(s, instance=self.instance, now=now, limit=self.batch, lease=self.lease)
        if not items:
            return 0, 0
        crash_point("after_claim")
        deadline = time.monotonic() + self.lease.total_seconds() - self.request_timeout - self.max_wait - 1
        by_chat: dict[tuple[str, str], list[OutboxItem]] = defaultdict(list)
        for item in items:
            by_chat[(self.channel_of(item), item.conv)].append(item)
        sem = asyncio.Semaphore(self.concurrency)

        async def chat_task(groups: list[Group]) -> int:
            async with sem:
                return await self._send_chat(groups, deadline)

        results = await asyncio.gather(*(chat_task(self._coalesce(rows)) for rows in by_chat.values()))
        return sum(results), len(items)

    def _coalesce(self, rows: list[OutboxItem]) -> list[Group]:
        ch = self.channels.get(self.channel_of(rows[0]))
        return coalesce(rows, ch.limits.max_text, self.is_group) if ch is not None else coalesce(rows)

    async def _send_chat(self, groups: list[Group], deadline: float) -> int:
        """One chat's messages, in order; once one is held back, the rest wait behind it."""
        group_chat = self.is_group(groups[0].first)
        if group_chat:
            groups = await fold_for_group(self, groups)
        limiter = self.limiter_for(groups[0])
        sent = 0
        for n, g in enumerate(groups):
            hold: datetime | None = None
            if time.monotonic() > deadline:  # the lease is running out: give the rest back
                hold = self.clock.now()
            else:
                # A group waits minutes between bursts (20/min): never hold the whole pass for it.
                wait = await limiter.acquire(g.chat_id, max_wait=min(self.max_wait, 1.0) if group_chat
                                             else self.max_wait)
                if wait > 0:
                    # at least a millisecond: a wait below the clock's resolution would make the row due at
                    # once, and this pass would take it back again and again
                    hold = self.clock.now() + timedelta(seconds=max(wait, 0.001))
            if hold is None:
                outcome = await self._send_group(g)
                if outcome is True:
                    sent += len(g.ids)
                    continue
                if outcome is False:  # failed for good: the next messages are not held up by it
                    continue
                hold, n = outcome, n + 1  # retry later: what follows waits behind it
            rest = [i for later in groups[n:] for i in later.ids]
            if rest:
                async with self.sessions() as s, s.begin():
                    await outbox.release(s, rest, instance=self.instance, not_before=hold)
                self.stats["deferred"] += len(rest)
            return sent
        return sent

    # ---------------------------------------------------------------- one call
    async def _call(self, ch: Channel, g: Group) -> str | None:
        """The channel's call for this group of rows (the adapter renders the neutral body); the reference of
        the message, when the channel names one."""
        address = await self._threaded(g.first)
        payload = dict(g.payload if g.payload is not None else g.first.payload)
        kind = g.first.kind
        if kind == outbox.TOPIC:  # an incident's room (bot/services/room.py): the thread's id is its reference
            opener = getattr(ch, "open_thread", None)
            if opener is None:
                raise ThreadsUnsupported(ch.name)
            return (await opener(address, str(payload.get("name") or ""))).ref
        if kind not in outbox.MESSAGE_KINDS:  # the channel's own operation (Telegram: a command menu)
            await ch.perform(outbox.OPERATIONS.get(kind, kind), address, payload)
            return None
        if payload.get("text") or g.digest or kind == outbox.SEND:  # an edit without text: its buttons only
            payload["text"] = g.text
        card = card_from_body(payload)
        if kind == outbox.SEND:
            ref = await ch.send(address, card, f"outbox:{g.first.id}")
        else:
            target = g.first.ref or await self._edited(ch.name, g.first.edits)
            ref = await ch.edit(address, MessageRef(ch.name, target), card)
        return ref.ref

    async def _threaded(self, item: OutboxItem) -> Address:
        """The row's address with its thread: a stand-in ("-N", the thread the topic row N opens) is that row's
        reference once sent; while it is on its way the message waits behind it; a topic that was never opened
        (refused: not a forum, no rights) leaves the message in the conversation itself."""
        thread = getattr(item, "thread", None)
        if thread is not None and thread.startswith("-"):
            row_id = int(thread[1:])
            async with self.sessions() as s:
                status, ref = (await outbox.message_refs(s, [row_id])).get(row_id, ("missing", None))
            if status in ("pending", "sending"):
                raise StandInWaiting(row_id)
            thread = ref if status == "sent" else None
        return Address(self.channel_of(item), item.conv, thread)

    async def _edited(self, channel: str, row_id: int | None) -> str:
        """The message an edit of an outbox row edits (`edits`: a reply or card not sent when the edit was
        queued): the channel's reference once sent. Not sent yet: the edit waits (StandInWaiting); failed: the
        edit has nothing to edit."""
        if row_id is None:
            raise StandInLost("an edit that names no message")
        fast = self.replies.get(channel)
        known = fast.known_message_id(row_id) if fast is not None else None
        if known is not None:
            return str(known)
        async with self.sessions() as s:
            status, ref = (await outbox.message_refs(s, [row_id])).get(row_id, ("missing", None))
        if status == "sent" and ref is not None:
            return ref
        if status in ("pending", "sending"):
            raise StandInWaiting(row_id)
        raise StandInLost(row_id)

    def _backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.backoff_max, self.backoff_base * 2 ** max(attempts - 1, 0)))

    async def _send_group(self, g: Group) -> bool | datetime:
        """True: the channel took it (rows sent); False: failed for good or dropped (an older or identical state
        of a card, compared now, at the send); a datetime: retry not before then."""
        ch = self.channels.get(self.channel_of(g.first))
        if ch is None:  # a channel this process does not send on (yet): the rows wait
            return await self._retry(g, self._backoff(max(i.attempts for i in g.items) + 1),
                                     LookupError(f"no channel {self.channel_of(g.first)!r} here"), "no_channel")
        async with self.sessions() as s, s.begin():
            why = await card_state.stale(s, g.first.dedup_key, g.first.payload) if len(g.items) == 1 else None
            if why is not None:
                await outbox.mark_superseded(s, g.ids, instance=self.instance, why=why)
            else:
                await outbox.mark_in_flight(s, g.ids, instance=self.instance)
        if why is not None:
            self.stats["superseded"] += 1
            return False
        crash_point("before_send")
        attempts = max(i.attempts for i in g.items) + 1
        tried_at = self.clock.now()
        try:
            message_id = await self._call(ch, g)
        except StandInWaiting as e:  # the message it edits is still on its way: after it
            return await self._retry(g, timedelta(seconds=1), e, "edit_waits")
        except StandInLost as e:  # the message it edits never went out: nothing to edit, nobody to tell
            async with self.sessions() as s, s.begin():
                await outbox.mark_failed(s, g.ids, instance=self.instance, error=_error_text(e))
            self.stats["failed"] += len(g.ids)
            return False
        except ThreadsUnsupported as e:  # a channel without threads: the room stays the group itself
            await self._fail(g, e)
            return False
        except Exception as e:
            return await self._refused(ch, g, e, ch.classify(e), attempts, tried_at)
        crash_point("after_send")
        # A channel whose sends are idempotent: a retry past its window may repeat an earlier unanswered send
        # (the row does not say whether one was; counted, to be safe). Telegram flags at the no-answer itself.
        late = ch.limits.idempotent_window_s > 0 and attempts > 1 and not self._within_window(ch, g, tried_at)
        await self._mark_sent(g, None if g.digest else message_id, possible_duplicate=late)
        crash_point("after_mark")
        return True

    def _within_window(self, ch: Channel, g: Group, at: datetime) -> bool:
        """Is a send at `at` a retry the channel would not repeat (same idempotency key within its window)? Only
        for channels whose sends are idempotent; the row's creation stands for its first attempt, which is never
        earlier, so a retry is never wrongly said to be safe."""
        window = ch.limits.idempotent_window_s
        return window > 0 and (at - min(i.created_at for i in g.items)).total_seconds() <= window

    async def _refused(self, ch: Channel, g: Group, e: Exception, c: Classified, attempts: int,
                       tried_at: datetime) -> bool | datetime:
        """What the channel's error means for the rows (see the module docstring)."""
        if c.migrate_to is not None:  # the group moved (Telegram's supergroup upgrade): binding and rows follow
            new = outbox.chat_key(c.migrate_to)
            async with self.sessions() as s, s.begin():
                await outbox.release(s, g.ids, instance=self.instance, not_before=self.clock.now(),
                                     error=_error_text(e), chat_id=new)
                await reachability.group_migrated(s, g.chat_id, new, now=self.clock.now())
            self.stats["migrated"] += len(g.ids)
            return self.clock.now()
        if c.thread_gone and getattr(g.first, "thread", None) is not None and g.first.kind in outbox.MESSAGE_KINDS:
            # a person deleted the topic: the message goes to the conversation itself (General), the room is
            # marked gone and the office told once (bot/services/room.py)
            async with self.sessions() as s, s.begin():
                await outbox.release(s, g.ids, instance=self.instance, not_before=self.clock.now(),
                                     error=_error_text(e), unthread=True)
                await room.thread_gone(s, self.address(g.first), g.first.thread, now=self.clock.now(),
                                       default_tz=self.default_tz)
            self.stats["unthreaded"] += len(g.ids)
            return self.clock.now()
        if c.kind is ErrorKind.RETRY_AFTER:
            seconds = c.retry_after or 0.0
            if ch.name not in self.replies:  # with a fast path, its gate noted it already (for every path)
                self.limiter_for(g).note_retry_after(g.chat_id, seconds)
            return await self._retry(g, timedelta(seconds=seconds), e, "retry_after")
        if c.kind is ErrorKind.PERMANENT:
            await self._fail(g, e)
            return False
        if c.kind is ErrorKind.UNREACHABLE:
            if await self._hold(g, e, tried_at):
                # the rest for this chat is held too, by the claim's rule; should they have opened the bot just
                # now, the next try is a moment away rather than at once
                return self.clock.now() + timedelta(seconds=1)
            await self._fail(g, e)
            return False
        if c.kind is ErrorKind.ERROR_RESPONSE:  # it was not taken
            return await self._retry(g, self._backoff(attempts), e, "error_response")
        after = self._backoff(attempts)
        # no answer (or an unknown failure): the channel may have taken it, unless it would not take it twice
        duplicate = not self._within_window(ch, g, self.clock.now() + after)
        if c.kind is ErrorKind.NO_RESPONSE:
            return await self._retry(g, after, e, "no_response", possible_duplicate=duplicate)
        log.error("outbox: unexpected error sending rows %s", g.ids, exc_info=e)  # a bug: keep the row
        return await self._retry(g, after, e, "unexpected", possible_duplicate=duplicate)

    async def _hold(self, g: Group, e: BaseException, tried_at: datetime) -> bool:
        """Unreachable (Telegram: 403) for a person of the organisation or a bound group: not a failure — they
        cannot be reached now. The rows wait for them (released as pending; the claim skips an unreachable
        address) and the office is told once for this spell. False for anyone else (a stranger, a contact), and
        on a channel whose reachability is not kept: the row fails as before."""
        if self.channel_of(g.first) != TRACKED:
            return False
        now = self.clock.now()
        self._reachable.discard(g.chat_id)
        description = str(getattr(e, "message", None) or e)
        async with self.sessions() as s, s.begin():
            if not self.is_group(g.first):
                held = await reachability.person_refused(s, g.chat_id, description=description, now=now,
                                                         tried_at=tried_at, default_tz=self.default_tz)
            else:
                held = await reachability.group_refused(s, g.chat_id, now=now, default_tz=self.default_tz)
            if held:
                await outbox.release(s, g.ids, instance=self.instance, not_before=now + timedelta(seconds=1),
                                     error=_error_text(e))
        if held:
            log.info("outbox rows %s to %s wait: the addressee cannot be reached (%s)", g.ids, g.chat_id,
                     description)
            self.stats["held"] += len(g.ids)
            self.wake()
        return held

    async def _mark_sent(self, g: Group, message_id: str | None, *, possible_duplicate: bool = False) -> None:
        crash_point("before_mark")
        async with self.sessions() as s, s.begin():
            await outbox.mark_sent(s, g.ids, now=self.clock.now(), message_id=message_id,
                                   possible_duplicate=possible_duplicate)
            if not g.digest and card_state.is_card_row(g.first.dedup_key):
                await card_state.delivered(s, g.items)
            if g.first.kind == outbox.TOPIC and message_id is not None:  # the room's topic exists now
                await room.topic_opened(s, g.first.id, message_id, now=self.clock.now(), default_tz=self.default_tz)
            if self.channel_of(g.first) == TRACKED and g.chat_id not in self._reachable and not self.is_group(g.first) \
                    and g.first.kind != outbox.COMMANDS:
                # written once a process, on a change
                await reachability.person_succeeded(s, [g.chat_id], now=self.clock.now())
                self._reachable.add(g.chat_id)
        self.stats["sent"] += len(g.ids)
        OUTBOX_SENT.inc(len(g.ids))
        self.stats["messages"] += 1
        self.stats["coalesced"] += len(g.ids) - 1

    async def _retry(self, g: Group, after: timedelta, e: BaseException, why: str, *,
                     possible_duplicate: bool = False) -> datetime:
        log.warning("outbox rows %s to %s: %s (%s); retry in %s", g.ids, g.chat_id, why, _error_text(e), after)
        not_before = self.clock.now() + after
        async with self.sessions() as s, s.begin():
            await outbox.release(s, g.ids, instance=self.instance, not_before=not_before,
                                 error=_error_text(e), possible_duplicate=possible_duplicate)
        self.stats[why] += len(g.ids)
        OUTBOX_RETRIED.labels(why).inc(len(g.ids))
        return not_before

    async def _fail(self, g: Group, e: BaseException) -> None:
        """Permanent refusal: failed, and one notice per row to the office (never about the office itself). A topic
        the group cannot have is refused, not failed: the room stays the group itself (bot/services/room.py)."""
        error = _error_text(e)
        if g.first.kind == outbox.TOPIC:
            now = self.clock.now()
            async with self.sessions() as s, s.begin():
                await outbox.mark_refused(s, g.ids, instance=self.instance, error=error)
                for item in g.items:
                    await room.topic_refused(s, item.id, error=error, now=now, default_tz=self.default_tz)
            self.stats["refused"] += len(g.ids)
            self.wake()
            return
        log.warning("outbox rows %s to %s failed for good: %s", g.ids, g.chat_id, error)
        now = self.clock.now()
        async with self.sessions() as s, s.begin():
            await outbox.mark_failed(s, g.ids, instance=self.instance, error=error)
            for item in g.items:
                if item.kind != outbox.TOPIC_CLOSE:  # a topic that cannot be closed is for the log
                    await notify_office_of_failure(s, item, error=error, now=now, default_tz=self.default_tz)
        self.stats["failed"] += len(g.ids)
        OUTBOX_FAILED.inc(len(g.ids))
        self.wake()

"""A channel's sending limits as token buckets, shared by every send of the process (one limiter per channel).

Telegram's documented (approximate) limits, the defaults here: about 30 messages per second overall, about one per
second in one chat, at most 20 per minute in one group. A token bucket of capacity `burst` refilled
at `rate` lets through at most `burst + rate * window` messages in any window, so each rate is
derived as `(limit - burst) / window`: the sliding-window limit then holds exactly, bursts included.

The core (`TokenBucket`, `RateLimiter.delay/take`) is pure: time is a float passed in (monotonic
seconds). `RateLimiter.acquire` is the asyncio wrapper that sleeps until a send is allowed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.channels.types import Limits as ChannelLimits

EPS = 1e-9


@dataclass(frozen=True)
class Limits:
    """The limits; all configurable. `safety` < 1 keeps the windowed limits a little under Telegram's."""

    global_per_second: float = 30
    global_burst: int = 1
    chat_per_second: float = 1
    chat_burst: int = 1
    group_per_minute: float = 20
    group_burst: int = 3
    safety: float = 0.9

    @classmethod
    def of(cls, published: ChannelLimits) -> Limits:
        """A channel's published rates (bot/channels/types.Limits), with these bursts and margin."""
        return cls(global_per_second=published.per_second, chat_per_second=published.per_conversation,
                   group_per_minute=published.per_group_minute)

    def __post_init__(self) -> None:
        if not 0 < self.safety <= 1:
            raise ValueError(f"limits: safety must be in (0, 1], got {self.safety}")
        if self.chat_per_second <= 0 or self.chat_burst < 1:
            raise ValueError("limits: chat_per_second must be > 0 and chat_burst >= 1")
        for name, limit, burst in (("global", self.global_per_second, self.global_burst),
                                   ("group", self.group_per_minute, self.group_burst)):
            if burst < 1 or limit <= burst:
                raise ValueError(f"limits: {name} burst ({burst}) must be >= 1 and below its limit ({limit})")

    def _windowed(self, limit: float, burst: int, window: float, now: float) -> TokenBucket:
        """At most `limit` in any `window` seconds: burst + rate * window <= limit."""
        return TokenBucket((limit - burst) / window * self.safety, burst, now)

    def global_bucket(self, now: float) -> TokenBucket:
        # No safety margin here: burst + rate·1 s already equals the limit exactly, and the margin cost
        # 13 % of the overall rate (bench/outbox_rate.py). Groups keep it: their window is a minute.
        return TokenBucket(self.global_per_second - self.global_burst, self.global_burst, now)

    def chat_bucket(self, now: float) -> TokenBucket:
        return TokenBucket(self.chat_per_second, self.chat_burst, now)

    def group_bucket(self, now: float) -> TokenBucket:
        return self._windowed(self.group_per_minute, self.group_burst, 60.0, now)


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    capacity: float
    updated: float
    tokens: float = field(default=-1.0)
    blocked_until: float = 0.0  # a 429's retry_after: nothing passes before this

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = float(self.capacity)

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(float(self.capacity), self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def delay(self, now: float, borrow: float = 0.0) -> float:
        """Seconds until one token is available (0 = now); `borrow` tokens may be taken ahead (a debt the
        next sends repay). A 429's block is never borrowed against."""
        self._refill(now)
        need = 1 - borrow
        wait = 0.0 if self.tokens >= need - EPS else (need - self.tokens) / self.rate
        return max(wait, self.blocked_until - now, 0.0)

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def block(self, now: float, seconds: float) -> None:
        self._refill(now)
        self.blocked_until = max(self.blocked_until, now + seconds)
        self.tokens = min(self.tokens, 0.0)


REPLY_BURST = 2.0  # a reply to someone who just wrote may run this many messages ahead of its chat's rate
GLOBAL_CHATS = 3  # 429s for this many different chats within GLOBAL_SPAN seconds: Telegram limits the bot
GLOBAL_SPAN = 2.0


class RateLimiter:
    """Buckets: one global, one per chat, one more per group chat (chat_id < 0).

    One instance per process, shared by every path that calls Telegram (bot/telegram/replies.py installs it
    in the bot's session): a 429's retry_after (`note_retry_after`) blocks that chat for every path, and the
    whole bot when the 429 came for a call without a chat or for several chats at once."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic,
                 max_chats: int = 10_000) -> None:
        self.limits, self.clock, self.max_chats = limits or Limits(), clock, max_chats
        self._global = self.limits.global_bucket(clock())
        self._chats: dict[int, TokenBucket] = {}
        self._groups: dict[int, TokenBucket] = {}
        self._lock = asyncio.Lock()
        self._recent_429: list[tuple[float, int]] = []  # (when, chat) of the last few 429s
        self.penalties = 0  # 429s noted (for the counters)
        self.global_penalties = 0  # of which held back the whole bot

    def _buckets(self, chat_id: int, now: float) -> list[TokenBucket]:
        if len(self._chats) > self.max_chats:
            self._forget_idle(now)
        out = [self._global]
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = self.limits.chat_bucket(now)
        out.append(chat)
        try:
            grouped = chat_id < 0  # Telegram's groups; another channel's text ids have no group bucket here yet
        except TypeError:
            grouped = False
        if grouped:
            group = self._groups.get(chat_id)
            if group is None:
                group = self._groups[chat_id] = self.limits.group_bucket(now)
            out.append(group)
        return out

    def _forget_idle(self, now: float) -> None:
        for table in (self._chats, self._groups):
            for cid in [c for c, b in table.items() if b.delay(now) == 0 and b.tokens >= b.capacity - EPS]:
                del table[cid]

    # ---------------------------------------------------------------- pure core
    def delay(self, chat_id: int, now: float | None = None) -> float:
        """Seconds until a message to `chat_id` may go (0 = now). Records nothing."""
        now = self.clock() if now is None else now
        return max(b.delay(now) for b in self._buckets(chat_id, now))

    def group_room(self, chat_id: int, now: float | None = None) -> int:
        """How many messages the group's minute limit lets out now (the per-second pace aside)."""
        now = self.clock() if now is None else now
        group = self._buckets(chat_id, now)[-1]
        group._refill(now)
        return 0 if group.blocked_until > now else max(0, int(group.tokens + EPS))

    def take(self, chat_id: int, now: float | None = None) -> None:
        """Record a message to `chat_id` (call when delay() is 0)."""
        now = self.clock() if now is None else now
        for b in self._buckets(chat_id, now):
            b.take(now)

    def try_take(self, chat_id: int, now: float | None = None, *, borrow: float = 0.0) -> float:
        """Take if allowed now and return 0, else return the delay and take nothing. `borrow`: tokens of the
        chat's own bucket that may be taken ahead (replies); the global and group buckets never lend."""
        now = self.clock() if now is None else now
        buckets = self._buckets(chat_id, now)
        wait = max(b.delay(now, borrow if i == 1 else 0.0) for i, b in enumerate(buckets))
        if wait <= 0:
            for b in buckets:
                b.take(now)
        return wait

    def blocked(self, chat_id: int | None, now: float | None = None) -> float:
        """Seconds a 429 still holds this chat (None: the bot as a whole) back; 0 when free. Takes nothing."""
        now = self.clock() if now is None else now
        wait = self._global.blocked_until - now
        if chat_id is not None:
            chat = self._chats.get(chat_id)
            if chat is not None:
                wait = max(wait, chat.blocked_until - now)
        return max(wait, 0.0)

    def note_retry_after(self, chat_id: int | None, seconds: float, now: float | None = None) -> None:
        """Telegram answered 429 with retry_after=seconds: nothing to that chat until then, from any path.
        Without a chat, or when several chats were refused within moments, Telegram is limiting the bot:
        hold everything back."""
        now = self.clock() if now is None else now
        self.penalties += 1
        if chat_id is not None:
            self.penalize(chat_id, seconds, now)
            self._recent_429 = [(t, c) for t, c in self._recent_429 if now - t <= GLOBAL_SPAN][-20:]
            self._recent_429.append((now, chat_id))
            if len({c for _, c in self._recent_429}) < GLOBAL_CHATS:
                return
        self.global_penalties += 1
        self._global.block(now, seconds)

    def penalize(self, chat_id: int, seconds: float, now: float | None = None) -> None:
        """Telegram answered 429 retry_after=seconds for this chat: hold the chat that long."""
        now = self.clock() if now is None else now
        self._buckets(chat_id, now)[1].block(now, seconds)

    def share_global(self, instances: int) -> None:
        """This process is one of `instances` sending for the same bot (bot/ops/instances.py): Telegram's
        limit is the bot's, so each takes 1/instances of it (burst included)."""
        per = self.limits.global_per_second / max(1, instances)
        self._global.rate = max(per - self.limits.global_burst, per / 2)

    # ---------------------------------------------------------------- asyncio
    async def acquire(self, chat_id: int, *, max_wait: float | None = None, borrow: float = 0.0) -> float:
        """Wait until a message to `chat_id` may go, and record it; returns 0.
        With `max_wait`: when the wait would be longer, take nothing and return the wait instead."""
        while True:
            async with self._lock:
                wait = self.try_take(chat_id, borrow=borrow)
                if wait <= 0:
                    return 0.0
            if max_wait is not None and wait > max_wait:
                return wait
            await asyncio.sleep(min(wait, 1.0) + 0.001)

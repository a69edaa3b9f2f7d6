"""The token buckets: pure arithmetic with an explicit clock."""

from __future__ import annotations

import asyncio

import pytest

from bot.delivery.limiter import Limits, RateLimiter, TokenBucket


def drain(limiter: RateLimiter, chats: list[int], until: float, step: float = 0.001) -> list[tuple[float, int]]:
    """Send as fast as allowed to the chats in turn, on a simulated clock; returns (time, chat) per send."""
    now, sent, i = 0.0, [], 0
    while now < until:
        chat = chats[i % len(chats)]
        if limiter.delay(chat, now) <= 0:
            limiter.take(chat, now)
            sent.append((now, chat))
            i += 1
        else:
            now += step
    return sent


def max_in_window(times: list[float], window: float) -> int:
    best, j = 0, 0
    for i, tm in enumerate(times):
        while times[j] <= tm - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_bucket_refills_at_rate_and_caps_at_capacity() -> None:
    b = TokenBucket(rate=2.0, capacity=3, updated=0.0)
    for _ in range(3):
        assert b.delay(0.0) == 0
        b.take(0.0)
    assert b.delay(0.0) == pytest.approx(0.5)
    assert b.delay(0.25) == pytest.approx(0.25)
    assert b.delay(100.0) == 0
    assert b.tokens == 3  # capped


def test_block_holds_the_bucket_for_retry_after() -> None:
    b = TokenBucket(rate=10.0, capacity=5, updated=0.0)
    b.block(0.0, 7)
    assert b.delay(1.0) == pytest.approx(6.0)
    assert b.delay(7.0) == 0


def test_global_limit_holds_in_every_one_second_window() -> None:
    lim = RateLimiter(Limits(), clock=lambda: 0.0)
    sent = drain(lim, list(range(1, 200)), until=5.0)
    assert max_in_window([tm for tm, _ in sent], 1.0) <= 30
    assert len(sent) >= 5 * 30 * 0.85  # and it does not crawl


def test_one_chat_gets_about_one_per_second() -> None:
    lim = RateLimiter(Limits(), clock=lambda: 0.0)
    times = [tm for tm, _ in drain(lim, [42], until=10.0)]
    assert max_in_window(times, 1.0) <= 1 + 1  # burst 1 plus the refill within the window
    assert 9 <= len(times) <= 11


def test_group_gets_at_most_20_per_minute() -> None:
    lim = RateLimiter(Limits(), clock=lambda: 0.0)
    times = [tm for tm, _ in drain(lim, [-100], until=300.0, step=0.05)]
    assert max_in_window(times, 60.0) <= 20
    assert len(times) >= 60  # still ~17+ per minute over five minutes


def test_limits_are_configurable() -> None:
    lim = RateLimiter(Limits(global_per_second=10, global_burst=2, chat_per_second=5, chat_burst=5), clock=lambda: 0.0)
    times = [tm for tm, _ in drain(lim, list(range(1, 50)), until=3.0)]
    assert max_in_window(times, 1.0) <= 10
    with pytest.raises(ValueError):
        Limits(group_per_minute=3, group_burst=3)


def test_penalize_holds_only_that_chat() -> None:
    lim = RateLimiter(Limits(), clock=lambda: 0.0)
    lim.penalize(7, 5, now=0.0)
    assert lim.delay(7, 1.0) == pytest.approx(4.0)
    assert lim.delay(8, 1.0) == 0


async def test_acquire_waits_or_reports_the_wait() -> None:
    lim = RateLimiter(Limits(chat_per_second=20, chat_burst=1))
    assert await lim.acquire(5) == 0
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    assert await lim.acquire(5) == 0  # waited ~50 ms
    assert loop.time() - t0 >= 0.03
    lim.penalize(5, 3)
    wait = await lim.acquire(5, max_wait=0.5)
    assert 2.5 < wait <= 3.0

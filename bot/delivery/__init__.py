"""Delivery: the outbox sender and Telegram's rate limits (rows are written by bot/services/outbox.py)."""

from bot.delivery.limiter import Limits, RateLimiter, TokenBucket
from bot.delivery.sender import CRASH_ENV, CRASH_POINTS, OutboxSender, coalesce, crash_point

__all__ = ["CRASH_ENV", "CRASH_POINTS", "Limits", "OutboxSender", "RateLimiter", "TokenBucket", "coalesce",
           "crash_point"]

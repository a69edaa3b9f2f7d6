"""Delivery: the outbox sender and Telegram's rate limits (rows are written by bot/services/outbox.py)."""

from bot.delivery.limiter import Limits, RateLimiter, TokenBucket
from bot.delivery.sender import CRASH_POINTS, OutboxSender, coalesce

__all__ = ["CRASH_POINTS", "Limits", "OutboxSender", "RateLimiter", "TokenBucket", "coalesce"]

"""Delivery: the outbox sender and the channels' rate limits (rows are written by bot/services/outbox.py; a
channel adapter such as bot/telegram/channel.py makes the calls)."""

from bot.delivery.coalesce import coalesce
from bot.delivery.limiter import Limits, RateLimiter, TokenBucket
from bot.delivery.sender import CRASH_POINTS, OutboxSender

__all__ = ["CRASH_POINTS", "Limits", "OutboxSender", "RateLimiter", "TokenBucket", "coalesce"]

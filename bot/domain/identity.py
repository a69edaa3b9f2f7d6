"""Who can be reached on which channel: the three states of an identity, and the placeholder address of a
person who has not linked an account yet.

A person listed without a telegram_id still needs an address for the outbox (messages to them wait until
they open the bot): they get one at or above UNLINKED_BASE, a range Telegram never gives out (its user ids
fit in 52 bits), so the placeholder can never reach anybody and is never shown.
"""

from __future__ import annotations

import secrets

TELEGRAM = "telegram"
REACHABLE, UNKNOWN, UNREACHABLE = "reachable", "unknown", "unreachable"
STATES = (REACHABLE, UNKNOWN, UNREACHABLE)

UNLINKED_BASE = 2 ** 53
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"  # deep links allow A-Z a-z 0-9 _ -
TOKEN_PREFIX = "p"  # personal links; invites have their own tokens


def is_unlinked(telegram_id: int | None) -> bool:
    return telegram_id is None or telegram_id >= UNLINKED_BASE


def placeholder_id() -> int:
    return UNLINKED_BASE + secrets.randbelow(2 ** 40)


def new_token() -> str:
    """A one-time personal token: 'p' and 31 random characters (≤ 64, deep-link safe)."""
    return TOKEN_PREFIX + "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(31))


def looks_personal(token: str) -> bool:
    return len(token) == 32 and token.startswith(TOKEN_PREFIX) and all(c in TOKEN_ALPHABET for c in token)

"""Is Telegram delivering to this deployment's webhook? A webhook instance only hears from Telegram when an
update comes; if the public URL stops reaching it (a proxy down, a certificate expired, another process
with the same token deleted the webhook to poll), the instance looks healthy while reports pile up at
Telegram. Telegram says so in getWebhookInfo: which URL it calls, how many updates wait, its last delivery
error. This asks every WEBHOOK_CHECK_SECONDS, and the answer keeps the TelegramLink's view fresh too."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.types import WebhookInfo

log = logging.getLogger("onduty.webhook")


class WebhookWatch:
    def __init__(self, bot: Bot, expected_url: str, now: Callable[[], datetime]) -> None:
        self.bot, self.expected_url, self.now = bot, expected_url, now
        self.info: WebhookInfo | None = None
        self.checked_at: datetime | None = None

    async def check(self) -> None:
        try:
            info = await self.bot.get_webhook_info()
        except Exception as e:  # noqa: BLE001 - the TelegramLink books it; the last answer stays
            log.warning("getWebhookInfo failed: %s", e)
            return
        if self.info is None or (info.url, info.last_error_date) != (self.info.url, self.info.last_error_date):
            log.info("telegram's webhook: %s, %d pending, last error %s %s", info.url or "(none)",
                     info.pending_update_count, info.last_error_date, info.last_error_message or "")
        self.info, self.checked_at = info, self.now()

    def report(self, now: datetime, max_lag: float) -> tuple[dict[str, Any], list[str]]:
        """The health report's webhook fields and problems: Telegram calls another URL or none (nothing
        reaches any instance), or its last delivery failed within `max_lag` seconds and updates wait."""
        info = self.info
        if info is None:
            return {"webhook": "unchecked"}, []
        error_at = info.last_error_date
        if error_at is not None and error_at.tzinfo is None:
            error_at = error_at.replace(tzinfo=UTC)
        fields: dict[str, Any] = {
            "webhook_pending_updates": info.pending_update_count,
            "webhook_checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "webhook_last_error": (f"{error_at.isoformat()} {info.last_error_message or ''}".strip()
                                   if error_at else None),
        }
        problems: list[str] = []
        if info.url != self.expected_url:
            fields["webhook"] = "elsewhere"
            problems.append(f"telegram's webhook is {info.url or 'not set'}, not {self.expected_url}")
        elif error_at and info.pending_update_count and (now - error_at).total_seconds() <= max_lag:
            fields["webhook"] = "failing"
            problems.append(f"telegram cannot deliver to the webhook ({info.pending_update_count} updates "
                            f"waiting): {info.last_error_message or 'no reason given'}")
        else:
            fields["webhook"] = "ok"
        return fields, problems

"""WebhookWatch.report: when Telegram's own view of our webhook makes an instance unhealthy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.types import WebhookInfo

from bot.telegram.webhook_watch import WebhookWatch

URL = "https://duty.example.edu.cn/telegram/webhook"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def watch(**info: object) -> WebhookWatch:
    w = WebhookWatch(None, URL, lambda: NOW)  # type: ignore[arg-type] - report() makes no call
    w.info = WebhookInfo(**{"url": URL, "has_custom_certificate": False, "pending_update_count": 0, **info})
    w.checked_at = NOW
    return w


def test_an_old_error_or_an_error_with_nothing_waiting_is_not_a_problem() -> None:
    old = watch(pending_update_count=3, last_error_date=NOW - timedelta(seconds=301), last_error_message="x")
    assert old.report(NOW, 300)[0]["webhook"] == "ok" and old.report(NOW, 300)[1] == []
    drained = watch(pending_update_count=0, last_error_date=NOW - timedelta(seconds=5), last_error_message="x")
    assert drained.report(NOW, 300)[1] == []


def test_a_recent_error_with_updates_waiting_is_a_problem_with_telegrams_reason() -> None:
    fields, problems = watch(pending_update_count=4, last_error_date=NOW - timedelta(seconds=30),
                             last_error_message="SSL error {error:0A000086:SSL routines::certificate verify failed}"
                             ).report(NOW, 300)
    assert fields["webhook"] == "failing" and fields["webhook_pending_updates"] == 4
    assert fields["webhook_last_error"].startswith("2026-11-25T08:59:30+00:00 SSL error")
    assert problems == ["telegram cannot deliver to the webhook (4 updates waiting): SSL error "
                        "{error:0A000086:SSL routines::certificate verify failed}"]


def test_another_url_is_a_problem_even_with_nothing_waiting() -> None:
    fields, problems = watch(url="https://old.example.edu.cn/hook").report(NOW, 300)
    assert fields["webhook"] == "elsewhere"
    assert problems == [f"telegram's webhook is https://old.example.edu.cn/hook, not {URL}"]


def test_before_the_first_answer_nothing_is_claimed() -> None:
    assert WebhookWatch(None, URL, lambda: NOW).report(NOW, 300) == ({"webhook": "unchecked"}, [])  # type: ignore[arg-type]

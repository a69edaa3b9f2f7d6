"""Prometheus metrics (prometheus-client, default registry: the process_* collectors come with it).

Counters are per process; Prometheus scrapes every instance and sums. Gauges that describe the shared
database (backlog, lag) are refreshed from it when /metrics is scraped (`refresh_gauges`), so every
instance reports the same figures for those — take max(), not sum(), across instances.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

UPDATES = Counter("onduty_updates_total", "Telegram updates processed by the dispatcher",
                  ["type", "outcome"])  # outcome: handled | unhandled | duplicate | deferred | error
HANDLER_SECONDS = Histogram("onduty_handler_seconds", "Time to process one update (DB transaction included)",
                            ["type"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
OUTBOX_SENT = Counter("onduty_outbox_sent_total",
                      "Outbox rows the sender got Telegram to take (every row of a digest or a combined message "
                      "counts; replies sent at once by a handler are not counted here)")
OUTBOX_FAILED = Counter("onduty_outbox_failed_total",
                        "Outbox rows refused for good (a bad request, chat not found…); the office is told of each")
OUTBOX_RETRIED = Counter("onduty_outbox_retried_total",
                         "Outbox sends to be tried again, by reason: retry_after (Telegram's 429: not taken), "
                         "error_response (5xx and other errors: not taken), no_response (a timeout or a network "
                         "error: perhaps taken, so flagged a possible duplicate), unexpected (a bug: flagged too)",
                         ["reason"])
OUTBOX_DIGESTED = Counter("onduty_outbox_digested_total",
                          "New incident cards for a group folded into a digest message (more waited than the "
                          "group's 20 a minute let out); each card is a press away from the digest")
DUE_FIRED = Counter("onduty_due_fired_total", "Due rows fired by the sweeper", ["kind", "late"])
NUDGES_LATE = Counter("onduty_nudges_late_total", "Deadline nudges fired later than the late grace")
ESCALATIONS = Counter("onduty_escalations_total", "Escalation steps fired (unacknowledged incidents, overdue clocks)",
                      ["kind"])  # escalation | overdue
CRON_RUNS = Counter("onduty_cron_runs_total", "Cron occurrences run by this instance", ["job"])
INBOX_RETAKEN = Counter("onduty_inbox_retaken_total",
                        "Webhook updates committed to the inbox but left unprocessed (an instance died), processed here")

OUTBOX_BACKLOG = Gauge("onduty_outbox_backlog", "Outbox rows due now and not yet sent (shared database)")
OUTBOX_OLDEST = Gauge("onduty_outbox_oldest_pending_seconds", "Age of the oldest due, unsent outbox row")
NUDGE_LAG = Gauge("onduty_oldest_pending_nudge_seconds", "How long the oldest due, unfired nudge has been waiting")
GROUP_OLDEST = Gauge("onduty_group_oldest_waiting_seconds",
                     "Age of the oldest message waiting for a group chat (the office group: how late it is)")
INBOX_PENDING = Gauge("onduty_inbox_pending", "Updates received but not processed yet")
INSTANCES = Gauge("onduty_instances_live", "Instances whose heartbeat is recent")
DB_UP = Gauge("onduty_database_up", "1 when the database answered the last health query")
TELEGRAM_FAILING = Gauge("onduty_telegram_failing_seconds",
                         "How long Telegram has not answered this instance's calls (0 when it does)")


def refresh_gauges(report: dict) -> None:
    """Copy a health report (bot/ops/health.py) into the gauges."""
    DB_UP.set(1 if report.get("database") == "ok" else 0)
    for gauge, key in ((OUTBOX_BACKLOG, "outbox_backlog"), (OUTBOX_OLDEST, "outbox_oldest_pending_seconds"),
                       (NUDGE_LAG, "oldest_pending_nudge_seconds"), (INBOX_PENDING, "inbox_pending"),
                       (GROUP_OLDEST, "group_oldest_waiting_seconds"),
                       (INSTANCES, "instances_live"), (TELEGRAM_FAILING, "telegram_failing_seconds")):
        value = report.get(key)
        if isinstance(value, int | float):
            gauge.set(value)


def exposition() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST

"""Settings from the environment or .env (names fixed in docs/names.md)."""

from __future__ import annotations

import re

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{5,}$")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")  # Telegram's rule for setWebhook's secret_token
SECRET_RULE = ("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule for the secret token) / "
               "须为 1–256 个字符，只能是英文字母、数字、下划线 _ 和连字符 -（Telegram 对密钥的规定）")


class ConfigError(ValueError):
    """A setting is missing or malformed; the CLI prints it as one line and exits 2."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = ""
    database_url: str = "sqlite+aiosqlite:///./data/onduty.db"
    telegram_api_url: str = TELEGRAM_API
    timezone: str = "Asia/Shanghai"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0:8080"
    webhook_path: str = "/telegram/webhook"
    log_level: str = "INFO"
    evidence_dir: str = "./data/evidence"
    # Operations and scale-out (issue 7; docs/deployment.md).
    log_format: str = "text"  # text | json (one JSON object per line, with the incident number where known)
    metrics_listen: str = ""  # long polling only: host:port serving /healthz and /metrics (webhook: on WEBHOOK_LISTEN)
    send_rate_per_second: float = 30  # Telegram's limit for the whole bot, shared by the live instances
    outbox_lease_seconds: float = 60  # a dead instance's claimed messages are taken over after this
    due_lease_seconds: float = 120  # … and its claimed due rows (nudges, escalations, cron occurrences)
    inbox_retry_seconds: float = 30  # webhook: an update committed but unprocessed this long is taken by another
    health_max_lag_seconds: float = 300  # /healthz answers 503 when a due nudge or message waited longer
    patrol_plan_seconds: float = 3600  # how often the patrol planner's cron occurrence comes round
    webhook_check_seconds: float = 60  # webhook: how often Telegram is asked whether it can deliver to us

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, v: str) -> str:
        if v.lower() not in ("text", "json"):
            raise ValueError(f"must be text or json, got {v!r}")
        return v.lower()

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, v: str) -> str:
        """Telegram refuses any other secret at setWebhook: better said at start, in words, than as a 400
        from Telegram after the webhook server is already up. Empty means "not set" (polling needs none)."""
        if v and not _SECRET_RE.fullmatch(v):
            others = sum(1 for c in v if not _SECRET_RE.fullmatch(c))
            what = f"{len(v)} characters" if len(v) > 256 else f"{others} character(s) not allowed / 含 {others} 个不允许的字符"
            raise ValueError(f"{SECRET_RULE}; got {what}")
        return v

    @field_validator("outbox_lease_seconds", "due_lease_seconds", "inbox_retry_seconds", "patrol_plan_seconds",
                     "webhook_check_seconds")
    @classmethod
    def _at_least_a_few_seconds(cls, v: float) -> float:
        if v < 2:
            raise ValueError(f"must be at least 2 (seconds), got {v}")
        return v

    @field_validator("send_rate_per_second")
    @classmethod
    def _rate(cls, v: float) -> float:
        if v <= 1:
            raise ValueError(f"must be above 1 (messages per second), got {v}")
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        from bot.domain.workcal import known_zone

        return known_zone(v)

    def require_token(self) -> str:
        if not self.bot_token:
            raise ConfigError("BOT_TOKEN is not set: put the token from @BotFather in .env (see .env.example), "
                              "or try `onduty demo`, which needs none")
        if not _TOKEN_RE.match(self.bot_token):
            raise ConfigError("BOT_TOKEN is malformed: expected digits, a colon and the secret, e.g. 123456:ABC-DEF...")
        return self.bot_token

    def require_webhook_secret(self) -> str:
        """For webhook mode: set, and (the validator saw to it) within Telegram's rule."""
        if not self.webhook_secret.strip():
            raise ConfigError("WEBHOOK_SECRET is required for webhook mode (Telegram sends it back on every call); "
                              f"it {SECRET_RULE} / 以 webhook 方式运行必须设置 WEBHOOK_SECRET")
        return self.webhook_secret

    def webhook_host_port(self) -> tuple[str, int]:
        return _host_port("WEBHOOK_LISTEN", self.webhook_listen)

    def metrics_host_port(self) -> tuple[str, int] | None:
        return _host_port("METRICS_LISTEN", self.metrics_listen) if self.metrics_listen else None


def _host_port(name: str, value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"{name} must be host:port, got {value!r}")
    return host, int(port)


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except Exception as e:  # pydantic's ValidationError: reduce to one readable line
        errs = getattr(e, "errors", None)
        if callable(errs):
            first = errs()[0]
            msg = str(first["msg"]).removeprefix("Value error, ")  # pydantic's prefix says nothing to a reader
            raise ConfigError(f"{'.'.join(map(str, first['loc'])).upper()}: {msg}") from e
        raise ConfigError(str(e)) from e

"""Settings from the environment or .env (names fixed in CONTRACTS.md)."""

from __future__ import annotations

import re

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{5,}$")


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

    def webhook_host_port(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"WEBHOOK_LISTEN must be host:port, got {self.webhook_listen!r}")
        return host, int(port)


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except Exception as e:  # pydantic's ValidationError: reduce to one readable line
        errs = getattr(e, "errors", None)
        if callable(errs):
            first = errs()[0]
            raise ConfigError(f"{'.'.join(map(str, first['loc'])).upper()}: {first['msg']}") from e
        raise ConfigError(str(e)) from e

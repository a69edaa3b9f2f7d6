"""LOG_FORMAT=json: one JSON object per line (time, level, logger, message, instance, incident…), for a log
collector. The incident number is taken from `bind_incident` (the sweeper sets it while firing an
incident's due rows) or, failing that, from a YQ-YYYY-NNNN number in the message itself."""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

NUMBER = re.compile(r"\bYQ-\d{4}-\d{4,}\b")
_incident: ContextVar[str | None] = ContextVar("onduty_incident", default=None)
_STD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


@contextlib.contextmanager
def bind_incident(number: str | None) -> Iterator[None]:
    """Log lines written inside carry `incident: number`."""
    token = _incident.set(number)
    try:
        yield
    finally:
        _incident.reset(token)


class JsonFormatter(logging.Formatter):
    def __init__(self, instance: str = "") -> None:
        super().__init__()
        self.instance = instance

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": message}
        if self.instance:
            out["instance"] = self.instance
        incident = getattr(record, "incident", None) or _incident.get()
        if incident is None and (m := NUMBER.search(message)):
            incident = m.group(0)
        if incident:
            out["incident"] = incident
        for key, value in record.__dict__.items():  # extra={...} fields
            if key not in _STD and key not in out and not key.startswith("_"):
                out[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure(fmt: str, instance: str = "") -> None:
    """Switch the root logger's handlers to JSON lines when `fmt` is "json" (text is the default)."""
    if fmt.lower() != "json":
        return
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter(instance))

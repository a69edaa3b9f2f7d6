"""Records kept by FakeBotAPI: calls, uploads, violations, injected faults, webhook deliveries."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .spec import ApiError

FAULTS: dict[str, tuple[int, str]] = {
    "500": (500, "Internal Server Error"), "502": (502, "Bad Gateway"),
    "blocked": (403, "Forbidden: bot was blocked by the user"),
    "kicked": (403, "Forbidden: bot was kicked from the group chat"),
    "deactivated": (403, "Forbidden: user is deactivated"),
    "chat_not_found": (400, "Bad Request: chat not found"),
}
TAKING_FAULTS = {"timeout", "disconnect"}  # Telegram took the message, the client never heard back


@dataclass
class UploadedFile:
    """A multipart file part of a call (``name``/``filename``, ``content`` bytes)."""

    field: str
    filename: str
    content: bytes = field(repr=False)
    content_type: str | None = None
    file_id: str | None = None  # set once the message carrying it was taken

    @property
    def name(self) -> str:
        return self.filename


@dataclass
class CallRecord:
    """One Bot API call. ``taken``: a message-sending call whose message(s) Telegram accepted."""

    method: str
    params: dict[str, Any]
    token: str = ""
    source: str = "http"  # or "webhook-reply"
    encoding: str = "query"  # how the parameters came: "query", "json", "form" or "multipart"
    ok: bool = False
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    sends_message: bool = False
    taken: bool = False
    fault: str | None = None
    fault_options: dict[str, Any] = field(default_factory=dict, repr=False)
    chat_id: Any = None  # normalised chat id of the target chat, if any
    files: dict[str, UploadedFile] = field(default_factory=dict)
    monotonic: float = field(default_factory=time.monotonic)
    wall: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def text(self) -> str | None:
        return self.params.get("text") or self.params.get("caption")

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "files"}
        d["files"] = {k: {"filename": f.filename, "size": len(f.content)} for k, f in self.files.items()}
        return json.loads(json.dumps(d, default=lambda o: f"<{type(o).__name__}>", ensure_ascii=False))


@dataclass
class Violation:
    method: str
    description: str
    params: dict[str, Any]
    status: int = 400

    def __str__(self) -> str:
        return f"{self.method}: {self.description}"


@dataclass
class Fault:
    method: str  # lower-case, or "*"
    kind: str
    times: int
    options: dict[str, Any]

    def error(self) -> ApiError:
        if self.kind == "429":
            retry = int(self.options.get("retry_after", 1))
            return ApiError(429, f"Too Many Requests: retry after {retry}", parameters={"retry_after": retry})
        status, desc = FAULTS.get(self.kind, (self.options.get("status", 400), ""))
        return ApiError(status, self.options.get("description", desc))


@dataclass
class WebhookDelivery:
    update_id: int
    url: str
    attempt: int
    status: int | None = None
    error: str | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

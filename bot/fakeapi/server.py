"""FakeBotAPI: an in-process fake of the Telegram Bot API server (aiohttp), spoken to by the real
aiogram Bot over loopback. See the package docstring (``bot/fakeapi/__init__.py``) for usage."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from aiohttp import web

from .methods import DEFAULT_ALLOWED, MethodsMixin
from .records import FAULTS, TAKING_FAULTS, CallRecord, Fault, UploadedFile, Violation, WebhookDelivery
from .spec import ApiError, RateLimiter, RateLimits, decode_params, load_spec, validate_call
from .updates import callback_update, chat_dict, inline_buttons, message_update, update_type, user_dict

__all__ = ["FakeBotAPI", "CallRecord", "UploadedFile", "Violation", "WebhookDelivery"]
log = logging.getLogger("bot.fakeapi")
MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "business_message")
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class FakeBotAPI(MethodsMixin):
    """Fake Telegram Bot API server. ``await api.start()`` → base URL for
    ``TelegramAPIServer.from_base(url)``; ``await api.stop()``.

    Every call is validated against the spec; breaches go to ``api.violations`` (runtime errors a
    real bot must handle, e.g. "message is not modified", are errors but not violations).
    Records: ``api.calls`` (all), ``sent()``/``refused()`` (message-creating calls: send*, copy*,
    forward*), ``chat_messages(chat)`` (current state), ``uploaded_files``, ``webhook_deliveries``.
    Rate limits (``enforce_limits=True``) count only message-creating calls, not edits.
    Use it from the event loop it runs in; from another process use the ``/_fake/`` endpoints.
    """

    def __init__(self, *, enforce_limits: bool = False, limits: RateLimits | None = None,
                 username: str = "onduty_test_bot", first_name: str = "OnDuty Test Bot",
                 max_poll_timeout: float | None = None, timeout_fault_delay: float = 5.0,
                 webhook_retries: int = 3, webhook_backoff: float = 0.05, webhook_timeout: float = 10.0) -> None:
        self.spec = load_spec()
        self.enforce_limits, self.limiter = enforce_limits, RateLimiter(limits)
        self.username, self.first_name = username, first_name
        self.max_poll_timeout, self.timeout_fault_delay = max_poll_timeout, timeout_fault_delay
        self.webhook_retries, self.webhook_backoff, self.webhook_timeout = webhook_retries, webhook_backoff, webhook_timeout
        self.calls: list[CallRecord] = []
        self.violations: list[Violation] = []
        self.uploaded_files: list[UploadedFile] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.pushed: list[dict] = []
        self.dropped_updates: dict[int, str] = {}  # update_id -> reason
        self.deleted: list[tuple[Any, int]] = []
        self.rate_limited = 0
        self.commands: dict[str, list] = {}
        self.chat_members: dict[tuple[Any, int], dict] = {}  # (chat_id, user_id) -> ChatMember override
        self._faults: list[Fault] = []
        self._pending: dict[int, dict] = {}
        self._next_update_id = 1
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._chats: dict[Any, dict] = {}
        self._usernames: dict[str, int] = {}
        self._seq: dict[Any, int] = {}
        self._history: dict[Any, dict[int, tuple[str, dict]]] = {}
        self._files: dict[str, dict] = {}
        self._paths: dict[str, str] = {}
        self._file_seq = itertools.count(1)
        self._callbacks: dict[str, bool] = {}  # callback id -> answered
        self._poll_gen = 0
        self._inflight = 0
        self._changed = asyncio.Event()
        self._listeners: list[Callable[[CallRecord], None]] = []
        self._webhook: dict[str, Any] | None = None
        self._wh_task: asyncio.Task | None = None
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.app = self._make_app()

    # ------------------------------------------------------------------ lifecycle
    def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        for verb, path, handler in (
                ("POST", "/_fake/updates", self._ctl_updates), ("POST", "/_fake/user_message", self._ctl_user_message),
                ("POST", "/_fake/press", self._ctl_press), ("POST", "/_fake/inject", self._ctl_inject),
                ("POST", "/_fake/reset", self._ctl_reset), ("GET", "/_fake/calls", self._ctl_calls),
                ("GET", "/_fake/violations", self._ctl_violations), ("GET", "/_fake/confirmed", self._ctl_confirmed),
                ("GET", "/_fake/chats/{chat_id}/messages", self._ctl_chat)):
            app.router.add_route(verb, path, handler)
        return app

    # ------------------------------------------------------------------ control endpoints (/_fake/...)
    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        return web.json_response(data, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def _ctl_call(self, request: web.Request, fn: Callable[[dict], Any]) -> web.Response:
        try:
            body = await request.json() if request.body_exists else {}
            return self._json({"ok": True, "result": fn(body)})
        except (LookupError, TypeError, ValueError) as e:
            return self._json({"ok": False, "description": f"{type(e).__name__}: {e}"}, 400)

    async def _ctl_updates(self, request: web.Request) -> web.Response:
        return await self._ctl_call(request, self.push_update)

    async def _ctl_user_message(self, request: web.Request) -> web.Response:
        return await self._ctl_call(request, lambda b: self.user_message(**b))

    async def _ctl_press(self, request: web.Request) -> web.Response:
        return await self._ctl_call(request, lambda b: self.press(**b))

    async def _ctl_inject(self, request: web.Request) -> web.Response:
        return await self._ctl_call(request, lambda b: self.inject(**b))

    async def _ctl_reset(self, request: web.Request) -> web.Response:
        return await self._ctl_call(request, lambda b: self.reset())

    async def _ctl_calls(self, request: web.Request) -> web.Response:
        since, method = int(request.query.get("since", 0)), request.query.get("method")
        return self._json([r.to_dict() for r in self.calls[since:] if method is None or r.method.lower() == method.lower()])

    async def _ctl_violations(self, request: web.Request) -> web.Response:
        return self._json([{"method": v.method, "description": v.description} for v in self.violations])

    async def _ctl_confirmed(self, request: web.Request) -> web.Response:
        return self._json({"confirmed": self.confirmed, "pending": list(self._pending),
                           "dropped": self.dropped_updates})

    async def _ctl_chat(self, request: web.Request) -> web.Response:
        chat_id: Any = request.match_info["chat_id"]
        return self._json(self.chat_messages(chat_id, include_user=request.query.get("include_user") == "1"))

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._stopping = False
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None,
                                     handler_cancellation=True, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        real_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{real_port}"
        return self.base_url

    async def stop(self) -> None:
        self._stopping = True
        self._notify()
        if self._wh_task:
            self._wh_task.cancel()
            await asyncio.gather(self._wh_task, return_exceptions=True)
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def add_listener(self, fn: Callable[[CallRecord], None]) -> None:
        """Call ``fn(record)`` as each call finishes: lets a load driver wait for a reply without rescanning
        ``calls`` (which, shared by one event loop with the bot, would take the bot's CPU)."""
        self._listeners.append(fn)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ queries for tests
    def chat_messages(self, chat_id: Any, *, include_user: bool = False) -> list[dict]:
        """Current state (edits applied, deletions removed) of the messages in a chat, oldest first."""
        hist = self._history.get(self._chat(chat_id)["id"], {})
        return [copy.deepcopy(m) for mid, (who, m) in sorted(hist.items()) if who == "bot" or include_user]

    def message(self, chat_id: Any, message_id: int) -> dict | None:
        entry = self._history.get(self._chat(chat_id)["id"], {}).get(message_id)
        return copy.deepcopy(entry[1]) if entry else None

    def last_message(self, chat_id: Any) -> dict | None:
        """The bot's latest message in the chat (a copy of that one only: load drivers call it per press)."""
        hist = self._history.get(self._chat(chat_id)["id"], {})
        mid = max((mid for mid, (who, _) in hist.items() if who == "bot"), default=None)
        return copy.deepcopy(hist[mid][1]) if mid is not None else None

    def _match(self, rec: CallRecord, method: str | None, chat_id: Any, contains: str | None) -> bool:
        return ((method is None or rec.method.lower() == method.lower())
                and (chat_id is None or rec.chat_id == self._chat(chat_id)["id"])
                and (contains is None or contains in (rec.text or "")))

    def sent(self, method: str | None = None, chat_id: Any = None, *, contains: str | None = None) -> list[CallRecord]:
        """Message-sending calls whose message Telegram took (delivered), incl. 'timeout' faults."""
        return [r for r in self.calls if r.taken and self._match(r, method, chat_id, contains)]

    def refused(self, method: str | None = None, chat_id: Any = None, *, contains: str | None = None) -> list[CallRecord]:
        """Message-sending calls that were answered with an error (nothing delivered)."""
        return [r for r in self.calls if r.sends_message and r.finished and not r.taken
                and self._match(r, method, chat_id, contains)]

    def calls_to(self, method: str) -> list[CallRecord]:
        return [r for r in self.calls if r.method.lower() == method.lower()]

    @property
    def errors(self) -> list[CallRecord]:
        """Calls answered with an error (incl. injected faults and 429s; not client-cancelled polls)."""
        return [r for r in self.calls if r.finished and not r.ok and r.error_code is not None]

    @property
    def confirmed(self) -> int:
        """Highest update id that is no longer pending."""
        return min(self._pending, default=self._next_update_id) - 1

    def unanswered_callbacks(self) -> list[str]:
        return [cid for cid, answered in self._callbacks.items() if not answered]

    def reset(self) -> None:
        """Forget recorded calls, violations, uploads, deliveries, faults (chat state is kept)."""
        for lst in (self.calls, self.violations, self.uploaded_files, self.webhook_deliveries, self._faults):
            lst.clear()
        self.rate_limited = 0

    # ------------------------------------------------------------------ feeding updates
    def push_update(self, update: dict) -> int:
        uid = self._next_update_id
        self._next_update_id += 1
        upd = {"update_id": uid, **{k: copy.deepcopy(v) for k, v in update.items() if k != "update_id"}}
        kind = update_type(upd)
        if kind in MESSAGE_KINDS:
            msg = upd[kind]
            chat = msg.get("chat", {})
            if "id" in chat:
                self._chats.setdefault(chat["id"], chat)
                self._seq[chat["id"]] = max(self._seq.get(chat["id"], 0), msg.get("message_id", 0))
                self._history.setdefault(chat["id"], {})[msg["message_id"]] = ("user", copy.deepcopy(msg))
        elif kind == "callback_query":
            self._callbacks.setdefault(upd[kind]["id"], False)
        self._pending[uid] = upd
        self.pushed.append(upd)
        self._notify()
        return uid

    def user_message(self, user_id: int, text: str | None = None, **kw: Any) -> int:
        """Build a user message (see ``updates.message_update``) with a fresh per-chat id and push it."""
        chat_id = kw.get("chat_id") or user_id
        if kw.get("message_id") is None:
            kw["message_id"] = self._next_id(self._chat(chat_id)["id"])
        if kw.get("chat_type") is None and chat_id in self._chats:
            kw["chat_type"] = self._chats[chat_id]["type"]
        return self.push_update(message_update(user_id, text, **kw))

    def press(self, user_id: int, message: Any, button: str, *, chat_id: Any = None, **kw: Any) -> int:
        """Push a callback_query for the inline button whose text contains ``button`` (exact match wins)
        on the *current* state of ``message`` (Message dict, aiogram Message, or message_id + chat_id)."""
        if isinstance(message, int):
            cid, mid = chat_id if chat_id is not None else user_id, message
        elif isinstance(message, dict):
            cid, mid = message["chat"]["id"], message["message_id"]
        else:
            cid, mid = message.chat.id, message.message_id
        current = self.message(cid, mid)
        if current is None:
            raise LookupError(f"message {mid} not found in chat {cid} (deleted or never sent)")
        buttons = inline_buttons(current)
        labels = [b["text"] for b in buttons]
        found = [b for b in buttons if b["text"] == button] or [b for b in buttons if button in b["text"]]
        if len(found) != 1:
            what = "no inline button" if not found else f"{len(found)} inline buttons"
            raise LookupError(f"{what} matching {button!r} in message {mid} of chat {cid}; buttons: {labels}")
        if "callback_data" not in found[0]:
            raise LookupError(f"button {found[0]['text']!r} has no callback_data: {found[0]}")
        return self.push_update(callback_update(user_id, current, found[0]["callback_data"], **kw))

    # ------------------------------------------------------------------ waiting
    async def _wait_until(self, pred: Callable[[], Any], timeout: float, what: str) -> Any:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while True:
            ev = self._changed
            if result := pred():
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                last = [f"{r.method}({'ok' if r.ok else r.description})" for r in self.calls[-5:]]
                raise TimeoutError(f"FakeBotAPI: {what} not reached in {timeout}s; pending updates "
                                   f"{list(self._pending)}, webhook={bool(self._webhook)}, last calls {last}")
            try:
                await asyncio.wait_for(ev.wait(), remaining)
            except TimeoutError:
                pass

    async def wait_confirmed(self, update_id: int, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until the bot confirmed ``update_id`` (getUpdates offset beyond it / webhook 2xx)."""
        await self._wait_until(lambda: update_id not in self._pending and update_id < self._next_update_id,
                               timeout, f"confirmation of update {update_id}")
        if update_id in self.dropped_updates:
            raise RuntimeError(f"update {update_id} was dropped: {self.dropped_updates[update_id]}")

    async def wait_idle(self, timeout: float = 10, settle: float = 0.05) -> None:  # noqa: ASYNC109
        """Until every pushed update is confirmed and no call happened for ``settle`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            await self._wait_until(lambda: not self._pending and self._inflight == 0,
                                   max(0.0, deadline - time.monotonic()), "idle")
            n = len(self.calls)
            await asyncio.sleep(settle)
            if len(self.calls) == n and not self._pending and self._inflight == 0:
                return

    async def wait_for_call(self, method: str, predicate: Callable[[CallRecord], bool] | None = None,
                            timeout: float = 10, start: int = 0) -> CallRecord:  # noqa: ASYNC109
        """First finished call of ``method`` (from index ``start`` of ``api.calls``) matching ``predicate``."""
        def find() -> CallRecord | None:
            return next((r for r in self.calls[start:] if r.finished and r.method.lower() == method.lower()
                         and (predicate is None or predicate(r))), None)
        return await self._wait_until(find, timeout, f"call to {method}")

    # ------------------------------------------------------------------ faults and files
    def inject(self, method: str, kind: str, times: int = 1, **kw: Any) -> None:
        """Fault for the next ``times`` calls of ``method`` ("*" = any). kinds: 429 (retry_after=),
        500, 502, timeout (delay=), disconnect, blocked, kicked, deactivated, chat_not_found,
        error (status=, description=). ``chat_id=`` restricts it to one chat."""
        if kind not in FAULTS and kind not in TAKING_FAULTS | {"429", "error"}:
            raise ValueError(f"unknown fault kind {kind!r}")
        self._faults.append(Fault(method.lower(), str(kind), times, kw))

    def _take_fault(self, method: str, chat_id: Any) -> Fault | None:
        for f in self._faults:
            if f.times > 0 and f.method in ("*", method.lower()) and (
                    "chat_id" not in f.options or self._chat(f.options["chat_id"])["id"] == chat_id):
                f.times -= 1
                return f
        return None

    def add_file(self, content: bytes, *, kind: str = "photo", file_name: str | None = None,
                 mime_type: str | None = None, width: int | None = None, height: int | None = None) -> dict:
        """Register a file; returns file_id, file_unique_id, file_size, file_path (+ name/mime/size)."""
        n = next(self._file_seq)
        ext = PurePosixPath(file_name).suffix if file_name else (".jpg" if kind == "photo" else "")
        info: dict[str, Any] = {"kind": kind, "file_id": f"fake-{kind}-{n:06d}", "file_unique_id": f"u{n:06d}",
                                "file_size": len(content), "file_path": f"{kind}s/file_{n}{ext}"}
        if file_name:
            info["file_name"] = PurePosixPath(file_name).name
        if mime_type:
            info["mime_type"] = mime_type
        if kind == "photo":
            info.update(width=width or 1280, height=height or 960, thumb_file_id=f"fake-thumb-{n:06d}")
            self._register({**info, "file_id": info["thumb_file_id"], "file_path": f"thumbs/file_{n}.jpg"}, content)
        self._register(info, content)
        return dict(info)

    def _register(self, info: dict, content: bytes) -> None:
        self._files[info["file_id"]] = {**info, "content": content}
        self._paths[info["file_path"]] = info["file_id"]

    def file_content(self, file_id: str) -> bytes:
        return self._files[file_id]["content"]

    # ------------------------------------------------------------------ chats and messages
    def _chat(self, chat_id: Any) -> dict:
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if isinstance(chat_id, str):
            uname = chat_id.lstrip("@")
            if uname not in self._usernames:
                self._usernames[uname] = -1001000000000 - len(self._usernames)
                cid = self._usernames[uname]
                self._chats[cid] = chat_dict(cid, "channel", title=uname, username=uname)
            chat_id = self._usernames[uname]
        return self._chats.get(chat_id) or chat_dict(chat_id)

    def _next_id(self, chat_id: Any) -> int:
        self._seq[chat_id] = self._seq.get(chat_id, 0) + 1
        return self._seq[chat_id]

    def _bot_user(self, token: str) -> dict:
        user = user_dict(int(token.split(":")[0]), self.first_name, username=self.username,
                         language_code=None, is_bot=True)
        return user

    # ------------------------------------------------------------------ HTTP layer
    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, UploadedFile] = {}
        if request.method == "POST" and request.body_exists:
            if request.content_type == "application/json":
                body = await request.json()
                raw.update(body if isinstance(body, dict) else {})
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        uploads[key] = UploadedFile(key, value.filename, value.file.read(), value.content_type)
                    else:
                        raw[key] = value
        rec, status, body = await self.process(request.match_info["token"], request.match_info["method"], raw, uploads)
        if rec.fault == "disconnect":
            assert request.transport is not None
            request.transport.close()
            raise asyncio.CancelledError
        if rec.fault == "timeout":
            await asyncio.sleep(float(rec.fault_options.get("delay", self.timeout_fault_delay)))
        return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def _handle_file(self, request: web.Request) -> web.Response:
        file_id = self._paths.get(request.match_info["path"])
        if file_id is None or not TOKEN_RE.match(request.match_info["token"]):
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        f = self._files[file_id]
        return web.Response(body=f["content"], content_type=f.get("mime_type") or "application/octet-stream")

    async def process(self, token: str, method: str, raw: dict[str, Any], uploads: dict[str, UploadedFile],
                      source: str = "http") -> tuple[CallRecord, int, dict]:
        """Validate, record and execute one call. Returns (record, HTTP status, JSON body)."""
        spec = self.spec.method(method)
        rec = CallRecord(method=spec.name if spec else method, params=dict(raw), token=token, source=source,
                         files=dict(uploads), sends_message=bool(spec and spec.sends_message))
        self.calls.append(rec)
        polling = spec is not None and spec.name == "getUpdates"
        self._inflight += not polling
        try:
            if not TOKEN_RE.match(token):
                raise ApiError(401, "Unauthorized")
            if spec is None:
                raise ApiError(404, "Not Found", violation=True)
            rec.params = decode_params(spec, raw, uploads)
            if rec.params.get("chat_id") is not None:
                rec.chat_id = self._chat(rec.params["chat_id"])["id"]
            validate_call(spec, rec.params)
            fault = self._take_fault(spec.name, rec.chat_id)
            if fault:
                rec.fault = fault.kind
                rec.fault_options = fault.options
                if fault.kind not in TAKING_FAULTS:
                    raise fault.error()
            if self.enforce_limits and spec.sends_message and (retry := self.limiter.check(rec.chat_id)):
                self.rate_limited += 1
                raise ApiError(429, f"Too Many Requests: retry after {retry}", parameters={"retry_after": retry})
            rec.result = await self._execute(spec, rec.params, token, rec)
            rec.ok, rec.taken = True, spec.sends_message
            return rec, 200, {"ok": True, "result": rec.result}
        except ApiError as e:
            rec.error_code, rec.description = e.status, e.description
            if e.violation:
                self.violations.append(Violation(rec.method, e.description, rec.params, e.status))
                log.warning("Bot API violation: %s %s", rec.method, e.description)
            return rec, e.status, e.payload()
        except asyncio.CancelledError:
            rec.description = "cancelled: the client went away"
            raise
        finally:
            rec.finished = time.monotonic()
            self._inflight -= not polling
            for fn in self._listeners:
                fn(rec)
            self._notify()

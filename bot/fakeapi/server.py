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

from .chats import ChatsMixin
from .control import ControlMixin
from .invite_links import InviteLinksMixin
from .methods import DEFAULT_ALLOWED, MethodsMixin
from .queries import QueriesMixin
from .records import FAULTS, TAKING_FAULTS, CallRecord, Fault, UploadedFile, Violation, WebhookDelivery
from .spec import ApiError, RateLimiter, RateLimits, decode_params, load_spec, validate_call
from .storms import StormsMixin
from .topics import TopicsMixin
from .updates import callback_update, chat_dict, inline_buttons, message_update, update_type, user_dict

__all__ = ["FakeBotAPI", "CallRecord", "UploadedFile", "Violation", "WebhookDelivery"]
log = logging.getLogger("bot.fakeapi")
MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "business_message")
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class FakeBotAPI(ControlMixin, QueriesMixin, ChatsMixin, TopicsMixin, MethodsMixin, StormsMixin, InviteLinksMixin):
    """Fake Telegram Bot API server. ``await api.start()`` → base URL for
    ``TelegramAPIServer.from_base(url)``; ``await api.stop()``.

    Every call is validated against the spec; breaches go to ``api.violations`` (runtime errors a
    real bot must handle, e.g. "message is not modified", are errors but not violations).
    Records: ``api.calls`` (all), ``sent()``/``refused()`` (message-creating calls: send*, copy*,
    forward*), ``chat_messages(chat)`` (current state), ``uploaded_files``, ``webhook_deliveries``.
    Rate limits (``enforce_limits=True``) count only message-creating calls, not edits.
    Use it from the event loop it runs in; from another process use the ``/_fake/`` endpoints.
    Private chats, blocking, groups, privacy mode, migration and command menus: see ``bot/fakeapi/chats.py``
    (``strict=True``: only users who wrote to the bot may be written to; ``privacy_mode`` is on by default).
    """

    def __init__(self, *, enforce_limits: bool = False, limits: RateLimits | None = None,
                 username: str = "onduty_test_bot", first_name: str = "OnDuty Test Bot",
                 max_poll_timeout: float | None = None, timeout_fault_delay: float = 5.0,
                 webhook_retries: int = 3, webhook_backoff: float = 0.05, webhook_timeout: float = 10.0,
                 strict: bool = False, privacy_mode: bool = True) -> None:
        self.spec = load_spec()
        self._init_chats(strict, privacy_mode)
        self._init_storms()
        self._init_topics()
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
        self.invite_links: list[tuple[Any, dict]] = []  # createChatInviteLink's links (invite_links.py)
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
        self._add_control_routes(app)
        return app

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

    # ------------------------------------------------------------------ recorded state
    def reset(self) -> None:
        """Forget recorded calls, violations, uploads, deliveries, faults (chat state is kept)."""
        for lst in (self.calls, self.violations, self.uploaded_files, self.webhook_deliveries, self._faults):
            lst.clear()
        self.rate_limited = 0
        self._init_storms()

    # ------------------------------------------------------------------ feeding updates
    def push_update(self, update: dict) -> int:
        uid = self._next_update_id
        self._next_update_id += 1
        upd = {"update_id": uid, **{k: copy.deepcopy(v) for k, v in update.items() if k != "update_id"}}
        self._observe(upd)
        self._pending[uid] = upd
        self.pushed.append(upd)
        self._notify()
        return uid

    def _observe(self, upd: dict) -> None:
        """What an update tells the server: chats, message ids and history, callbacks, who opened the bot."""
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
        self._observe_chats(upd)

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
        encoding = "query"
        if request.method == "POST" and request.body_exists:
            if request.content_type == "application/json":
                encoding = "json"
                body = await request.json()
                raw.update(body if isinstance(body, dict) else {})
            else:
                encoding = "multipart" if request.content_type.startswith("multipart/") else "form"
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        uploads[key] = UploadedFile(key, value.filename, value.file.read(), value.content_type)
                    else:
                        raw[key] = value
        rec, status, body = await self.process(request.match_info["token"], request.match_info["method"], raw, uploads,
                                               encoding=encoding)
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
                      source: str = "http", encoding: str = "query") -> tuple[CallRecord, int, dict]:
        """Validate, record and execute one call. Returns (record, HTTP status, JSON body)."""
        spec = self.spec.method(method)
        rec = CallRecord(method=spec.name if spec else method, params=dict(raw), token=token, source=source,
                         encoding=encoding,
                         files=dict(uploads), sends_message=bool(spec and spec.sends_message))
        self.calls.append(rec)
        polling = spec is not None and spec.name == "getUpdates"
        self._inflight += not polling
        try:
            if not TOKEN_RE.match(token):
                raise ApiError(401, "Unauthorized")
            self.bot_id = int(token.split(":")[0])
            if spec is None:
                raise ApiError(404, "Not Found", violation=True)
            rec.params = decode_params(spec, raw, uploads)
            if rec.params.get("chat_id") is not None:
                rec.chat_id = self._chat(rec.params["chat_id"])["id"]
            validate_call(spec, rec.params)
            self._check_window(spec.name, rec.chat_id, rec.params)
            if (storm := self._storm_error(spec.name, rec.chat_id)) is not None:
                rec.fault = f"storm-{storm.status}"
                raise storm
            fault = self._take_fault(spec.name, rec.chat_id)
            if fault:
                rec.fault = fault.kind
                rec.fault_options = fault.options
                if fault.kind not in TAKING_FAULTS:
                    raise fault.error()
            if rec.chat_id is not None and (refusal := self._reach_error(spec, rec.chat_id)):
                raise refusal
            if self.enforce_limits and spec.sends_message and (retry := self.limiter.check(rec.chat_id)):
                self.rate_limited += 1
                raise ApiError(429, f"Too Many Requests: retry after {retry}", parameters={"retry_after": retry})
            rec.result = await self._execute(spec, rec.params, token, rec)
            rec.ok, rec.taken = True, spec.sends_message
            return rec, 200, {"ok": True, "result": rec.result}
        except ApiError as e:
            rec.error_code, rec.description = e.status, e.description
            if e.status == 429:  # Telegram's ban on this chat (or the bot): calls within it are violations
                self._note_retry_after(rec.chat_id, (e.parameters or {}).get("retry_after"))
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

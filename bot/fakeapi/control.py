"""The fake server's control endpoints (/_fake/...): what a test or the demo in another process uses to push
updates, press buttons, inject faults and read what the bot did — the HTTP face of FakeBotAPI's methods."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

# FakeBotAPI helpers callable as POST /_fake/do/<name> with their keyword arguments as the JSON body.
HELPERS = frozenset({"set_strict", "mark_opened", "mark_unopened", "block", "unblock", "add_bot_to_group",
                     "remove_bot_from_group", "set_admin", "add_member", "group_message", "migrate_group",
                     "chat_member", "menu", "my_commands", "storm", "storm_502", "end_storms",
                     "storming", "retry_windows",
                     # forum topics (bot/fakeapi/topics.py)
                     "make_forum", "grant_topics", "delete_topic", "topic", "topic_messages"})


class ControlMixin:
    def _add_control_routes(self, app: web.Application) -> None:
        for verb, path, handler in (
                ("POST", "/_fake/updates", self._ctl_updates), ("POST", "/_fake/user_message", self._ctl_user_message),
                ("POST", "/_fake/press", self._ctl_press), ("POST", "/_fake/inject", self._ctl_inject),
                ("POST", "/_fake/reset", self._ctl_reset), ("GET", "/_fake/calls", self._ctl_calls),
                ("GET", "/_fake/violations", self._ctl_violations), ("GET", "/_fake/confirmed", self._ctl_confirmed),
                ("GET", "/_fake/chats/{chat_id}/messages", self._ctl_chat),
                ("POST", "/_fake/do/{helper}", self._ctl_helper)):
            app.router.add_route(verb, path, handler)

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

    async def _ctl_helper(self, request: web.Request) -> web.Response:
        name = request.match_info["helper"]
        if name not in HELPERS:
            return self._json({"ok": False, "description": f"no helper {name!r}; one of {sorted(HELPERS)}"}, 404)
        return await self._ctl_call(request, lambda b: getattr(self, name)(**b))

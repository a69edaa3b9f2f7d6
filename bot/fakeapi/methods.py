"""Implementations of the Bot API methods that need state (messages, files, commands, chats).

Mixed into :class:`~bot.fakeapi.server.FakeBotAPI`; ``_m_<methodName>`` handlers are looked up by the
spec name, everything else gets a generic result derived from the spec's return type."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import mimetypes
import time
from typing import Any

import aiohttp

from .records import CallRecord, UploadedFile, WebhookDelivery
from .spec import ApiError, MethodSpec, bad_request, render_text
from .updates import UPDATE_TYPES, build_message, media_object, now, update_type

log = logging.getLogger("bot.fakeapi")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_ALLOWED = frozenset(UPDATE_TYPES) - {"chat_member", "message_reaction", "message_reaction_count"}
MEDIA_KINDS = ("photo", "document", "video", "audio", "voice", "animation", "sticker", "video_note")


class MethodsMixin:
    """Method handlers; state attributes are created by FakeBotAPI.__init__."""

    async def _execute(self, spec: MethodSpec, p: dict[str, Any], token: str, rec: CallRecord) -> Any:
        name = spec.name
        handler = getattr(self, f"_m_{name}", None)
        if handler is not None:
            result = handler(p, token, rec)
            return await result if asyncio.iscoroutine(result) else result
        if spec.sends_message and "Message" in spec.returns:
            return self._send(spec, p, token, rec)
        if name.startswith(("edit", "stopMessage")) and "Message" in spec.returns:
            return self._edit(spec, p, rec)
        returns = spec.returns[0] if spec.returns else "Boolean"
        simple: dict[str, Any] = {"Boolean": True, "Integer": 0, "String": "", "User": self._bot_user(token)}
        if returns in simple:
            return simple[returns]
        return [] if returns.startswith("Array of") else {}

    def _media(self, kind: str, value: Any, rec: CallRecord) -> dict:
        if isinstance(value, UploadedFile):
            mime = value.content_type if value.content_type != "application/octet-stream" else None
            mime = mime or mimetypes.guess_type(value.filename)[0]
            info = self.add_file(value.content, kind=kind, file_name=value.filename, mime_type=mime)
            value.file_id = info["file_id"]
            self.uploaded_files.append(value)
            return info
        if isinstance(value, str) and value in self._files:
            return {k: v for k, v in self._files[value].items() if k != "content"}
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self.add_file(b"", kind=kind, file_name=value.rsplit("/", 1)[-1] or None)
        raise bad_request("wrong file identifier/HTTP URL specified", violation=False)

    def _store(self, chat_id: Any, msg: dict, who: str = "bot") -> dict:
        self._history.setdefault(chat_id, {})[msg["message_id"]] = (who, copy.deepcopy(msg))
        return msg

    def _send(self, spec: MethodSpec, p: dict[str, Any], token: str, rec: CallRecord, *,
              media_override: dict | None = None, extra: dict | None = None) -> dict:
        chat = self._chat(p["chat_id"])
        text = ents = caption = cap_ents = None
        if "text" in p:
            text, ents = render_text(str(p["text"]), p.get("parse_mode"), p.get("entities"))
        if p.get("caption") is not None:
            caption, cap_ents = render_text(str(p["caption"]), p.get("parse_mode"), p.get("caption_entities"))
        media = media_override or {k: media_object(k, self._media(k, p[k], rec)) for k in MEDIA_KINDS if k in p}
        extra = dict(extra or {})
        if spec.name == "sendLocation":
            extra["location"] = {"latitude": p["latitude"], "longitude": p["longitude"]}
        elif spec.name == "sendContact":
            extra["contact"] = {"phone_number": p["phone_number"], "first_name": p["first_name"]}
        elif spec.name == "sendDice":
            extra["dice"] = {"emoji": p.get("emoji", "🎲"), "value": 1}
        reply_id = (p.get("reply_parameters") or {}).get("message_id") or p.get("reply_to_message_id")
        reply_to = self.message(chat["id"], reply_id) if reply_id else None
        thread = self._thread_of_send(chat["id"], p.get("message_thread_id"))  # bot/fakeapi/topics.py
        msg = build_message(message_id=self._next_id(chat["id"]), chat=chat, from_user=self._bot_user(token),
                            text=text, entities=ents, caption=caption, caption_entities=cap_ents, media=media,
                            reply_markup=p.get("reply_markup"), reply_to_message=reply_to,
                            message_thread_id=thread, extra=extra)
        self._topic_marks(msg)
        return self._store(chat["id"], msg)

    def _m_sendMediaGroup(self, p: dict[str, Any], token: str, rec: CallRecord) -> list[dict]:
        out, group_id = [], f"mg{next(self._file_seq)}"
        for item in p["media"]:
            ref = item.get("media", "")
            value = rec.files.get(ref[len("attach://"):]) if ref.startswith("attach://") else ref
            kind = item.get("type", "photo")
            one = {"chat_id": p["chat_id"], "caption": item.get("caption"), "parse_mode": item.get("parse_mode")}
            spec = self.spec.methods["sendphoto"]
            out.append(self._send(spec, one, token, rec, media_override={kind: media_object(kind, self._media(kind, value, rec))},
                                  extra={"media_group_id": group_id}))
        return out

    def _source(self, p: dict[str, Any]) -> dict:
        src = self.message(p["from_chat_id"], p["message_id"])
        if src is None:
            raise bad_request("message to copy not found", violation=False)
        return src

    def _m_copyMessage(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        src, chat = self._source(p), self._chat(p["chat_id"])
        msg = {**{k: v for k, v in src.items() if k not in ("forward_origin", "edit_date", "reply_markup")},
               "message_id": self._next_id(chat["id"]), "chat": chat, "from": self._bot_user(token), "date": now()}
        if "caption" in p:
            msg["caption"], _ = render_text(p["caption"], p.get("parse_mode"), None)
        if p.get("reply_markup", {}).get("inline_keyboard"):
            msg["reply_markup"] = p["reply_markup"]
        self._store(chat["id"], msg)
        return {"message_id": msg["message_id"]}

    def _m_forwardMessage(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        src, chat = self._source(p), self._chat(p["chat_id"])
        origin = {"type": "user", "sender_user": src.get("from") or {}, "date": src["date"]}
        msg = {**{k: v for k, v in src.items() if k not in ("edit_date", "reply_markup")}, "chat": chat,
               "message_id": self._next_id(chat["id"]), "from": self._bot_user(token), "date": now(),
               "forward_origin": src.get("forward_origin", origin)}
        return self._store(chat["id"], msg)

    def _edit(self, spec: MethodSpec, p: dict[str, Any], rec: CallRecord | None = None) -> Any:
        if p.get("inline_message_id"):
            return True
        if p.get("chat_id") is None or p.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        chat_id = self._chat(p["chat_id"])["id"]
        entry = self._history.get(chat_id, {}).get(p["message_id"])
        if entry is None:
            raise bad_request("message to edit not found", violation=False)
        if entry[0] != "bot":
            raise bad_request("message can't be edited", violation=False)
        old, new = entry[1], copy.deepcopy(entry[1])
        if spec.name == "editMessageText":
            if "text" not in old:
                raise bad_request("there is no text in the message to edit", violation=False)
            new["text"], ents = render_text(str(p["text"]), p.get("parse_mode"), p.get("entities"))
            new.pop("entities", None) if not ents else new.update(entities=ents)
        elif spec.name == "editMessageCaption":
            if not any(k in old for k in MEDIA_KINDS):
                raise bad_request("there is no caption in the message to edit", violation=False)
            cap, ents = render_text(str(p.get("caption") or ""), p.get("parse_mode"), p.get("caption_entities"))
            new.pop("caption_entities", None) if not ents else new.update(caption_entities=ents)
            new.pop("caption", None) if not cap else new.update(caption=cap)
        elif spec.name == "editMessageMedia":
            item = p["media"]
            kind, ref = item.get("type", "photo"), item.get("media", "")
            for k in MEDIA_KINDS:
                new.pop(k, None)
            value = rec.files.get(ref[len("attach://"):]) if rec and ref.startswith("attach://") else ref
            new[kind] = media_object(kind, self._media(kind, value, rec or CallRecord("", {})))
            cap, ents = render_text(str(item.get("caption") or ""), item.get("parse_mode"), item.get("caption_entities"))
            new.pop("caption_entities", None) if not ents else new.update(caption_entities=ents)
            new.pop("caption", None) if not cap else new.update(caption=cap)
        markup = p.get("reply_markup")
        new.pop("reply_markup", None) if not (markup and markup.get("inline_keyboard")) else new.update(reply_markup=markup)
        if {k: v for k, v in new.items() if k != "edit_date"} == {k: v for k, v in old.items() if k != "edit_date"}:
            raise bad_request("message is not modified: specified new message content and reply markup are "
                              "exactly the same as a current content and reply markup of the message", violation=False)
        new["edit_date"] = now()
        return copy.deepcopy(self._store(chat_id, new))

    def _m_deleteMessage(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        chat_id = self._chat(p["chat_id"])["id"]
        if self._history.get(chat_id, {}).pop(p["message_id"], None) is None:
            raise bad_request("message to delete not found", violation=False)
        self.deleted.append((chat_id, p["message_id"]))
        return True

    def _m_deleteMessages(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        chat_id = self._chat(p["chat_id"])["id"]
        for mid in p["message_ids"]:
            if self._history.get(chat_id, {}).pop(mid, None) is not None:
                self.deleted.append((chat_id, mid))
        return True

    def _m_getMe(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        return {**self._bot_user(token), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    def _m_answerCallbackQuery(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        if p["callback_query_id"] not in self._callbacks:
            raise bad_request("query is too old and response timeout expired or query ID is invalid", violation=False)
        self._callbacks[p["callback_query_id"]] = True
        return True

    def _m_setMyCommands(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        self.commands[self._cmd_key(p)] = p["commands"]
        return True

    def _m_getMyCommands(self, p: dict[str, Any], token: str, rec: CallRecord) -> list:
        return self.commands.get(self._cmd_key(p), [])

    def _m_deleteMyCommands(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        self.commands.pop(self._cmd_key(p), None)
        return True

    def _m_getFile(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        f = self._files.get(p["file_id"])
        if f is None:
            raise bad_request("invalid file_id", violation=False)
        return {k: f[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}

    # ------------------------------------------------------------------ getUpdates / webhook
    def _confirm_below(self, offset: int) -> None:
        for uid in [u for u in self._pending if u < offset]:
            del self._pending[uid]

    def _drop(self, uid: int, reason: str) -> None:
        self._pending.pop(uid, None)
        self.dropped_updates[uid] = reason
        log.info("update %s dropped: %s", uid, reason)

    def _deliverable(self, limit: int) -> list[dict]:
        out = []
        for uid, upd in list(self._pending.items()):
            if update_type(upd) not in self._allowed:
                self._drop(uid, f"type {update_type(upd)!r} not in allowed_updates")
            elif len(out) < limit:
                out.append(copy.deepcopy(upd))
        return out

    def _set_allowed(self, allowed: Any) -> None:
        if isinstance(allowed, list):
            self._allowed = frozenset(allowed) if allowed else DEFAULT_ALLOWED

    async def _m_getUpdates(self, p: dict[str, Any], token: str, rec: CallRecord) -> list[dict]:
        if self._webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = p.get("offset") or 0
        if offset > 0:
            self._confirm_below(offset)
        elif offset < 0:
            self._confirm_below(sorted(self._pending)[offset] if len(self._pending) >= -offset else 0)
        self._set_allowed(p.get("allowed_updates"))
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        timeout = max(0.0, float(p.get("timeout") or 0))
        if self.max_poll_timeout is not None:
            timeout = min(timeout, self.max_poll_timeout)
        self._poll_gen += 1
        gen, deadline = self._poll_gen, time.monotonic() + timeout
        self._notify()
        while True:
            ev = self._changed
            if gen != self._poll_gen:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                    "make sure that only one bot instance is running")
            batch = [] if self._stopping else self._deliverable(limit)
            if batch or self._stopping or time.monotonic() >= deadline:
                return batch
            try:
                await asyncio.wait_for(ev.wait(), deadline - time.monotonic())
            except TimeoutError:
                pass

    def _m_setWebhook(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        if not p.get("url"):
            return self._m_deleteWebhook(p, token, rec)
        if p.get("drop_pending_updates"):
            for uid in list(self._pending):
                self._drop(uid, "drop_pending_updates")
        self._set_allowed(p.get("allowed_updates"))
        self._webhook = {"url": p["url"], "secret_token": p.get("secret_token"), "token": token, "last_error": None}
        self._poll_gen += 1  # terminate a pending long poll
        if self._wh_task is None or self._wh_task.done():
            self._wh_task = asyncio.get_running_loop().create_task(self._webhook_worker())
        return True

    def _m_deleteWebhook(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        if p.get("drop_pending_updates"):
            for uid in list(self._pending):
                self._drop(uid, "drop_pending_updates")
        self._webhook = None
        return True

    def _m_getWebhookInfo(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        hook = self._webhook or {}
        info = {"url": hook.get("url", ""), "has_custom_certificate": False, "pending_update_count": len(self._pending)}
        if hook.get("last_error"):  # as Telegram: when and why the latest delivery attempt failed
            info["last_error_date"], info["last_error_message"] = hook["last_error"]
        return info

    async def _webhook_worker(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.webhook_timeout)) as session:
            while self._webhook is not None and not self._stopping:
                ev = self._changed
                uid = next(iter(self._pending), None)
                if uid is None:
                    await ev.wait()
                    continue
                await self._deliver(session, uid, self._webhook)

    async def _deliver(self, session: aiohttp.ClientSession, uid: int, hook: dict[str, Any]) -> None:
        upd = self._pending[uid]
        if update_type(upd) not in self._allowed:
            return self._drop(uid, f"type {update_type(upd)!r} not in allowed_updates")
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers[SECRET_HEADER] = hook["secret_token"]
        for attempt in range(self.webhook_retries + 1):
            if attempt:
                await asyncio.sleep(self.webhook_backoff * 2 ** (attempt - 1))
            if self._webhook is not hook:
                return
            d = WebhookDelivery(uid, hook["url"], attempt + 1)
            reply: tuple[dict, dict] | None = None
            try:
                async with session.post(hook["url"], data=json.dumps(upd, ensure_ascii=False).encode(),
                                        headers=headers) as resp:
                    d.status = resp.status
                    if d.ok:
                        reply = await self._read_reply(resp)
            except (aiohttp.ClientError, TimeoutError) as e:
                d.error = f"{type(e).__name__}: {e}"
            self.webhook_deliveries.append(d)
            if not d.ok:
                hook["last_error"] = (int(time.time()), d.error or f"Wrong response from the webhook: {d.status}")
            if d.ok:
                if reply and reply[0].get("method"):
                    raw = dict(reply[0])
                    await self.process(hook["token"], str(raw.pop("method")), raw, reply[1], source="webhook-reply")
                self._pending.pop(uid, None)
                self._notify()
                return
        self._drop(uid, f"webhook delivery failed after {self.webhook_retries + 1} attempts")
        self._notify()

    @staticmethod
    async def _read_reply(resp: aiohttp.ClientResponse) -> tuple[dict, dict] | None:
        """A method call returned in the webhook response body (JSON or multipart form)."""
        if resp.content_type == "application/json":
            body = await resp.json()
            return (body, {}) if isinstance(body, dict) else None
        if resp.content_type.startswith("multipart/"):
            fields: dict[str, Any] = {}
            files: dict[str, UploadedFile] = {}
            reader = aiohttp.MultipartReader(resp.headers, resp.content)
            while (part := await reader.next()) is not None:
                if isinstance(part, aiohttp.BodyPartReader) and part.name:
                    if part.filename:
                        files[part.name] = UploadedFile(part.name, part.filename, bytes(await part.read()))
                    else:
                        fields[part.name] = await part.text()
            return fields, files
        return None

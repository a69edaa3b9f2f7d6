"""A person chatting with the bot through the fake Bot API: send text, press buttons, read replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.fakeapi import FakeBotAPI


@dataclass
class Chat:
    api: FakeBotAPI
    user_id: int
    language_code: str = "zh-hans"
    first_name: str = "User"
    chat_id: int | None = None
    chat_type: str = "private"
    _seen: int = field(default=0)

    def _new_calls(self) -> list[Any]:
        calls = self.api.calls[self._seen:]
        self._seen = len(self.api.calls)
        target = self.chat_id or self.user_id
        return [c for c in calls if c.ok and str(c.params.get("chat_id")) == str(target)
                or c.method == "answerCallbackQuery"]

    def _replies(self) -> list[str]:
        out = []
        for c in self._new_calls():
            text = c.params.get("text")
            if c.method == "sendMessage" and text:
                out.append(text)
            elif c.method == "answerCallbackQuery" and text:
                out.append(f"(toast) {text}")
        return out

    async def send(self, text: str | None = None, **kw: Any) -> list[str]:
        self._seen = len(self.api.calls)
        kw.setdefault("language_code", self.language_code)
        kw.setdefault("first_name", self.first_name)
        if self.chat_id is not None:
            kw.setdefault("chat_id", self.chat_id)
            kw.setdefault("chat_type", self.chat_type)
        uid = self.api.user_message(self.user_id, text, **kw)
        await self.api.wait_confirmed(uid, timeout=20)
        return self._replies()

    async def photo(self, content: bytes = b"\x89PNG fake photo", caption: str | None = None) -> list[str]:
        f = self.api.add_file(content, kind="photo")
        return await self.send(None, photo=f, caption=caption)

    def last_keyboard_message(self, label: str) -> dict:
        for msg in reversed(self.api.chat_messages(self.chat_id or self.user_id)):
            rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
            if any(label in b.get("text", "") for row in rows for b in row):
                return msg
        raise AssertionError(f"no button {label!r} in chat {self.user_id}")

    async def press(self, label: str, message: dict | None = None) -> list[str]:
        self._seen = len(self.api.calls)
        msg = message or self.last_keyboard_message(label)
        uid = self.api.press(self.user_id, msg, label, language_code=self.language_code)
        await self.api.wait_confirmed(uid, timeout=20)
        return self._replies()

    def buttons(self) -> list[str]:
        msgs = self.api.chat_messages(self.chat_id or self.user_id)
        for msg in reversed(msgs):
            rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
            if rows:
                return [b["text"] for row in rows for b in row]
        return []

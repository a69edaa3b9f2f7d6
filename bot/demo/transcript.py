"""A readable chat transcript rendered from the calls the fake Bot API recorded (never canned text)."""

from __future__ import annotations

from typing import Any

SHOWN = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "sendPhoto",
         "sendDocument"}


def _buttons(markup: Any) -> list[str]:
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return ["    " + " ".join(f"[{b.get('text')}]" for b in row) for row in rows]


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def render_call(method: str, params: dict[str, Any], names: dict[int, str]) -> str | None:
    if method not in SHOWN:
        return None
    chat = params.get("chat_id")
    who = names.get(int(chat), str(chat)) if chat is not None and str(chat).lstrip("-").isdigit() else str(chat)
    if method == "sendMessage":
        return "\n".join([f"🤖 → {who}:", _indent(str(params.get("text", ""))), *_buttons(params.get("reply_markup"))])
    if method == "editMessageText":
        return "\n".join([f"🤖 ✎ {who} (edited):", _indent(str(params.get("text", ""))),
                          *_buttons(params.get("reply_markup"))])
    if method == "editMessageReplyMarkup":
        rows = _buttons(params.get("reply_markup"))
        return f"🤖 ✎ {who}: " + ("buttons changed\n" + "\n".join(rows) if rows else "buttons removed")
    if method == "answerCallbackQuery":
        text = params.get("text")
        return f"🤖 (toast) {text}" if text else None
    caption = params.get("caption") or ""
    kind = "photo" if method == "sendPhoto" else "document"
    return f"🤖 → {who}: [{kind}] {caption}".rstrip()


def render_user(verb: str, user: str, arg: str) -> str:
    if verb == "say":
        return f"👤 {user}:\n" + _indent(arg)
    if verb == "reply":
        return f"👤 {user} (replying):\n" + _indent(arg)
    if verb == "press":
        return f"👆 {user} pressed [{arg}]"
    if verb in ("photo", "video", "voice"):
        return f"👤 {user}: [{verb}] {arg}".rstrip()
    if verb == "document":
        return f"👤 {user}: [document {arg}]"
    if verb == "forward":
        return f"👤 {user}: [forwarded] {arg}"
    return f"▶ {verb} {arg}".rstrip()

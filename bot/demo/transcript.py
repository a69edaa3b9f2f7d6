"""A readable chat transcript rendered from the calls the fake Bot API recorded (never canned text)."""

from __future__ import annotations

from typing import Any

SHOWN = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "sendPhoto",
         "sendDocument", "createForumTopic", "closeForumTopic"}


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
    if method == "createForumTopic":
        return f"🤖 🧵 opened the topic “{params.get('name')}” in {who}"
    if method == "closeForumTopic":
        return f"🤖 🔒 closed the topic #{params.get('message_thread_id')} in {who}"
    if params.get("message_thread_id"):  # a forum topic of the group
        who += f" › 🧵 #{params['message_thread_id']}"
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
    if verb == "forge":
        label, _, rest = arg.partition(" of ")
        text, _, chat = rest.partition("@")
        where = f" on the last card in {chat.strip()}" if chat.strip() else ""
        return f"🕵 {user} (tampered client) pressed{where} with the data of [{label.strip()}] of {text.strip()}"
    if verb in ("photo", "video", "voice"):
        return f"👤 {user}: [{verb}] {arg}".rstrip()
    if verb == "document":
        return f"👤 {user}: [document {arg}]"
    if verb == "forward":
        return f"👤 {user}: [forwarded] {arg}"
    return f"▶ {verb} {arg}".rstrip()


# ----------------------------------------------------------------------------- Telegram's own doings
REFUSALS = {  # description → what the reader is told ({who}: the chat, {new}: a migrated group's new id)
    "Forbidden: bot can't initiate conversation with a user": "bot can't initiate conversation with {who}",
    "Forbidden: bot was blocked by the user": "bot was blocked by {who}",
    "Forbidden: bot was kicked from the group chat": "bot was kicked from {who}",
    "Forbidden: bot was kicked from the supergroup chat": "bot was kicked from {who}",
    "Forbidden: bot is not a member of the group chat": "bot is not a member of {who}",
    "Forbidden: bot is not a member of the supergroup chat": "bot is not a member of {who}",
    "Bad Request: group chat was upgraded to a supergroup chat": "{who} was upgraded to a supergroup: now {new}",
    "Bad Request: chat not found": "chat not found: {who}",
}


def render_refusal(method: str, description: str | None, params: dict[str, Any], who: str,
                   new: str | None = None) -> str | None:
    """A send Telegram refused because of who may be written to (None for any other error)."""
    reason = REFUSALS.get(description or "")
    if reason is None:
        return None
    line = f"⛔ Telegram refused {method}: {reason.format(who=who, new=new or '?')}"
    text = str(params.get("text") or params.get("caption") or "").strip()
    if text:
        first = text.splitlines()[0]
        more = len(first) > 60 or len(text.splitlines()) > 1
        line += f"\n   (it was: {first[:60] + '…' if more else first})"
    return line


def render_group(chat: str, user: str, text: str, *, seen: bool, reply: bool = False, bot_in_group: bool = True) -> str:
    head = f"👥 {chat} · {user}" + (" (replying to the bot)" if reply else "") + ":"
    lines = [head, _indent(text)]
    if not seen:
        why = ("privacy mode: not a command, nor a reply to the bot" if bot_in_group
               else "the bot is not in this group")
        lines.append(f"   🙈 the bot does not see this ({why})")
    return "\n".join(lines)


def render_event(kind: str, *, user: str = "", chat: str = "", extra: str = "") -> str:
    """Something Telegram did or that changed in Telegram (my_chat_member, service messages, settings)."""
    return {
        "strict": "🔒 strict: from here a user must write to the bot first (e.g. /start) before it can write to them",
        "group-limits": "⏱ group-limits: from here a group gets at most 20 messages a minute (a burst of 3), as Telegram "
                        "allows",
        "unopened": f"🔒 {user} has not opened the bot: it cannot write to them first",
        "block": f"🚫 {user} blocked the bot (my_chat_member: member → kicked)",
        "unblock": f"🔓 {user} pressed Restart: the bot may write again (my_chat_member: kicked → member)",
        "add-bot": f"➕ {user} added the bot to {chat} (my_chat_member: {extra})",
        "remove-bot": f"➖ {user} removed the bot from {chat} (my_chat_member: {extra})",
        "admin": f"⭐ {user} is an administrator of {chat}",
        "forum": f"🧵 {chat} is a forum (Topics on); the bot is an administrator allowed to manage topics",
        "delete-topic": f"🗑 someone deleted the topic “{extra}” of {chat} (with its messages)",
        "migrate": f"⬆ {chat} was upgraded to a supergroup: {extra} (service messages migrate_to_chat_id / "
                   "migrate_from_chat_id)",
        "dropped": "   (not delivered: the bot does not ask Telegram for this kind of update)",
    }[kind]


def render_menu(user: str, commands: list[dict], scope: str) -> str:
    if not commands:
        return f"📋 {user} sees no command menu (nothing set with setMyCommands for their chat)"
    return "\n".join([f"📋 the command menu {user} sees (scope {scope}):",
                      *(f"  /{c.get('command')} — {c.get('description')}" for c in commands)])

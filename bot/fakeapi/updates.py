"""Pure builders of Bot API objects (Update, Message, User, Chat, media) as plain dicts.

These do not touch server state. :class:`~bot.fakeapi.server.FakeBotAPI` wraps them
(``api.user_message``, ``api.press``) so that message ids share the per-chat counter with the
messages the bot sends.
"""

from __future__ import annotations

import itertools
import re
import time
import zlib
from typing import Any

_fallback_ids = itertools.count(1_000_000)  # only used when a builder is called without message_id
_callback_ids = itertools.count(1)
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")
UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages", "message_reaction",
    "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
    "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
    "chat_join_request", "chat_boost", "removed_chat_boost",
)


def now() -> int:
    return int(time.time())


def user_dict(user_id: int, first_name: str = "User", *, last_name: str | None = None,
              username: str | None = None, language_code: str | None = "zh-hans", is_bot: bool = False) -> dict:
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def chat_dict(chat_id: int | str, chat_type: str | None = None, *, title: str | None = None,
              first_name: str | None = None, username: str | None = None) -> dict:
    """A Chat. Type defaults from the id: >0 private, -100… supergroup, other <0 group."""
    if chat_type is None:
        if isinstance(chat_id, int) and chat_id > 0:
            chat_type = "private"
        elif str(chat_id).startswith("-100"):
            chat_type = "supergroup"
        else:
            chat_type = "group"
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = first_name or "User"
    else:
        chat["title"] = title or f"Chat {chat_id}"
    if username:
        chat["username"] = username
    return chat


def update_type(update: dict) -> str | None:
    return next((k for k in update if k != "update_id"), None)


# ----------------------------------------------------------------------------- media objects
def photo_sizes(file: dict) -> list[dict]:
    """PhotoSize list (thumbnail + full size) for a file dict from ``api.add_file(kind="photo")``."""
    w, h = file.get("width", 1280), file.get("height", 960)
    sizes = []
    if file.get("thumb_file_id"):
        sizes.append({"file_id": file["thumb_file_id"], "file_unique_id": file["file_unique_id"] + "-s",
                      "width": max(1, w // 16), "height": max(1, h // 16), "file_size": file.get("file_size", 0)})
    sizes.append({"file_id": file["file_id"], "file_unique_id": file["file_unique_id"],
                  "width": w, "height": h, "file_size": file.get("file_size", 0)})
    return sizes


def media_object(kind: str, file: dict) -> Any:
    """The Message field value for a media kind (photo → list of PhotoSize)."""
    if kind == "photo":
        return photo_sizes(file)
    obj: dict[str, Any] = {"file_id": file["file_id"], "file_unique_id": file["file_unique_id"]}
    if file.get("file_size") is not None:
        obj["file_size"] = file["file_size"]
    for key in ("file_name", "mime_type"):
        if file.get(key) and kind in ("document", "audio", "video", "animation", "voice"):
            obj[key] = file[key]
    if kind in ("video", "animation"):
        obj.update(width=file.get("width", 640), height=file.get("height", 480), duration=file.get("duration", 1))
    elif kind in ("audio", "voice"):
        obj["duration"] = file.get("duration", 1)
    elif kind == "video_note":
        obj.update(length=file.get("width", 240), duration=file.get("duration", 1))
    elif kind == "sticker":
        obj.update(type="regular", width=512, height=512, is_animated=False, is_video=False)
    return obj


def build_message(*, message_id: int, chat: dict, from_user: dict | None, date: int | None = None,
                  text: str | None = None, entities: list | None = None, caption: str | None = None,
                  caption_entities: list | None = None, media: dict[str, Any] | None = None,
                  reply_markup: dict | None = None, reply_to_message: dict | None = None,
                  forward_origin: dict | None = None, message_thread_id: int | None = None,
                  extra: dict | None = None) -> dict:
    msg: dict[str, Any] = {"message_id": message_id, "date": date or now(), "chat": chat}
    if from_user is not None:
        msg["from"] = from_user
    if message_thread_id:
        msg["message_thread_id"] = message_thread_id
    if forward_origin:
        msg["forward_origin"] = forward_origin
    if reply_to_message:
        reply = {k: v for k, v in reply_to_message.items() if k != "reply_to_message"}
        msg["reply_to_message"] = reply
    if text is not None:
        msg["text"] = text
    if entities:
        msg["entities"] = entities
    for kind, value in (media or {}).items():
        msg[kind] = value
    if caption is not None:
        msg["caption"] = caption
    if caption_entities:
        msg["caption_entities"] = caption_entities
    if reply_markup and "inline_keyboard" in reply_markup:  # only inline keyboards are attached
        msg["reply_markup"] = reply_markup
    if extra:
        msg.update(extra)
    return msg


# ----------------------------------------------------------------------------- forward origins
def forward_hidden_user(sender_user_name: str, date: int | None = None) -> dict:
    return {"type": "hidden_user", "sender_user_name": sender_user_name, "date": date or now()}


def forward_user(user_id: int, first_name: str = "User", date: int | None = None, **kw: Any) -> dict:
    return {"type": "user", "sender_user": user_dict(user_id, first_name, language_code=None, **kw),
            "date": date or now()}


def forward_channel(chat_id: int, title: str, message_id: int, *, username: str | None = None,
                    author_signature: str | None = None, date: int | None = None) -> dict:
    origin: dict[str, Any] = {"type": "channel", "chat": chat_dict(chat_id, "channel", title=title, username=username),
                              "message_id": message_id, "date": date or now()}
    if author_signature:
        origin["author_signature"] = author_signature
    return origin


# ----------------------------------------------------------------------------- updates
def message_update(user_id: int, text: str | None = None, *, chat_id: int | None = None,
                   chat_type: str | None = None, chat_title: str | None = None, first_name: str = "User",
                   last_name: str | None = None, username: str | None = None,
                   language_code: str | None = "zh-hans", photo: dict | None = None,
                   document: dict | None = None, caption: str | None = None,
                   forward_origin: dict | None = None, reply_to_message: dict | None = None,
                   entities: list | None = None, date: int | None = None, message_id: int | None = None,
                   message_thread_id: int | None = None, kind: str = "message",
                   media: dict[str, dict] | None = None) -> dict:
    """An Update (without update_id) with a message from a user. ``photo``/``document`` are file
    dicts from ``api.add_file``; ``media`` maps any other media kind (video, voice, audio, animation,
    video_note) to one. A leading ``/command`` gets its bot_command entity.
    ``kind="edited_message"`` builds an edit instead."""
    cid = user_id if chat_id is None else chat_id
    chat = chat_dict(cid, chat_type, title=chat_title, first_name=first_name, username=username)
    if entities is None and text and (m := _COMMAND_RE.match(text)):
        entities = [{"type": "bot_command", "offset": 0, "length": len(m.group(0))}]
    extra_media, media = media, {}
    if photo is not None:
        media["photo"] = photo_sizes(photo)
    if document is not None:
        media["document"] = media_object("document", document)
    for media_kind, file in (extra_media or {}).items():
        media[media_kind] = media_object(media_kind, file)
    extra = {"edit_date": date or now()} if kind == "edited_message" else None
    msg = build_message(
        message_id=next(_fallback_ids) if message_id is None else message_id, chat=chat,
        from_user=user_dict(user_id, first_name, last_name=last_name, username=username,
                            language_code=language_code),
        date=date, text=text, entities=entities, caption=caption, media=media,
        reply_to_message=reply_to_message, forward_origin=forward_origin,
        message_thread_id=message_thread_id, extra=extra)
    return {kind: msg}


def callback_update(user_id: int, message: dict, data: str, *, first_name: str = "User",
                    language_code: str | None = "zh-hans", callback_id: str | None = None,
                    chat_instance: str | None = None) -> dict:
    """An Update (without update_id) with a callback_query pressed on ``message`` (a Message dict)."""
    chat_id = message.get("chat", {}).get("id", user_id)
    return {"callback_query": {
        "id": callback_id or f"cb{next(_callback_ids)}",
        "from": user_dict(user_id, first_name, language_code=language_code),
        "message": message,
        "chat_instance": chat_instance or f"ci{zlib.crc32(str(chat_id).encode())}",
        "data": data,
    }}


def inline_buttons(message: dict) -> list[dict]:
    """All inline keyboard buttons of a Message dict, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b for row in rows for b in row]

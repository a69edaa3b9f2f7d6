"""Forum topics, as Telegram has them: createForumTopic, closeForumTopic and `message_thread_id` on sends.

Mixed into :class:`~bot.fakeapi.server.FakeBotAPI` (kept apart from the other chat methods so each feature's
calls stay in one place). Telegram's rules, as the real server answers them:

* a topic can be created only in a supergroup that is a forum (``make_forum``): else 400 "Bad Request: the chat
  is not a forum";
* the bot must be an administrator with ``can_manage_topics`` (``grant_topics``): else 400 "Bad Request: not
  enough rights to create a topic";
* the name has 1–128 characters (a longer one is a breach of the documented limit);
* the topic's ``message_thread_id`` is the id of its service message (``forum_topic_created``);
* a send naming a thread the chat does not have (never created, or deleted by a person: ``delete_topic``)
  answers 400 "Bad Request: message thread not found"; a message in a topic carries ``message_thread_id`` and
  ``is_topic_message``; a send without a thread in a forum goes to the General topic;
* closeForumTopic: the creator of the topic may close it, or an administrator with ``can_manage_topics``;
  a closed topic answers "TOPIC_NOT_MODIFIED" to a second close, an unknown one "TOPIC_ID_INVALID".
"""

from __future__ import annotations

import copy
from typing import Any

from .records import CallRecord
from .spec import ApiError, bad_request
from .updates import now

TOPIC_NAME_LIMIT = 128
NOT_A_FORUM = "the chat is not a forum"
NO_TOPIC_RIGHTS = "not enough rights to create a topic"
THREAD_NOT_FOUND = "message thread not found"
DEFAULT_ICON_COLOR = 7322096  # Telegram's first topic colour (0x6FB9F0)


class TopicsMixin:
    """State: chats that are forums, chats where the bot may manage topics, and each chat's topics."""

    def _init_topics(self) -> None:
        self._forums: set[Any] = set()
        self._topic_rights: set[Any] = set()
        # chat id -> thread id -> {"name", "icon_color", "closed", "creator"}
        self.topics: dict[Any, dict[int, dict[str, Any]]] = {}

    # ------------------------------------------------------------------ control hooks (tests, the demo)
    def make_forum(self, chat_id: int, on: bool = True) -> None:
        """The group becomes a forum supergroup (its Chat gets ``is_forum``), or stops being one."""
        chat = self._group(chat_id, type="supergroup")
        chat["is_forum"] = bool(on)
        if not on:
            chat.pop("is_forum")
        self._chats[chat_id] = chat
        (self._forums.add if on else self._forums.discard)(chat_id)

    def grant_topics(self, chat_id: int, on: bool = True) -> None:
        """The bot is an administrator of the group with the right to manage topics (or loses that right; it
        stays an administrator)."""
        self._bot_status[chat_id] = "administrator"
        (self._topic_rights.add if on else self._topic_rights.discard)(chat_id)

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """A person deletes the topic: it is gone with every message in it."""
        if self.topics.get(chat_id, {}).pop(int(thread_id), None) is None:
            raise LookupError(f"no topic {thread_id} in chat {chat_id}")
        history = self._history.get(chat_id, {})
        for mid in [m for m, (_, msg) in history.items() if msg.get("message_thread_id") == int(thread_id)]:
            del history[mid]

    def topic(self, chat_id: int, thread_id: int) -> dict[str, Any] | None:
        found = self.topics.get(chat_id, {}).get(int(thread_id))
        return copy.deepcopy(found) if found is not None else None

    def topic_messages(self, chat_id: int, thread_id: int | None) -> list[dict]:
        """The messages of one topic (None: the General topic, messages without a thread), oldest first."""
        return [m for m in self.chat_messages(chat_id, include_user=True) if m.get("message_thread_id") == thread_id]

    def is_forum(self, chat_id: Any) -> bool:
        return chat_id in self._forums

    def may_manage_topics(self, chat_id: Any) -> bool:
        return self.bot_status(chat_id) == "administrator" and chat_id in self._topic_rights

    # ------------------------------------------------------------------ what the other methods ask
    def _thread_of_send(self, chat_id: Any, thread: Any) -> int | None:
        """The thread a send goes to; refuses one the chat does not have."""
        if thread in (None, 0, ""):
            return None
        thread = int(thread)
        if thread not in self.topics.get(chat_id, {}):
            raise bad_request(THREAD_NOT_FOUND, violation=False)
        return thread

    def _topic_marks(self, msg: dict) -> None:
        """A message in a forum: its chat says so, and one in a topic is a topic message."""
        chat = msg.get("chat") or {}
        if chat.get("id") in self._forums:
            chat["is_forum"] = True
            if msg.get("message_thread_id"):
                msg["is_topic_message"] = True

    def _topic_rights_member(self, chat_id: Any, member: dict) -> dict:
        if chat_id in self._forums and member.get("status") == "administrator":
            member["can_manage_topics"] = chat_id in self._topic_rights
        return member

    # ------------------------------------------------------------------ methods
    def _m_createForumTopic(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        name = str(p["name"])
        if not 1 <= len(name) <= TOPIC_NAME_LIMIT:
            raise bad_request(f"topic name must be 1-{TOPIC_NAME_LIMIT} characters, got {len(name)}")
        chat = self._chat(p["chat_id"])
        if chat["id"] not in self._forums:
            raise bad_request(NOT_A_FORUM, violation=False)
        if not self.may_manage_topics(chat["id"]):
            raise bad_request(NO_TOPIC_RIGHTS, violation=False)
        thread = self._next_id(chat["id"])
        color = int(p.get("icon_color") or DEFAULT_ICON_COLOR)
        self.topics.setdefault(chat["id"], {})[thread] = {"name": name, "icon_color": color, "closed": False,
                                                          "creator": self.bot_id}
        service = {"message_id": thread, "date": now(), "chat": chat, "from": self._bot_user(token),
                   "message_thread_id": thread, "is_topic_message": True,
                   "forum_topic_created": {"name": name, "icon_color": color}}
        self._store(chat["id"], service)
        out = {"message_thread_id": thread, "name": name, "icon_color": color}
        if p.get("icon_custom_emoji_id"):
            out["icon_custom_emoji_id"] = p["icon_custom_emoji_id"]
        return out

    def _m_closeForumTopic(self, p: dict[str, Any], token: str, rec: CallRecord) -> bool:
        chat = self._chat(p["chat_id"])
        if chat["id"] not in self._forums:
            raise bad_request(NOT_A_FORUM, violation=False)
        found = self.topics.get(chat["id"], {}).get(int(p["message_thread_id"]))
        if found is None:
            raise bad_request("TOPIC_ID_INVALID", violation=False)
        if found["creator"] != self.bot_id and not self.may_manage_topics(chat["id"]):
            raise ApiError(400, "Bad Request: not enough rights to manage topics")
        if found["closed"]:
            raise bad_request("TOPIC_NOT_MODIFIED", violation=False)
        found["closed"] = True
        return True

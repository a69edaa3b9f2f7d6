"""Who may be written to, and what the bot sees: private chats opened or blocked, groups the bot was added
to or removed from, administrators, privacy mode, group → supergroup migration and command menus.

Mixed into :class:`~bot.fakeapi.server.FakeBotAPI`. Telegram's rules, as the real server applies them:

* A bot cannot write first: a send (any ``send*``/``copy*``/``forward*``/``edit*``… call) to a user who
  never opened the bot answers 403 "bot can't initiate conversation with a user"; to a user who blocked it,
  403 "bot was blocked by the user". *Lenient* (the default): every user counts as having opened the bot
  unless ``mark_unopened(uid)``. *Strict* (``set_strict(True)`` / ``FakeBotAPI(strict=True)``): only users
  who sent something in their private chat (``user_message``, ``press``…) or were ``mark_opened``.
* ``block(uid)`` / ``unblock(uid)`` push ``my_chat_member`` (member → kicked / kicked → member).
* ``add_bot_to_group`` / ``remove_bot_from_group`` push ``my_chat_member``; after a removal sends to the
  group answer 403 "bot was kicked from the group chat".
* ``group_message`` honours privacy mode (on by default, as with @BotFather's default): the bot gets only
  commands (``/cmd``, ``/cmd@<its username>``), replies to its own messages and service messages; other
  messages are kept in the chat's history (``chat_messages(chat, include_user=True)``) but not delivered.
* ``migrate_group(old, new)`` pushes the two service messages; later calls naming ``old`` answer 400 with
  ``parameters.migrate_to_chat_id`` (aiogram raises ``TelegramMigrateToChat``).
* ``set/get/deleteMyCommands`` are recorded per (scope, language_code); ``menu(uid, chat)`` resolves the
  menu a user sees as Telegram documents it (most specific scope first).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .records import CallRecord
from .spec import ApiError, MethodSpec, bad_request
from .updates import _COMMAND_RE, chat_dict, now, user_dict

# Calls that write into a chat: refused for an unopened/blocked private chat or a group the bot is not in.
REACH_PREFIXES = ("send", "copy", "forward", "edit", "stopMessageLiveLocation", "stopPoll", "pinChatMessage",
                  "unpinChatMessage", "unpinAllChatMessages")
SERVICE_KEYS = ("new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo", "delete_chat_photo",
                "group_chat_created", "supergroup_chat_created", "migrate_to_chat_id", "migrate_from_chat_id",
                "pinned_message", "message_auto_delete_timer_changed", "channel_chat_created")
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
BLOCKED = "Forbidden: bot was blocked by the user"
UPGRADED = "Bad Request: group chat was upgraded to a supergroup chat"
CHAT_NOT_FOUND = "Bad Request: chat not found"
ANONYMOUS_ADMIN = 1087968824  # @GroupAnonymousBot, the sender of service messages with no user
ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
                "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
                "can_edit_stories", "can_delete_stories", "can_pin_messages",
                "can_send_welcome_messages")  # the last one: newer than api.min.json, required by aiogram
CHAT_SCOPES = ("chat", "chat_administrators", "chat_member")


def kicked_description(chat_type: str) -> str:
    return f"Forbidden: bot was kicked from the {'supergroup' if chat_type == 'supergroup' else 'group'} chat"


class ChatsMixin:
    """State is created by :meth:`_init_chats` (called from FakeBotAPI.__init__)."""

    def _init_chats(self, strict: bool, privacy_mode: bool) -> None:
        self.strict = strict
        self.privacy_mode = privacy_mode
        self.bot_id = 123456  # updated from the token of every call the bot makes
        self.unseen: list[dict] = []  # group messages privacy mode kept from the bot
        self._opened: set[int] = set()
        self._unopened: set[int] = set()
        self._blocked: set[int] = set()
        self._bot_status: dict[Any, str] = {}  # group chat id -> member/administrator/kicked/left
        self._members: dict[Any, set[int]] = {}
        self._admins: dict[Any, dict[int, str]] = {}  # chat -> user -> "creator" | "administrator"
        self._migrated: dict[Any, int] = {}
        self._users: dict[int, dict] = {}  # user dicts seen in pushed updates (names for ChatMember objects)

    # ------------------------------------------------------------------ private chats
    def set_strict(self, on: bool = True) -> None:
        """Strict: a user counts as having opened the bot only after writing to it (or ``mark_opened``)."""
        self.strict = on

    def mark_opened(self, user_id: int) -> None:
        self._opened.add(user_id)
        self._unopened.discard(user_id)

    def mark_unopened(self, user_id: int) -> None:
        """This user has not opened the bot (in either mode) until they write to it."""
        self._opened.discard(user_id)
        self._unopened.add(user_id)

    def is_opened(self, user_id: int) -> bool:
        if user_id in self._opened:
            return True
        return not self.strict and user_id not in self._unopened

    def is_blocked(self, user_id: int) -> bool:
        return user_id in self._blocked

    def _user(self, user_id: int, first_name: str | None = None) -> dict:
        known = self._users.get(user_id)
        if known and not first_name:
            return {k: v for k, v in known.items() if k != "language_code"}
        return user_dict(user_id, first_name or "User", language_code=None)

    def _bot(self) -> dict:
        return user_dict(self.bot_id, self.first_name, username=self.username, language_code=None, is_bot=True)

    def _member_update(self, chat: dict, by: dict, old: dict, new: dict) -> int:
        return self.push_update({"my_chat_member": {"chat": chat, "from": by, "date": now(),
                                                    "old_chat_member": old, "new_chat_member": new}})

    def _bot_member(self, status: str) -> dict:
        if status == "administrator":
            return self._admin_member(self._bot(), "administrator")
        member: dict[str, Any] = {"status": status, "user": self._bot()}
        if status == "kicked":
            member["until_date"] = 0
        return member

    def block(self, user_id: int, first_name: str | None = None) -> int:
        """The user blocks the bot: sends to them answer 403; pushes my_chat_member member → kicked."""
        self._blocked.add(user_id)
        user = self._user(user_id, first_name)
        chat = chat_dict(user_id, "private", first_name=user["first_name"])
        return self._member_update(chat, user, self._bot_member("member"), self._bot_member("kicked"))

    def unblock(self, user_id: int, first_name: str | None = None) -> int:
        """The user presses Restart: sends work again; pushes my_chat_member kicked → member."""
        self._blocked.discard(user_id)
        self.mark_opened(user_id)
        user = self._user(user_id, first_name)
        chat = chat_dict(user_id, "private", first_name=user["first_name"])
        return self._member_update(chat, user, self._bot_member("kicked"), self._bot_member("member"))

    # ------------------------------------------------------------------ groups
    def _group(self, chat_id: int, title: str | None = None, type: str | None = None) -> dict:  # noqa: A002
        chat = self._chats.get(chat_id)
        if chat is None or (type and chat["type"] != type) or (title and chat.get("title") != title):
            chat = chat_dict(chat_id, type or (chat or {}).get("type"), title=title or (chat or {}).get("title"))
            if chat_id in self._forums and chat["type"] == "supergroup":
                chat["is_forum"] = True
            self._chats[chat_id] = chat
        return copy.deepcopy(chat)

    def add_member(self, chat_id: int, user_id: int) -> None:
        """The user is a member of the group (getChatMember answers "member")."""
        self._members.setdefault(chat_id, set()).add(user_id)

    def bot_status(self, chat_id: int, default: str = "member") -> str:
        """The bot's status in a group: member/administrator/kicked; a group never named to add_bot_to_group
        counts as one the bot is a member of (``default``)."""
        return self._bot_status.get(chat_id, default)

    def add_bot_to_group(self, chat_id: int, by_user: int, title: str | None = None, type: str | None = None,  # noqa: A002
                         *, admin: bool = False) -> int:
        """``by_user`` adds the bot to the group (``type`` "group"/"supergroup", default from the id);
        pushes my_chat_member left → member (administrator with ``admin=True``)."""
        chat = self._group(chat_id, title, type)
        old = self._bot_status.get(chat_id, "left")
        new = "administrator" if admin else "member"
        self._bot_status[chat_id] = new
        self.add_member(chat_id, by_user)
        return self._member_update(chat, self._user(by_user), self._bot_member(old), self._bot_member(new))

    def remove_bot_from_group(self, chat_id: int, by_user: int) -> int:
        """``by_user`` removes the bot: pushes my_chat_member → kicked; sends to the group then answer 403."""
        chat = self._group(chat_id)
        old = self.bot_status(chat_id)
        self._bot_status[chat_id] = "kicked"
        return self._member_update(chat, self._user(by_user), self._bot_member(old), self._bot_member("kicked"))

    def set_admin(self, chat_id: int, user_id: int, admin: bool = True, *, creator: bool = False) -> None:
        """Make ``user_id`` an administrator (or the creator) of the group, or not. The bot's own id makes the
        bot an administrator, which lifts privacy mode in that group."""
        if user_id == self.bot_id:
            self._bot_status[chat_id] = "administrator" if admin else "member"
            return
        admins = self._admins.setdefault(chat_id, {})
        if admin:
            admins[user_id] = "creator" if creator else "administrator"
            self.add_member(chat_id, user_id)
        else:
            admins.pop(user_id, None)

    @staticmethod
    def _admin_member(user: dict, status: str) -> dict:
        if status == "creator":
            return {"status": "creator", "user": user, "is_anonymous": False}
        rights = dict.fromkeys(ADMIN_RIGHTS, True)
        return {"status": "administrator", "user": user, "can_be_edited": False, "is_anonymous": False, **rights}

    def chat_member(self, chat_id: Any, user_id: int) -> dict:
        """The ChatMember getChatMember answers: creator/administrator as set, "member" for users who wrote in
        the group or were added, the bot's own status for the bot, else "left"."""
        cid = self._chat(chat_id)["id"]
        if (cid, user_id) in self.chat_members:
            return copy.deepcopy(self.chat_members[(cid, user_id)])
        if user_id == self.bot_id:
            return self._topic_rights_member(cid, self._bot_member(self.bot_status(cid)))
        user = self._user(user_id)
        if isinstance(cid, int) and cid > 0:
            return {"status": "member" if user_id == cid else "left", "user": user}
        if status := self._admins.get(cid, {}).get(user_id):
            return self._admin_member(user, status)
        return {"status": "member" if user_id in self._members.get(cid, set()) else "left", "user": user}

    def bot_receives(self, msg: dict) -> bool:
        """Privacy mode: would Telegram deliver this group message to the bot?"""
        chat = msg.get("chat") or {}
        if chat.get("type") in ("private", "channel"):
            return True
        if self.bot_status(chat.get("id")) in ("kicked", "left"):
            return False
        if not self.privacy_mode or self.bot_status(chat.get("id")) == "administrator":
            return True
        if any(k in msg for k in SERVICE_KEYS):
            return True
        if (m := _COMMAND_RE.match(msg.get("text") or msg.get("caption") or "")) is not None:
            return m.group(1) is None or m.group(1)[1:].lower() == self.username.lower()
        return ((msg.get("reply_to_message") or {}).get("from") or {}).get("id") == self.bot_id

    def group_message(self, chat_id: int, user_id: int, text: str | None = None, *, reply_to: Any = None,
                      **kw: Any) -> int | None:
        """``user_id`` writes in the group (``kw`` as for ``user_message``; ``reply_to`` a message id or dict
        in that chat). Returns the update id, or None when privacy mode keeps the message from the bot (it is
        still in the chat's history, and in ``api.unseen``)."""
        chat = self._group(chat_id, kw.pop("chat_title", None), kw.pop("chat_type", None))
        if reply_to is not None:
            mid = reply_to if isinstance(reply_to, int) else reply_to["message_id"]
            kw["reply_to_message"] = self.message(chat_id, mid)
            if kw["reply_to_message"] is None:
                raise LookupError(f"message {mid} not found in chat {chat_id}")
        from .updates import message_update

        kw.setdefault("message_id", self._next_id(chat_id))
        upd = message_update(user_id, text, chat_id=chat_id, chat_type=chat["type"], chat_title=chat["title"], **kw)
        self._topic_marks(upd["message"])  # a forum's chat, a topic's message (bot/fakeapi/topics.py)
        if self.bot_receives(upd["message"]):
            return self.push_update(upd)
        self._observe(upd)
        self.unseen.append(copy.deepcopy(upd["message"]))
        return None

    def migrate_group(self, old_id: int, new_id: int, *, by_user: int | None = None,
                      title: str | None = None) -> tuple[int, int]:
        """The group becomes a supergroup: pushes the service message with ``migrate_to_chat_id`` in the old
        group and the one with ``migrate_from_chat_id`` in the new; later calls naming ``old_id`` answer 400
        with ``parameters.migrate_to_chat_id``. Members, administrators and the bot's status move along."""
        old = self._group(old_id)
        new = self._group(new_id, title or old.get("title"), "supergroup")
        for store in (self._members, self._admins):
            if old_id in store:
                store[new_id] = copy.deepcopy(store[old_id])
        if old_id in self._bot_status:
            self._bot_status[new_id] = self._bot_status[old_id]
        creator = next((u for u, s in self._admins.get(old_id, {}).items() if s == "creator"), None)
        sender = self._user(by_user or creator) if (by_user or creator) else user_dict(
            ANONYMOUS_ADMIN, "Group", username="GroupAnonymousBot", language_code=None, is_bot=True)
        first = self.push_update({"message": {"message_id": self._next_id(old_id), "date": now(), "chat": old,
                                              "from": sender, "migrate_to_chat_id": new_id}})
        self._migrated[old_id] = new_id
        second = self.push_update({"message": {"message_id": self._next_id(new_id), "date": now(), "chat": new,
                                               "from": sender, "migrate_from_chat_id": old_id}})
        return first, second

    def migrated_to(self, chat_id: Any) -> int | None:
        """The supergroup a migrated group became (None if it was not migrated)."""
        return self._migrated.get(chat_id)

    # ------------------------------------------------------------------ what pushed updates tell
    def _observe_chats(self, upd: dict) -> None:
        """A pushed update: remember the user, open their private chat, make them a group member."""
        for kind in ("message", "edited_message", "callback_query", "business_message"):
            obj = upd.get(kind)
            if not isinstance(obj, dict):
                continue
            user = obj.get("from") or {}
            msg = obj.get("message") if kind == "callback_query" else obj
            chat = (msg or {}).get("chat") or {}
            uid = user.get("id")
            if uid is None or user.get("is_bot"):
                continue
            self._users[uid] = dict(user)
            if chat.get("type") == "private" and chat.get("id") == uid:
                self.mark_opened(uid)
            elif chat.get("type") in ("group", "supergroup"):
                self.add_member(chat["id"], uid)

    # ------------------------------------------------------------------ refusals on the HTTP surface
    def _reach_error(self, spec: MethodSpec, chat_id: Any) -> ApiError | None:
        """The error Telegram answers a call naming ``chat_id`` with, if any (not a violation)."""
        if chat_id in self._migrated:
            return ApiError(400, UPGRADED, parameters={"migrate_to_chat_id": self._migrated[chat_id]})
        if not spec.name.startswith(REACH_PREFIXES) or not isinstance(chat_id, int):
            return None
        if chat_id > 0:
            if chat_id in self._blocked:
                return ApiError(403, BLOCKED)
            if not self.is_opened(chat_id):
                return ApiError(403, CANT_INITIATE)
            return None
        status = self._bot_status.get(chat_id)
        chat_type = (self._chats.get(chat_id) or chat_dict(chat_id))["type"]
        if status == "kicked":
            return ApiError(403, kicked_description(chat_type))
        if status == "left":
            return ApiError(403, f"Forbidden: bot is not a member of the {chat_type} chat")
        return None

    def _scope(self, p: dict[str, Any]) -> dict:
        scope = dict(p.get("scope") or {"type": "default"})
        if scope.get("chat_id") is not None:
            scope["chat_id"] = self._chat(scope["chat_id"])["id"]
        if scope.get("user_id") is not None:
            scope["user_id"] = int(scope["user_id"])
        return scope

    def _check_scope(self, scope: dict) -> None:
        if scope.get("type") not in CHAT_SCOPES:
            return
        cid = scope.get("chat_id")
        if cid in self._migrated:
            raise ApiError(400, UPGRADED, parameters={"migrate_to_chat_id": self._migrated[cid]})
        if isinstance(cid, int) and cid > 0 and (not self.is_opened(cid) or scope["type"] != "chat"):
            raise bad_request("chat not found", violation=False)
        if isinstance(cid, int) and cid < 0 and self._bot_status.get(cid) in ("kicked", "left"):
            raise bad_request("chat not found", violation=False)

    def _cmd_key(self, p: dict[str, Any]) -> str:
        scope = self._scope(p)
        self._check_scope(scope)
        return self.command_key(scope, p.get("language_code") or "")

    @staticmethod
    def command_key(scope: dict | None = None, language_code: str = "") -> str:
        """The key of ``api.commands`` for a scope dict (``{"type": "chat", "chat_id": 42}``) and language."""
        return json.dumps([scope or {"type": "default"}, language_code or ""], sort_keys=True)

    def my_commands(self, scope: dict | None = None, language_code: str = "") -> list[dict] | None:
        """The commands set for exactly this scope and language (None when none were set)."""
        found = self.commands.get(self.command_key(scope, language_code))
        return copy.deepcopy(found) if found is not None else None

    def menu(self, user_id: int, chat_id: Any = None, language_code: str | None = None) -> tuple[list[dict], str]:
        """The command menu ``user_id`` sees in ``chat_id`` (default: their private chat), resolved as Telegram
        documents it, most specific scope first. Returns (commands, "scope[/lang]" they came from)."""
        cid = user_id if chat_id is None else self._chat(chat_id)["id"]
        lang = (language_code if language_code is not None else
                self._users.get(user_id, {}).get("language_code") or "").split("-")[0]
        admin = self.chat_member(cid, user_id)["status"] in ("creator", "administrator")
        if isinstance(cid, int) and cid > 0:
            scopes = [{"type": "chat", "chat_id": cid}, {"type": "all_private_chats"}, {"type": "default"}]
        else:
            scopes = [{"type": "chat_member", "chat_id": cid, "user_id": user_id},
                      *([{"type": "chat_administrators", "chat_id": cid}] if admin else []),
                      {"type": "chat", "chat_id": cid},
                      *([{"type": "all_chat_administrators"}] if admin else []),
                      {"type": "all_group_chats"}, {"type": "default"}]
        for scope in scopes:
            for code in ([lang] if lang else []) + [""]:
                found = self.commands.get(self.command_key(scope, code))
                if found is not None:
                    return copy.deepcopy(found), scope["type"] + (f"/{code}" if code else "")
        return [], "none"

    # ------------------------------------------------------------------ method handlers
    def _m_getChatMember(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        return self.chat_member(p["chat_id"], p["user_id"])

    def _m_getChatAdministrators(self, p: dict[str, Any], token: str, rec: CallRecord) -> list[dict]:
        cid = self._chat(p["chat_id"])["id"]
        out = [self._admin_member(self._user(u), s) for u, s in self._admins.get(cid, {}).items()]
        if self.bot_status(cid) == "administrator":
            out.append(self._bot_member("administrator"))
        return out

    def _m_getChatMemberCount(self, p: dict[str, Any], token: str, rec: CallRecord) -> int:
        cid = self._chat(p["chat_id"])["id"]
        known = self._members.get(cid, set()) | set(self._admins.get(cid, {}))
        return len(known) + 1 if known else 2

    def _m_getChat(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        chat = self._chat(p["chat_id"])
        if isinstance(chat["id"], int) and chat["id"] > 0 and not self.is_opened(chat["id"]):
            raise bad_request("chat not found", violation=False)
        gifts = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                 "premium_subscription": False, "gifts_from_channels": False}
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

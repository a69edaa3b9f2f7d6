"""createChatInviteLink as Telegram answers it (kept apart from the other methods: one feature, one file).

The bot must be an administrator of the chat with `can_invite_users` (the creator has every right); otherwise
Telegram answers 400 "Bad Request: not enough rights to manage chat invite links". The link's fields are checked
as the Bot API documents them (name 0-32 characters, member_limit 1-99999, not together with
creates_join_request). Every link made is kept in `invite_links` (chat id, the ChatInviteLink) for tests.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from .records import CallRecord
from .spec import ApiError, bad_request

NO_INVITE_RIGHTS = "Bad Request: not enough rights to manage chat invite links"
_seq = itertools.count(1)


class InviteLinksMixin:
    """Needs ChatsMixin (chat_member, bot_id) and the server's _chat and _bot_user."""

    invite_links: list[tuple[Any, dict]]

    def _bot_may_invite(self, chat_id: Any) -> bool:
        member = self.chat_member(chat_id, self.bot_id)  # type: ignore[attr-defined]
        if member.get("status") == "creator":
            return True
        return member.get("status") == "administrator" and bool(member.get("can_invite_users"))

    def _m_createChatInviteLink(self, p: dict[str, Any], token: str, rec: CallRecord) -> dict:
        self.bot_id = int(token.split(":")[0])  # type: ignore[attr-defined]
        chat = self._chat(p["chat_id"])  # type: ignore[attr-defined]
        name = p.get("name")
        if name is not None and len(str(name)) > 32:
            raise bad_request("invite link name is too long (0-32 characters)")
        limit = p.get("member_limit")
        if limit is not None and not 1 <= int(limit) <= 99999:
            raise bad_request("member_limit must be 1-99999")
        if limit is not None and p.get("creates_join_request"):
            raise bad_request("member_limit can't be specified for links requiring administrator approval")
        if chat.get("type") == "private" or not self._bot_may_invite(chat["id"]):
            raise ApiError(400, NO_INVITE_RIGHTS)
        link: dict[str, Any] = {"invite_link": f"https://t.me/+{secrets.token_urlsafe(12)}{next(_seq)}",
                                "creator": self._bot_user(token),  # type: ignore[attr-defined]
                                "creates_join_request": bool(p.get("creates_join_request")),
                                "is_primary": False, "is_revoked": False}
        for key in ("name", "expire_date", "member_limit"):
            if p.get(key) is not None:
                link[key] = p[key]
        self.invite_links.append((chat["id"], link))
        return link

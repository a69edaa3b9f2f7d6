"""Telegram as a `Channel` (bot/channels/port.py): the Bot API calls the outbox sender makes, the rendering of a
neutral card into their parameters, and what aiogram's errors mean for delivery.

A card's `extra` (parse_mode, a legacy `reply_markup` of rows queued before migration 0016, the parameters of
a handler's reply such as link_preview_options) is passed through as the outbox stored it; `buttons` and
`input` become the inline keyboard or the force-reply prompt (bot/telegram/render.py).
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.methods import (
    CloseForumTopic,
    CreateForumTopic,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    SetMyCommands,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeChatMember,
    BotCommandScopeDefault,
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.types import TELEGRAM, Address, Card, Classified, ErrorKind, Limits, MessageRef
from bot.telegram.render import reply_markup
from bot.telegram.replies import Replies, gate_of

# The Bot API's published limits (about 30 messages a second for a bot, one a second in a chat, 20 a minute
# in a group; bot/delivery/limiter.py turns them into token buckets). A bot may edit its own messages with no
# time limit (only business messages stop at 48 hours). A sendMessage has no idempotency key: a retry after
# no answer may show the message twice.
LIMITS = Limits(per_second=30, per_conversation=1, per_group_minute=20, max_text=4096, editable_hours=None,
                idempotent_window_s=0.0)


TOPIC_NAME_MAX = 128  # createForumTopic: a name of 1-128 characters
THREAD_NOT_FOUND = "message thread not found"  # a send to a forum topic that was deleted


class UnknownOperation(Exception):
    """An outbox row's method Telegram has no call for (refused for good)."""


class TelegramChannel:
    """The outbox sender's Telegram: one aiogram Bot (its session carries the DeliveryGate)."""

    name = TELEGRAM
    limits = LIMITS

    def __init__(self, bot: Bot | None, *, request_timeout: float = 15.0) -> None:
        self.bot, self.request_timeout = bot, request_timeout

    @property
    def replies(self) -> Replies | None:
        """The handlers' replies sent by the bot's request middleware (bot/telegram/replies.py), which the sender
        lends its limiter and marks sent before each pass; None without one (a bare Bot in a test)."""
        gate = gate_of(self.bot)
        return gate.replies if gate is not None else None

    def is_group(self, address: Address) -> bool:
        return address.conv.startswith("-")  # Telegram: groups and channels have negative chat ids

    # ---------------------------------------------------------------- calls
    async def send(self, address: Address, card: Card, idem_key: str) -> MessageRef:
        params = render(card)
        if address.thread is not None:  # a forum topic of the group (an incident's room)
            params["message_thread_id"] = int(address.thread)
        result = await self._call(SendMessage(chat_id=int(address.conv), **params))
        return MessageRef(TELEGRAM, str(result.message_id))

    async def open_thread(self, address: Address, name: str) -> MessageRef:
        """A forum topic in the group (createForumTopic); its message_thread_id is the reference. Refused when
        the group is not a forum or the bot may not manage topics (a Bad Request: permanent)."""
        topic = await self._call(CreateForumTopic(chat_id=int(address.conv), name=name[:TOPIC_NAME_MAX]))
        return MessageRef(TELEGRAM, str(topic.message_thread_id))

    async def edit(self, address: Address, ref: MessageRef, card: Card) -> MessageRef:
        """editMessageText, or editMessageReplyMarkup for a card without text (its buttons only). An edit to what
        the message already says ("message is not modified") is done: the message says it."""
        chat, message_id = int(address.conv), int(ref.ref)
        if not card.text:
            params = render(card)
            params.pop("text", None)
            result = await self._call(EditMessageReplyMarkup(chat_id=chat, message_id=message_id, **params))
        else:
            try:
                result = await self._call(EditMessageText(chat_id=chat, message_id=message_id, **render(card)))
            except TelegramBadRequest as e:
                if "not modified" not in str(e).lower():
                    raise
                return ref
        # True (an inline message) or the Message: Telegram's id, else the one edited
        return MessageRef(TELEGRAM, str(getattr(result, "message_id", None) or message_id))

    async def perform(self, method: str, address: Address, body: dict[str, Any]) -> None:
        if method == "closeForumTopic":  # an incident's room at its closure
            if address.thread is None:
                raise UnknownOperation(method)
            await self._call(CloseForumTopic(chat_id=int(address.conv), message_thread_id=int(address.thread)))
            return
        if method != "setMyCommands":
            raise UnknownOperation(method)
        # a person's or a group's menu (bot/services/menus.py)
        await self._call(SetMyCommands(commands=[BotCommand(**c) for c in body["commands"]],
                                       scope=_scope(body["scope"]), language_code=body.get("language_code")))

    async def _call(self, method: Any) -> Any:
        if self.bot is None:
            raise RuntimeError("telegram: no Bot to send with")
        return await self.bot(method, request_timeout=self.request_timeout)

    # ---------------------------------------------------------------- errors
    def classify(self, error: BaseException) -> Classified:  # noqa: PLR0911 - one answer per kind of error
        if isinstance(error, TelegramRetryAfter):
            return Classified(ErrorKind.RETRY_AFTER, retry_after=float(error.retry_after))
        if isinstance(error, TelegramMigrateToChat):  # the group became a supergroup: its rows follow it
            return Classified(ErrorKind.ERROR_RESPONSE, migrate_to=str(error.migrate_to_chat_id))
        if isinstance(error, TelegramForbiddenError):  # blocked, deactivated, kicked, never opened the bot
            return Classified(ErrorKind.UNREACHABLE)
        if isinstance(error, TelegramBadRequest) and THREAD_NOT_FOUND in str(error).lower():
            return Classified(ErrorKind.PERMANENT, thread_gone=True)  # a person deleted the forum topic
        if isinstance(error, TelegramBadRequest | TelegramNotFound | TelegramEntityTooLarge | UnknownOperation):
            return Classified(ErrorKind.PERMANENT)  # chat not found, bad request, too large: never retried
        if isinstance(error, TelegramNetworkError | TimeoutError | OSError):  # no answer: it may have been taken
            return Classified(ErrorKind.NO_RESPONSE)
        if isinstance(error, TelegramAPIError):  # an error response (5xx, 401, 409…): it was not taken
            return Classified(ErrorKind.ERROR_RESPONSE)
        return Classified(ErrorKind.UNKNOWN)


def render(card: Card) -> dict[str, Any]:
    """A card as sendMessage/editMessageText parameters: what the row carried for Telegram, the text, and the
    keyboard or prompt (new rows' buttons/input; a legacy reply_markup as stored)."""
    params = dict(card.extra)
    params["text"] = card.text
    markup = reply_markup(card.buttons, card.input)
    if markup is not None:
        params["reply_markup"] = markup
    if "reply_markup" in params:
        params["reply_markup"] = _markup(params["reply_markup"])
    return params


def _markup(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.model_validate(data)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.model_validate(data)
    if "remove_keyboard" in data:
        return ReplyKeyboardRemove.model_validate(data)
    if "force_reply" in data:
        return ForceReply.model_validate(data)
    return data


def _scope(data: dict[str, Any]) -> Any:
    kind = data.get("type")
    if kind == "chat_member":
        return BotCommandScopeChatMember(chat_id=data["chat_id"], user_id=data["user_id"])
    if kind == "chat":
        return BotCommandScopeChat(chat_id=data["chat_id"])
    return BotCommandScopeDefault()

"""Every call to Telegram passes here (a request middleware of the bot's session, bot/app.py): one limiter
for all of them, and the durable reply.

A reply a handler makes while its update's session is open (sendMessage, editMessageText,
editMessageReplyMarkup) is first an outbox row written in the update's transaction, then the transaction
commits (nobody is told anything that is not durable), then — on the fast path — the call is made at once in
the handler's task, through the shared limiter. The row is written already claimed and in flight, so a crash
during the call leaves a row the sender takes over after the lease (flagged possible_duplicate). When
Telegram takes it, the handler gets Telegram's Message back and the row is marked sent in a batch a moment
later (one statement for many replies). When Telegram refuses for now (429, 5xx), gives no answer (timeout:
perhaps taken) or the limiter would hold the reply too long, the row is handed to the outbox sender with its
retries and back-off, and the handler gets a stand-in Message whose message_id is minus the row id
(bot/services/outbox.resolve_stand_ins turns it into Telegram's id once sent). A reply to a chat that
already has rows waiting goes behind them, through the sender, so nothing overtakes.

Every other call (answerCallbackQuery, chat actions, the sender's own calls, menus) waits out a 429's window
for its chat or the bot; answerCallbackQuery — a toast, useless later — is dropped instead of waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetUpdates,
    SendChatAction,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import Chat, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import current_session
from bot.delivery.limiter import REPLY_BURST, RateLimiter
from bot.services import outbox

log = logging.getLogger("onduty.delivery.replies")

DURABLE: dict[type, str] = {SendMessage: "sendMessage", EditMessageText: "editMessageText",
                            EditMessageReplyMarkup: "editMessageReplyMarkup"}
UNLIMITED_METHODS = (GetUpdates,)  # the update stream is never held back


class Replies:
    """Shared state: the limiter (the sender installs its own, so there is one), the clock, the lease, who
    claims reply rows, and the batch of replies sent but not yet marked so."""

    def __init__(self, limiter: RateLimiter | None = None, *, inline_wait: float = 2.0,
                 request_timeout: float = 15.0, flush_every: float = 0.5) -> None:
        self.limiter = limiter or RateLimiter()
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.lease = timedelta(seconds=60)
        self.instance = "onduty"
        self.inline_wait, self.request_timeout, self.flush_every = inline_wait, request_timeout, flush_every
        self.sessions: async_sessionmaker[AsyncSession] | None = None
        self.wake: Callable[[], None] = lambda: None
        self._marks: list[tuple[int, int | None, datetime]] = []
        self._sent: dict[int, int] = {}  # row id -> Telegram message id, for stand-ins edited before the flush
        self._flush_task: asyncio.Task | None = None
        self.stats: dict[str, int] = {"fast": 0, "queued": 0, "handed_over": 0, "failed": 0, "dropped_toasts": 0}

    @property
    def claimer(self) -> str:
        return f"{self.instance}:reply"

    def attach(self, *, limiter: RateLimiter, now: Callable[[], datetime], lease: timedelta, instance: str,
               sessions: async_sessionmaker[AsyncSession], wake: Callable[[], None],
               request_timeout: float) -> None:
        """The outbox sender of this process takes part: its limiter, clock, lease and name become ours."""
        self.limiter, self.now, self.lease, self.instance = limiter, now, lease, instance
        self.sessions, self.wake, self.request_timeout = sessions, wake, request_timeout

    # ---------------------------------------------------------------- mark sent, in batches
    def _sent_now(self, row_id: int, message_id: int | None) -> None:
        self._marks.append((row_id, message_id, self.now()))
        if message_id is not None:
            self._sent[row_id] = message_id
        if self._flush_task is None or self._flush_task.done():
            self._flush_task = asyncio.get_running_loop().create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(self.flush_every)
        try:
            await self.flush()
        except Exception:  # the rows stay in flight; the next flush (or the lease) settles them
            log.exception("marking replies sent failed")

    async def flush(self) -> int:
        """Write the batch of replies Telegram took (the sender calls this before each pass, too)."""
        if not self._marks or self.sessions is None:
            return 0
        marks, self._marks = self._marks, []
        try:
            async with self.sessions() as s, s.begin():
                await outbox.mark_replies_sent(s, marks)
        except BaseException:
            self._marks = marks + self._marks
            raise
        if len(self._sent) > 1000:
            for k in list(self._sent)[:500]:
                del self._sent[k]
        return len(marks)

    def known_message_id(self, row_id: int) -> int | None:
        return self._sent.get(row_id)


class DeliveryGate(BaseRequestMiddleware):
    """The request middleware (see the module docstring). Install one per bot, outside the TelegramLink."""

    def __init__(self, replies: Replies | None = None) -> None:
        self.replies = replies or Replies()

    async def __call__(self, make_request, bot: Bot, method: TelegramMethod[Any]):  # noqa: ANN001, ANN204
        if isinstance(method, UNLIMITED_METHODS):
            return await make_request(bot, method)
        s = current_session.get()
        kind = DURABLE.get(type(method))
        if s is not None and kind is not None and isinstance(getattr(method, "chat_id", None), int):
            return await self._durable(make_request, bot, method, kind, s)
        if s is not None and s.in_transaction():  # as every reply: nothing is told before it is durable
            await s.commit()
        return await self._limited(make_request, bot, method)

    # ---------------------------------------------------------------- any call
    async def _limited(self, make_request, bot: Bot, method: TelegramMethod[Any]):  # noqa: ANN001, ANN202
        lim = self.replies.limiter
        chat = _chat_of(method)
        wait = lim.blocked(chat)
        if wait > 0:
            if isinstance(method, AnswerCallbackQuery | SendChatAction):  # useless later: not sent at all
                self.replies.stats["dropped_toasts"] += 1
                return True
            await asyncio.sleep(wait + 0.01)
        if current_session.get() is not None and chat is not None and type(method).__name__.startswith("Send"):
            await lim.acquire(chat, borrow=REPLY_BURST)  # a photo or file in reply: within the rates too
        toast = isinstance(method, AnswerCallbackQuery | SendChatAction)
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as e:
            lim.note_retry_after(chat, e.retry_after)
            if not toast:
                raise
        except (TelegramServerError, TelegramNetworkError):
            if not toast:
                raise
        # A toast Telegram did not take is lost (useless later), and the handler goes on to what matters: the
        # durable replies after it, such as the incident number after Confirm's toast.
        self.replies.stats["dropped_toasts"] += 1
        return True

    # ---------------------------------------------------------------- a durable reply
    async def _durable(self, make_request, bot: Bot, method: TelegramMethod[Any], kind: str,  # noqa: ANN001, ANN202
                       s: AsyncSession):
        r = self.replies
        if r.sessions is None:  # no sender in this process: batches are written through the update's engine
            r.sessions = async_sessionmaker(s.bind, expire_on_commit=False)
        chat = int(method.chat_id)  # type: ignore[attr-defined]
        payload = _payload(bot, method)
        now = r.now()
        row, ours = await outbox.insert_reply(s, chat_id=chat, method=kind, payload=payload, now=now,
                                              claimer=r.claimer, lease=r.lease)
        await s.commit()
        if not ours:  # that chat has rows waiting: this one goes behind them
            r.stats["queued"] += 1
            r.wake()
            return _stand_in(bot, method, row, chat, now)
        mid = payload.get("message_id")
        if isinstance(mid, int) and mid < 0:  # an edit of a reply that was handed over earlier
            real = r.known_message_id(-mid) or (await outbox.resolve_stand_ins(s, [mid]))[0]
            await s.commit()
            if real < 0:  # not sent yet (it is pending, so this row would have queued): let the sender see
                return await self._hand_over(s, bot, method, row, chat, now, error="stand-in not sent yet")
            method = method.model_copy(update={"message_id": real})
        deadline = time.monotonic() + r.inline_wait
        attempt = 0
        while True:
            left = deadline - time.monotonic()
            wait = r.limiter.try_take(chat, borrow=REPLY_BURST)
            if wait > 0:
                if wait > left:
                    return await self._hand_over(s, bot, method, row, chat, now, not_before=wait,
                                                 error="held back by the rate limiter")
                await asyncio.sleep(wait + 0.001)
                continue
            attempt += 1
            try:
                result = await asyncio.wait_for(make_request(bot, method), r.request_timeout)
            except TelegramRetryAfter as e:
                r.limiter.note_retry_after(chat, e.retry_after)
                if e.retry_after + 0.05 <= deadline - time.monotonic():
                    continue  # a short one: waited out here (the limiter holds the chat meanwhile)
                return await self._hand_over(s, bot, method, row, chat, now, not_before=e.retry_after,
                                             error=_error_text(e))
            except TelegramMigrateToChat as e:
                return await self._hand_over(s, bot, method, row, chat, now, error=_error_text(e))
            except (TelegramNetworkError, TimeoutError, OSError) as e:  # no answer: perhaps taken
                return await self._hand_over(s, bot, method, row, chat, now, error=_error_text(e),
                                             possible_duplicate=True, not_before=1.0)
            except TelegramServerError as e:  # an error answer: not taken, try again shortly
                backoff = 0.5 * 2 ** (attempt - 1)
                if backoff <= deadline - time.monotonic():
                    await asyncio.sleep(backoff)
                    continue
                return await self._hand_over(s, bot, method, row, chat, now, not_before=2.0,
                                             error=_error_text(e))
            except TelegramAPIError as e:
                # refused for good (bad request, blocked…): the handler hears of it, as before
                await self._failed(s, row, e)
                raise
            except BaseException:
                # cancelled or a bug: the row stays in flight under our lease; the sender settles it after
                raise
            r.stats["fast"] += 1
            r._sent_now(row, getattr(result, "message_id", None) if isinstance(result, Message) else None)
            return result

    async def _hand_over(self, s: AsyncSession, bot: Bot, method: TelegramMethod[Any], row: int, chat: int,
                         now: datetime, *, error: str, not_before: float = 0.0,
                         possible_duplicate: bool = False) -> Any:
        r = self.replies
        await outbox.release(s, [row], instance=r.claimer, error=error, possible_duplicate=possible_duplicate,
                             not_before=r.now() + timedelta(seconds=not_before))
        await s.commit()
        r.stats["handed_over"] += 1
        r.wake()
        log.info("reply row %s to %s handed to the outbox sender: %s", row, chat, error)
        return _stand_in(bot, method, row, chat, now)

    async def _failed(self, s: AsyncSession, row: int, e: TelegramAPIError) -> None:
        r = self.replies
        if "not modified" in str(e).lower():  # an edit to what the message already says: done
            r._sent_now(row, None)
            return
        r.stats["failed"] += 1
        try:
            await outbox.mark_failed(s, [row], instance=r.claimer, error=_error_text(e))
            await s.commit()
        except Exception:  # the handler's own error handling matters more; the lease settles the row
            log.exception("could not mark reply row %s failed", row)


def gate_of(bot: Bot | None) -> DeliveryGate | None:
    """The gate installed in this bot's session, if any."""
    if bot is None:
        return None
    for m in getattr(bot.session.middleware, "_middlewares", []):
        if isinstance(m, DeliveryGate):
            return m
    return None


# ---------------------------------------------------------------- helpers
def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat = getattr(method, "chat_id", None)
    if chat is None:
        scope = getattr(method, "scope", None)
        chat = getattr(scope, "chat_id", None)
    return chat if isinstance(chat, int) else None


def _payload(bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
    """The call's parameters as JSON (defaults resolved, keyboards as dicts), as the sender will replay them."""
    files: dict[str, Any] = {}
    out: dict[str, Any] = {}
    for key, value in method.model_dump(warnings=False).items():
        if value is None or key == "chat_id":
            continue
        if type(value) not in (str, int, bool):  # defaults and keyboards need aiogram's preparation
            value = bot.session.prepare_value(value, bot=bot, files=files, _dumps_json=False)
        if value is None or value == "":
            continue
        out[key] = value
    if "link_preview_options" in out:  # the older spelling of the same default; one is enough
        out.pop("disable_web_page_preview", None)
    return out


def _stand_in(bot: Bot, method: TelegramMethod[Any], row: int, chat: int, now: datetime) -> Message:
    """What the handler gets when the reply waits: a Message whose id refers to the outbox row."""
    mid = getattr(method, "message_id", None)
    message_id = mid if isinstance(method, EditMessageText | EditMessageReplyMarkup) and mid else -row
    kind = "private" if chat > 0 else "supergroup"
    return Message(message_id=message_id, date=now, chat=Chat(id=chat, type=kind),
                   text=getattr(method, "text", None)).as_(bot)


def _error_text(e: BaseException) -> str:
    return f"{type(e).__name__}: {getattr(e, 'message', None) or e}"[:500]

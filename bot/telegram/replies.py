"""Every call to Telegram passes here (a request middleware of the bot's session, bot/app.py): one limiter
for all of them, and the durable reply.

A reply a handler makes while its update's session is open (sendMessage, editMessageText,
editMessageReplyMarkup) is an outbox row written in the update's transaction, and the handler goes on at once
with a stand-in Message (message_id minus the row id). Once the update commits (nobody is told anything that
is not durable), its replies are sent in order, on the fast path, through the shared limiter: the rows were
written already claimed and in flight, so a crash meanwhile leaves rows the sender takes over after the lease
(flagged possible_duplicate). When Telegram takes one, the row is marked sent in a batch a moment later (one
statement for many replies) and a later edit of the stand-in finds Telegram's id. When Telegram refuses for
now (429, 5xx), gives no answer (timeout: perhaps taken) or the limiter would hold the reply too long, the row
— and the update's later replies to that chat, behind it — is handed to the outbox sender with its retries
and back-off (bot/services/outbox.resolve_stand_ins turns a stored stand-in into Telegram's id once sent). A
reply to a chat that already has rows waiting goes behind them, through the sender, so nothing overtakes.
A toast (answerCallbackQuery) waits for the commit too, and is lost with the update if it fails.

A handler that must know at once whether Telegram took a reply (it does something else if not) sends it
inside `immediate()`: the update commits first and the call is made there and then, still durable.

Every other call (chat actions, files, look-ups, the sender's own calls, menus) commits what the update has
done and lets its replies out first, then waits out a 429's window for its chat or the bot; a chat action —
useless later — is dropped instead of waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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

from bot.db import after_commit, current_session, run_after_commit
from bot.delivery.limiter import REPLY_BURST, RateLimiter
from bot.services import outbox

log = logging.getLogger("onduty.delivery.replies")

DURABLE: dict[type, str] = {SendMessage: "sendMessage", EditMessageText: "editMessageText",
                            EditMessageReplyMarkup: "editMessageReplyMarkup"}
UNLIMITED_METHODS = (GetUpdates,)  # the update stream is never held back
_immediate: ContextVar[bool] = ContextVar("immediate_replies", default=False)


@contextmanager
def immediate() -> Iterator[None]:
    """Replies made inside are sent at once (after a commit), so the caller hears Telegram's refusal."""
    token = _immediate.set(True)
    try:
        yield
    finally:
        _immediate.reset(token)


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
        if s is None:
            return await self._limited(make_request, bot, method)
        kind = DURABLE.get(type(method))
        durable = kind is not None and isinstance(getattr(method, "chat_id", None), int)
        if not _immediate.get():
            if durable:
                return await self._defer(make_request, bot, method, kind, s)  # type: ignore[arg-type]
            if isinstance(method, AnswerCallbackQuery):
                after_commit(s, lambda: self._limited(make_request, bot, method))
                return True
        if s.in_transaction():  # nothing is told before it is durable
            await s.commit()
        await run_after_commit(s)  # what the update said before goes first
        if durable:
            return await self._durable(make_request, bot, method, kind, s)  # type: ignore[arg-type]
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
    async def _defer(self, make_request, bot: Bot, method: TelegramMethod[Any], kind: str,  # noqa: ANN001
                     s: AsyncSession) -> Message:
        """The row now, in the update's transaction; the call after its commit."""
        row, chat, now, ours = await self._row(bot, method, kind, s)
        after_commit(s, lambda: self._deliver(make_request, bot, method, s, row, chat, now, ours))
        return _stand_in(bot, method, row, chat, now)

    async def _durable(self, make_request, bot: Bot, method: TelegramMethod[Any], kind: str,  # noqa: ANN001, ANN202
                       s: AsyncSession):
        """An immediate reply: the row, a commit, the call; Telegram's refusal for good is raised."""
        row, chat, now, ours = await self._row(bot, method, kind, s)
        await s.commit()
        return await self._deliver(make_request, bot, method, s, row, chat, now, ours, raising=True)

    async def _row(self, bot: Bot, method: TelegramMethod[Any], kind: str,
                   s: AsyncSession) -> tuple[int, int, datetime, bool]:
        r = self.replies
        if r.sessions is None:  # no sender in this process: batches are written through the update's engine
            r.sessions = async_sessionmaker(s.bind, expire_on_commit=False)
        chat = int(method.chat_id)  # type: ignore[attr-defined]
        now = r.now()
        row, ours = await outbox.insert_reply(s, chat_id=chat, method=kind, payload=_payload(bot, method),
                                              now=now, claimer=r.claimer, lease=r.lease)
        return row, chat, now, ours

    async def _deliver(self, make_request, bot: Bot, method: TelegramMethod[Any], s: AsyncSession,  # noqa: ANN001, ANN202, C901
                       row: int, chat: int, now: datetime, ours: bool, *, raising: bool = False):
        """Send a committed reply row that is ours (claimed, in flight) now, or hand it to the sender."""
        r = self.replies
        handed: dict[int, datetime] = s.info.setdefault("handed_over_chats", {})
        if not ours:  # that chat has rows waiting: this one goes behind them
            r.stats["queued"] += 1
            r.wake()
            return _stand_in(bot, method, row, chat, now)
        if chat in handed:  # an earlier reply of this update to that chat waits for the sender: so does this
            return await self._hand_over(s, bot, method, row, chat, now, error="behind a reply handed over",
                                         not_before=max(0.0, (handed[chat] - r.now()).total_seconds()))
        mid = getattr(method, "message_id", None)
        if isinstance(mid, int) and mid < 0:  # an edit of a reply that was a stand-in
            real = r.known_message_id(-mid) or (await outbox.resolve_stand_ins(s, [mid]))[0]
            if s.in_transaction():
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
                # refused for good (bad request, blocked…): the row says so; an immediate caller hears it
                await self._failed(s, row, e)
                if raising:
                    raise
                log.warning("reply row %s to %s refused: %s", row, chat, _error_text(e))
                return _stand_in(bot, method, row, chat, now)
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
        until = r.now() + timedelta(seconds=not_before)
        await outbox.release(s, [row], instance=r.claimer, error=error, possible_duplicate=possible_duplicate,
                             not_before=until)
        await s.commit()
        waits = s.info.setdefault("handed_over_chats", {})
        waits[chat] = max(waits.get(chat, until), until)
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


async def real_message_ids(bot: Bot | None, s: AsyncSession, ids: list[Any]) -> list[Any]:
    """Message ids a handler kept, stand-ins (negative) turned into Telegram's ids where the reply has been
    sent (just now, by this process, or by the sender); one not sent yet stays negative."""
    if not any(isinstance(i, int) and i < 0 for i in ids):
        return ids
    gate = gate_of(bot)
    known = gate.replies.known_message_id if gate else (lambda _row: None)
    ids = [(known(-i) or i) if isinstance(i, int) and i < 0 else i for i in ids]
    return await outbox.resolve_stand_ins(s, ids)


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
    markup = out.get("reply_markup")
    if markup is not None:
        neutral = _neutral(markup)
        if neutral is not None:
            del out["reply_markup"]
            out.update(neutral)
    return out


def _neutral(markup: Any) -> dict[str, Any] | None:
    """A keyboard of callback buttons as the neutral body's `buttons`, a force-reply prompt with a placeholder as
    its `input` (bot/channels/types.Card.body(); bot/telegram/channel.py renders them back the same); any other
    markup (links, a reply keyboard, selective) stays Telegram's `reply_markup`."""
    if not isinstance(markup, dict):
        return None
    rows = markup.get("inline_keyboard")
    if rows and len(markup) == 1:
        buttons = [[{"label": b["text"], "action": b["callback_data"]} for b in row] for row in rows
                   if all(b.keys() == _CALLBACK for b in row)]
        return {"buttons": buttons} if len(buttons) == len(rows) and all(buttons) else None
    if markup.keys() == _PROMPT and markup["force_reply"] is True and 0 < len(markup["input_field_placeholder"]) <= 64:
        return {"input": {"placeholder": markup["input_field_placeholder"]}}
    return None


_CALLBACK = {"text", "callback_data"}
_PROMPT = {"force_reply", "input_field_placeholder"}


def _stand_in(bot: Bot, method: TelegramMethod[Any], row: int, chat: int, now: datetime) -> Message:
    """What the handler gets when the reply waits: a Message whose id refers to the outbox row."""
    mid = getattr(method, "message_id", None)
    message_id = mid if isinstance(method, EditMessageText | EditMessageReplyMarkup) and mid else -row
    kind = "private" if chat > 0 else "supergroup"
    return Message(message_id=message_id, date=now, chat=Chat(id=chat, type=kind),
                   text=getattr(method, "text", None)).as_(bot)


def _error_text(e: BaseException) -> str:
    return f"{type(e).__name__}: {getattr(e, 'message', None) or e}"[:500]

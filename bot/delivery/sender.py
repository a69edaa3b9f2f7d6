"""The outbox sender: claims due rows, sends them through the aiogram Bot within Telegram's limits,
and records what Telegram said.

Order of effects per message: claim committed → in_flight committed → call Telegram → mark sent
committed. A crash before in_flight loses nothing and duplicates nothing; a crash after it leaves a
row that the next claim takes over and flags possible_duplicate (DELIVERY contract in docs/names.md).

Outcomes: 429 → pending again after retry_after (Telegram did not take it); another error response
(5xx, 401, 409…) → retried with exponential backoff; no response (network error, timeout) → retried
and flagged possible_duplicate; permanent refusal (blocked, chat not found, bad request) → failed,
and the office is told. Nudge-like rows to one group chat with the same coalesce_key, created in
the same minute, go out as one combined message. When more new incident cards wait for a group than its
minute limit lets out now, they go out as one digest naming them all, each with a button that posts its card
(bot/services/card_digest.py): the office group is never minutes behind in a burst.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
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
from aiogram.methods import EditMessageReplyMarkup, EditMessageText, SendMessage, SetMyCommands
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
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.crashpoints import crash_point
from bot.delivery.limiter import Limits, RateLimiter
from bot.i18n import t
from bot.ops.metrics import OUTBOX_FAILED, OUTBOX_RETRIED, OUTBOX_SENT
from bot.services import card_state, outbox, reachability
from bot.services.org import chat_id as bound_chat
from bot.services.org import load_org
from bot.services.outbox import OutboxItem
from bot.textsplit import LIMIT as TEXT_LIMIT
from models import Contact, Person

log = logging.getLogger("onduty.delivery")

CRASH_POINTS = ("after_claim", "before_send", "after_send", "before_mark", "after_mark")
FAILED_NOTICE_PREFIX = "outbox:failed:"


@dataclass
class Group:
    """One Telegram call: one row, or several coalesced rows sharing one message."""

    items: list[OutboxItem]
    text: str
    payload: dict[str, Any] | None = None  # parameters other than the text, when not the first row's (a digest)

    @property
    def digest(self) -> bool:
        return self.payload is not None

    @property
    def ids(self) -> list[int]:
        return [i.id for i in self.items]

    @property
    def first(self) -> OutboxItem:
        return self.items[0]

    @property
    def chat_id(self) -> int:
        return self.first.chat_id


def _merge_key(item: OutboxItem) -> tuple | None:
    if item.chat_id >= 0 or not item.coalesce_key or item.method != "sendMessage":
        return None
    rest = {k: v for k, v in item.payload.items() if k != "text"}
    if "reply_markup" in rest:
        return None
    minute = item.created_at.replace(second=0, microsecond=0)
    return (item.coalesce_key, minute, json.dumps(rest, sort_keys=True, default=str))


def coalesce(items: list[OutboxItem], limit: int = TEXT_LIMIT) -> list[Group]:
    """Group rows (of one chat, in order) that may share a message; a group stays within `limit`."""
    groups: list[Group] = []
    open_by_key: dict[tuple, Group] = {}
    for item in items:
        key = _merge_key(item)
        g = open_by_key.get(key) if key else None
        if g is not None and len(g.text) + 2 + len(item.text) <= limit:
            g.items.append(item)
            g.text = f"{g.text}\n\n{item.text}"
            continue
        g = Group([item], item.text)
        groups.append(g)
        if key:
            open_by_key[key] = g
    return groups


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


def failure_reason(error: str) -> str:
    """What the office is told of a refusal, in words (the raw text stays in the outbox row for operators)."""
    e = error.lower()
    for needle, reason in (("blocked", "blocked"), ("deactivated", "deactivated"), ("kicked", "kicked"),
                           ("initiate", "never_opened"), ("chat not found", "chat_not_found"),
                           ("too large", "too_large"), ("too long", "too_large")):
        if needle in e:
            return reason
    return "refused"


def _scope(data: dict[str, Any]) -> Any:
    kind = data.get("type")
    if kind == "chat_member":
        return BotCommandScopeChatMember(chat_id=data["chat_id"], user_id=data["user_id"])
    if kind == "chat":
        return BotCommandScopeChat(chat_id=data["chat_id"])
    return BotCommandScopeDefault()


class StandInWaiting(Exception):
    """An edit refers to a reply row not sent yet."""


class StandInLost(Exception):
    """An edit refers to a reply row that failed or is gone."""


def _error_text(e: BaseException) -> str:
    return f"{type(e).__name__}: {getattr(e, 'message', None) or e}"


class OutboxSender:
    """Drains the outbox. `run_once()` sends what is due now; `run_forever(stop)` keeps at it."""

    def __init__(self, bot: Bot, sessions: async_sessionmaker[AsyncSession], clock: Clock, *,
                 instance: str | None = None, limits: Limits | None = None, limiter: RateLimiter | None = None,
                 lease: timedelta = timedelta(seconds=60), batch: int = 100, request_timeout: float = 15.0,
                 max_wait: float = 5.0, backoff_base: float = 2.0, backoff_max: float = 600.0,
                 concurrency: int = 8, idle: float = 1.0, default_tz: str = "Asia/Shanghai") -> None:
        self.bot, self.sessions, self.clock = bot, sessions, clock
        self.instance = instance or f"sender-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.limiter = limiter or RateLimiter(limits)
        self.lease, self.batch, self.request_timeout = lease, batch, request_timeout
        self.max_wait, self.backoff_base, self.backoff_max = max_wait, backoff_base, backoff_max
        self.concurrency, self.idle, self.default_tz = concurrency, idle, default_tz
        self._wake = asyncio.Event()
        self._reachable: set[int] = set()  # private chats a send reached (their identity says so)
        self.stats: dict[str, int] = defaultdict(int)
        # One limiter for the process: handler replies and every other call pass the bot's gate, which takes
        # this sender's limiter (and clock, lease, name) so a 429 anywhere holds back every path to that chat.
        from bot.delivery.replies import gate_of

        gate = gate_of(bot)
        self.replies = gate.replies if gate is not None else None
        if self.replies is not None:
            self.replies.attach(limiter=self.limiter, now=clock.now, lease=lease, instance=self.instance,
                                sessions=sessions, wake=self.wake, request_timeout=request_timeout)

    def wake(self) -> None:
        """Something was enqueued: look now rather than after the idle wait."""
        self._wake.set()

    # ---------------------------------------------------------------- loop
    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox sender pass failed")
            self._wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            try:
                await asyncio.wait(waiters, timeout=self.idle, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for w in waiters:
                    w.cancel()

    async def run_once(self) -> int:
        """Send everything due now (and what this very pass made due, such as failure notices);
        returns the number of rows marked sent."""
        total = 0
        if self.replies is not None:  # replies taken by Telegram, marked sent before anything is claimed
            await self.replies.flush()
        while True:
            sent, claimed = await self._pass()
            total += sent
            if not claimed:
                return total

    async def _pass(self) -> tuple[int, int]:
        now = self.clock.now()
        async with self.sessions() as s, s.begin():
            items = await outbox.claim_batch(s, instance=self.instance, now=now, limit=self.batch, lease=self.lease)
        if not items:
            return 0, 0
        crash_point("after_claim")
        deadline = time.monotonic() + self.lease.total_seconds() - self.request_timeout - self.max_wait - 1
        by_chat: dict[int, list[OutboxItem]] = defaultdict(list)
        for item in items:
            by_chat[item.chat_id].append(item)
        sem = asyncio.Semaphore(self.concurrency)

        async def chat_task(groups: list[Group]) -> int:
            async with sem:
                return await self._send_chat(groups, deadline)

        results = await asyncio.gather(*(chat_task(coalesce(rows)) for rows in by_chat.values()))
        return sum(results), len(items)

    async def _send_chat(self, groups: list[Group], deadline: float) -> int:
        """One chat's messages, in order; once one is held back, the rest wait behind it."""
        if groups[0].chat_id < 0:
            from bot.delivery.group_burst import fold_for_group

            groups = await fold_for_group(self, groups)
        sent = 0
        for n, g in enumerate(groups):
            hold: datetime | None = None
            if time.monotonic() > deadline:  # the lease is running out: give the rest back
                hold = self.clock.now()
            else:
                # A group waits minutes between bursts (20/min): never hold the whole pass for it.
                wait = await self.limiter.acquire(g.chat_id, max_wait=self.max_wait if g.chat_id > 0 else min(self.max_wait, 1.0))
                if wait > 0:
                    # at least a millisecond: a wait below the clock's resolution would make the row due at
                    # once, and this pass would take it back again and again
                    hold = self.clock.now() + timedelta(seconds=max(wait, 0.001))
            if hold is None:
                outcome = await self._send_group(g)
                if outcome is True:
                    sent += len(g.ids)
                    continue
                if outcome is False:  # failed for good: the next messages are not held up by it
                    continue
                hold, n = outcome, n + 1  # retry later: what follows waits behind it
            rest = [i for later in groups[n:] for i in later.ids]
            if rest:
                async with self.sessions() as s, s.begin():
                    await outbox.release(s, rest, instance=self.instance, not_before=hold)
                self.stats["deferred"] += len(rest)
            return sent
        return sent

    # ---------------------------------------------------------------- one call
    async def _call(self, g: Group) -> int | None:
        if g.first.method == "setMyCommands":  # a person's or a group's menu (bot/services/menus.py)
            p = g.first.payload
            await self.bot(SetMyCommands(commands=[BotCommand(**c) for c in p["commands"]],
                                         scope=_scope(p["scope"]), language_code=p.get("language_code")),
                           request_timeout=self.request_timeout)
            return None
        payload = dict(g.payload if g.payload is not None else g.first.payload)
        if g.first.method != "editMessageReplyMarkup":
            payload["text"] = g.text
        if "reply_markup" in payload:
            payload["reply_markup"] = _markup(payload["reply_markup"])
        if g.first.method.startswith("edit") and isinstance(payload.get("message_id"), int) \
                and payload["message_id"] < 0:
            payload["message_id"] = await self._stand_in(-payload["message_id"])
        if g.first.method == "editMessageReplyMarkup":
            result = await self.bot(EditMessageReplyMarkup(chat_id=g.chat_id, **payload),
                                    request_timeout=self.request_timeout)  # type: ignore[arg-type]
            return getattr(result, "message_id", None) or payload.get("message_id")
        if g.first.method == "editMessageText":
            result = await self.bot(EditMessageText(chat_id=g.chat_id, **payload),
                                    request_timeout=self.request_timeout)  # type: ignore[arg-type]
            return getattr(result, "message_id", None) or payload.get("message_id")
        result = await self.bot(SendMessage(chat_id=g.chat_id, **payload),
                                request_timeout=self.request_timeout)  # type: ignore[arg-type]
        return result.message_id

    async def _stand_in(self, row_id: int) -> int:
        """An edit of a reply that had been handed over (its stand-in id is minus that row's id): Telegram's id
        for it once sent. Not sent yet: the edit waits (StandInWaiting); failed: the edit has nothing to edit."""
        known = self.replies.known_message_id(row_id) if self.replies is not None else None
        if known is not None:
            return known
        async with self.sessions() as s:
            status, message_id = (await outbox.message_ids(s, [row_id])).get(row_id, ("missing", None))
        if status == "sent" and message_id is not None:
            return message_id
        if status in ("pending", "sending"):
            raise StandInWaiting(row_id)
        raise StandInLost(row_id)

    def _backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.backoff_max, self.backoff_base * 2 ** max(attempts - 1, 0)))

    async def _send_group(self, g: Group) -> bool | datetime:
        """True: Telegram took it (rows sent); False: failed for good or dropped (an older or identical state of a
        card, compared now, at the send); a datetime: retry not before then."""
        async with self.sessions() as s, s.begin():
            why = await card_state.stale(s, g.first.dedup_key, g.first.payload) if len(g.items) == 1 else None
            if why is not None:
                await outbox.mark_superseded(s, g.ids, instance=self.instance, why=why)
            else:
                await outbox.mark_in_flight(s, g.ids, instance=self.instance)
        if why is not None:
            self.stats["superseded"] += 1
            return False
        crash_point("before_send")
        attempts = max(i.attempts for i in g.items) + 1
        tried_at = self.clock.now()
        try:
            message_id = await self._call(g)
        except StandInWaiting as e:  # the message it edits is still on its way: after it
            return await self._retry(g, timedelta(seconds=1), e, "edit_waits")
        except StandInLost as e:  # the message it edits never went out: nothing to edit, nobody to tell
            async with self.sessions() as s, s.begin():
                await outbox.mark_failed(s, g.ids, instance=self.instance, error=_error_text(e))
            self.stats["failed"] += len(g.ids)
            return False
        except TelegramRetryAfter as e:
            if self.replies is None:  # with a gate, the gate noted it already (for every path)
                self.limiter.note_retry_after(g.chat_id, e.retry_after)
            return await self._retry(g, timedelta(seconds=e.retry_after), e, "retry_after")
        except TelegramMigrateToChat as e:  # the group became a supergroup: its binding and rows follow it
            async with self.sessions() as s, s.begin():
                await outbox.release(s, g.ids, instance=self.instance, not_before=self.clock.now(),
                                     error=_error_text(e), chat_id=e.migrate_to_chat_id)
                await reachability.group_migrated(s, g.chat_id, e.migrate_to_chat_id, now=self.clock.now())
            self.stats["migrated"] += len(g.ids)
            return self.clock.now()
        except TelegramBadRequest as e:
            if g.first.method == "editMessageText" and "not modified" in str(e).lower():
                await self._mark_sent(g, g.first.payload.get("message_id"))
                return True
            await self._fail(g, e)
            return False
        except TelegramForbiddenError as e:
            if await self._hold(g, e, tried_at):
                # the rest for this chat is held too, by the claim's rule; should they have opened the bot just
                # now, the next try is a moment away rather than at once
                return self.clock.now() + timedelta(seconds=1)
            await self._fail(g, e)
            return False
        except (TelegramNotFound, TelegramEntityTooLarge) as e:
            await self._fail(g, e)
            return False
        except TelegramNetworkError as e:  # no answer: Telegram may have taken it
            return await self._retry(g, self._backoff(attempts), e, "no_response", possible_duplicate=True)
        except TelegramAPIError as e:  # an error response (5xx, 401, 409…): it was not taken
            return await self._retry(g, self._backoff(attempts), e, "error_response")
        except (TimeoutError, OSError) as e:
            return await self._retry(g, self._backoff(attempts), e, "no_response", possible_duplicate=True)
        except Exception as e:  # a bug or an unknown failure: keep the row, assume it may have gone out
            log.exception("outbox: unexpected error sending rows %s", g.ids)
            return await self._retry(g, self._backoff(attempts), e, "unexpected", possible_duplicate=True)
        crash_point("after_send")
        await self._mark_sent(g, None if g.digest else message_id)
        crash_point("after_mark")
        return True

    async def _hold(self, g: Group, e: TelegramForbiddenError, tried_at: datetime) -> bool:
        """403 for a person of the organisation or a bound group: not a failure — they cannot be reached now.
        The rows wait for them (released as pending; the claim skips an unreachable address) and the office
        is told once for this spell. False for anyone else (a stranger, a contact): the row fails as before."""
        now = self.clock.now()
        self._reachable.discard(g.chat_id)
        async with self.sessions() as s, s.begin():
            if g.chat_id > 0:
                held = await reachability.person_refused(s, g.chat_id, description=str(e.message), now=now,
                                                         tried_at=tried_at, default_tz=self.default_tz)
            else:
                held = await reachability.group_refused(s, g.chat_id, now=now, default_tz=self.default_tz)
            if held:
                await outbox.release(s, g.ids, instance=self.instance, not_before=now + timedelta(seconds=1),
                                     error=_error_text(e))
        if held:
            log.info("outbox rows %s to %s wait: the addressee cannot be reached (%s)", g.ids, g.chat_id, e.message)
            self.stats["held"] += len(g.ids)
            self.wake()
        return held

    async def _mark_sent(self, g: Group, message_id: int | None) -> None:
        crash_point("before_mark")
        async with self.sessions() as s, s.begin():
            await outbox.mark_sent(s, g.ids, now=self.clock.now(), message_id=message_id)
            if not g.digest and card_state.is_card_row(g.first.dedup_key):
                await card_state.delivered(s, g.items)
            if g.chat_id > 0 and g.chat_id not in self._reachable and g.first.method != "setMyCommands":
                # written once a process, on a change
                await reachability.person_succeeded(s, [g.chat_id], now=self.clock.now())
                self._reachable.add(g.chat_id)
        self.stats["sent"] += len(g.ids)
        OUTBOX_SENT.inc(len(g.ids))
        self.stats["messages"] += 1
        self.stats["coalesced"] += len(g.ids) - 1

    async def _retry(self, g: Group, after: timedelta, e: BaseException, why: str, *,
                     possible_duplicate: bool = False) -> datetime:
        log.warning("outbox rows %s to %s: %s (%s); retry in %s", g.ids, g.chat_id, why, _error_text(e), after)
        not_before = self.clock.now() + after
        async with self.sessions() as s, s.begin():
            await outbox.release(s, g.ids, instance=self.instance, not_before=not_before,
                                 error=_error_text(e), possible_duplicate=possible_duplicate)
        self.stats[why] += len(g.ids)
        OUTBOX_RETRIED.labels(why).inc(len(g.ids))
        return not_before

    async def _fail(self, g: Group, e: BaseException) -> None:
        """Permanent refusal: failed, and one notice per row to the office (never about the office itself)."""
        error = _error_text(e)
        log.warning("outbox rows %s to %s failed for good: %s", g.ids, g.chat_id, error)
        now = self.clock.now()
        async with self.sessions() as s, s.begin():
            await outbox.mark_failed(s, g.ids, instance=self.instance, error=error)
            for item in g.items:
                await notify_office_of_failure(s, item, error=error, now=now, default_tz=self.default_tz)
        self.stats["failed"] += len(g.ids)
        OUTBOX_FAILED.inc(len(g.ids))
        self.wake()


async def notify_office_of_failure(s: AsyncSession, item: OutboxItem, *, error: str, now: datetime,
                                   default_tz: str = "Asia/Shanghai") -> int:
    """Enqueue the notice that a message could not be delivered: to the office chat, or to the office
    people when no office chat is bound. Nothing for a row that went to the office itself, nor for a
    notice of this kind (no loops). Returns the number of notices enqueued."""
    if (item.dedup_key or "").startswith(FAILED_NOTICE_PREFIX) or item.method == "setMyCommands":
        return 0  # no loops; and a menu that could not be set is for the log, not the office
    org = await load_org(s, default_tz)
    office = await bound_chat(s, "office")
    person = await s.scalar(select(Person).where(Person.telegram_id == item.chat_id))
    contact = None if person else await s.scalar(select(Contact).where(Contact.telegram_id == item.chat_id))
    excerpt = item.text if len(item.text) <= 200 else item.text[:199] + "…"
    if office is not None:
        targets = [] if item.chat_id == office else [(office, org.language)]
    else:
        people = (await s.scalars(select(Person).where(Person.active))).all()
        targets = [(p.telegram_id, p.language or org.language) for p in people
                   if "office" in (p.roles or []) and p.telegram_id != item.chat_id]
    n = 0
    for chat, lang in targets:
        who = (person or contact).name if (person or contact) else t("outbox.who.unknown", lang)
        text = t("outbox.failed_notice", lang, who=who, reason=t(f"outbox.reason.{failure_reason(error)}", lang),
                 text=excerpt)
        if await outbox.enqueue(s, chat_id=chat, text=text, now=now,
                                dedup_key=f"{FAILED_NOTICE_PREFIX}{item.id}:{chat}") is not None:
            n += 1
    return n

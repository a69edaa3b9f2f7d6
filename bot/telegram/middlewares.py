"""Per-update plumbing: one DB transaction per update, and who is writing in which language."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery
from aiogram.methods.base import Response
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import current_session, drop_after_commit, run_after_commit
from bot.domain.identity import REACHABLE
from bot.i18n import lang_of
from bot.ops.dbfault import storage_fault
from bot.services import inbox
from bot.services.dto import OrgDTO
from bot.services.org import get_person, load_org

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class InboxOutcome:
    """Filled in by DbSessionMiddleware: whether the update's inbox row is settled (done, committed), so the
    processor need not open a second transaction to find out; or, when the database could not take the
    update's transaction (disk full, read-only, locked, server gone: bot/ops/dbfault.py), the exception, so
    the processor retries the update later without counting an attempt."""

    __slots__ = ("fault", "settled")

    def __init__(self) -> None:
        self.settled = False
        self.fault: BaseException | None = None


class DbSessionMiddleware(BaseMiddleware):
    """Opens the update's session; the handler's effects and FSM changes commit together or not at all."""

    ORG_TTL = 5.0  # seconds: `onduty org import` from another process is seen within this time

    def __init__(self, sessions: async_sessionmaker[AsyncSession], default_tz: str):
        self.sessions = sessions
        self.default_tz = default_tz
        self._org: tuple[float, OrgDTO] | None = None

    async def _load_org(self, s: AsyncSession) -> OrgDTO:
        now = time.monotonic()
        if self._org is None or now - self._org[0] > self.ORG_TTL:
            self._org = (now, await load_org(s, self.default_tz))
        return self._org[1]

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.sessions() as s:
            token = current_session.set(s)
            try:
                inbox_id = data.get("inbox_update_id")
                outcome: InboxOutcome | None = data.get("inbox_outcome")
                if inbox_id is not None and not await inbox.claim_done(s, inbox_id, now=datetime.now(UTC)):
                    await s.rollback()
                    if outcome is not None:
                        outcome.settled = True
                    return None  # processed before: a redelivery of the same update
                data["session"] = s
                data["org"] = await self._load_org(s)
                user: User | None = data.get("event_from_user")
                person = await get_person(s, user.id) if user else None
                data["person"] = person
                data["lang"] = (person.language if person and person.language
                                else lang_of(user.language_code if user else None))
                if person is not None and person.reachable != REACHABLE:
                    await _noticed_opening(s, event, data, person)
                result = await handler(event, data)
                await s.commit()
                if outcome is not None and inbox_id is not None:
                    outcome.settled = True  # the inbox row's "done" committed with the effects
                # The replies and toasts the handler made, now that its effects are durable (they are outbox
                # rows of this transaction: a crash from here on leaves them to the sender, not lost).
                try:
                    await run_after_commit(s)
                except Exception:  # the update is done; its reply rows are claimed: the sender takes them over
                    log.exception("sending an update's replies after its commit failed")
                return result
            except Exception as e:
                drop_after_commit(s)  # nothing of the update is told: the errors router answers instead
                with contextlib.suppress(Exception):  # a connection that died cannot roll back either
                    await s.rollback()
                if outcome is not None and storage_fault(e) is not None:
                    # Nothing of the update committed: it stays "received" and is tried again once the
                    # database takes writes. Not the errors router's business — telling the user "an error
                    # occurred" at every retry would be noise; the real answer comes when it succeeds.
                    outcome.fault = e
                    return None
                raise
            except BaseException:
                drop_after_commit(s)
                with contextlib.suppress(Exception):
                    await s.rollback()
                raise
            finally:
                current_session.reset(token)


async def _noticed_opening(s: AsyncSession, update: TelegramObject, data: dict[str, Any], person: Any) -> None:
    """A person who was not known to be reachable wrote to the bot in private (a message or a press, not a
    membership change — blocking arrives that way too): they are reachable now, and what waited for them
    goes out. Written only on this change, never on every update."""
    chat = data.get("event_chat")
    if chat is None or chat.type != "private" or getattr(update, "my_chat_member", None) is not None:
        return
    from bot.services.reachability import person_opened

    clock = data.get("clock")
    await person_opened(s, person.id, person.telegram_id, now=clock.now() if clock else datetime.now(UTC),
                        lang=data["lang"])


class KeepResponseTypes(BaseRequestMiddleware):
    """aiogram reads every reply as `Response[<the method's return type>]`, and pydantic caches such generic
    classes only weakly: once the collector frees one, the next call builds it again (2-7 ms for a Message).
    Holding each one here makes it a one-time cost per return type."""

    _kept: dict[Any, type] = {}

    async def __call__(self, make_request, bot, method):  # noqa: ANN001, ANN204
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]
        return await make_request(bot, method)


class TolerateStaleCallbacks(BaseRequestMiddleware):
    """A refused answerCallbackQuery (the query is too old, e.g. replayed after a restart) only loses the
    button's spinner; it must not fail the update whose effects are already committed."""

    async def __call__(self, make_request, bot, method):  # noqa: ANN001, ANN204
        if isinstance(method, AnswerCallbackQuery):
            try:
                return await make_request(bot, method)
            except TelegramBadRequest as e:
                log.info("answerCallbackQuery refused: %s", e.message)
                return True
        return await make_request(bot, method)

"""aiogram FSM storage in the database: dialogs and drafts survive restarts and move between instances."""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import current_session
from bot.services.memo import memo
from models import FsmRecord


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    """A deep copy by way of JSON, which the record is stored as anyway: the C encoder and decoder, not
    copy.deepcopy's walk (hundreds of Python calls for a draft, on every update of a report)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def key_str(key: StorageKey) -> str:
    return ":".join(str(p) for p in (key.bot_id, key.chat_id, key.user_id, key.thread_id or "",
                                     key.business_connection_id or "", key.destiny))


class SqlStorage(BaseStorage):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions

    @asynccontextmanager
    async def _session(self):
        shared = current_session.get()
        if shared is not None:
            yield shared
            return
        async with self._sessions() as s, s.begin():
            yield s

    @staticmethod
    async def _get(s: AsyncSession, key: StorageKey) -> FsmRecord | None:
        """The record, read once per transaction: a state filter and then the handler ask for it, and the
        session's identity map would have let it go in between (see bot.services.memo)."""
        k, records = key_str(key), memo(s, "fsm")
        if k not in records:
            records[k] = await s.get(FsmRecord, k)
        return records[k]

    async def _record(self, s: AsyncSession, key: StorageKey) -> FsmRecord:
        rec = await self._get(s, key)
        if rec is None:
            rec = FsmRecord(key=key_str(key), state=None, data={}, updated_at=datetime.now(UTC))
            s.add(rec)
            memo(s, "fsm")[rec.key] = rec
        return rec

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        async with self._session() as s:
            rec = await self._record(s, key)
            rec.state = state.state if isinstance(state, State) else state
            rec.updated_at = datetime.now(UTC)
            # no flush: the state and the data a handler sets go out as one UPDATE when the update commits

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as s:
            rec = await self._get(s, key)
            return rec.state if rec else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._session() as s:
            rec = await self._record(s, key)
            rec.data = _copy(dict(data))
            rec.updated_at = datetime.now(UTC)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as s:
            rec = await self._get(s, key)
            # a deep copy: a caller mutating the draft in place must not change the record behind the
            # ORM's back (the later set_data would then compare equal and never be written)
            return _copy(rec.data) if rec and rec.data else {}

    async def close(self) -> None:
        return None

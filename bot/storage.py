"""aiogram FSM storage in the database: dialogs and drafts survive restarts and move between instances."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import current_session
from models import FsmRecord


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

    async def _record(self, s: AsyncSession, key: StorageKey) -> FsmRecord:
        k = key_str(key)
        rec = await s.get(FsmRecord, k)
        if rec is None:
            rec = FsmRecord(key=k, state=None, data={}, updated_at=datetime.now(UTC))
            s.add(rec)
        return rec

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        async with self._session() as s:
            rec = await self._record(s, key)
            rec.state = state.state if isinstance(state, State) else state
            rec.updated_at = datetime.now(UTC)
            await s.flush()

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as s:
            rec = await s.get(FsmRecord, key_str(key))
            return rec.state if rec else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._session() as s:
            rec = await self._record(s, key)
            rec.data = dict(data)
            rec.updated_at = datetime.now(UTC)
            await s.flush()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as s:
            rec = await s.get(FsmRecord, key_str(key))
            return dict(rec.data) if rec and rec.data else {}

    async def close(self) -> None:
        return None

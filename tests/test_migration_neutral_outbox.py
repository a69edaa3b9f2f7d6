"""Migration 0019 over an outbox that holds rows: chat_id/method/telegram_message_id become conv/kind/ref, an
edit's message_id becomes the row it edits (`edits`) or its reference, and on the way down exactly the old
columns and bodies come back; a conversation id that is not a number cannot go down (the row fails)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, select

from bot.db import create_engine
from models.migrate import downgrade, upgrade

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
CARD = {"text": "卡片", "buttons": [[{"label": "✅ 收到", "action": "incV1:ack:12"}]]}
# id: (chat_id, method, status, telegram_message_id, payload before) → (conv, kind, ref, edits, payload after)
ROWS: dict[int, tuple[tuple[Any, ...], tuple[Any, ...]]] = {
    1: ((1001, "sendMessage", "sent", 55, CARD), ("1001", "send", "55", None, CARD)),
    2: ((1001, "editMessageText", "pending", None, {**CARD, "message_id": 55}),
        ("1001", "edit", "55", 1, CARD)),  # an edit of a message the outbox sent: its row, and its reference
    3: ((-100, "sendMessage", "sending", None, {"text": "群卡片"}), ("-100", "send", None, None, {"text": "群卡片"})),
    4: ((-100, "editMessageText", "pending", None, {"text": "群卡片（已改）", "message_id": -3}),
        ("-100", "edit", None, 3, {"text": "群卡片（已改）"})),  # a stand-in: the row not sent yet
    5: ((1001, "editMessageReplyMarkup", "sent", 77, {"message_id": 77, "buttons": []}),
        ("1001", "edit", "77", None, {"buttons": []})),  # a message the outbox did not send (a handler's)
    6: ((1001, "setMyCommands", "pending", None, {"commands": [], "scope": {"type": "default"}}),
        ("1001", "commands", None, None, {"commands": [], "scope": {"type": "default"}})),
    7: ((9007199254741000, "sendMessage", "pending", None, {"text": "等他"}),
        ("9007199254741000", "send", None, None, {"text": "等他"})),
}


def _table(conn):  # noqa: ANN001, ANN202
    meta = MetaData()
    meta.reflect(conn, only=["outbox"])
    return meta.tables["outbox"]


def _seed(conn) -> None:  # noqa: ANN001
    outbox = _table(conn)
    naive = NOW.replace(tzinfo=None) if conn.dialect.name == "sqlite" else NOW
    for n, ((chat, method, status, mid, payload), _) in ROWS.items():
        conn.execute(outbox.insert().values(
            id=n, chat_id=chat, method=method, payload=payload, status=status, telegram_message_id=mid,
            attempts=0, not_before=naive, created_at=naive, in_flight=False, reclaims=0, possible_duplicate=False,
            dedup_key=f"test:{n}"))


def _old(conn) -> dict[int, tuple[Any, ...]]:  # noqa: ANN001
    o = _table(conn)
    return {r.id: (r.chat_id, r.method, r.status, r.telegram_message_id, r.payload)
            for r in conn.execute(select(o).order_by(o.c.id))}


def _new(conn) -> dict[int, tuple[Any, ...]]:  # noqa: ANN001
    o = _table(conn)
    assert not {"chat_id", "method", "telegram_message_id"} & set(o.c.keys())
    return {r.id: (r.conv, r.kind, r.ref, r.edits, r.payload) for r in conn.execute(select(o).order_by(o.c.id))}


async def test_outbox_rows_up_and_down(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0017")
        async with engine.begin() as conn:
            await conn.run_sync(_seed)
        await upgrade(engine, "0019")
        async with engine.connect() as conn:
            assert await conn.run_sync(_new) == {n: after for n, (_, after) in ROWS.items()}
        async with engine.begin() as conn:  # what only the new schema holds: another messenger's conversation
            o = await conn.run_sync(_table)
            naive = NOW.replace(tzinfo=None) if conn.dialect.name == "sqlite" else NOW
            await conn.execute(o.insert().values(
                id=8, channel="test", conv="u-42", kind="send", payload={"text": "x"}, status="pending", attempts=0,
                not_before=naive, created_at=naive, in_flight=False, reclaims=0, possible_duplicate=False))
        await downgrade(engine, "0017")
        async with engine.connect() as conn:
            down = await conn.run_sync(_old)
        assert {n: row for n, row in down.items() if n != 8} == {n: before for n, (before, _) in ROWS.items()}
        assert down[8][:3] == (0, "sendMessage", "failed")  # no integer column holds "u-42": never sent
        await upgrade(engine)
        async with engine.connect() as conn:
            assert {n: row for n, row in (await conn.run_sync(_new)).items() if n != 8} == {
                n: after for n, (_, after) in ROWS.items()}
    finally:
        await engine.dispose()

"""Migration 0022 over incident cards that hold rows: chat_id becomes (channel, conv) — the channel the card's
outbox row was sent on, Telegram when that row is gone — and the unique key becomes (incident, channel, conv).
On the way down the old rows come back exactly; a card the integer column cannot hold (a conversation id that is
not a number, or a number another card of the incident already has) is deleted, as the migration says."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.exc import IntegrityError

from bot.db import create_engine
from models.migrate import downgrade, upgrade
from tests.test_migration_data import _seed as _seed_people_and_incidents

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
# outbox rows the cards were sent by (0019's schema): id → (channel, conv)
OUTBOX = {1: ("telegram", "1001"), 2: ("test", "7100002"), 3: ("telegram", "-100")}
# card id: (incident, chat_id, audience, outbox_id) before → (incident, channel, conv) after
CARDS: dict[int, tuple[tuple[Any, ...], tuple[Any, ...]]] = {
    1: ((1, 1001, "person", 1), (1, "telegram", "1001")),
    2: ((1, 7100002, "person", 2), (1, "test", "7100002")),  # a test-channel card, stored by its number before
    3: ((1, -100, "office", 3), (1, "telegram", "-100")),
    4: ((2, 1001, "person", None), (2, "telegram", "1001")),  # no outbox row named: Telegram's
    5: ((2, 9007199254741000, "person", 99), (2, "telegram", "9007199254741000")),  # its row pruned since
}


def _naive(conn) -> datetime:  # noqa: ANN001
    return NOW.replace(tzinfo=None) if conn.dialect.name == "sqlite" else NOW


def _tables(conn) -> dict[str, Any]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn, only=["incident_cards", "outbox"])
    return meta.tables


def _seed(conn) -> None:  # noqa: ANN001
    _seed_people_and_incidents(conn)
    t, at = _tables(conn), _naive(conn)
    for n, (channel, conv) in OUTBOX.items():
        conn.execute(t["outbox"].insert().values(
            id=n, channel=channel, conv=conv, kind="send", payload={"text": "卡片"}, status="sent", attempts=0,
            not_before=at, created_at=at, in_flight=False, reclaims=0, possible_duplicate=False, ref=str(n)))
    for n, ((incident, chat, audience, outbox_id), _) in CARDS.items():
        conn.execute(t["incident_cards"].insert().values(id=n, incident_id=incident, chat_id=chat, audience=audience,
                                                         outbox_id=outbox_id, created_at=at))


def _old(conn) -> dict[int, tuple[Any, ...]]:  # noqa: ANN001
    c = _tables(conn)["incident_cards"]
    assert not {"channel", "conv"} & set(c.c.keys())
    return {r.id: (r.incident_id, r.chat_id, r.audience, r.outbox_id) for r in conn.execute(select(c).order_by(c.c.id))}


def _new(conn) -> dict[int, tuple[Any, ...]]:  # noqa: ANN001
    c = _tables(conn)["incident_cards"]
    assert "chat_id" not in c.c.keys()
    return {r.id: (r.incident_id, r.channel, r.conv) for r in conn.execute(select(c).order_by(c.c.id))}


def _card(conn, **values: Any) -> None:  # noqa: ANN001
    conn.execute(_tables(conn)["incident_cards"].insert().values(audience="person", created_at=_naive(conn), **values))


async def test_incident_cards_up_and_down(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0021")
        async with engine.begin() as conn:
            await conn.run_sync(_seed)
        await upgrade(engine, "0022")
        async with engine.connect() as conn:
            assert await conn.run_sync(_new) == {n: after for n, (_, after) in CARDS.items()}
        async with engine.begin() as conn:  # what only the new schema holds
            await conn.run_sync(lambda c: _card(c, id=6, incident_id=2, channel="test", conv="ou_7100003"))
            await conn.run_sync(lambda c: _card(c, id=7, incident_id=1, channel="test", conv="1001"))
        with pytest.raises(IntegrityError):  # still one card per conversation on a channel
            async with engine.begin() as conn:
                await conn.run_sync(lambda c: _card(c, id=8, incident_id=1, channel="telegram", conv="1001"))
        await downgrade(engine, "0021")
        async with engine.connect() as conn:
            # 6: "ou_7100003" is no integer; 7: its number is card 1's (Telegram's first): both deleted
            assert await conn.run_sync(_old) == {n: before for n, (before, _) in CARDS.items()}
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_new) == {n: after for n, (_, after) in CARDS.items()}
    finally:
        await engine.dispose()

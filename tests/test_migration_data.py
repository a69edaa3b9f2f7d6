"""Migrations over a database that holds data: SQLite's batch mode rebuilds tables (DROP + CREATE), which
foreign keys must not stop, and no row may be lost on the way up or down."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, String, Text, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from bot.db import create_engine
from models.migrate import downgrade, upgrade

# Tables with foreign keys pointing at them, in an order that satisfies those keys.
TABLES = ("organizations", "units", "people", "incidents", "reports", "evidence")
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def _value(col, n: int, dialect: str):  # noqa: ANN001, ANN202
    """A plausible value for a required column of the reflected (old) schema, stored as models.base would."""
    if col.foreign_keys:
        return 1
    t = col.type
    if isinstance(t, Boolean):
        return False
    if isinstance(t, Integer):
        return n
    if isinstance(t, DateTime):
        return NOW.replace(tzinfo=None) if dialect == "sqlite" else NOW
    if isinstance(t, Date):
        return NOW.date()
    if isinstance(t, String | Text):
        return f"{col.name}-{n}"
    return {}  # JSON


def _seed(conn) -> dict[str, int]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn)
    counts = {}
    for name in TABLES:
        if name not in meta.tables:
            continue
        table = meta.tables[name]
        for n in (1, 2):
            row = {c.name: _value(c, n, conn.dialect.name) for c in table.columns
                   if not c.nullable and c.server_default is None}
            if "id" in table.c:
                row["id"] = n
            conn.execute(table.insert().values(row))
        counts[name] = 2
    return counts


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn, only=[t for t in TABLES if conn.dialect.has_table(conn, t)])
    return {name: conn.execute(select(func.count()).select_from(meta.tables[name])).scalar_one()
            for name in TABLES if name in meta.tables}


async def test_upgrade_and_downgrade_keep_rows(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")  # before 0005 and 0008, which rebuild incidents/evidence on SQLite
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        assert set(seeded) >= {"people", "incidents", "reports", "evidence"}
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
        await downgrade(engine, "0004")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------- 0015 channels
def _at(conn) -> datetime:  # noqa: ANN001
    return NOW.replace(tzinfo=None) if conn.dialect.name == "sqlite" else NOW


def _audit_chain(conn) -> list:  # noqa: ANN001
    """The global chain as the old schema (0014) or the new one stores it, verified without the ORM (whose
    model may be ahead of the schema): rows without actor_ref must hash as before."""
    from bot.domain.audit import AuditRecord

    meta = MetaData()
    meta.reflect(conn, only=["audit_log"])
    t = meta.tables["audit_log"]
    return [AuditRecord(chain=r.chain, seq=r.seq, at=r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC), kind=r.kind,
                        payload=dict(r.payload), actor_telegram_id=r.actor_telegram_id, actor_name=r.actor_name,
                        incident_id=r.incident_id, prev_hash=r.prev_hash, hash=r.hash,
                        actor_ref=r._mapping.get("actor_ref"))
            for r in conn.execute(select(t).order_by(t.c.chain, t.c.seq))]


def _seed_0014(conn) -> None:  # noqa: ANN001
    """Rows as 0014 holds them: a linked person and a placeholder one, both bound chats, pending and sent
    outbox rows, received and done inbox rows, a valid stretch of the global audit chain."""
    from bot.domain.audit import GENESIS, make_record
    from bot.domain.identity import UNLINKED_BASE

    meta = MetaData()
    meta.reflect(conn)
    t, at = meta.tables, _at(conn)
    conn.execute(t["people"].insert(), [
        {"id": 1, "telegram_id": 1001, "name": "Li", "roles": ["office"], "active": True},
        {"id": 2, "telegram_id": UNLINKED_BASE + 7, "name": "Wang", "roles": ["leader"], "active": True}])
    conn.execute(t["person_identities"].insert(), [
        {"person_id": 1, "channel": "telegram", "external_id": "1001", "reachable": "reachable", "since": at},
        {"person_id": 2, "channel": "telegram", "external_id": None, "reachable": "unreachable", "since": at}])
    conn.execute(t["chats"].insert(), [{"key": "office", "chat_id": -100, "reachable": "reachable"},
                                       {"key": "upper_office", "chat_id": -200, "reachable": "unknown"}])
    out = {"method": "sendMessage", "attempts": 0, "not_before": at, "in_flight": False, "reclaims": 0,
           "created_at": at, "possible_duplicate": False}
    conn.execute(t["outbox"].insert(), [
        {**out, "id": 1, "chat_id": 1001, "payload": {"text": "sent"}, "status": "sent", "sent_at": at,
         "telegram_message_id": 5},
        {**out, "id": 2, "chat_id": UNLINKED_BASE + 7, "payload": {"text": "waits"}, "status": "pending",
         "sent_at": None, "telegram_message_id": None}])
    conn.execute(t["inbox"].insert(), [
        {"update_id": 10, "payload": {"update_id": 10}, "status": "done", "attempts": 0, "received_at": at},
        {"update_id": 11, "payload": {"update_id": 11}, "status": "received", "attempts": 0, "received_at": at}])
    prev = GENESIS
    for seq in (1, 2):
        rec = make_record(incident_id=None, seq=seq, prev_hash=prev, at=NOW, kind="person_unreachable",
                          actor_telegram_id=1001 if seq == 1 else None, actor_name="Li", payload={"who": "Wang"})
        conn.execute(t["audit_log"].insert().values(
            chain=rec.chain, incident_id=None, seq=rec.seq, at=at, actor_telegram_id=rec.actor_telegram_id,
            actor_name=rec.actor_name, kind=rec.kind, payload=rec.payload, prev_hash=rec.prev_hash, hash=rec.hash))
        prev = rec.hash


def _channel_rows(conn) -> dict[str, list]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn, only=["people", "chats", "outbox", "inbox"])
    t = meta.tables

    def rows(name: str, *cols: str) -> list:
        table = t[name]
        return [tuple(r) for r in conn.execute(select(*(table.c[c] for c in cols if c in table.c))
                                               .order_by(*(table.c[c] for c in cols if c in table.c)))]
    return {"people": rows("people", "id", "telegram_id", "preferred_channel"),
            "chats": rows("chats", "key", "channel", "chat_id"),
            "outbox": rows("outbox", "id", "channel", "chat_id", "status"),
            "inbox": rows("inbox", "channel", "update_id", "status")}


async def _verify(engine) -> None:  # noqa: ANN001
    from bot.domain.audit import verify_chain

    async with engine.connect() as conn:
        chain = await conn.run_sync(_audit_chain)
    assert chain and verify_chain(chain) is None


async def test_0015_channels_up_and_down_with_rows(db_url: str) -> None:
    from bot.db import session_factory
    from bot.domain.identity import UNLINKED_BASE
    from bot.services import audit

    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0014")
        async with engine.begin() as conn:
            await conn.run_sync(_seed_0014)
            before = await conn.run_sync(_channel_rows)
        await _verify(engine)

        await upgrade(engine, "0015")
        async with engine.connect() as conn:
            up = await conn.run_sync(_channel_rows)
        assert up == {"people": [(1, 1001, "telegram"), (2, UNLINKED_BASE + 7, "telegram")],
                      "chats": [("office", "telegram", -100), ("upper_office", "telegram", -200)],
                      "outbox": [(1, "telegram", 1001, "sent"), (2, "telegram", UNLINKED_BASE + 7, "pending")],
                      "inbox": [("telegram", 10, "done"), ("telegram", 11, "received")]}
        await _verify(engine)
        async with session_factory(engine)() as s, s.begin():  # a new row with no actor: no actor_ref
            rec = await audit.append(s, incident_id=None, kind="person_reachable", actor_telegram_id=None,
                                     actor_name="Li", payload={"who": "Wang"}, now=NOW)
            assert rec.actor_ref is None
            assert (await audit.verify_all(s)).ok
        async with engine.begin() as conn:  # what only the new schema holds: another channel's rows
            await conn.execute(text("INSERT INTO people (id, telegram_id, name, roles, active, preferred_channel) "
                                    "VALUES (3, NULL, 'Zhao', '[]', :t, 'test')"), {"t": True})
            await conn.execute(text("INSERT INTO chats (key, channel, chat_id, reachable) "
                                    "VALUES ('office', 'test', 77, 'reachable')"))
            await conn.execute(text("INSERT INTO outbox (id, channel, chat_id, method, payload, status, attempts, "
                                    "not_before, in_flight, reclaims, created_at, possible_duplicate) VALUES "
                                    "(3, 'test', 3, 'sendMessage', '{}', 'pending', 0, :at, :f, 0, :at, :f)"),
                               {"at": _at(conn), "f": False})
            await conn.execute(text("INSERT INTO inbox (channel, update_id, payload, status, attempts, received_at) "
                                    "VALUES ('test', 11, '{}', 'received', 0, :at)"), {"at": _at(conn)})

        await downgrade(engine, "0014")
        async with engine.connect() as conn:
            down = await conn.run_sync(_channel_rows)
        assert down["chats"] == before["chats"] and down["inbox"] == before["inbox"]
        assert down["people"][:2] == before["people"] and down["people"][2][1] >= UNLINKED_BASE + 2 ** 40
        assert down["outbox"] == [*before["outbox"], (3, 3, "failed")]  # never handed to Telegram
        await _verify(engine)

        await upgrade(engine, "0015")
        await _verify(engine)
        async with session_factory(engine)() as s, s.begin():  # a row with the neutral actor: hashed with it
            rec = await audit.append(s, incident_id=None, kind="person_reachable", actor_telegram_id=1001,
                                     actor_name="Li", actor_ref="person:1", payload={"who": "Wang"}, now=NOW)
            assert rec.actor_ref == "person:1" and "actor_ref" in rec.content()
            assert (await audit.verify_all(s)).ok
        try:
            await downgrade(engine, "0014")
        except RuntimeError as e:
            assert "actor_ref" in str(e)
        else:
            raise AssertionError("a downgrade dropped actor_ref that audit hashes cover")
        await _verify(engine)  # still at 0015, every row intact
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------- 0017 outlet
async def test_0017_release_outlet_up_and_down_keeps_where_it_was_published(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            await conn.run_sync(_seed)  # people and incidents for the draft's foreign keys
        await upgrade(engine, "0016")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO release_drafts (id, incident_id, version, text, drafted_by, created_at,"
                                    " status, channel, link) VALUES (1, 1, 1, 'notice', 1, :at, 'published', "
                                    "'官方微博', 'https://example.org/1')"), {"at": _at(conn)})
        await upgrade(engine, "0017")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT outlet, link FROM release_drafts"))).all() == [
                ("官方微博", "https://example.org/1")]
        await downgrade(engine, "0016")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT channel FROM release_drafts"))).all() == [("官方微博",)]
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------- 0018 units
async def test_0018_units_up_and_down_with_rows(db_url: str) -> None:
    """Units gain aliases (old rows: none) and a head, incidents the unit involved; down drops them, rows kept."""
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)  # two units, two people, two incidents…
        await upgrade(engine, "0017")
        await upgrade(engine, "0018")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            rows = (await conn.execute(text("SELECT id, aliases, head_id FROM units ORDER BY id"))).all()
            assert [(r[0], r[1] if isinstance(r[1], list) else json.loads(r[1]), r[2])
                    for r in rows] == [(1, [], None), (2, [], None)]
            assert (await conn.execute(text("SELECT unit_id FROM incidents ORDER BY id"))).all() == [(None,), (None,)]
        async with engine.begin() as conn:  # what only the new schema holds
            await conn.execute(text("UPDATE units SET aliases = :a, head_id = 2 WHERE id = 1"), {"a": '["后勤"]'})
            await conn.execute(text("UPDATE incidents SET unit_id = 1 WHERE id = 2"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT unit_id FROM incidents ORDER BY id"))).all() == [(None,), (1,)]
        await downgrade(engine, "0017")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            cols = await conn.run_sync(lambda c: {t: {x["name"] for x in inspect(c).get_columns(t)}
                                                  for t in ("units", "incidents")})
            assert "aliases" not in cols["units"] and "head_id" not in cols["units"]
            assert "unit_id" not in cols["incidents"]
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------- 0021 tasks
async def test_0021_tasks_up_and_down_with_rows(db_url: str) -> None:
    """The tasks table comes with nothing in it; a task written there goes with the table on the way down, the
    other rows stay; up again gives an empty table."""
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        await upgrade(engine, "0021")
        async with engine.begin() as conn:
            assert await conn.run_sync(_counts) == seeded
            await conn.execute(text(
                "INSERT INTO tasks (id, incident_id, unit_id, owner_id, what, due_at, status, evidence, assigned_by,"
                " created_at, late) VALUES (1, 2, 1, 2, '核实情况', :at, 'open', '[]', 1, :at, :late)"),
                {"at": _at(conn), "late": False})
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT incident_id, unit_id, owner_id, what, status FROM tasks"))).one()
            assert tuple(row) == (2, 1, 2, "核实情况", "open")
        await downgrade(engine, "0018")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert not await conn.run_sync(lambda c: inspect(c).has_table("tasks"))
        await upgrade(engine, "0021")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert (await conn.execute(text("SELECT count(*) FROM tasks"))).scalar_one() == 0
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------- 0026 working groups
async def test_0026_working_groups_up_and_down_with_rows(db_url: str) -> None:
    """The four working-group tables come empty; a group with a member, a meeting and an answer goes with them on
    the way down, the other rows stay; up again gives empty tables."""
    tables = ("working_groups", "working_group_members", "group_meetings", "group_meeting_answers")
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        await upgrade(engine, "0026")
        async with engine.begin() as conn:
            assert await conn.run_sync(_counts) == seeded
            at = {"at": _at(conn)}
            await conn.execute(text("INSERT INTO working_groups (id, incident_id, status, proposed_at, confirmed_at,"
                                    " confirmed_by) VALUES (1, 2, 'confirmed', :at, :at, 1)"), at)
            await conn.execute(text("INSERT INTO working_group_members (id, group_id, person_id, role, added_at)"
                                    " VALUES (1, 1, 2, 'handler', :at)"), at)
            await conn.execute(text("INSERT INTO group_meetings (id, group_id, incident_id, starts_at, proposed_at,"
                                    " agenda) VALUES (1, 1, 2, :at, :at, '议程')"), at)
            await conn.execute(text("INSERT INTO group_meeting_answers (id, meeting_id, person_id, answer,"
                                    " answered_at) VALUES (1, 1, 2, 'join', :at)"), at)
        async with engine.connect() as conn:
            row = (await conn.execute(text(
                "SELECT g.status, m.role, a.answer FROM working_groups g JOIN working_group_members m ON m.group_id = g.id"
                " JOIN group_meetings gm ON gm.group_id = g.id JOIN group_meeting_answers a ON a.meeting_id = gm.id"))).one()
            assert tuple(row) == ("confirmed", "handler", "join")
        await downgrade(engine, "0021")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert not any([await conn.run_sync(lambda c, n=n: inspect(c).has_table(n)) for n in tables])
            assert await conn.run_sync(lambda c: inspect(c).has_table("tasks"))
        await upgrade(engine, "0026")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            for name in tables:
                assert (await conn.execute(text(f"SELECT count(*) FROM {name}"))).scalar_one() == 0  # noqa: S608
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------- 0023 release outlets
async def test_0023_release_outlets_up_and_down_moves_where_it_was_published(db_url: str) -> None:
    """Up: a published version's outlet and link become its first release_outlets row (at its published_at, by
    its published_by), a version never published gets none, release_drafts loses the columns. Down: each
    version's first outlet goes back to release_drafts, the later ones with the table."""
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        await upgrade(engine, "0021")
        async with engine.begin() as conn:
            at = _at(conn)
            await conn.execute(text(
                "INSERT INTO release_drafts (id, incident_id, version, text, drafted_by, created_at, status, "
                "published_at, published_by, outlet, link) VALUES "
                "(1, 1, 1, 'notice', 1, :at, 'published', :at, 2, '官方微博', 'https://example.org/1'), "
                "(2, 2, 1, 'draft', 1, :at, 'draft', NULL, NULL, NULL, NULL)"), {"at": at})
        await upgrade(engine, "0023")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            rows = (await conn.execute(text("SELECT draft_id, outlet, link, published_by FROM release_outlets"))).all()
            assert [tuple(r) for r in rows] == [(1, "官方微博", "https://example.org/1", 2)]
            cols = await conn.run_sync(lambda c: {x["name"] for x in inspect(c).get_columns("release_drafts")})
            assert "outlet" not in cols and "link" not in cols and "published_at" in cols
        async with engine.begin() as conn:  # a later outlet, which only the new schema holds
            await conn.execute(text("INSERT INTO release_outlets (draft_id, outlet, link, published_at, published_by) "
                                    "VALUES (1, 'website', 'https://example.org/2', :at, 1)"), {"at": _at(conn)})
        async with engine.begin() as conn:  # the same outlet twice for one version: the database refuses it
            with pytest.raises(IntegrityError):
                await conn.execute(text("INSERT INTO release_outlets (draft_id, outlet, link, published_at, "
                                        "published_by) VALUES (1, 'website', NULL, :at, 1)"), {"at": _at(conn)})
        await downgrade(engine, "0021")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert not await conn.run_sync(lambda c: inspect(c).has_table("release_outlets"))
            rows = (await conn.execute(text("SELECT id, outlet, link FROM release_drafts ORDER BY id"))).all()
            assert [tuple(r) for r in rows] == [(1, "官方微博", "https://example.org/1"), (2, None, None)]
        await upgrade(engine, "0023")
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT draft_id, outlet FROM release_outlets"))).all()
            assert [tuple(r) for r in rows] == [(1, "官方微博")]
    finally:
        await engine.dispose()

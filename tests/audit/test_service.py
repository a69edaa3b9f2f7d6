"""The audit log on a real database (SQLite; PostgreSQL with TEST_DATABASE_URL): appends, verification,
tampering found by plain SQL, racing appends, paging within Telegram's limit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from bot.audit_cli import verify_command, verify_url
from bot.audit_render import render_entry, render_timeline, sentences
from bot.audit_sentences import Names
from bot.domain.audit import GENESIS, verify_chain
from bot.domain.orgfile import parse_org_file
from bot.services.audit import append, timeline, timeline_by_number, timeline_json, verify_all
from bot.services.org import get_person
from bot.services.org_import import import_org
from bot.textsplit import LIMIT
from models import Incident
from models.audit import AuditLog
from tests.conftest import EXAMPLE_ORG, T0

TZ = ZoneInfo("Asia/Shanghai")
VALUES = {"discovered": T0, "time": T0, "place": "东门", "unit": "后勤", "process": "p", "result": "r",
          "platform": "weibo"}


async def incidents(sessions, n: int) -> list[int]:  # noqa: ANN001
    """Bare incident rows: these tests are about the chains, so no filing event is on them yet."""
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
        person = await get_person(s, 1001)
        rows = [Incident(number=f"YQ-2026-{i:04d}", year=2026, seq=i, status="reported", discovered_at=T0,
                         created_at=T0, created_by=person.id) for i in range(1, n + 1)]
        s.add_all(rows)
        await s.flush()
        return [r.id for r in rows]


async def fill(sessions, a: int, b: int) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        for i in range(4):
            await append(s, incident_id=a, kind="graded", actor_telegram_id=1001, actor_name="监测员甲",
                         payload={"grade": "major", "rules": ["views>=100000"], "i": i, "due": T0},
                         now=T0 + timedelta(minutes=i))
            await append(s, incident_id=b, kind="notified", actor_telegram_id=None, actor_name=None,
                         payload={"to": [1002, 1003], "i": i}, now=T0 + timedelta(minutes=i))
        await append(s, incident_id=None, kind="refusal", actor_telegram_id=666, actor_name="mallory",
                     payload={"reason": "forged", "data": "ack:1:xyz"}, now=T0)


async def test_verify_on_a_fresh_database(db_url: str) -> None:
    assert await verify_url(db_url) == (0, "audit: ok, 0 rows in 0 chains, every chain holds")


async def test_two_incidents_and_the_global_chain_verify(sessions) -> None:  # noqa: ANN001
    a, b = await incidents(sessions, 2)
    await fill(sessions, a, b)
    async with sessions() as s:
        ta, tb, tg = await timeline(s, a), await timeline(s, b), await timeline(s, None)
        res = await verify_all(s)
        found = await timeline_by_number(s, "yq-2026-0001")
        exported = await timeline_json(s, a)
        assert await timeline_by_number(s, "YQ-2026-0404") is None
    assert [r.seq for r in ta] == [1, 2, 3, 4] and [r.seq for r in tb] == [1, 2, 3, 4] and len(tg) == 1
    assert ta[0].prev_hash == GENESIS and ta[1].prev_hash == ta[0].hash
    assert ta[3].payload == {"grade": "major", "rules": ["views>=100000"], "i": 3,
                             "due": "2026-11-24T02:00:00.000000+00:00"}
    assert ta[3].at == T0 + timedelta(minutes=3) and ta[3].actor_name == "监测员甲"
    assert verify_chain(ta) is None and verify_chain(tb) is None
    assert res.ok and res.checked_rows == 9 and res.chains == 3 and res.first_broken is None
    assert found is not None and found[0] == "YQ-2026-0001" and found[1] == ta
    assert exported[0]["kind"] == "graded" and exported[0]["actor"] == {"telegram_id": 1001, "name": "监测员甲",
                                                                 "ref": "telegram:1001"}
    assert await verify_command(sessions) == (0, "audit: ok, 9 rows in 3 chains, every chain holds")


@pytest.mark.parametrize("edit", ["actor", "payload", "time", "delete"])
async def test_a_row_changed_behind_our_back_is_named(sessions, edit: str) -> None:  # noqa: ANN001
    a, b = await incidents(sessions, 2)
    await fill(sessions, a, b)
    async with sessions() as s, s.begin():
        target = await s.scalar(select(AuditLog.id).where(AuditLog.incident_id == b, AuditLog.seq == 2))
        if edit == "actor":
            await s.execute(text("UPDATE audit_log SET actor_name = 'someone else' WHERE id = :id"), {"id": target})
        elif edit == "payload":
            await s.execute(update(AuditLog).where(AuditLog.id == target).values(payload={"to": [1002], "i": 1}))
        elif edit == "time":
            await s.execute(update(AuditLog).where(AuditLog.id == target).values(at=T0 + timedelta(hours=1)))
        else:
            await s.execute(delete(AuditLog).where(AuditLog.id == target))
            target = await s.scalar(select(AuditLog.id).where(AuditLog.incident_id == b, AuditLog.seq == 3))
    async with sessions() as s:
        res = await verify_all(s)
    seq = 3 if edit == "delete" else 2
    assert not res.ok and res.first_broken is not None
    assert (res.first_broken.chain, res.first_broken.seq, res.first_broken.id) == (f"incident:{b}", seq, target)
    code, line = await verify_command(sessions)
    assert code == 1 and f"row id {target} (chain incident:{b}, seq {seq})" in line


async def test_the_first_broken_row_is_the_earliest_written(sessions) -> None:  # noqa: ANN001
    a, b = await incidents(sessions, 2)
    await fill(sessions, a, b)
    async with sessions() as s, s.begin():
        ids = [await s.scalar(select(AuditLog.id).where(AuditLog.incident_id == inc, AuditLog.seq == 3))
               for inc in (a, b)]
        await s.execute(update(AuditLog).where(AuditLog.id.in_(ids)).values(kind="closed"))
    async with sessions() as s:
        res = await verify_all(s)
    assert res.first_broken is not None and res.first_broken.id == min(ids) and len(res.broken) == 2


async def test_racing_appends_make_one_gapless_chain(sessions) -> None:  # noqa: ANN001
    (a,) = await incidents(sessions, 1)

    async def one(i: int, incident_id: int | None) -> int:
        async with sessions() as s, s.begin():
            row = await append(s, incident_id=incident_id, kind="acknowledged", actor_telegram_id=2000 + i,
                               actor_name=f"p{i}", payload={"i": i}, now=T0 + timedelta(seconds=i))
            await asyncio.sleep(0)  # keep the transaction open a moment: the others race it
            return row.seq

    seqs = await asyncio.gather(*(one(i, a) for i in range(16)), *(one(i, None) for i in range(6)))
    assert sorted(seqs[:16]) == list(range(1, 17)) and sorted(seqs[16:]) == list(range(1, 7))
    async with sessions() as s:
        rows = await timeline(s, a)
        res = await verify_all(s)
    assert [r.seq for r in rows] == list(range(1, 17)) and verify_chain(rows) is None
    assert res.ok and res.checked_rows == 22


async def test_an_append_commits_and_rolls_back_with_its_transaction(sessions) -> None:  # noqa: ANN001
    (a,) = await incidents(sessions, 1)
    async with sessions() as s:
        async with s.begin():
            await append(s, incident_id=None, kind="refusal", payload={"n": 1}, now=T0)
            await append(s, incident_id=a, kind="closed", payload={}, now=T0)
        async with s.begin():
            await append(s, incident_id=None, kind="refusal", payload={"n": 2}, now=T0)  # first write of the txn
            await append(s, incident_id=a, kind="reopened", payload={}, now=T0)
            await s.rollback()
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(AuditLog)) == 2
        assert [r.kind for r in await timeline(s, a)] == ["closed"]
    with pytest.raises(IntegrityError):  # an unknown incident is an error, not a seq clash to retry
        async with sessions() as s, s.begin():
            await append(s, incident_id=a + 100, kind="closed", payload={}, now=T0)


async def test_pages_stay_within_telegrams_limit(sessions) -> None:  # noqa: ANN001
    (a,) = await incidents(sessions, 1)
    people = {5000 + j: f"{'舆情员' * (j % 4 + 1)}{j}" for j in range(300)}
    async with sessions() as s, s.begin():
        for i in range(120):
            chats = [5000 + (i * 7 + j) % 300 for j in range(i % 40)]
            await append(s, incident_id=a, kind="notified" if i % 2 else "mystery_kind",
                         actor_telegram_id=None if i % 2 else 1001, actor_name=None if i % 2 else "舆情办",
                         payload={"chats": chats, "audiences": ["person"] * len(chats), "i": i},
                         now=datetime(2026, 11, 24, 2, 0, tzinfo=UTC) + timedelta(minutes=i * 20))
    async with sessions() as s:
        rows = await timeline(s, a)
    names = Names(people=people)
    for lang in ("zh", "en"):
        pages = render_timeline(rows, lang, TZ, number="YQ-2026-0001", names=names)
        assert len(pages) > 3 and all(len(p) <= LIMIT for p in pages)
        assert f"1/{len(pages)}" in pages[0].splitlines()[0] and f"{len(pages)}/{len(pages)}" in pages[-1]
        assert all(p.splitlines()[1].startswith("📅 2026-11-2") for p in pages)  # every page says its date
        entries = [ln for p in pages for ln in p.splitlines()[1:] if not ln.startswith("📅")]
        assert entries == [render_entry(r, lang, TZ, names, said) for r, said in zip(rows, sentences(rows, lang, names),
                                                                                   strict=True)]
        assert [e[:5] for e in entries] == [r.at.astimezone(TZ).strftime("%H:%M") for r in rows]
        assert sum("📅 2026-11-25" in p.splitlines()[1:] for p in pages) >= 1  # the day changed within the story
    first = render_timeline(rows[:1], "zh", TZ, number="YQ-2026-0001")[0]
    assert first.splitlines() == ["🕒 YQ-2026-0001 时间线（Asia/Shanghai 时间，第 1/1 页）", "📅 2026-11-24",
                                  "10:00 舆情办 记录了一条其他事件"]
    assert render_timeline(rows[1:2], "en", TZ)[0].splitlines()[2] == "10:20 Notified an unregistered person"
    assert render_timeline([], "en", TZ, number="YQ-2026-0009") == ["🕒 No timeline entries for YQ-2026-0009 yet."]

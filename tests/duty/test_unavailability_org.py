"""The org file's `unavailable:` windows against a real database (SQLite and PostgreSQL): import (idempotent,
past windows skipped, merged with chat-declared ones), `org export` round trip, the table's migration, and a
duty started after the import respecting them."""

from __future__ import annotations

from datetime import timedelta

import yaml
from sqlalchemy import func, inspect, select

from bot.db import create_engine
from bot.domain.orgfile import parse_org_file
from bot.services import duty as sv
from bot.services.org import export_org, load_org
from bot.services.org_import import import_org
from models import Person
from models.duty import DutyShift, UnavailabilityWindow
from models.migrate import downgrade, upgrade
from tests.conftest import EXAMPLE_ORG, T0

WINDOWS = {
    1001: '[{from: "2026-11-24 16:00", to: "2026-11-25 10:00", reason: 体检}]',
    1002: '[{from: 2026-11-20, to: 2026-11-21}, {from: "2026-11-26 08:00", to: "2026-11-26 20:00"}]',
}


def org_text(extra_monitors: int = 0) -> str:
    text = EXAMPLE_ORG.read_text(encoding="utf-8")
    for tg, w in WINDOWS.items():
        text = text.replace(f"{{telegram_id: {tg}, ", f"{{telegram_id: {tg}, unavailable: {w}, ")
    more = "".join(f"  - {{telegram_id: {1004 + i}, name: 监测员{i}, roles: [monitor]}}\n" for i in range(extra_monitors))
    return text.replace("  - {telegram_id: 2001", more + "  - {telegram_id: 2001")


async def _rows(s) -> list[tuple[int, str, str, str]]:  # noqa: ANN001
    rows = (await s.execute(select(Person.telegram_id, UnavailabilityWindow).join(
        Person, Person.id == UnavailabilityWindow.person_id).order_by(UnavailabilityWindow.start))).all()
    return [(tg, f"{w.start.astimezone(T0.tzinfo):%m-%d %H:%M}", f"{w.end.astimezone(T0.tzinfo):%m-%d %H:%M}", w.reason)
            for tg, w in rows]


async def test_import_export_round_trip_is_idempotent(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        counts = await import_org(s, parse_org_file(org_text()), now=T0)
    assert counts["unavailable"] == 2 and counts["unavailable_past_skipped"] == 1
    async with sessions() as s:
        first = await _rows(s)
        exported = await export_org(s, now=T0)
    assert first == [(1001, "11-24 16:00", "11-25 10:00", "体检"), (1002, "11-26 08:00", "11-26 20:00", "")]
    people = {p["telegram_id"]: p for p in exported["people"]}
    assert people[1001]["unavailable"] == [{"from": "2026-11-24 16:00", "to": "2026-11-25 10:00", "reason": "体检"}]
    assert people[1002]["unavailable"] == [{"from": "2026-11-26 08:00", "to": "2026-11-26 20:00"}]
    assert "unavailable" not in people[1003]
    again = yaml.safe_dump(exported, allow_unicode=True)
    for _ in range(2):  # the export imports back to the same rows, any number of times
        async with sessions() as s, s.begin():
            await import_org(s, parse_org_file(again), now=T0)
        async with sessions() as s:
            assert await _rows(s) == first
            assert await export_org(s, now=T0) == exported
    # once over, a window leaves the export
    async with sessions() as s:
        later = await export_org(s, now=T0 + timedelta(days=1))
    assert "unavailable" not in {p["telegram_id"]: p for p in later["people"]}[1001]


async def test_import_merges_with_a_window_declared_in_the_chat(sessions) -> None:  # noqa: ANN001
    from bot.domain.unavailability import parse_window
    from bot.services.unavailability import store

    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")), now=T0)
        pid = await s.scalar(select(Person.id).where(Person.telegram_id == 1001))
        w = parse_window("11-25 08:00 11-25 12:00 开会", now=T0, tz=T0.tzinfo)
        await store(s, person_id=pid, window=w, source="chat", by=pid, now=T0)
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(org_text()), now=T0)
    async with sessions() as s:
        rows = await _rows(s)
        assert await s.scalar(select(func.count()).select_from(UnavailabilityWindow)) == 2
    assert rows[0] == (1001, "11-24 16:00", "11-25 12:00", "体检；开会")


async def test_merged_windows_keep_every_reason_in_full(sessions) -> None:  # noqa: ANN001
    """Three 200-character reasons merged into one row are stored whole (the column held 200 before)."""
    from bot.domain.unavailability import parse_window
    from bot.services.unavailability import store

    reasons = ("出差" * 100, "培训" * 100, "体检" * 100)
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")), now=T0)
        pid = await s.scalar(select(Person.id).where(Person.telegram_id == 1001))
        for text in (f"11-25 08:00 11-25 12:00 {reasons[0]}", f"11-25 14:00 11-25 18:00 {reasons[2]}",
                     f"11-25 11:00 11-25 15:00 {reasons[1]}"):
            await store(s, person_id=pid, window=parse_window(text, now=T0, tz=T0.tzinfo), source="chat", by=pid,
                        now=T0)
    async with sessions() as s:
        assert await _rows(s) == [(1001, "11-25 08:00", "11-25 18:00", "；".join(reasons))]


async def test_duty_started_after_the_import_respects_the_file(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(org_text(extra_monitors=2)), now=T0)
        org = await load_org(s)
        r = await sv.start_duty(s, incident=None, by=None, org=org, now=T0)
        assert r.ok, r
    async with sessions() as s:
        rows = (await s.execute(select(Person.telegram_id, DutyShift).join(Person, Person.id == DutyShift.person_id))).all()
    windows = {1001: (T0 + timedelta(hours=6), T0 + timedelta(hours=24)),
               1002: (T0 + timedelta(hours=46), T0 + timedelta(hours=58))}
    assert rows
    for tg, row in rows:
        if tg in windows:
            a, b = windows[tg]
            assert not (row.start < b and row.end > a), (tg, row.start, row.end)


async def test_the_table_migrates_up_down_up(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)

    async def tables() -> set[str]:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda c: set(inspect(c).get_table_names()))

    assert "unavailability" in await tables()
    await downgrade(engine, "0009")
    assert "unavailability" not in await tables() and "duty_shifts" in await tables()
    await upgrade(engine)
    assert "unavailability" in await tables()
    await engine.dispose()

"""The per-transaction memo (bot/services/memo.py) never serves what the transaction itself changed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.orgfile import parse_org_file
from bot.services import audit
from bot.services.org import chat_id, get_person, people_with_roles
from bot.services.org_import import import_org
from bot.services.reports import file_report
from models import ChatBinding, Person
from tests.conftest import EXAMPLE_ORG, T0

TZ = ZoneInfo("Asia/Shanghai")
VALUES = {"discovered": T0, "time": T0, "place": "东门", "unit": "后勤", "process": "p", "result": "r",
          "platform": "weibo"}


async def test_people_and_chats_follow_writes_in_the_same_transaction(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    async with sessions() as s, s.begin():
        monitors = {p.telegram_id for p in await people_with_roles(s, ("monitor",))}
        assert 9001 not in monitors
        s.add(newcomer := Person(telegram_id=9001, name="新监测员", roles=["monitor"]))  # not flushed yet
        assert 9001 in {p.telegram_id for p in await people_with_roles(s, ("monitor",))}
        newcomer.active = False  # changed, not flushed: the memo is a copy of rows, and must not be kept
        assert 9001 not in {p.telegram_id for p in await people_with_roles(s, ("monitor",))}
        newcomer.active = True
        await s.flush()
        assert 9001 in {p.telegram_id for p in await people_with_roles(s, ("monitor",))}

        before = await chat_id(s, "upper_office")
        await s.merge(ChatBinding(key="upper_office", channel="telegram", chat_id=-100777))
        assert before != -100777 and await chat_id(s, "upper_office") == -100777


async def test_a_rollback_forgets_the_memo(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    async with sessions() as s:
        async with s.begin():
            n = len(await people_with_roles(s, ("monitor",)))
            s.add(Person(telegram_id=9002, name="临时", roles=["monitor"]))
            await s.flush()
            assert len(await people_with_roles(s, ("monitor",))) == n + 1
            await s.rollback()
        async with s.begin():
            assert len(await people_with_roles(s, ("monitor",))) == n


async def test_a_new_incident_s_timeline_skips_the_race_check_only_until_commit(sessions) -> None:  # noqa: ANN001
    """Appends to a chain created in this transaction take no savepoint; once committed, another transaction
    may append too, and ours must read the tail again rather than trust the memo."""
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    async with sessions() as s:
        person = await get_person(s, 1001)  # the session's transaction begins here
        filed = await file_report(s, person=person, values=VALUES, evidence=[], source="template", now=T0, tz=TZ)
        await audit.append(s, incident_id=filed.incident_id, kind="note", payload={"n": 1}, now=T0)
        await s.commit()  # a Telegram call that commits first (bot/delivery/replies.py) does this mid-update
        async with sessions() as other, other.begin():
            await audit.append(other, incident_id=filed.incident_id, kind="note", payload={"n": 2}, now=T0)
        rec = await audit.append(s, incident_id=filed.incident_id, kind="note", payload={"n": 3}, now=T0)
        await s.commit()
    assert rec.seq == 5  # report_filed, unit_set (后勤 is 后勤管理处), then the three notes
    async with sessions() as s:
        assert (await audit.verify_all(s)).ok
        assert [r.payload.get("n") for r in await audit.timeline(s, filed.incident_id)] == [None, None, 1, 2, 3]

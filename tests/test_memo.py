"""The per-transaction memo (bot/services/memo.py) never serves what the transaction itself changed."""

from __future__ import annotations

from bot.domain.orgfile import parse_org_file
from bot.services.org import chat_id, import_org, people_with_roles
from models import ChatBinding, Person
from tests.conftest import EXAMPLE_ORG


async def test_people_and_chats_follow_writes_in_the_same_transaction(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    async with sessions() as s, s.begin():
        monitors = {p.telegram_id for p in await people_with_roles(s, ("monitor",))}
        assert 9001 not in monitors
        s.add(Person(telegram_id=9001, name="新监测员", roles=["monitor"]))  # not flushed yet
        assert 9001 in {p.telegram_id for p in await people_with_roles(s, ("monitor",))}
        (newcomer,) = [p for p in await people_with_roles(s, ("monitor",)) if p.telegram_id == 9001]
        newcomer.active = False
        await s.flush()
        assert 9001 not in {p.telegram_id for p in await people_with_roles(s, ("monitor",))}

        before = await chat_id(s, "upper_office")
        await s.merge(ChatBinding(key="upper_office", chat_id=-100777))
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

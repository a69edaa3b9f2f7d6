"""Invites, /start, /help and the unregistered gate, through the dispatcher."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.demo.harness import BotProcess
from models import Person
from tests.bot.chat import Chat


async def _invite(api, role: str = "monitor") -> str:  # noqa: ANN001
    admin = Chat(api, 2001)
    replies = await admin.send(f"/invite {role}")
    m = re.search(r"https://t\.me/\S+\?start=(\S+)", replies[0])
    assert m, replies
    return m.group(1)


async def test_invite_link_registers_a_newcomer_once(running: BotProcess, api) -> None:  # noqa: ANN001
    token = await _invite(api)
    newcomer = Chat(api, 8888, first_name="新人")
    assert "还没有登记" in (await newcomer.send("/report"))[0]
    replies = await newcomer.send(f"/start {token}")
    assert "登记成功" in replies[0] and "监测员" in replies[0]
    assert "（1/14）" in (await newcomer.send("/report"))[-1]
    other = Chat(api, 8889)
    assert "已被使用" in (await other.send(f"/start {token}"))[0]
    async with running.sessions() as s:
        p = await s.scalar(select(Person).where(Person.telegram_id == 8888))
    assert p.roles == ["monitor"]


async def test_invite_expires(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    token = await _invite(api)
    clock.advance(timedelta(hours=72, seconds=1))
    assert "已过期" in (await Chat(api, 8890).send(f"/start {token}"))[0]


async def test_invite_ttl_is_policy(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    from models import Organization

    async with running.sessions() as s, s.begin():
        org = await s.get(Organization, 1)
        org.policy = {"invites": {"ttl_hours": 1}}
    token = await _invite(api)
    clock.advance(timedelta(hours=1, seconds=1))
    assert "已过期" in (await Chat(api, 8891).send(f"/start {token}"))[0]


async def test_only_admins_invite_and_bad_role(running: BotProcess, api) -> None:  # noqa: ANN001
    assert "只有管理员" in (await Chat(api, 1001).send("/invite monitor"))[0]
    assert "用法" in (await Chat(api, 2001).send("/invite wizard"))[0]


async def test_forged_token_and_help(running: BotProcess, api) -> None:  # noqa: ANN001
    assert "无效" in (await Chat(api, 8892).send("/start abcdefghijklmnop"))[0]
    assert "/report" in (await Chat(api, 1001).send("/help"))[0]
    assert "Commands" in (await Chat(api, 1003, language_code="en").send("/help"))[0]

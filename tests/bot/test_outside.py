"""Both outside authorities (issue 23, item 1): a major negative incident proposes 通报宣传部门（网宣） and
通报公安部门（网警）, each a leader's press that sends the contact the upward report; `policy.outside.negative_share`
decides when replies make it negative. Through the dispatcher and the fake Bot API."""

from __future__ import annotations

from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.services.org_import import import_org
from models import AuditLog, Contact
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG

OFFICE = -1001000000001
PROPAGANDA, POLICE, EMERGENCY = 5002, 5001, 5003
NETXUAN, WANGJING = "通报宣传部门（网宣）", "通报公安部门（网警）"


async def _org(running: BotProcess, policy: str = "") -> None:
    """The example org with a propaganda contact on Telegram and the emergency office (应急办) added."""
    text = EXAMPLE_ORG.read_text(encoding="utf-8").replace(
        "  - {name: 市委网信办, kind: propaganda}",
        f"  - {{name: 市委网信办, kind: propaganda, telegram_id: {PROPAGANDA}}}\n"
        f"  - {{name: 区政府应急办, kind: emergency_office, telegram_id: {EMERGENCY}}}")
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text + policy))


async def _report(running: BotProcess, api, template: str) -> dict:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + template)
    await chat.press("确认")
    await running.tick()
    [card] = [m for m in api.chat_messages(OFFICE) if "YQ-2026-0001" in (m.get("text") or "")
              and "处置清单" in (m.get("text") or "")]
    return card


def _about(api, chat: int) -> list[dict]:  # noqa: ANN001
    return [m for m in api.chat_messages(chat) if "YQ-2026-0001" in (m.get("text") or "")]


async def test_a_major_negative_inquiry_tells_both_authorities_on_a_leaders_press(running: BotProcess, api) -> None:  # noqa: ANN001
    await _org(running)
    card = await _report(running, api, TEMPLATE)  # 询问, 负面 70%, 150 reposts: major
    assert f"☐ 3. 重大敏感负面舆情：{NETXUAN}" in card["text"]
    assert f"☐ 4. 重大敏感负面舆情：{WANGJING}" in card["text"]
    # the office may not refer outside: a leader's press
    assert any("需由领导" in r for r in await Chat(api, 2001).press(NETXUAN, card))
    assert not _about(api, PROPAGANDA)
    assert any("已登记" in r for r in await Chat(api, 3002).press(NETXUAN, card))
    assert any("已登记" in r for r in await Chat(api, 3001).press(WANGJING, card))
    await running.tick()
    for contact in (PROPAGANDA, POLICE):  # each got the upward report, once
        [sent] = _about(api, contact)
        assert "网民发帖称食堂饭菜出现异物" in sent["text"]
    assert not _about(api, EMERGENCY)  # the emergency office is a contact kind of its own, not told here
    edited = api.message(OFFICE, card["message_id"])
    assert f"☑ 3. 重大敏感负面舆情：{NETXUAN}" in edited["text"] and f"☑ 4. 重大敏感负面舆情：{WANGJING}" in edited["text"]
    async with running.sessions() as s:
        steps = [r.payload for r in await s.scalars(select(AuditLog).where(AuditLog.kind == "checklist_step"))]
        assert {(p["code"], p["contact"], p["forwarded"]) for p in steps} == {
            ("notify_propaganda", "市委网信办", True), ("notify_police", "市公安局网安支队", True)}
        assert await s.scalar(select(Contact.name).where(Contact.kind == "emergency_office")) == "区政府应急办"


async def test_the_policy_share_decides_when_replies_make_it_negative(running: BotProcess, api) -> None:  # noqa: ANN001
    await _org(running, "  outside:\n    negative_share: 80\n")
    card = await _report(running, api, TEMPLATE)  # 负面 70% is not above 80: no outside steps
    assert NETXUAN not in card["text"] and WANGJING not in card["text"]
    assert "☐ 1. 答复内容经领导审定" in card["text"]


async def test_positive_replies_and_constructive_suggestions_are_not_told_outside(running: BotProcess, api) -> None:  # noqa: ANN001
    await _org(running)
    card = await _report(running, api, TEMPLATE.replace("负面 70%", "正面 70%"))
    assert NETXUAN not in card["text"] and WANGJING not in card["text"]


async def test_hype_is_negative_whatever_the_replies(running: BotProcess, api) -> None:  # noqa: ANN001
    await _org(running, "  outside:\n    negative_share: 80\n")
    card = await _report(running, api, TEMPLATE.replace("负面 70%", "正面 70%").replace("类别：询问", "类别：炒作"))
    assert NETXUAN in card["text"] and WANGJING in card["text"]

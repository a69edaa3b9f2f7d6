"""Departments in the loop (issue 22, items 1 and 3), through the real dispatcher and the fake Bot API: the unit
involved matched to an org unit (or chosen by the office from a picker, or set with /unit), its handlers' cards,
a handler put in charge who drafts the reply, the main leader's signature, and the reply recorded as sent
stopping the formal reply clock. Bad input answered in one sentence, in zh and en."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.services.export import export_json
from bot.services.org_import import import_org
from models import AuditLog, Incident, Person, ResponseClock, Unit
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG

OFFICE_GROUP = -1001000000001
OFFICE, SUPERVISOR, MAIN, GROUP, MONITOR, HANDLER = 2001, 3001, 3002, 3003, 1001, 4001


async def _report(running: BotProcess, api, unit: str = "后勤管理处", reposts: int = 150) -> str:  # noqa: ANN001
    chat = Chat(api, 1002)
    await chat.send("/report\n" + TEMPLATE.replace("涉及单位：后勤管理处", f"涉及单位：{unit}")
                    .replace("转发：150", f"转发：{reposts}"))
    replies = await chat.press("确认")
    await running.tick()
    return re.search(r"YQ-\d{4}-\d{4}", "\n".join(replies)).group(0)


def _cards(api, chat: int, number: str) -> list[dict]:  # noqa: ANN001
    return [m for m in api.chat_messages(chat) if number in (m.get("text") or "") and m.get("reply_markup")]


def _labels(message: dict) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard") or [] for b in row]


async def _incident(running: BotProcess) -> Incident:
    async with running.sessions() as s:
        return await s.scalar(select(Incident).order_by(Incident.id.desc()).limit(1))


async def _kinds(running: BotProcess) -> list[str]:
    async with running.sessions() as s:
        return [k for (k,) in (await s.execute(select(AuditLog.kind).order_by(AuditLog.id))).all()]


async def _set_policy(running: BotProcess, yaml_policy: str) -> None:
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8") + yaml_policy))


# ---------------------------------------------------------------- item 1: the unit involved

async def test_a_matched_unit_s_handler_gets_the_card_and_acknowledges_receipt(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api, unit="学校 后勤管理处（食堂）")  # forgiving: the name inside the text
    inc = await _incident(running)
    async with running.sessions() as s:
        assert (await s.get(Unit, inc.unit_id)).name == "后勤管理处"
    [card] = _cards(api, HANDLER, number)
    assert "责任单位：后勤管理处" in card["text"] and _labels(card) == ["✅ 收到"]  # no "take charge" by default
    assert not any("请选择" in (m.get("text") or "") for m in api.chat_messages(OFFICE_GROUP))  # no picker
    replies = await Chat(api, HANDLER).press("收到", card)
    assert any("已确认收到" in r for r in replies), replies
    assert (await _incident(running)).acknowledged_at is None  # the leaders' escalation goes on
    await running.tick()
    assert _labels(api.chat_messages(HANDLER)[0]) == []  # their receipt button is gone from their card
    kinds = await _kinds(running)
    assert "unit_set" in kinds and kinds.count("acknowledged") == 1
    timeline = await Chat(api, OFFICE).send(f"/timeline {number}")
    assert any("将涉及单位定为后勤管理处（按报告中的“学校 后勤管理处（食堂）”自动对应）" in r for r in timeline), timeline


@pytest.mark.parametrize(("typed", "title", "buttons"), [
    ("图书馆", "没有对应到本单位名册中的任何单位", ["党委宣传部", "学生工作部", "后勤管理处", "以上都不是"]),
    ("部", "可能是以下 2 个单位之一", ["党委宣传部", "学生工作部", "以上都不是"]),
    ("后勤处（食堂）", "未能确定，是否是以下单位", ["后勤管理处", "以上都不是"]),  # shares 后勤: only offered
])
async def test_no_match_or_several_give_the_office_a_picker(running: BotProcess, api, typed: str, title: str,  # noqa: ANN001
                                                            buttons: list[str]) -> None:
    number = await _report(running, api, unit=typed)
    assert (await _incident(running)).unit_id is None
    [picker] = [m for m in api.chat_messages(OFFICE_GROUP) if "请选择" in (m.get("text") or "")]
    assert title in picker["text"] and number in picker["text"] and f"/unit {number}" in picker["text"]
    assert _labels(picker) == buttons
    assert not _cards(api, HANDLER, number)
    office = Chat(api, OFFICE, chat_id=OFFICE_GROUP, chat_type="supergroup")
    chosen = buttons[0]
    replies = await office.press(chosen, picker)
    assert any(f"已设定 {number} 的涉及单位：{chosen}" in r for r in replies), replies
    async with running.sessions() as s:
        assert (await s.get(Unit, (await _incident(running)).unit_id)).name == chosen
    replies = await office.press("以上都不是", picker)
    assert any("不在名册中" in r for r in replies), replies
    assert (await _incident(running)).unit_id is None
    assert (await _kinds(running)).count("unit_set") == 2


async def test_choosing_the_handler_s_unit_later_sends_them_the_card(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api, unit="图书馆")
    assert not _cards(api, HANDLER, number)
    replies = await Chat(api, OFFICE).send(f"/unit {number} 后勤")
    assert any(f"{number} 的涉及单位已设为 后勤管理处，已通知其承办人：孙处长" in r for r in replies), replies
    await running.tick()
    [card] = _cards(api, HANDLER, number)
    assert "责任单位：后勤管理处" in card["text"]
    assert any("已经是 后勤管理处" in r for r in await Chat(api, OFFICE).send(f"/unit {number} 后勤管理处"))
    assert await Chat(api, MAIN).send(f"/unit {number}") == [f"🏢 {number} 的涉及单位：后勤管理处（负责人：未指定）。"]
    assert any("不再指定涉及单位" in r for r in await Chat(api, OFFICE).send(f"/unit {number} 无"))


@pytest.mark.parametrize(("lang", "args", "said"), [
    ("zh", "{n} 图书馆", "“图书馆”没有对应到任何单位。现有单位：党委宣传部、学生工作部、后勤管理处。"),
    ("en", "{n} library", "“library” matches no unit. The units are: 党委宣传部, 学生工作部, 后勤管理处."),
    ("zh", "{n} 部", "“部”可能是以下单位之一：党委宣传部、学生工作部，请写出完整名称。"),
    ("en", "{n} 部", "“部” could be any of: 党委宣传部, 学生工作部; please give the full name."),
    ("zh", "YQ-2026-0999 后勤", "未找到事件 YQ-2026-0999，请检查编号（如 YQ-2026-0001）。"),
    ("en", "", "Usage: /unit YQ-2026-0001 UNIT"),
])
async def test_unit_command_bad_input_is_one_clear_sentence(running: BotProcess, api, lang: str, args: str,  # noqa: ANN001
                                                            said: str) -> None:
    number = await _report(running, api, unit="后勤管理处")
    office = Chat(api, OFFICE, language_code="en" if lang == "en" else "zh-hans")
    replies = await office.send(f"/unit {args.format(n=number)}".strip())
    assert len(replies) == 1 and replies[0].startswith(said), replies
    async with running.sessions() as s:
        assert (await s.get(Unit, (await _incident(running)).unit_id)).name == "后勤管理处"  # nothing changed


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_monitor_may_not_set_the_unit(running: BotProcess, api, lang: str) -> None:  # noqa: ANN001
    number = await _report(running, api)
    replies = await Chat(api, MONITOR, language_code="en" if lang == "en" else "zh-hans").send(f"/unit {number} 学工部")
    assert replies == [{"zh": "只有舆情办公室或领导可以设定涉及单位。",
                        "en": "Only the office or a leader can set the unit involved."}[lang]]


# ---------------------------------------------------------------- item 3: a handler in charge drafts the reply

@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_non_handler_put_in_charge_is_refused_and_audited(running: BotProcess, api, lang: str) -> None:  # noqa: ANN001
    number = await _report(running, api)
    office = Chat(api, OFFICE, language_code="en" if lang == "en" else "zh-hans")
    replies = await office.send(f"/charge {number} 张敏")
    assert replies == [{"zh": "张敏 不是后勤管理处的承办人，不能负责此事件。",
                        "en": "张敏 is not a handler of 后勤管理处, so cannot be put in charge of this incident."}[lang]]
    assert (await _incident(running)).in_charge_id is None
    async with running.sessions() as s:
        refusal = await s.scalar(select(AuditLog).where(AuditLog.kind == "refusal"))
    assert refusal.payload == {"action": "unit.charge", "reason": "unit_not_handler"}
    replies = await Chat(api, MONITOR, language_code=office.language_code).send(f"/charge {number} 孙处长")
    assert replies == [{"zh": "只有舆情办公室或领导可以指定事件负责人。",
                        "en": "Only the office or a leader can put someone in charge."}[lang]]
    assert any(r.startswith({"zh": "用法：/charge", "en": "Usage: /charge"}[lang])
               for r in await office.send(f"/charge {number}"))


async def test_charge_needs_a_unit_first(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api, unit="图书馆")
    assert await Chat(api, OFFICE).send(f"/charge {number} 孙处长") == [
        f"{number} 尚未确定涉及单位，请先用 /unit {number} 单位名称 设定。"]


async def test_handler_in_charge_drafts_the_reply_main_leader_signs_and_sent_stops_the_formal_reply_clock(
        running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api, reposts=10)  # general: the supervising leader approves
    office, handler, main = Chat(api, OFFICE), Chat(api, HANDLER), Chat(api, MAIN)
    # not in charge yet: the handler may not draft
    assert await handler.send(f"/release {number} 草稿") == ["只有舆情办公室或负责该事件的承办人可以起草、提交发布稿。"]
    replies = await Chat(api, SUPERVISOR).send(f"/charge {number} 孙处长")  # a leader may put them in charge
    assert replies == [f"✅ 孙处长（后勤管理处）已负责 {number}，可用 /release {number} 起草答复内容。"]
    await running.tick()
    assert any(f"指定您负责 {number}" in (m.get("text") or "") for m in api.chat_messages(HANDLER))
    replies = await handler.send(f"/release {number} 经调查，食堂已整改，答复如下……")
    assert any("第 1 版" in r for r in replies), replies
    await handler.press("提交审批")
    await running.tick()
    assert any("已批准" in r for r in await Chat(api, SUPERVISOR).press("同意"))
    # approved, but not signed by the main leader: not yet a reply that may go out
    replies = await handler.send(f"/replied {number}")
    assert replies == [f"{number} 的答复内容须经主要领导签署后才能答复：请主要领导发送 /sign {number}。"]
    assert await Chat(api, SUPERVISOR).send(f"/sign {number}") == ["答复内容须由主要领导签署。"]
    assert await main.send(f"/sign {number}") == [f"✍️ 已签署 {number} 的答复内容（第 1 版），可以答复。"]
    assert any("已由 刘书记 签署" in r for r in await main.send(f"/sign {number}"))
    replies = await handler.send(f"/replied {number} 电话答复当事人")
    assert replies == [f"✅ 已登记 {number} 的正式答复（第 1 版，刘书记 签署）已发出，正式答复时限停止。"]
    assert await office.send(f"/replied {number}") == [f"{number} 的正式答复已登记过。"]
    async with running.sessions() as s:
        clock = await s.scalar(select(ResponseClock).where(ResponseClock.name == "formal_reply"))
        exported = (await export_json(s, number=number))["incidents"][0]
    assert clock.status == "met" and clock.stopped_at is not None
    assert exported["unit"] == "后勤管理处" and exported["in_charge"] == "孙处长"
    assert [(a["stage"], a["decider"]) for a in exported["approvals"]] == [("approval", "陈副校长"), ("sign", "刘书记")]
    sentences = [e["sentence"]["zh"] if isinstance(e.get("sentence"), dict) else str(e) for e in exported["timeline"]]
    assert any("登记正式答复已发出（第 1 版，刘书记签署）：电话答复当事人" in x for x in sentences), sentences
    assert any("指定孙处长负责处置（后勤管理处）" in x for x in sentences), sentences
    timeline = await office.send(f"/timeline {number}")
    assert any("签署答复内容（第 1 版）" in r for r in timeline), timeline


async def test_a_major_reply_is_signed_by_the_main_leader_s_review(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api, reposts=150)
    await Chat(api, OFFICE).send(f"/charge {number} 孙处长")
    handler = Chat(api, HANDLER, language_code="en")
    assert any("release version 1 saved" in r for r in await handler.send(f"/release {number} Reply text"))
    await handler.press("Submit for approval")
    await running.tick()
    await Chat(api, MAIN).press("同意")
    await running.tick()
    await Chat(api, GROUP).press("同意")
    replies = await handler.send(f"/replied {number}")
    assert replies == [f"✅ Recorded: the formal reply of {number} (version 1, signed by 刘书记) was sent; the formal "
                       "reply deadline stops."]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_replied_and_sign_refusals_in_both_languages(running: BotProcess, api, lang: str) -> None:  # noqa: ANN001
    number = await _report(running, api, reposts=10)
    code = "en" if lang == "en" else "zh-hans"
    monitor, main = Chat(api, MONITOR, language_code=code), Chat(api, MAIN, language_code=code)
    assert await monitor.send(f"/replied {number}") == [{
        "zh": "只有舆情办公室或事件负责人可以登记答复已发出。",
        "en": "Only the office or the person in charge can record that the reply was sent."}[lang]]
    assert await main.send(f"/sign {number}") == [{
        "zh": f"{number} 还没有答复内容，请负责人用 /release {number} 起草。",
        "en": f"{number} has no reply drafted yet; the person in charge drafts it with /release {number}."}[lang]]
    assert (await main.send("/sign"))[0].startswith({"zh": "用法：/sign", "en": "Usage: /sign"}[lang])
    assert (await monitor.send("/replied"))[0].startswith({"zh": "用法：/replied", "en": "Usage: /replied"}[lang])


# ---------------------------------------------------------------- policy.units.handler_may_take

async def test_policy_lets_a_handler_take_charge_from_their_card(running: BotProcess, api) -> None:  # noqa: ANN001
    await _set_policy(running, "  units:\n    handler_may_take: true\n")
    number = await _report(running, api)
    [card] = _cards(api, HANDLER, number)
    assert _labels(card) == ["✅ 收到", "🙋 我来负责"]
    replies = await Chat(api, HANDLER).press("我来负责", card)
    assert any("负责" in r for r in replies), replies
    inc = await _incident(running)
    async with running.sessions() as s:
        assert (await s.get(Person, inc.in_charge_id)).name == "孙处长"
    assert any("第 1 版" in r for r in await Chat(api, HANDLER).send(f"/release {number} 答复稿"))


async def test_an_unregistered_press_on_the_picker_is_refused_and_audited(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api, unit="图书馆")
    [picker] = [m for m in api.chat_messages(OFFICE_GROUP) if "请选择" in (m.get("text") or "")]
    stranger = Chat(api, 6001, chat_id=OFFICE_GROUP, chat_type="supergroup")
    replies = await stranger.press("后勤管理处", picker)
    assert "(toast) 只有舆情办公室或领导可以设定涉及单位。" in replies, replies
    assert (await _incident(running)).unit_id is None and not _cards(api, HANDLER, number)
    async with running.sessions() as s:
        refusal = await s.scalar(select(AuditLog).where(AuditLog.kind == "refusal"))
    assert refusal.payload == {"action": "unit.set", "reason": "ack.refused"}

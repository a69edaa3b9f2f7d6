"""People type Chinese, short and loose (issue 19, part 4) — through the real dispatcher and the fake Bot API:
clock words, incident numbers, links without a scheme, unknown commands, plain text, replies nobody takes,
and a /grade that changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select, update

from bot.demo.harness import BotProcess
from models import AuditLog, Incident, OutboxMessage, ResponseClock
from tests.bot.chat import Chat
from tests.bot.test_release import (
    GROUP,
    MAIN,
    MONITOR,
    OFFICE,
    SUPERVISOR,
    _card,
    _draft_and_submit,
    _incident,
)


async def _count(running: BotProcess, model, *where) -> int:  # noqa: ANN001
    async with running.sessions() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def _location(chat: Chat) -> list[str]:
    chat._seen = len(chat.api.calls)
    uid = chat.api.push_update({"message": {
        "message_id": 90001, "date": 1764000000, "chat": {"id": chat.user_id, "type": "private", "first_name": "U"},
        "from": {"id": chat.user_id, "is_bot": False, "first_name": "U", "language_code": "zh-hans"},
        "location": {"latitude": 31.2, "longitude": 121.5}}})
    await chat.api.wait_confirmed(uid)
    return chat._replies()


async def test_done_takes_the_clocks_chinese_label_and_a_loose_number(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=150)
    assert number == "YQ-2026-0001"
    office = Chat(api, OFFICE)
    replies = await office.send("/done YQ-2026-0001 首次回应")
    assert len(replies) == 1 and replies[0].startswith("✓ 已登记：YQ-2026-0001 · 首次回应网民"), replies
    async with running.sessions() as s:
        first = await s.scalar(select(ResponseClock).where(ResponseClock.name == "first_response"))
    assert first.status == "met"
    # a short form, any case, and the number without padding; the rest is the note
    [reply] = await office.send("/done yq2026-1 FORMAL REPLY 已电话答复")
    assert "YQ-2026-0001 · 正式答复" in reply, reply


async def test_a_clock_word_of_two_clocks_and_an_unknown_one_are_answered_in_a_sentence(running: BotProcess,  # noqa: ANN001
                                                                                       api) -> None:
    await _incident(api, reposts=150)
    office = Chat(api, OFFICE)
    [reply] = await office.send("/done YQ-2026-0001 答复")
    assert "「正式答复」" in reply and "「询问类当日答复」" in reply and "请写明是哪一个" in reply, reply
    [reply] = await office.send("/done YQ-2026-0001 吃饭")
    assert reply.startswith("不认识时限“吃饭”。用法：/done") and "首次回应网民" in reply and "first_response" not in reply
    [usage] = await office.send("/done")
    assert "向上级报告、网上发布权威信息、首次回应网民" in usage and "report_upward" not in usage, usage
    [english] = await Chat(api, OFFICE, language_code="en").send("/done")
    assert "report upward, publish authoritative information" in english, english
    async with running.sessions() as s:
        assert not await s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.kind == "clock_stopped"))


async def test_due_takes_numbers_in_any_case_without_padding(running: BotProcess, api) -> None:  # noqa: ANN001
    await _incident(api, reposts=150)
    office = Chat(api, OFFICE)
    for typed in ("yq-2026-1", "YQ2026-1", "2026-1", "1"):
        [reply] = await office.send(f"/due {typed}")
        assert reply.startswith("⏱ YQ-2026-0001（重大）的处置时限："), (typed, reply)
    assert await office.send("/due YQ-2026-0099") == [
        "找不到事件 YQ-2026-0099，请检查编号（例如 YQ-2026-0001，也可只写 2026-1 或 1）。"]
    assert (await office.send("/due 99"))[0].startswith("找不到事件 YQ-2026-0099")
    [timeline] = await office.send("/timeline yq-2026-1")
    assert "YQ-2026-0001" in timeline and "找不到" not in timeline


async def test_a_bare_counter_of_several_years_lists_them(running: BotProcess, api) -> None:  # noqa: ANN001
    await _incident(api, reposts=10)
    await _incident(api, reposts=10)
    async with running.sessions() as s, s.begin():  # as if filed in earlier years
        await s.execute(update(Incident).where(Incident.number == "YQ-2026-0001").values(number="YQ-2024-0001"))
        await s.execute(update(Incident).where(Incident.number == "YQ-2026-0002").values(number="YQ-2025-0001"))
    office = Chat(api, OFFICE)
    assert await office.send("/due 1") == [
        "“1”对应多个事件：YQ-2025-0001、YQ-2024-0001，请写完整编号，例如 YQ-2025-0001。"]
    [english] = await Chat(api, OFFICE, language_code="en").send("/due 1")
    assert english.startswith("\"1\" matches several incidents: YQ-2025-0001, YQ-2024-0001"), english
    assert (await office.send("/due 2025-1"))[0].startswith("⏱ YQ-2025-0001")


async def test_an_unknown_command_gets_the_closest_of_ones_own(running: BotProcess, api) -> None:  # noqa: ANN001
    office, monitor = Chat(api, OFFICE), Chat(api, MONITOR)
    assert await office.send("/foo") == [
        "我不认识命令 /foo。您是不是要用 /follow（报送事件跟进）？发送 /help 查看您可用的命令。"]
    assert "/done（登记时限事项已完成）" in (await office.send("/dne"))[0]
    assert "/due（处置时限）" in (await monitor.send("/dne"))[0]  # /done is not a monitor's
    assert await monitor.send("/xyzzy") == ["我不认识命令 /xyzzy。发送 /help 查看您可用的命令。"]
    [english] = await Chat(api, OFFICE, language_code="en").send("/foo")
    assert english.startswith("I do not know the command /foo. Did you mean /follow"), english


async def test_plain_text_and_a_location_in_private_get_the_help_of_ones_roles(running: BotProcess, api) -> None:  # noqa: ANN001
    monitor, office = Chat(api, MONITOR), Chat(api, OFFICE)
    [hello] = await monitor.send("hello")
    assert hello.startswith("现在没有进行中的报送。要报送舆情，请发送 /report"), hello
    assert "您（监测员）可用的命令" in hello and "/swap" in hello and "/grade" not in hello
    [office_help] = await office.send("你好")
    assert "/grade" in office_help and "/publish" in office_help
    [located] = await _location(monitor)
    assert located == hello


async def test_a_text_reply_to_an_approval_card_says_to_press_its_button(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    await _draft_and_submit(running, api, number)
    card = _card(api, SUPERVISOR, number)
    leader = Chat(api, SUPERVISOR)
    [reply] = await leader.send("第二段请改一下措辞", reply_to_message=card)
    assert "这条消息不接受文字回复" in reply and "「✅ 同意」" in reply, reply
    assert "要退回修改，请点击「✏️ 退回修改」按钮" in reply, reply
    async with running.sessions() as s:
        assert not await s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.kind == "approval"))
    # a reply to a bot message without buttons whose question is over
    plain = next(m for m in reversed(api.chat_messages(SUPERVISOR)) if not m.get("reply_markup"))
    [stale] = await leader.send("好的", reply_to_message=plain)
    assert stale.startswith("这条消息的提问已经结束"), stale


async def test_grade_to_the_current_grade_changes_nothing(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=150)
    await running.tick()
    others = OutboxMessage.chat_id != MAIN  # the answer itself goes out through the outbox too
    audit, outbox, calls = await _count(running, AuditLog), await _count(running, OutboxMessage, others), len(api.calls)
    leader = Chat(api, MAIN)
    assert await leader.send(f"/grade {number.lower()} 重大 复核后维持") == [
        "等级未变：YQ-2026-0001 已是「重大」，未做任何更改。"]
    await running.tick()
    assert (await _count(running, AuditLog), await _count(running, OutboxMessage, others)) == (audit, outbox)
    assert not [c for c in api.calls[calls:] if c.method.startswith("edit")]
    # someone who may not grade is refused as before, not told the grade
    refused = await Chat(api, MONITOR).send(f"/grade {number} 重大 x")
    assert not any("等级未变" in r for r in refused), refused
    # a real change still goes through, with the number as stored
    [changed] = await leader.send("/grade 1 特别重大 舆情升级")
    assert "YQ-2026-0001" in changed and "等级未变" not in changed, changed
    assert await _count(running, AuditLog) > audit


async def test_publish_takes_a_link_without_a_scheme(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    await _draft_and_submit(running, api, number)
    await Chat(api, SUPERVISOR).press("同意")
    await running.tick()
    replies = await Chat(api, OFFICE).send(f"/publish {number} 学校官方微博 weibo.com/school/2")
    assert any("已登记发布" in r and "https://weibo.com/school/2" in r for r in replies), replies


assert GROUP and MAIN  # the example organisation's people used above (tests/bot/test_release.py)

"""Issue 17, day one in a real office: people who have not opened the bot, groups bound by command, a group the
bot was removed from or that became a supergroup, menus per role — through the real bot and the fake Telegram."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.services.org_import import import_org
from models import AuditLog, ChatBinding, OutboxMessage, Person, PersonIdentity
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

OFFICE, UPPER = -1001000000001, -1001000000002


async def _group(api, running: BotProcess, chat: int, user: int, text: str) -> list[str]:  # noqa: ANN001
    seen = len(api.calls)
    uid = api.group_message(chat, user, text)
    if uid is not None:
        await api.wait_confirmed(uid, timeout=20)
    await running.tick()
    return [c.params.get("text") or "" for c in api.calls[seen:]
            if c.ok and c.method == "sendMessage" and str(c.params.get("chat_id")) == str(chat)]


async def _state(running: BotProcess, telegram_id: int) -> str:
    async with running.sessions() as s:
        return await s.scalar(select(PersonIdentity.reachable).where(PersonIdentity.external_id == str(telegram_id)))


async def _report_major(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("确认")
    await running.tick()


async def test_a_leader_who_never_opened_the_bot_gets_the_card_once_when_he_does(running: BotProcess, api,  # noqa: ANN001
                                                                                  clock) -> None:
    api.mark_unopened(3002)
    await _report_major(running, api)
    assert await _state(running, 3002) == "unreachable"
    office = [m["text"] for m in api.chat_messages(OFFICE)]
    assert sum("刘书记尚未打开本助手" in t for t in office) == 1
    clock.advance(timedelta(minutes=31))
    await running.tick()  # the chain does not stall on him, and says who was not reached
    assert any("未能送达：刘书记" in (c.params.get("text") or "") for c in api.calls if c.ok)
    assert not [m for m in api.chat_messages(3002) if "YQ-2026-0001" in (m.get("text") or "")]
    api.mark_opened(3002)
    await Chat(api, 3002).send("/start")
    await running.tick()
    cards = [m for m in api.chat_messages(3002) if "🔔 舆情事件 YQ-2026-0001" in (m.get("text") or "")]
    assert len(cards) == 1 and "待确认" in cards[0]["text"]
    assert not [m for m in api.chat_messages(3002) if "请确认" in (m.get("text") or "")]  # stale reminders dropped
    assert await _state(running, 3002) == "reachable"
    assert sum("刘书记已打开本助手" in m["text"] for m in api.chat_messages(OFFICE)) == 1


async def test_a_person_who_blocks_the_bot_mid_incident_is_waited_for(running: BotProcess, api) -> None:  # noqa: ANN001
    await Chat(api, 3001).send("/start")
    uid = api.block(3001)
    await api.wait_confirmed(uid, timeout=20)
    await _report_major(running, api)
    assert await _state(running, 3001) == "unreachable"
    assert sum("陈副校长已屏蔽" in m["text"] for m in api.chat_messages(OFFICE)) == 1
    async with running.sessions() as s:
        waiting = (await s.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == 3001,
                                                               OutboxMessage.status == "pending"))).all()
    assert waiting and not any(r.status == "failed" for r in waiting)
    uid = api.unblock(3001)
    await api.wait_confirmed(uid, timeout=20)
    await running.tick()
    assert [m for m in api.chat_messages(3001) if "YQ-2026-0001" in (m.get("text") or "")]


async def test_bind_needs_an_office_member_who_administers_the_group_and_asks_before_moving(  # noqa: ANN001
        running: BotProcess, api) -> None:
    new_office = -1002000000009
    uid = api.add_bot_to_group(new_office, 2001, "新办公室群")
    await api.wait_confirmed(uid, timeout=20)
    await running.tick()
    assert any("/bind office" in m["text"] for m in api.chat_messages(new_office))
    assert "只有本单位的管理员或舆情办公室成员" in (await _group(api, running, new_office, 1001, "/bind office"))[-1]
    assert "本群的管理员" in (await _group(api, running, new_office, 2001, "/bind office"))[-1]
    api.set_admin(new_office, 2001)
    asked = await _group(api, running, new_office, 2001, "/bind@onduty_test_bot office")
    assert "确定改为本群吗" in asked[-1]
    msg = api.chat_messages(new_office)[-1]
    uid = api.press(2001, msg, "改为本群", chat_id=new_office)
    await api.wait_confirmed(uid, timeout=20)
    await running.tick()
    async with running.sessions() as s:
        assert (await s.get(ChatBinding, ("office", "telegram"))).chat_id == new_office
        kinds = (await s.scalars(select(AuditLog.kind).where(AuditLog.incident_id.is_(None)))).all()
    assert "chat_bound" in kinds
    assert any("本群已不再是舆情办公室群" in m["text"] for m in api.chat_messages(OFFICE))
    assert "本群已解除" in (await _group(api, running, new_office, 2001, "/unbind"))[-1]


async def test_the_bot_removed_from_the_office_group_holds_its_messages_until_it_is_back(  # noqa: ANN001
        running: BotProcess, api) -> None:
    api.set_admin(OFFICE, 2001)
    uid = api.remove_bot_from_group(OFFICE, 2001)
    await api.wait_confirmed(uid, timeout=20)
    await running.tick()
    told = [m["text"] for m in api.chat_messages(2001)]  # the office hears it where it can: in private
    assert any("本助手已被移出舆情办公室群" in t for t in told)
    await _report_major(running, api)
    async with running.sessions() as s:
        held = (await s.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == OFFICE,
                                                            OutboxMessage.status == "pending"))).all()
    assert held
    uid = api.add_bot_to_group(OFFICE, 2001, "舆情办公室")
    await api.wait_confirmed(uid, timeout=20)
    await running.tick()
    assert any("YQ-2026-0001" in (m.get("text") or "") for m in api.chat_messages(OFFICE))


async def test_a_bound_group_upgraded_to_a_supergroup_keeps_its_binding(running: BotProcess, api) -> None:  # noqa: ANN001
    await Chat(api, 2001).send("/start")
    new_id = -1009999000001
    api.migrate_group(OFFICE, new_id)
    await running.tick()
    await _report_major(running, api)
    async with running.sessions() as s:
        assert (await s.get(ChatBinding, ("office", "telegram"))).chat_id == new_id
    assert any("YQ-2026-0001" in (m.get("text") or "") for m in api.chat_messages(new_id))


async def test_the_office_works_in_its_group(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report_major(running, api)
    assert "YQ-2026-0001" in (await _group(api, running, OFFICE, 2001, "/due YQ-2026-0001"))[-1]
    assert "YQ-2026-0001" in (await _group(api, running, OFFICE, 2001, "/timeline YQ-2026-0001"))[0]
    people = (await _group(api, running, OFFICE, 2001, "/people"))[-1]
    assert "刘书记" in people and "舆情办公室群" in people


async def test_menus_follow_roles_once_people_are_reachable(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await Chat(api, 2001).send("/start")
    await Chat(api, 1001).send("/start")
    await running.tick()
    office_menu, _ = api.menu(2001)
    monitor_menu, _ = api.menu(1001)
    office_cmds = {c["command"] for c in office_menu}
    assert {"grade", "timeline", "people"} <= office_cmds
    assert "grade" not in {c["command"] for c in monitor_menu}
    text = EXAMPLE_WITH(2001, "[monitor]")
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text), now=clock.now())
    await running.tick()
    assert "grade" not in {c["command"] for c in api.menu(2001)[0]}  # a role taken away leaves the menu too


def EXAMPLE_WITH(telegram_id: int, roles: str) -> str:  # noqa: N802
    from tests.conftest import EXAMPLE_ORG

    lines = []
    for line in EXAMPLE_ORG.read_text(encoding="utf-8").splitlines():
        if f"telegram_id: {telegram_id}," in line:
            line = line.split("roles:")[0] + f"roles: {roles}" + "}"
        lines.append(line)
    return "\n".join(lines)


async def test_people_without_telegram_id_are_imported_linked_by_their_link_and_kept_on_reimport(  # noqa: ANN001
        running: BotProcess, api, clock) -> None:
    from bot.services.onboarding import live_links

    line = "  - {telegram_id: 3003, name: 赵组员, roles: [leading_group]}"
    text = EXAMPLE_WITH(0, "").replace(line, line + "\n  - {name: 钱委员, roles: [leading_group], phone: '13900000000'}")
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text), now=clock.now())
        [link] = [r for r in await live_links(s, now=clock.now(), ttl_days=7) if r.name == "钱委员"]
    replies = await Chat(api, 3999).send(f"/start {link.token}")
    assert "钱委员" in replies[0] and "关联" in replies[0]
    assert "另一个账号" in (await Chat(api, 3998).send(f"/start {link.token}"))[0]
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text), now=clock.now())  # the file still has no telegram_id: the link stands
        p = await s.scalar(select(Person).where(Person.name == "钱委员"))
        assert p.telegram_id == 3999


async def test_the_drafter_is_told_a_true_count_when_an_approver_has_not_opened_the_bot(  # noqa: ANN001
        running: BotProcess, api) -> None:
    from tests.bot.test_release import _draft_and_submit, _incident

    api.mark_unopened(3001)  # the supervising leader approves general releases
    number = await _incident(api, reposts=10)
    await running.tick()  # his incident card is refused: he is known not to be reachable
    replies = await _draft_and_submit(running, api, number)
    assert any("已通知 0 人，1 人尚未打开本助手" in r for r in replies), replies


async def test_reimport_keeps_a_chat_bound_by_command_and_reports_a_changed_one(running: BotProcess, api,  # noqa: ANN001
                                                                                clock) -> None:
    from tests.conftest import EXAMPLE_ORG

    text = EXAMPLE_ORG.read_text(encoding="utf-8")
    without_upper = text.replace("  upper_office: -1001000000002\n", "")
    moved = without_upper.replace("office: -1001000000001", "office: -1001000000077")
    async with running.sessions() as s, s.begin():
        counts = await import_org(s, parse_org_file(moved), now=clock.now())
        assert counts["chat_changes"] == [("office", -1001000000001, -1001000000077)]
        assert (await s.get(ChatBinding, ("upper_office", "telegram"))).chat_id == -1001000000002  # left out: kept


async def test_incidents_closed_before_a_leader_opens_the_bot_come_as_one_line(running: BotProcess, api) -> None:  # noqa: ANN001
    from sqlalchemy import update

    from models import Incident

    api.mark_unopened(3002)
    await _report_major(running, api)
    async with running.sessions() as s, s.begin():
        await s.execute(update(Incident).values(status="closed"))
    api.mark_opened(3002)
    await Chat(api, 3002).send("/start")
    await running.tick()
    texts = [m.get("text") or "" for m in api.chat_messages(3002)]
    assert any("以下事件已经办结：YQ-2026-0001" in t for t in texts), texts
    assert not any("🔔 舆情事件 YQ-2026-0001" in t for t in texts)


async def test_a_namesake_without_telegram_id_never_takes_a_leaders_row_nor_multiplies(running: BotProcess,  # noqa: ANN001
                                                                                        clock) -> None:
    """Review finding: an entry without an id was matched by name against everyone, linked leaders included."""
    line = "  - {telegram_id: 3002, name: 刘书记, roles: [main_leader, leading_group]}"
    text = EXAMPLE_WITH(0, "").replace(line, line + "\n  - {name: 刘书记, roles: [monitor]}")
    for _ in range(3):
        async with running.sessions() as s, s.begin():
            await import_org(s, parse_org_file(text), now=clock.now())
    async with running.sessions() as s:
        rows = (await s.scalars(select(Person).where(Person.name == "刘书记").order_by(Person.id))).all()
    assert [(r.telegram_id, r.roles) for r in rows][0] == (3002, ["main_leader", "leading_group"])
    assert len(rows) == 2 and rows[1].roles == ["monitor"]


async def test_a_link_handed_out_before_the_file_gave_the_account_no_longer_binds_anyone(  # noqa: ANN001
        running: BotProcess, api, clock) -> None:
    from bot.services.onboarding import live_links

    line = "  - {telegram_id: 3003, name: 赵组员, roles: [leading_group]}"
    unlinked = EXAMPLE_WITH(0, "").replace(line, line + "\n  - {name: 钱委员, roles: [leading_group]}")
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(unlinked), now=clock.now())
        [link] = [r for r in await live_links(s, now=clock.now(), ttl_days=7) if r.name == "钱委员"]
    linked = unlinked.replace("{name: 钱委员,", "{telegram_id: 3777, name: 钱委员,")
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(linked), now=clock.now())
    assert "另一个账号" in (await Chat(api, 3999).send(f"/start {link.token}"))[0]
    async with running.sessions() as s:
        assert await s.scalar(select(Person.telegram_id).where(Person.name == "钱委员")) == 3777


async def test_a_forged_bind_press_on_an_incident_card_is_refused_and_edits_nothing(running: BotProcess,  # noqa: ANN001
                                                                                     api) -> None:
    from handlers.linking import BindCB
    from tests.bot.test_release import _press_data

    await _report_major(running, api)
    api.set_admin(OFFICE, 2001)
    card = next(m for m in api.chat_messages(OFFICE) if "🔔 舆情事件 YQ-2026-0001" in (m.get("text") or ""))
    seen = len(api.calls)
    await _press_data(api, 2001, card, BindCB(key="office", yes=False).pack())
    assert not [c for c in api.calls[seen:] if c.method.startswith("edit")]
    assert any("过期" in (c.params.get("text") or "") for c in api.calls[seen:] if c.method == "answerCallbackQuery")


async def test_binding_another_office_group_brings_it_the_open_cards_and_spares_the_old_one(  # noqa: ANN001
        running: BotProcess, api) -> None:
    api.set_admin(OFFICE, 2001)
    uid = api.remove_bot_from_group(OFFICE, 2001)
    await api.wait_confirmed(uid, timeout=20)
    await _report_major(running, api)  # the office card waits for the group the bot left
    new_office = -1002000000010
    uid = api.add_bot_to_group(new_office, 2001, "新办公室群")
    await api.wait_confirmed(uid, timeout=20)
    api.set_admin(new_office, 2001)
    await _group(api, running, new_office, 2001, "/bind office")
    msg = api.chat_messages(new_office)[-1]
    uid = api.press(2001, msg, "改为本群", chat_id=new_office)
    await api.wait_confirmed(uid, timeout=20)
    seen = len(api.calls)
    await running.tick()
    assert any("🔔 舆情事件 YQ-2026-0001" in (m.get("text") or "") for m in api.chat_messages(new_office))
    assert not [c for c in api.calls[seen:] if str(c.params.get("chat_id")) == str(OFFICE)]


@pytest.mark.parametrize("ttl, opened_after_days, bound", [(None, 3, True), (2, 3, False), (2, 1, True)])
async def test_a_personal_link_lives_policy_onboarding_link_ttl_days(running: BotProcess, api, clock,  # noqa: ANN001
                                                                      ttl, opened_after_days, bound) -> None:
    """Seven days unless the org file says otherwise; a link opened later is refused in words
    and the office is told."""
    from bot.services.onboarding import live_links

    line = "  - {telegram_id: 3003, name: 赵组员, roles: [leading_group]}"
    text = EXAMPLE_WITH(0, "").replace(line, line + "\n  - {name: 钱委员, roles: [leading_group]}")
    if ttl is not None:
        text = text.replace("policy:\n", f"policy:\n  onboarding:\n    link_ttl_days: {ttl}\n", 1)
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text), now=clock.now())
        [link] = [r for r in await live_links(s, now=clock.now(), ttl_days=ttl or 7) if r.name == "钱委员"]
    clock.advance(timedelta(days=opened_after_days))
    seen = len(api.calls)
    replies = await Chat(api, 3999).send(f"/start {link.token}")
    await running.tick()
    async with running.sessions() as s:
        p = await s.scalar(select(Person).where(Person.name == "钱委员"))
    assert (p.telegram_id == 3999) is bound, replies
    if not bound:
        assert "个人链接已过期" in replies[0], replies
        told = [c.params.get("text") or "" for c in api.calls[seen:]
                if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(OFFICE)]
        assert any("钱委员打开的个人链接已过期" in t for t in told), told

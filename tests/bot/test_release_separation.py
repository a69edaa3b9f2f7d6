"""Separation of duties in a major release (主要负责人审核、领导小组审定): whoever reviewed a version is not
asked, and not counted, at its leading-group stage — through the real dispatcher and the fake Bot API, on
SQLite and PostgreSQL. `policy.release.separate_stages: false` turns it off."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.demo.harness import BotProcess
from bot.domain import release as rel
from bot.domain.orgfile import parse_org_file
from bot.services.org_import import import_org
from bot.telegram.callbacks import RelAction, RelV1
from models import AuditLog, Person
from tests.bot.chat import Chat
from tests.bot.test_release import (
    GROUP,
    MAIN,
    OFFICE,
    SUPERVISOR,
    _draft_and_submit,
    _drafts,
    _incident,
    _press_data,
    _refusals,
)
from tests.conftest import EXAMPLE_ORG

OFFICE_GROUP = -1001000000001


def test_the_rule_and_its_policy() -> None:
    review, approval = rel.pipeline("major")
    assert rel.refusal(approval, roles=("leading_group",), person_id=7, drafter_id=1, decided_earlier={7}) == "reviewed"
    assert rel.refusal(approval, roles=("leading_group",), person_id=8, drafter_id=1, decided_earlier={7}) is None
    people = [(1, ("office", "leading_group")), (7, ("main_leader", "leading_group")), (8, ("leading_group",))]
    assert rel.eligible(approval, people, drafter_id=1, decided_earlier={7}) == [8]
    assert rel.blocked(approval, 0) and not rel.blocked(approval, 1)
    assert rel.ReleasePolicy().separate_stages is True
    assert rel.ReleasePolicy.from_mapping({"separate_stages": False}).separate_stages is False
    try:
        rel.ReleasePolicy.from_mapping({"separate_stages": "no"})
    except ValueError as e:
        assert "separate_stages" in str(e)
    else:
        raise AssertionError("a non-boolean separate_stages was accepted")


def _approval_cards(api, user: int) -> list[dict]:  # noqa: ANN001
    return [m for m in api.chat_messages(user) if "待审批" in m.get("text", "") and m.get("reply_markup")]


async def test_the_reviewer_is_not_asked_nor_counted_at_the_group_stage(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=150)
    await _draft_and_submit(running, api, number)
    main = Chat(api, MAIN)  # 刘书记: main leader and member of the leading group
    assert any("转领导小组" in r for r in await main.press("同意"))
    await running.tick()
    assert not _approval_cards(api, MAIN), "the reviewer was asked to approve his own review"
    assert _approval_cards(api, GROUP) and _approval_cards(api, SUPERVISOR)
    [d] = await _drafts(running)
    forged = RelV1(action=RelAction.APPROVE, draft=d.id, stage="approval").pack()
    card = {**_approval_cards(api, GROUP)[-1], "chat": {"id": MAIN, "type": "private"},
            "reply_markup": {"inline_keyboard": [[{"text": "同意", "callback_data": forged}]]}}
    replies = await _press_data(api, MAIN, card, forged)
    assert any("审核与审批须由不同的人" in r for r in replies), replies
    assert "reviewed" in [r.payload["reason"] for r in await _refusals(running, MAIN)]
    assert (await _drafts(running))[0].status == "in_review"
    assert any("已批准" in r for r in await Chat(api, GROUP).press("同意"))
    assert (await _drafts(running))[0].status == "approved"
    async with running.sessions() as s:
        stages = [(a.actor_name, a.payload["stage"], a.payload["decision"]) for a in (await s.scalars(
            select(AuditLog).where(AuditLog.kind == "approval").order_by(AuditLog.seq))).all()]
    assert stages == [("刘书记", "review", "approve"), ("赵组员", "approval", "approve")]


async def _only_the_reviewer_in_the_group(running: BotProcess) -> None:
    async with running.sessions() as s, s.begin():
        for tg in (SUPERVISOR, GROUP):
            row = await s.scalar(select(Person).where(Person.telegram_id == tg))
            await s.execute(update(Person).where(Person.id == row.id)
                            .values(roles=[r for r in row.roles if r != "leading_group"]))


async def test_a_group_stage_nobody_else_may_approve_is_told_at_once_and_unblocked_by_an_import(
        running: BotProcess, api) -> None:  # noqa: ANN001
    await _only_the_reviewer_in_the_group(running)
    number = await _incident(api, reposts=150)
    await _draft_and_submit(running, api, number)
    await Chat(api, MAIN).press("同意")
    await running.tick()
    for who in (OFFICE_GROUP, MAIN):  # the office in its bound group
        told = [m["text"] for m in api.chat_messages(who) if "不能发布" in m.get("text", "")]
        assert told and "刘书记 已审核该版本" in told[-1] and "separate_stages" in told[-1], (who, told)
    assert any("未经批准" in r for r in await Chat(api, OFFICE).send(f"/publish {number} 微博 https://weibo.com/x"))
    async with running.sessions() as s:
        [blocked] = (await s.scalars(select(AuditLog).where(AuditLog.kind == "approval_blocked"))).all()
    assert blocked.payload["stage"] == "approval" and blocked.payload["eligible"] == 0
    # the office fixes the org file (赵组员 back in the leading group) and imports it: he is asked at once
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")), now=running.clock.now())
    await running.tick()
    assert _approval_cards(api, GROUP) and not _approval_cards(api, MAIN)
    assert any("已批准" in r for r in await Chat(api, GROUP).press("同意"))
    assert any("已登记发布" in r for r in await Chat(api, OFFICE).send(f"/publish {number} 微博 https://weibo.com/s/9"))


async def test_separate_stages_false_lets_the_reviewer_approve_too(running: BotProcess, api) -> None:  # noqa: ANN001
    org = EXAMPLE_ORG.read_text(encoding="utf-8") + "  release:\n    separate_stages: false\n"
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(org))
    await _only_the_reviewer_in_the_group(running)
    number = await _incident(api, reposts=150)
    await _draft_and_submit(running, api, number)
    await Chat(api, MAIN).press("同意")
    await running.tick()
    assert _approval_cards(api, MAIN), "with separate_stages false the reviewer is asked at the group stage"
    assert not any("不能发布" in m.get("text", "") for m in api.chat_messages(OFFICE))
    assert any("已批准" in r for r in await Chat(api, MAIN).press("同意", message=_approval_cards(api, MAIN)[-1]))

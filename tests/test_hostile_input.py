"""Hostile and absurd input is answered, never fatal (issue #18, item 5, the chat side): every callback,
whatever its data, is answered; numbers too big for the database are refused where they are parsed; a date
outside the policy's window is refused like any bad date and costs the draft none of its other fields.
Through the real dispatcher against the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import VirtualClock
from bot.demo.harness import BotProcess, local_settings
from bot.domain import report as rf
from bot.domain.bounds import INT4_MAX, db_id, parse_int
from bot.domain.followup import parse_followup
from bot.domain.orgfile import parse_org_file
from bot.domain.policy import Policy
from bot.domain.stats import PeriodError, parse_period
from bot.fakeapi import FakeBotAPI
from bot.fakeapi.updates import callback_update, chat_dict
from bot.services.org_import import import_org
from models import AuditLog, FollowUp, Incident, Report
from models.delivery import OutboxMessage
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG

MONITOR, OFFICE_MEMBER = 1001, 2001
OFFICE_GROUP = -1001000000001
BIG = "99999999999999999999"
TZ = ZoneInfo("Asia/Shanghai")
# 27 tampered callback_data values, as the attack report sent them
MALFORMED = [
    "",                                              # empty
    "".join(chr(33 + (i * 37) % 94) for i in range(64)),  # 64 bytes of garbage
    "nope:1",                                        # unknown prefix
    "incV1",                                         # the prefix alone
    "incV1:",
    "incV1:ack",                                     # a field missing
    "incV1:ack:1:2",                                 # a field too many
    "incV1:ack:abc",                                 # not a number
    "incV1:ack:-1",                                  # negative
    "incV1:ack:0",
    f"incV1:ack:{2**64}",                            # beyond 64 bits
    f"incV1:ack:{10**30}",
    f"incV1:take:{2**31}",                           # beyond PostgreSQL's integer
    "incV1:boom:1",                                  # an action that does not exist
    "incV1:ack:１",                                  # a full-width digit
    "incV1:ack:²",                                   # a digit int() refuses
    "::::",
    f"chkV1:{2**64}:police",
    f"dutyV1:in:{BIG}",
    "patV1:ok:-5",
    f"relV1:ok:{2**63}:approval",
    f"rvV1:{10**30}",
    f"trkV1:follow:{2**31}",
    "clsV1:ok:1e9",
    "unavV1:del:NaN",
    "bindV1:office:maybe",
    "舆情:😀:\u202e",                                # unicode, a right-to-left override
]
ERROR_TEXTS = ("抱歉，处理时出现错误", "处理时出现错误", "Something went wrong")


def test_the_attack_report_had_27_malformed_values() -> None:
    assert len(MALFORMED) == len(set(MALFORMED)) == 27


def _answers(api: FakeBotAPI, seen: int, qid: str) -> list[str]:
    return [c.params.get("text") or "" for c in api.calls[seen:]
            if c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == qid]


def _said(api: FakeBotAPI, seen: int) -> list[str]:
    return [c.params.get("text") or "" for c in api.calls[seen:] if c.params.get("text")]


async def _press(api: FakeBotAPI, message: dict, data: str, user: int = MONITOR) -> tuple[list[str], list[str]]:
    seen = len(api.calls)
    update = callback_update(user, message, data)
    await api.wait_confirmed(api.push_update(update), timeout=20)
    return _answers(api, seen, update["callback_query"]["id"]), _said(api, seen)


async def _filed(api: FakeBotAPI, running: BotProcess) -> None:
    chat = Chat(api, MONITOR)
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("确认")
    await running.tick()


async def test_27_malformed_presses_on_a_card_are_each_answered_refused_and_audited(running: BotProcess,
                                                                                       api) -> None:  # noqa: ANN001
    await _filed(api, running)
    card = next(m for m in reversed(api.chat_messages(OFFICE_GROUP)) if m.get("reply_markup"))  # the office's card
    for data in MALFORMED:
        answers, said = await _press(api, card, data, user=OFFICE_MEMBER)
        assert len(answers) == 1 and "不属于这张卡片" in answers[0], (data, answers)
        assert not any(e in s for s in said for e in ERROR_TEXTS), (data, said)
    async with running.sessions() as s:
        refusals = (await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal"))).all()
        inc = await s.scalar(select(Incident))
    assert len(refusals) == 27 and {r.payload["reason"] for r in refusals} == {"not_on_card"}
    assert inc.acknowledged_at is None and inc.in_charge_id is None
    assert "2147483648" not in str([r.payload for r in refusals])  # what the attacker typed is not echoed


async def test_27_malformed_values_that_pass_the_card_check_are_answered_as_stale(running: BotProcess,
                                                                                    api) -> None:  # noqa: ANN001
    """Past the card check (a message Telegram no longer shows, whose keyboard the outbox says had these very
    buttons), every value still gets an answer from some router — the catch-all's "该按钮已失效" for what no
    factory parses (ids out of range included) — and none reaches the database as an overflow."""
    await Chat(api, MONITOR).send("/help")  # the monitor is known to be reachable; nothing else is needed
    now = datetime.now(UTC)
    buttons = [[{"text": str(i), "callback_data": d}] for i, d in enumerate(MALFORMED)]
    async with running.sessions() as s, s.begin():
        s.add(OutboxMessage(chat_id=MONITOR, method="sendMessage", payload={"text": "x", "reply_markup": {
            "inline_keyboard": buttons}}, status="sent", not_before=now, created_at=now, sent_at=now,
            telegram_message_id=777_777))
    gone = {"chat": chat_dict(MONITOR), "message_id": 777_777, "date": 0}
    stale = 0
    for data in MALFORMED:
        answers, said = await _press(api, gone, data)
        assert answers, (data, "not answered")
        assert not any(e in s for s in said + answers for e in ERROR_TEXTS), (data, said, answers)
        stale += answers == ["该按钮已失效"]
    assert stale >= 20, stale  # the others answered by their own routers (an outdated report button …)
    async with running.sessions() as s:
        assert not (await s.scalars(select(AuditLog).where(AuditLog.payload["reason"].as_string() == "stale"))).all()


async def test_an_english_user_hears_that_a_button_is_no_longer_valid(running: BotProcess, api) -> None:  # noqa: ANN001
    await Chat(api, MONITOR).send("/help")
    now = datetime.now(UTC)
    async with running.sessions() as s, s.begin():
        s.add(OutboxMessage(chat_id=MONITOR, method="sendMessage", payload={"text": "x", "reply_markup": {
            "inline_keyboard": [[{"text": "?", "callback_data": "nope:1"}]]}}, status="sent", not_before=now,
            created_at=now, sent_at=now, telegram_message_id=777_778))
    seen = len(api.calls)
    update = callback_update(MONITOR, {"chat": chat_dict(MONITOR), "message_id": 777_778, "date": 0}, "nope:1",
                             language_code="en")
    await api.wait_confirmed(api.push_update(update), timeout=20)
    assert _answers(api, seen, update["callback_query"]["id"]) == ["This button is no longer valid"]


async def test_huge_and_odd_numbers_in_commands_are_answered(running: BotProcess, api) -> None:  # noqa: ANN001
    await _filed(api, running)
    cases = [
        (MONITOR, f"/due YQ-2026-{BIG}"), (MONITOR, f"/follow YQ-2026-{BIG}"), (MONITOR, f"/incident {BIG}"),
        (OFFICE_MEMBER, f"/unavailable @{BIG}"), (OFFICE_MEMBER, f"/track YQ-2026-0001 {BIG}"),
        (OFFICE_MEMBER, f"/timeline YQ-2026-{BIG}"), (OFFICE_MEMBER, f"/grade YQ-2026-{BIG} major 理由"),
        (OFFICE_MEMBER, f"/stats {BIG}-11"), (OFFICE_MEMBER, "/stats 0001-01-01 9999-12-31"),
        (OFFICE_MEMBER, f"/done YQ-2026-0001 {BIG}"), (OFFICE_MEMBER, f"/release YQ-2026-{BIG} 稿件"),
        (OFFICE_MEMBER, f"/review YQ-2026-{BIG}"), (OFFICE_MEMBER, f"/close YQ-2026-{BIG}"),
        (MONITOR, "/follow YQ-2026-0001\n转发：30亿\n说明：转发数据异常"),
        (MONITOR, "/follow YQ-2026-0001\n观察时间：0001-01-01 00:00\n说明：年份有误"),
    ]
    for who, text in cases:
        replies = await Chat(api, who).send(text)
        assert replies, text
        assert not any(e in r for r in replies for e in ERROR_TEXTS), (text, replies)
    async with running.sessions() as s:
        followups = (await s.scalars(select(FollowUp))).all()
    assert all(f.reposts is None or f.reposts <= INT4_MAX for f in followups)
    assert all(f.observed_at is None or f.observed_at.year >= 2000 for f in followups)


async def test_extend_and_track_take_only_numbers_they_can_hold(running: BotProcess, api) -> None:  # noqa: ANN001
    """/extend with 10**20 working days (a calendar walk that never ends) and /track with a digit int() cannot
    read ("²"): answered with their usage or a not-found, never an error — needs the parse in handlers/due.py and
    bot/services/tracking.py to go through bot.domain.bounds.parse_int."""
    await _filed(api, running)
    for who, text in [(3002, f"/extend YQ-2026-0001 {BIG} 理由"), (OFFICE_MEMBER, "/track YQ-2026-0001 ²"),
                      (OFFICE_MEMBER, "/unavailable @²")]:
        replies = await Chat(api, who).send(text)
        assert replies and not any(e in r for r in replies for e in ERROR_TEXTS), (text, replies)


# ---------------------------------------------------------------- dates: the policy's window
TEMPLATE_13 = "发现时间：2026-11-24 10:00\n" + TEMPLATE.replace("2026-11-24 09:30", "0001-01-01 00:00")


async def test_a_year_0001_time_keeps_the_other_twelve_fields(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, MONITOR)
    replies = await chat.send("/report\n" + TEMPLATE_13)
    text = "\n".join(replies)
    assert "识别 12 项" in text and "「时间」的日期过早" in text and "2000-01-01" in text, replies
    assert not any(e in text for e in ERROR_TEXTS)
    replies = await chat.send("2026-11-24 09:30")
    summary = "\n".join(replies)
    for line in ("发现时间：2026-11-24 10:00", "时间：2026-11-24 09:30", "地点：学校东门", "涉及单位：后勤管理处",
                 "平台：微博", "转发：150", "跟帖倾向：负面 70%", "类别：询问"):
        assert line in summary, (line, replies)
    replies = await chat.press("确认")
    assert any("YQ-2026-0001" in r for r in replies), replies
    async with running.sessions() as s:
        rep = await s.scalar(select(Report))
    assert len([v for v in rep.fields.values() if v not in (None, "")]) >= 13, rep.fields
    assert rep.fields["place"] == "学校东门" and rep.fields["reposts"] == 150


async def test_a_far_future_or_ancient_time_typed_in_the_dialog_is_asked_again(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, MONITOR)
    await chat.send("/report")
    for typed, expected in (("0001-01-01 00:00", "过早"), ("9999-12-31 23:59", "不能晚于现在"),
                            (f"{BIG}天前", "无法识别"), ("1999-12-31 23:59", "过早")):
        replies = await chat.send(typed)
        assert any(expected in r for r in replies), (typed, replies)
    assert any("（2/" in r for r in await chat.send("今天 09:30"))


@pytest.fixture
async def strict_org(api: FakeBotAPI, db_url: str, tmp_path: Path, clock: VirtualClock) -> AsyncIterator[BotProcess]:
    """The example organisation with policy.reports.earliest_date moved to 2026-01-01."""
    text = EXAMPLE_ORG.read_text(encoding="utf-8").replace(
        "policy:\n", "policy:\n  reports:\n    earliest_date: 2026-01-01\n", 1)
    proc = BotProcess(local_settings(tmp_path, api.base_url, db_url), clock)
    await proc.start()
    async with proc.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text))
    yield proc
    await proc.stop()


async def test_the_earliest_date_is_the_policys(strict_org: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, MONITOR)
    replies = await chat.send("/report\n" + TEMPLATE.replace("2026-11-24 09:30", "2025-12-31 09:30"))
    assert any("不能早于 2026-01-01" in r for r in replies), replies
    replies = await chat.send("2026-01-01 00:00")
    assert any("报送摘要" in r and "2026-01-01 00:00" in r for r in replies), replies
    async with strict_org.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Report)) == 0  # a draft, not filed


# ---------------------------------------------------------------- the parse helpers themselves
def test_parse_int_takes_only_what_the_database_can_hold() -> None:
    assert parse_int("42") == 42 and parse_int(" 7 ") == 7 and parse_int(str(INT4_MAX)) == INT4_MAX
    for bad in ("", "-1", str(INT4_MAX + 1), BIG, "²", "１", "1e3", "0x10", "1_000", "1.0", None, True):
        assert parse_int(bad) is None, bad
    assert parse_int("-5", lo=-10) == -5 and parse_int("9" * 4300, hi=10**5000) is None
    assert db_id(0) is None and db_id(1) == 1 and db_id(2**63) is None


def test_the_report_parser_refuses_dates_outside_the_window() -> None:
    now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    window = Policy.from_mapping({"reports": {"earliest_date": "2026-11-01", "future_tolerance_minutes": 60}}
                                 ).reports.date_window()
    with pytest.raises(rf.FieldError) as e:
        rf.parse_field("time", "2026-10-31 23:59", now=now, tz=TZ, window=window)
    assert e.value.code == "too_early" and e.value.params["earliest"] == "2026-11-01"
    assert rf.parse_field("time", "2026-11-24 10:50", now=now, tz=TZ, window=window).hour == 10  # within 60 min
    assert rf.parse_field("time", "2025-06-01 10:00", now=now, tz=TZ).year == 2025  # the default: 2000-01-01
    for typed in ("0001-01-01 00:00", "0001-01-01T00:00:00-23:59", "1899-01-01"):
        assert rf.parse_template(f"时间：{typed}\n地点：东门", now=now, tz=TZ).errors["time"].code == "too_early"
    for typed in (f"{BIG}天前", f"{BIG}小时前", "999999999 days ago"):
        with pytest.raises(rf.FieldError) as e:
            rf.parse_field("time", typed, now=now, tz=TZ)
        assert e.value.code == "bad_date"
    with pytest.raises(ValueError, match="earliest_date"):
        Policy.from_mapping({"reports": {"earliest_date": "yesterday"}})
    assert rf.format_value("time", "0001-01-01T00:00:00+08:05:43", "zh", TZ)  # kept from before: shown, no crash


def test_follow_up_counts_and_dates_fit_their_columns() -> None:
    now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    values = parse_followup("转发：30亿\n评论：12\n观察时间：0001-01-01 00:00", now=now, tz=TZ)
    assert values.reposts is None and values.comments == 12 and values.observed_at is None
    assert {e.code for e in values.errors} == {"too_large", "too_early"}
    assert all("{" not in rf.render_error(e, lang) for e in values.errors for lang in ("zh", "en"))


def test_statistics_periods_stay_within_sane_years() -> None:
    today = datetime(2026, 11, 24).date()
    for args in (["0001-01-01", "9999-12-31"], ["0001-01"], ["9999-12"], ["1999-12-31"]):
        with pytest.raises(PeriodError):
            parse_period(args, today)
    assert parse_period(["2026-11"], today)[0].day == 1

"""Timeline lines and key events of the review (bot/review/events.py), regions from places (regions.py)."""

from __future__ import annotations

import pytest

from bot.audit_sentences import Names
from bot.review import events
from bot.review.regions import region_of


@pytest.mark.parametrize(("place", "region"), [
    ("江苏省南京市鼓楼区", "江苏"),
    ("上海 徐汇区", "上海"),
    ("苏州市工业园区星湖街", "苏州市"),
    ("学校东门", "学校东门"),
    ("某某某某某某某某某某某某某某某某", "某某某某某某某某某某某某"),
    ("", None),
    (None, None),
])
def test_region_of(place, region):
    assert region_of(place) == region


def test_summaries_in_both_languages():
    assert events.summary("graded", {"grade": "major"}, "zh") == "定级为重大"
    assert events.summary("graded", {"grade": "major"}, "en") == "graded major"
    names = Names(groups={-1009003: "upper_office"})
    assert events.summary("acknowledged", {"by": "upper_office", "chat": -1009003}, "zh", names) == \
        "代表上级办公室群确认收到上报"
    line = events.summary("approval", {"version": 2, "stage": "approval", "decision": "approve", "comment": "可以"}, "zh")
    assert line == "同意第 2 版发布稿（审批），意见：可以"
    assert events.summary("clock_stopped", {"clock": "publish", "status": "met"}, "en") == \
        "recorded the deadline “publish authoritative information” as met"
    said = events.line("refusal", {"action": "card:take", "reason": "ack.refused"}, "zh", actor_name="张敏",
                       actor_telegram_id=1001)
    assert (said.subject, said.predicate) == ("张敏", "试图认领处置（无权限），已拒绝")
    # an unknown kind or an older payload shape still reads as a sentence, never as keys and values
    assert events.summary("zz_new_kind", {"reposts": 900, "text": "x"}, "zh") == "记录了一条其他事件"
    assert events.summary("approval", {"version": {"odd": 1}}, "zh") == "对一版发布稿作出审批决定"
    assert events.kind_label("zz_new_kind", "en") == "other"


def test_key_events():
    assert events.is_key("report_filed") and events.is_key("publication") and events.is_key("closed")
    assert events.is_key("followup") and events.is_key("reopened") and events.is_key("tracker_assigned")
    assert events.is_key("draft_version", {"event": "submitted"})
    assert not events.is_key("draft_version", {"event": "drafted"})
    assert not events.is_key("notified") and not events.is_key("refusal") and not events.is_key("checklist_step")

"""Timeline lines and key events of the review (bot/review/events.py), regions from places (regions.py)."""

from __future__ import annotations

import pytest

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
    assert events.summary("graded", {"grade": "major"}, "zh") == "定级：重大"
    assert events.summary("graded", {"grade": "major"}, "en") == "graded major"
    assert events.summary("acknowledged", {"by": "upper_office", "chat": -1}, "zh") == "上级舆情办确认收到上报"
    line = events.summary("approval", {"version": 2, "stage": "approval", "decision": "approve", "comment": "可以"}, "zh")
    assert line == "审批：同意（第 2 版） — 可以"
    assert events.summary("clock_stopped", {"clock": "publish", "status": "met"}, "en") == \
        "publish authoritative information: met"
    # an unknown kind or an older payload shape still shows everything it has
    assert events.summary("zz_new_kind", {"reposts": 900, "text": "x"}, "zh") == "zz_new_kind: reposts=900; text=x"
    assert events.summary("approval", {"version": {"odd": 1}}, "zh").startswith("审批")


def test_key_events():
    assert events.is_key("report_filed") and events.is_key("publication") and events.is_key("closed")
    assert events.is_key("followup") and events.is_key("reopened") and events.is_key("tracker_assigned")
    assert events.is_key("draft_version", {"event": "submitted"})
    assert not events.is_key("draft_version", {"event": "drafted"})
    assert not events.is_key("notified") and not events.is_key("refusal") and not events.is_key("checklist_step")

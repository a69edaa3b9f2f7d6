"""Routing: recipients per grade, the dual report, escalation plans and their policy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.routing import (
    EscalationPolicy,
    EscalationStep,
    escalation_plan,
    first_level,
    recipients_for,
    render_plan,
    render_route,
    route_for,
    unprogressed_after,
)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def test_recipients_per_grade():
    assert recipients_for("general") == ["office", "supervising_leader"]
    assert recipients_for("major") == ["office", "supervising_leader", "main_leader", "leading_group"]
    assert recipients_for("especially_major") == ["office", "supervising_leader", "main_leader", "leading_group"]


@pytest.mark.parametrize("grade", ["general", "major", "especially_major"])
def test_upper_office_always_gets_the_dual_report(grade):
    assert route_for(grade).upper_office is True


def test_all_at_once_only_for_especially_major():
    assert [route_for(g).all_at_once for g in ("general", "major", "especially_major")] == [False, False, True]
    assert first_level("general") == ("supervising_leader",)
    assert first_level("major") == ("main_leader",)
    assert first_level("especially_major") == ("supervising_leader", "main_leader", "leading_group")


def test_unknown_grade():
    with pytest.raises(ValueError):
        recipients_for("huge")
    with pytest.raises(ValueError):
        escalation_plan("huge")


def test_general_plan_climbs_the_chain():
    assert escalation_plan("general") == [
        EscalationStep(minutes(15), "remind", ("supervising_leader",)),
        EscalationStep(minutes(30), "escalate", ("main_leader",)),
        EscalationStep(minutes(45), "remind", ("main_leader",)),
        EscalationStep(minutes(60), "escalate", ("leading_group",)),
        EscalationStep(minutes(75), "remind", ("leading_group",)),
    ]


def test_major_plan_starts_at_main_leader():
    assert escalation_plan("major") == [
        EscalationStep(minutes(15), "remind", ("main_leader",)),
        EscalationStep(minutes(30), "escalate", ("leading_group",)),
        EscalationStep(minutes(45), "remind", ("leading_group",)),
    ]


def test_especially_major_plan_only_reminds():
    plan = escalation_plan("especially_major")
    assert plan == [EscalationStep(minutes(15), "remind", ("supervising_leader", "main_leader", "leading_group"))]
    plan = escalation_plan("especially_major", EscalationPolicy.from_mapping({"reminders_at_top": 3}))
    assert [s.offset for s in plan] == [minutes(15), minutes(30), minutes(45)]
    assert {s.action for s in plan} == {"remind"}


@pytest.mark.parametrize("grade", ["general", "major", "especially_major"])
def test_plan_offsets_increase_and_stop_at_top(grade):
    plan = escalation_plan(grade)
    offsets = [s.offset for s in plan]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    assert plan[-1].action == "remind"
    assert "leading_group" in plan[-1].roles


def test_policy_changes_offsets():
    policy = EscalationPolicy.from_mapping({"remind_after_minutes": 10, "escalate_after_minutes": 5})
    assert [int(s.offset.total_seconds() // 60) for s in escalation_plan("general", policy)] == [10, 15, 25, 30, 40]


def test_policy_per_grade():
    policy = EscalationPolicy.from_mapping({"remind_after_minutes": {"major": 5, "特别重大": 2},
                                            "unprogressed_after_minutes": {"general": 120}})
    assert [s.offset for s in escalation_plan("major", policy)] == [minutes(5), minutes(20), minutes(25)]
    assert escalation_plan("especially_major", policy)[0].offset == minutes(2)
    assert escalation_plan("general", policy)[0].offset == minutes(15)
    assert unprogressed_after("general", policy) == minutes(120)
    assert unprogressed_after("major", policy) == minutes(60)


def test_no_reminders_at_top():
    policy = EscalationPolicy.from_mapping({"reminders_at_top": 0})
    assert escalation_plan("especially_major", policy) == []
    assert escalation_plan("general", policy)[-1] == EscalationStep(minutes(60), "escalate", ("leading_group",))


def test_unprogressed_default():
    assert unprogressed_after("general") == minutes(60)


@pytest.mark.parametrize("bad", [
    {"nope": 1},
    {"remind_after_minutes": 0},
    {"remind_after_minutes": -1},
    {"remind_after_minutes": "15"},
    {"remind_after_minutes": None},
    {"escalate_after_minutes": True},
    {"reminders_at_top": -1},
    {"remind_after_minutes": {"huge": 5}},
    {"remind_after_minutes": {"major": 0}},
])
def test_policy_rejects(bad):
    with pytest.raises(ValueError):
        EscalationPolicy.from_mapping(bad)


def test_policy_round_trip():
    assert EscalationPolicy.from_mapping(None).to_mapping() == {
        "remind_after_minutes": 15, "escalate_after_minutes": 15, "reminders_at_top": 1,
        "unprogressed_after_minutes": 60,
    }
    p = EscalationPolicy.from_mapping({"remind_after_minutes": {"major": 5}})
    m = p.to_mapping()
    assert m["remind_after_minutes"] == {"general": 15, "major": 5, "especially_major": 15}
    assert EscalationPolicy.from_mapping(m).to_mapping() == m


def test_render():
    assert render_route("general", "zh") == "通知：舆情办公室、分管领导；同时报上级部门应急处置办公室（双重报告）"
    assert render_route("general", "en") == "Notify: office, supervising leader; and the upper-level office (dual report)"
    zh = render_plan("major", lang="zh").splitlines()
    assert zh[0] == "15 分钟后未确认：提醒主要领导"
    assert zh[1] == "30 分钟后未确认：上报领导小组成员"
    en = render_plan("major", lang="en").splitlines()
    assert en[1] == "after 30 min unacknowledged: escalate to leading group"
    assert render_plan("especially_major", EscalationPolicy(reminders_at_top=0), "en") == "no escalation steps"

"""The working group's pure rules: the main leader's `+name -name`, when the first meeting is proposed, which
grades need a reason, and the policy section."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.policy import Policy
from bot.domain.working_group import WorkingGroupPolicy, first_meeting_at, needs_reason, parse_edit

T = datetime.fromisoformat("2026-11-24T10:02:31+08:00")


@pytest.mark.parametrize(("text", "add", "remove", "stray"), [
    ("+李强 -赵组员", ("李强",), ("赵组员",), ()),
    ("＋李强，－赵组员、+张敏", ("李强", "张敏"), ("赵组员",), ()),
    ("+Wang Fang -孙处长", ("Wang Fang",), ("孙处长",), ()),
    ("+ 李强\n- 赵组员", ("李强",), ("赵组员",), ()),
    ("李强", (), (), ("李强",)),
    ("", (), (), ()),
])
def test_edit_words(text: str, add: tuple, remove: tuple, stray: tuple) -> None:
    words = parse_edit(text)
    assert (words.add, words.remove, words.stray) == (add, remove, stray)


def test_the_first_meeting_is_on_a_round_time_after_the_policy_s_minutes() -> None:
    assert first_meeting_at(T, WorkingGroupPolicy()).isoformat() == "2026-11-24T11:05:00+08:00"
    assert first_meeting_at(T, WorkingGroupPolicy(first_meeting_within_minutes=30,
                                                  meeting_round_minutes=15)).isoformat() == "2026-11-24T10:45:00+08:00"
    on_time = datetime.fromisoformat("2026-11-24T10:00:00+08:00")
    assert first_meeting_at(on_time, WorkingGroupPolicy()).isoformat() == "2026-11-24T11:00:00+08:00"


def test_a_general_or_ungraded_incident_needs_a_reason() -> None:
    assert needs_reason("general") and needs_reason(None)
    assert not needs_reason("major") and not needs_reason("especially_major")


def test_the_policy_section_defaults_and_refusals() -> None:
    assert Policy.from_mapping(None).working_group == WorkingGroupPolicy()
    assert Policy.from_mapping({"working_group": {"first_meeting_within_minutes": 30}}) \
        .working_group.first_meeting_within_minutes == 30
    with pytest.raises(ValueError, match="positive"):
        Policy.from_mapping({"working_group": {"first_meeting_within_minutes": 0}})
    with pytest.raises(ValueError, match="true or false"):
        Policy.from_mapping({"working_group": {"propose_on_major": "yes"}})
    assert Policy.from_mapping(None).to_mapping()["working_group"] == {
        "propose_on_major": True, "first_meeting_within_minutes": 60, "meeting_round_minutes": 5}

"""The draft's question order after a pasted template: what is asked, what Skip does, the counter shown."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import report as rf
from bot.domain.draft import Draft

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=TZ)
# sentiment missing, a wrong link and a negative repost count: three questions
TEMPLATE = ("时间：今天 09:30\n地点：东门\n涉及单位：后勤处\n过程：发帖\n结果：转发\n平台：微博\n"
            "链接：ftp://weibo.com/x\n转发：-5")


def _pasted() -> Draft:
    draft = Draft.start(NOW)
    draft.merge_template(rf.parse_template(TEMPLATE, now=NOW, tz=TZ))
    draft.advance()
    return draft


def test_a_template_asks_the_wrong_values_then_the_missing_ones_counting_only_those() -> None:
    draft = _pasted()
    assert draft.mode == "template"
    assert (draft.step, draft.progress()) == ("link", (1, 3))
    draft.set("link", "https://weibo.com/1/2")
    draft.advance()
    assert (draft.step, draft.progress()) == ("reposts", (2, 3))
    draft.set("reposts", 5)
    draft.advance()
    assert (draft.step, draft.progress()) == ("sentiment", (3, 3))


def test_skip_drops_a_wrong_optional_value_and_moves_on() -> None:
    draft = _pasted()
    assert draft.skip()
    draft.advance()
    assert (draft.step, draft.progress()) == ("reposts", (2, 3))
    assert draft.skip()
    draft.advance()
    assert (draft.step, draft.progress()) == ("sentiment", (3, 3))
    assert not draft.skip()  # required: cannot be skipped
    assert "link" not in draft.values and "reposts" not in draft.values


def test_back_returns_to_the_previous_question_and_the_counter_with_it() -> None:
    draft = _pasted()
    draft.set("link", "https://weibo.com/1/2")
    draft.advance()
    assert draft.back() == "link"
    assert draft.progress() == (1, 3)


def test_the_token_names_the_draft_as_it_stands() -> None:
    draft = _pasted()
    same = Draft.load(draft.dump())
    assert same is not None and same.token() == draft.token()
    draft.set("link", "https://weibo.com/1/2")
    assert draft.token() != same.token()


def _dialog(*answers: tuple[str, object]) -> Draft:
    draft = Draft.start(NOW)
    draft.advance()
    for name, value in answers:
        assert draft.step == name
        draft.set(name, value)
        draft.advance()
    return draft


def test_after_back_the_dialog_walks_forward_through_the_answers_again_not_to_the_first_gap() -> None:
    draft = _dialog(("time", NOW), ("place", "东门"), ("unit", "后勤处"))
    assert draft.step == "process"
    assert draft.back() == "unit" and draft.current() == "后勤处"
    assert draft.back() == "place" and draft.current() == "东门"
    draft.set("place", "北门")
    assert draft.advance() == "unit"  # asked again, its answer shown, rather than jumping to "process"
    assert draft.current() == "后勤处" and draft.progress() == (3, 14)
    assert draft.keep("unit")
    assert draft.step == "process" and draft.current() is None
    assert draft.parsed()["place"] == "北门" and draft.parsed()["unit"] == "后勤处"


def test_keep_is_refused_for_another_question_or_one_without_an_answer() -> None:
    draft = _dialog(("time", NOW), ("place", "东门"))
    assert not draft.keep("unit")  # nothing to keep yet
    draft.back()
    assert not draft.keep("time")  # a Keep from an earlier question
    assert draft.step == "place"
    assert draft.keep("place") and draft.step == "unit"


def test_clearing_an_optional_answer_after_back_leaves_it_blank() -> None:
    draft = _dialog(("time", NOW), ("place", "东门"), ("unit", "后勤处"), ("process", "发帖"), ("result", "转发"),
                    ("sentiment", rf.parse_field("sentiment", "负面", now=NOW, tz=TZ)), ("platform", "weibo"),
                    ("link", "https://weibo.com/1"))
    assert draft.step == "reposts"
    assert draft.back() == "link"
    assert draft.skip()
    assert "link" not in draft.values
    assert draft.advance() == "reposts"


def test_editing_one_field_from_the_summary_returns_to_it_whether_changed_or_kept() -> None:
    draft = _pasted()
    draft.edit("place")
    assert draft.current() == "东门"
    assert draft.keep("place") and draft.step is None
    draft.edit("place")
    draft.set("place", "南门")
    assert draft.advance() is None


def test_a_template_pasted_mid_dialog_forgets_where_back_had_been() -> None:
    draft = _dialog(("time", NOW), ("place", "东门"))
    draft.back()
    draft.merge_template(rf.parse_template(TEMPLATE, now=NOW, tz=TZ))
    assert draft.ahead == []


def test_keep_after_a_wrong_value_pasted_over_a_good_answer_keeps_the_answer() -> None:
    draft = Draft.start(NOW)
    draft.merge_template(rf.parse_template("时间：今天 09:00\n地点：东门\n转发：150", now=NOW, tz=TZ))
    draft.advance()
    draft.merge_template(rf.parse_template("地点：东门\n转发：-5", now=NOW, tz=TZ))
    draft.step = None
    assert draft.advance() == "reposts" and draft.current() == 150  # shown with its Keep button
    assert draft.keep("reposts")
    assert draft.step != "reposts" and "reposts" not in draft.invalid and draft.parsed()["reposts"] == 150

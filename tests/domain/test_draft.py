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

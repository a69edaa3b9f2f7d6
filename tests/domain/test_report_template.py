"""Report templates: labelled lines (Chinese or English, full-width colons, synonyms), unknown labels,
per-field errors, and the blank template round trip."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import report as rf
from bot.domain.report import FieldError, Sentiment

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=TZ)


def tpl(text: str) -> rf.TemplateResult:
    return rf.parse_template(text, now=NOW, tz=TZ)


FULL_ZH = """发现时间：2026-11-24 10:00
时间：2026-11-24 09:30
地点：某某学校东门
涉及单位：某某学校后勤处
过程：网民发帖称食堂饭菜有异物。
  帖子配有照片。

多名家长跟帖。
结果：尚无结果
跟帖倾向：负面 70%
平台：微博
链接：https://weibo.com/123
转发：1.2万
评论：350条
阅读：10万+
媒体级别：本地
跨地区：否
类别：质疑
"""


def test_full_template_zh():
    r = tpl(FULL_ZH)
    assert r.errors == {} and r.unknown_labels == []
    assert r.recognised == 15
    v = r.values
    assert v["discovered"] == datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    assert v["time"] == datetime(2026, 11, 24, 9, 30, tzinfo=TZ)
    assert v["place"] == "某某学校东门" and v["unit"] == "某某学校后勤处"
    assert v["process"] == "网民发帖称食堂饭菜有异物。\n  帖子配有照片。\n\n多名家长跟帖。"
    assert v["result"] == "尚无结果"
    assert v["sentiment"] == Sentiment("negative", 70)
    assert v["platform"] == "weibo" and v["link"] == "https://weibo.com/123"
    assert (v["reposts"], v["comments"], v["views"]) == (12000, 350, 100000)
    assert (v["media"], v["cross_region"], v["category"]) == ("county", False, "inquiry")
    assert rf.missing(v) == []


def test_template_en_ascii_colons_and_spaces():
    r = tpl("time : today 09:30\nPlace:  the east gate \nunit:school\nprocess: a post\nresult: none yet\n"
            "sentiment: negative 60 %\nplatform: WeChat\nreposts: 1,200\ncross_region: yes\n")
    assert r.errors == {}
    assert r.values["place"] == "the east gate" and r.values["unit"] == "school"
    assert r.values["sentiment"] == Sentiment("negative", 60)
    assert r.values["platform"] == "wechat" and r.values["reposts"] == 1200 and r.values["cross_region"] is True
    assert rf.missing(r.values) == ["discovered"]


def test_full_width_colons_and_decorations():
    r = tpl("1、时间 ：今天 9:30\n2. 地点：东门\n【涉及单位】后勤处\n**过程**： 有人发帖\n- 平台：抖音")
    assert r.values == {"time": datetime(2026, 11, 24, 9, 30, tzinfo=TZ), "place": "东门", "unit": "后勤处",
                        "process": "有人发帖", "platform": "douyin"}


def test_two_labels_make_a_template():
    assert tpl("时间：今天 9:30\n地点：东门").recognised == 2
    assert tpl("地点：东门").recognised == 1
    assert tpl("今天东门有人打架，大家都在转发").recognised == 0
    assert tpl("他说：明天再说").recognised == 0
    assert tpl("").recognised == 0


def test_unknown_labels():
    r = tpl("时间：今天 9:30\n地点：东门\n报送人：张三\n联系电话：13800000000\n类别：询问\n备注 ： 无\n")
    assert r.unknown_labels == ["报送人", "联系电话", "备注"]
    assert r.recognised == 3
    assert set(r.values) == {"time", "place", "category"}


def test_urls_times_and_sentences_are_not_labels():
    r = tpl("链接：\nhttps://weibo.com/123\n时间：\n今天 09:30\n过程：张某称：食堂有问题\n记者问：为什么？\n"
            "http://example.com/x\n结果：已处理")
    assert r.unknown_labels == []
    assert r.values["link"] == "https://weibo.com/123"
    assert r.values["time"] == datetime(2026, 11, 24, 9, 30, tzinfo=TZ)
    assert r.values["process"] == "张某称：食堂有问题\n记者问：为什么？\nhttp://example.com/x"
    assert r.values["result"] == "已处理"


def test_bracket_headline_is_not_a_label():
    r = tpl("过程：\n【突发】某地发生纠纷\n后续跟进中\n平台：微博")
    assert r.values["process"] == "【突发】某地发生纠纷\n后续跟进中"
    assert r.unknown_labels == []


def test_multiline_process_stops_at_the_next_label():
    r = tpl("过程：第一行\n第二行\n第三行\n结果：第四行\n第五行")
    assert r.values["process"] == "第一行\n第二行\n第三行"
    assert r.values["result"] == "第四行\n第五行"


def test_several_labels_on_one_line():
    r = tpl("时间：今天 9:30，地点：东门；涉及单位：后勤处 平台：微博")
    assert r.values == {"time": datetime(2026, 11, 24, 9, 30, tzinfo=TZ), "place": "东门", "unit": "后勤处",
                        "platform": "weibo"}


def test_english_prose_is_not_split():
    r = tpl("process: they argued and the result: nothing\nplace: gate")
    assert r.values["process"] == "they argued and the result: nothing"


def test_template_errors_are_per_field():
    r = tpl("时间：明年\n地点：东门\n转发：很多\n跟帖倾向：负面 150%\n平台：火星\n链接：ftp://x\n跨地区：也许")
    assert {n: e.code for n, e in r.errors.items()} == {
        "time": "bad_date", "reposts": "not_number", "sentiment": "bad_share", "platform": "bad_choice",
        "link": "bad_url", "cross_region": "bad_choice"}
    assert r.values == {"place": "东门"}
    assert r.recognised == 7


def test_placeholders_and_blank_values_are_skipped():
    r = tpl("时间：今天 9:30\n链接：无\n转发：-\n评论：\n媒体级别：暂无\n跨地区：无\n结果：暂无")
    assert r.errors == {}
    assert r.values == {"time": datetime(2026, 11, 24, 9, 30, tzinfo=TZ), "cross_region": False, "result": "暂无"}


def test_later_label_wins_and_blank_line_ends_one_line_field():
    r = tpl("地点：东门\n地点：西门\n\n随便说点什么\n时间：今天 9:30")
    assert r.values["place"] == "西门"
    assert r.recognised == 2


def test_value_on_the_next_line():
    r = tpl("地点：\n  东门\n转发：\n150")
    assert r.values == {"place": "东门", "reposts": 150}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_template_reparses_to_labels_only(lang):
    text = rf.blank_template(lang)
    lines = text.splitlines()
    assert len(lines) == 1 + len(rf.FIELD_NAMES)
    assert [rf.field_of_label(re.split("[:：]", ln)[0]) for ln in lines[1:]] == list(rf.FIELD_NAMES)
    r = tpl(text)
    assert r.values == {} and r.errors == {} and r.unknown_labels == []
    assert r.recognised == len(rf.FIELD_NAMES)


def test_filled_blank_template_roundtrip():
    text = rf.blank_template("zh").replace("地点：", "地点：东门").replace("平台：", "平台：微博")
    assert tpl(text).values == {"place": "东门", "platform": "weibo"}


def test_labels_with_notes_and_slashes():
    r = tpl("跟帖倾向（负面/中性/正面）：负面\n转发(条)：150\n阅读/播放量：5000\n跨地区（是/否）：是")
    assert r.unknown_labels == []
    assert r.values == {"sentiment": Sentiment("negative", None), "reposts": 150, "views": 5000,
                        "cross_region": True}


_chars = st.sampled_from(list("时间地点过程结果负面转发：:，,。 \n0123456789-/年月日点万%httpsw.【】（）是否")) | st.characters()


@given(st.text(_chars, max_size=300))
def test_parsing_never_crashes(text):
    r = tpl(text)
    assert r.recognised >= len(r.values) + len(r.errors)
    assert set(r.values).isdisjoint(r.errors)
    for name in rf.FIELD_NAMES:
        try:
            rf.parse_field(name, text, now=NOW, tz=TZ)
        except FieldError as e:
            assert e.code in rf.ERROR_CODES
            assert rf.render_error(e, "zh") and rf.render_error(e, "en")

"""The report's fields: parsing (forgiving), validation errors, JSON (templates: test_report_template.py;
display and texts: test_report_display.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import report as rf
from bot.domain.report import FieldError, Sentiment
from tests.domain.test_report_template import FULL_ZH

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=TZ)


def parse(name: str, raw: str):
    return rf.parse_field(name, raw, now=NOW, tz=TZ)


def err(name: str, raw: str) -> FieldError:
    with pytest.raises(FieldError) as info:
        parse(name, raw)
    assert info.value.field == name
    return info.value


def tpl(text: str) -> rf.TemplateResult:
    return rf.parse_template(text, now=NOW, tz=TZ)


# ---------------------------------------------------------------- definitions
def test_field_names_and_required():
    assert rf.FIELD_NAMES == ("discovered", "time", "place", "unit", "process", "result", "sentiment", "platform",
                              "link", "reposts", "comments", "views", "media", "cross_region", "category")
    assert rf.REQUIRED == {"discovered", "time", "place", "unit", "process", "result", "sentiment", "platform"}
    assert set(rf.FIELDS) == set(rf.FIELD_NAMES)
    assert set(rf.CHOICE_FIELDS) == {"sentiment", "platform", "media", "cross_region", "category"}
    for name, spec in rf.FIELDS.items():
        assert spec.name == name and spec.required == (name in rf.REQUIRED)
        assert spec.kind in {"datetime", "text", "sentiment", "choice", "url", "count", "bool"}


def test_contract_labels():
    pairs = {n: (rf.FIELDS[n].label("zh"), rf.FIELDS[n].label("en")) for n in rf.FIELD_NAMES}
    assert pairs == {
        "discovered": ("发现时间", "discovered"), "time": ("时间", "time"), "place": ("地点", "place"),
        "unit": ("涉及单位", "unit"), "process": ("过程", "process"), "result": ("结果", "result"),
        "sentiment": ("跟帖倾向", "sentiment"), "platform": ("平台", "platform"), "link": ("链接", "link"),
        "reposts": ("转发", "reposts"), "comments": ("评论", "comments"), "views": ("阅读", "views"),
        "media": ("媒体级别", "media"), "cross_region": ("跨地区", "cross_region"), "category": ("类别", "category"),
    }


def test_max_lengths():
    assert rf.FIELDS["place"].max_len == rf.FIELDS["unit"].max_len == 200
    assert rf.FIELDS["process"].max_len == rf.FIELDS["result"].max_len == 2000
    assert rf.FIELDS["link"].max_len == 2048


@pytest.mark.parametrize("label, name", [
    ("发现时间", "discovered"), ("discovered", "discovered"), ("时间", "time"), ("time", "time"),
    ("发生时间", "time"), ("地点", "place"), ("place", "place"), ("地址", "place"), ("涉及单位", "unit"),
    ("unit", "unit"), ("单位", "unit"), ("过程", "process"), ("process", "process"), ("经过", "process"),
    ("结果", "result"), ("result", "result"), ("后果", "result"), ("跟帖倾向", "sentiment"),
    ("sentiment", "sentiment"), ("倾向", "sentiment"), ("评论倾向", "sentiment"), ("平台", "platform"),
    ("platform", "platform"), ("来源", "platform"), ("链接", "link"), ("link", "link"), ("网址", "link"),
    ("URL", "link"), ("转发", "reposts"), ("reposts", "reposts"), ("转发量", "reposts"), ("转发数", "reposts"),
    ("评论", "comments"), ("comments", "comments"), ("评论数", "comments"), ("阅读", "views"),
    ("views", "views"), ("阅读量", "views"), ("浏览", "views"), ("媒体级别", "media"), ("media", "media"),
    ("媒体", "media"), ("跨地区", "cross_region"), ("cross_region", "cross_region"),
    ("Cross-Region", "cross_region"), ("cross region", "cross_region"), ("跨区域", "cross_region"),
    ("类别", "category"), ("category", "category"), ("分类", "category"), ("ＴＩＭＥ", "time"),
])
def test_label_synonyms(label, name):
    assert rf.field_of_label(label) == name


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("raw, expected", [
    ("2026-11-24 09:30", datetime(2026, 11, 24, 9, 30)),
    ("2026/11/24 9:30", datetime(2026, 11, 24, 9, 30)),
    ("2026.11.24 09:30", datetime(2026, 11, 24, 9, 30)),
    ("2026年11月24日 9时30分", datetime(2026, 11, 24, 9, 30)),
    ("2026年11月24日9点30", datetime(2026, 11, 24, 9, 30)),
    ("２０２６－１１－２４　０９：３０", datetime(2026, 11, 24, 9, 30)),
    ("11-24 09:30", datetime(2026, 11, 24, 9, 30)),
    ("11月24日 09:30", datetime(2026, 11, 24, 9, 30)),
    ("今天 09:30", datetime(2026, 11, 24, 9, 30)),
    ("today 9:30", datetime(2026, 11, 24, 9, 30)),
    ("昨天 21:00", datetime(2026, 11, 23, 21, 0)),
    ("yesterday 21:00", datetime(2026, 11, 23, 21, 0)),
    ("today 9am", datetime(2026, 11, 24, 9, 0)),
    ("yesterday 9 pm", datetime(2026, 11, 23, 21, 0)),
    ("昨晚9点", datetime(2026, 11, 23, 21, 0)),
    ("前天 上午10点半", datetime(2026, 11, 22, 10, 30)),
    ("今天 9:30 pm", None),  # future → error, tested below
    ("09:30", datetime(2026, 11, 24, 9, 30)),
    ("9点", datetime(2026, 11, 24, 9, 0)),
    ("2026-11-24T09:30:00+08:00", datetime(2026, 11, 24, 9, 30)),
    ("2026-11-24T01:30:00Z", datetime(2026, 11, 24, 9, 30)),
    ("2026-11-24T09:30", datetime(2026, 11, 24, 9, 30)),
    ("2026-11-24", datetime(2026, 11, 24, 0, 0)),
    ("2小时前", datetime(2026, 11, 24, 10, 0)),
    ("30 minutes ago", datetime(2026, 11, 24, 11, 30)),
    ("现在", datetime(2026, 11, 24, 12, 0)),
    # as people type on a phone: Chinese numerals, half hours, a number of days before
    ("两小时前", datetime(2026, 11, 24, 10, 0)),
    ("十分钟前", datetime(2026, 11, 24, 11, 50)),
    ("半小时前", datetime(2026, 11, 24, 11, 30)),
    ("一个半小时前", datetime(2026, 11, 24, 10, 30)),
    ("一个小时之前", datetime(2026, 11, 24, 11, 0)),
    ("half an hour ago", datetime(2026, 11, 24, 11, 30)),
    ("an hour ago", datetime(2026, 11, 24, 11, 0)),
    ("三天前", datetime(2026, 11, 21, 12, 0)),
    ("3天前 10点", datetime(2026, 11, 21, 10, 0)),
    ("两天前下午3点", datetime(2026, 11, 22, 15, 0)),
    ("大前天 9:00", datetime(2026, 11, 21, 9, 0)),
    ("前晚8点", datetime(2026, 11, 22, 20, 0)),
    ("昨天下午三点十五分", datetime(2026, 11, 23, 15, 15)),
    ("今天上午十点半", datetime(2026, 11, 24, 10, 30)),
    ("十一月二十三日 下午三点", datetime(2026, 11, 23, 15, 0)),
    ("二〇二六年十一月二十三日 9:00", datetime(2026, 11, 23, 9, 0)),
    # an incomplete date that would be in the future is the latest past one
    ("12-31 10:00", datetime(2025, 12, 31, 10, 0)),
    ("23:00", datetime(2026, 11, 23, 23, 0)),
])
def test_dates(raw, expected):
    if expected is None:
        assert err("time", raw).code == "future"
        return
    value = parse("time", raw)
    assert value.tzinfo is not None
    assert value == expected.replace(tzinfo=TZ)
    assert value.utcoffset() == timedelta(hours=8)


def test_date_with_other_offset_is_the_same_instant():
    value = parse("discovered", "2026-11-24T03:30:00+02:00")
    assert value == datetime(2026, 11, 24, 9, 30, tzinfo=TZ)


def test_naive_now_is_taken_in_tz():
    assert rf.parse_field("time", "今天 09:30", now=NOW.replace(tzinfo=None), tz=TZ) == datetime(
        2026, 11, 24, 9, 30, tzinfo=TZ)


@pytest.mark.parametrize("raw", ["abc", "明天后天", "2026-13-01 10:00", "2026-02-30", "25:00", "9", "09:30 abc"])
def test_bad_dates(raw):
    e = err("time", raw)
    assert e.code == "bad_date"


@pytest.mark.parametrize("raw", ["2026-11-25 10:00", "今天 13:00", "2027-01-01", "明天", "明天 10:00", "明早8点",
                                 "tomorrow 9am", "今天下午三点"])
def test_future_dates(raw):
    """A day after today is understood, so that the monitor is told it is in the future, not that the bot
    cannot read it."""
    assert err("time", raw).code == "future"


def test_future_slack_of_five_minutes():
    assert parse("time", "今天 12:04") == datetime(2026, 11, 24, 12, 4, tzinfo=TZ)
    assert err("time", "今天 12:06").code == "future"


# ---------------------------------------------------------------- counts
@pytest.mark.parametrize("raw, expected", [
    ("150", 150), ("0", 0), ("1,200", 1200), ("1，200", 1200), ("1.2万", 12000), ("3千", 3000), ("150条", 150),
    ("约200", 200), ("200+", 200), ("10万+", 100000), ("200余条", 200), ("1 200", 1200), ("12k", 12000),
    ("1.5w", 15000), ("１５０", 150), ("about 300", 300), ("超过100次", 100),
    ("三万", 30000), ("两千多", 2000), ("一千二百", 1200), ("两万三", 23000), ("约五千", 5000), ("十万+", 100000),
    ("一百五十条", 150),
])
def test_counts(raw, expected):
    assert parse("reposts", raw) == expected
    assert isinstance(parse("views", raw), int)


@pytest.mark.parametrize("raw, code", [
    ("-5", "negative"), ("- 5", "negative"), ("abc", "not_number"), ("1.5", "not_number"), ("很多", "not_number"),
    ("12a", "not_number"), ("负五", "not_number"), ("-五", "negative"), ("万", "not_number"),
])
def test_count_errors(raw, code):
    assert err("comments", raw).code == code


# ---------------------------------------------------------------- sentiment, choices, bool
@pytest.mark.parametrize("raw, expected", [
    ("负面 70%", Sentiment("negative", 70)), ("负面70%", Sentiment("negative", 70)),
    ("negative 70 %", Sentiment("negative", 70)), ("负面", Sentiment("negative", None)),
    ("70%负面", Sentiment("negative", 70)), ("Negative", Sentiment("negative", None)),
    ("中性", Sentiment("neutral", None)), ("正面 100%", Sentiment("positive", 100)),
    ("负面（约70%）", Sentiment("negative", 70)), ("负面为主", Sentiment("negative", None)),
    ("负面 0%", Sentiment("negative", 0)), ("negative", Sentiment("negative", None)),
    ("负面 70% 中性 20% 正面 10%", Sentiment("negative", 70)),
])
def test_sentiment(raw, expected):
    assert parse("sentiment", raw) == expected


@pytest.mark.parametrize("raw, code", [
    ("负面 170%", "bad_share"), ("负面 -10%", "bad_share"), ("很好", "bad_choice"), ("70%", "bad_choice"),
])
def test_sentiment_errors(raw, code):
    assert err("sentiment", raw).code == code


@pytest.mark.parametrize("name, raw, slug", [
    ("media", "本地", "county"), ("media", "县级/本地", "county"), ("media", "county", "county"),
    ("media", "省级媒体", "provincial"), ("media", "中央", "central"), ("platform", "微博", "weibo"),
    ("platform", "weibo", "weibo"), ("platform", "新浪微博", "weibo"), ("platform", "B站", "bilibili"),
    ("platform", "论坛/贴吧", "forum"), ("platform", "贴吧", "forum"), ("platform", "news_site", "news_site"),
    ("platform", "抖音短视频", "douyin"), ("platform", "https://www.zhihu.com/question/1", "zhihu"),
    ("category", "询问/置疑/诉求", "inquiry"), ("category", "质疑", "inquiry"), ("category", "炒作", "hype"),
    ("category", "fabrication", "fabrication"), ("category", "建设性建议", "constructive"),
])
def test_choices(name, raw, slug):
    assert parse(name, raw) == slug


def test_unknown_choice_lists_the_valid_labels():
    e = err("platform", "火星")
    assert e.code == "bad_choice"
    assert e.params["choices"] == tuple(t.zh for t in rf.CHOICE_FIELDS["platform"].terms)
    assert "微博" in rf.render_error(e, "zh") and "Weibo" in rf.render_error(e, "en")


@pytest.mark.parametrize("raw, expected", [
    ("是", True), ("否", False), ("yes", True), ("no", False), ("YES", True), ("是，涉及两省", True),
    ("不跨", False), ("无", False), ("有", True),
])
def test_bool(raw, expected):
    assert parse("cross_region", raw) is expected


def test_bool_error():
    assert err("cross_region", "也许").code == "bad_choice"


# ---------------------------------------------------------------- links and text
@pytest.mark.parametrize("raw, expected", [
    ("https://weibo.com/123", "https://weibo.com/123"),
    ("http://example.com/a?b=1", "http://example.com/a?b=1"),
    ("weibo.com/123", "https://weibo.com/123"),
    ("原帖 https://weibo.com/1234。已截图", "https://weibo.com/1234"),
])
def test_links(raw, expected):
    assert parse("link", raw) == expected


@pytest.mark.parametrize("raw", ["ftp://example.com/x", "javascript:alert(1)", "不知道", "mailto:a@b.c"])
def test_link_errors(raw):
    assert err("link", raw).code == "bad_url"


def test_too_long():
    assert err("place", "东" * 201).code == "too_long"
    assert parse("place", "东" * 200) == "东" * 200
    e = err("process", "x" * 2001)
    assert e.code == "too_long" and e.params == {"length": 2001, "max": 2000}
    assert "2001" in rf.render_error(e, "zh") and "2000" in rf.render_error(e, "en")
    assert err("link", "https://a.com/" + "x" * 2048).code == "too_long"


def test_text_is_stripped_and_empty_is_an_error():
    assert parse("unit", "  某某学校后勤处 \n") == "某某学校后勤处"
    assert parse("result", "暂无") == "暂无"  # an answer, not a placeholder, in free text
    assert err("place", "   ").code == "empty"
    assert err("reposts", "无").code == "empty"


@pytest.mark.parametrize("name, raw, code", [
    ("time", "abc", "bad_date"), ("time", "2027-01-01 00:00", "future"), ("reposts", "-1", "negative"),
    ("reposts", "many", "not_number"), ("link", "ftp://x.y", "bad_url"), ("place", "x" * 300, "too_long"),
    ("media", "月球", "bad_choice"), ("sentiment", "负面 120%", "bad_share"), ("unit", "", "empty"),
])
def test_every_error_code_renders_in_both_languages(name, raw, code):
    e = err(name, raw)
    assert e.code == code
    zh, en = rf.render_error(e, "zh"), rf.render_error(e, "en")
    assert f"「{rf.FIELDS[name].zh}」" in zh
    assert f'"{rf.FIELDS[name].en}"' in en
    assert "{" not in zh + en and "\n" not in zh + en


def test_error_message_example():
    assert rf.render_error(err("reposts", "abc"), "zh") == "「转发」需要一个非负整数，例如 150。"


def test_all_error_codes_are_covered():
    assert set(rf.ERROR_CODES) == {"empty", "bad_date", "future", "not_number", "negative", "bad_url", "too_long",
                                   "bad_choice", "bad_share", "too_early", "too_large"}


# ---------------------------------------------------------------- detect_platform / extract_link
@pytest.mark.parametrize("url, slug", [
    ("https://weibo.com/1234567/AbCdE", "weibo"), ("https://m.weibo.cn/status/1", "weibo"),
    ("https://mp.weixin.qq.com/s/abc", "wechat"), ("https://v.douyin.com/abc/", "douyin"),
    ("https://www.douyin.com/video/1", "douyin"), ("https://www.kuaishou.com/short-video/1", "kuaishou"),
    ("https://www.bilibili.com/video/BV1", "bilibili"), ("https://b23.tv/abc", "bilibili"),
    ("https://www.zhihu.com/question/1", "zhihu"), ("https://zhuanlan.zhihu.com/p/1", "zhihu"),
    ("https://tieba.baidu.com/p/1", "forum"), ("http://bbs.example.cn/thread-1", "forum"),
    ("https://www.thepaper.cn/newsDetail_forward_1", "news_site"), ("https://example.com/x", None),
    ("https://notweibo.com/x", None), ("https://www.baidu.com/s?wd=x", None), ("not a url", None), ("", None),
])
def test_detect_platform(url, slug):
    assert rf.detect_platform(url) == slug


@pytest.mark.parametrize("text, url", [
    ("看这个 https://weibo.com/123 太离谱了", "https://weibo.com/123"),
    ("原帖：https://weibo.com/123。", "https://weibo.com/123"),
    ("链接https://weibo.com/123，请核实", "https://weibo.com/123"),
    ("(see https://example.com/a)", "https://example.com/a"),
    ("https://a.com/x https://b.com/y", "https://a.com/x"),
    ("没有链接", None), ("ftp://example.com", None), ("", None),
])
def test_extract_link(text, url):
    assert rf.extract_link(text) == url


# ---------------------------------------------------------------- missing
def test_missing():
    assert rf.missing({}) == ["discovered", "time", "place", "unit", "process", "result", "sentiment", "platform"]
    values = tpl(FULL_ZH).values
    del values["place"], values["sentiment"]
    values["unit"] = ""
    assert rf.missing(values) == ["place", "unit", "sentiment"]
    values["reposts"] = None  # optional fields never count
    assert rf.missing(values) == ["place", "unit", "sentiment"]


# ---------------------------------------------------------------- JSON
def test_to_json_shapes():
    values = tpl(FULL_ZH).values
    data = rf.to_json(values)
    assert data["time"] == "2026-11-24T09:30:00+08:00"
    assert data["sentiment"] == {"slug": "negative", "share": 70}
    assert data["cross_region"] is False and data["reposts"] == 12000
    assert rf.from_json(data) == values
    assert rf.to_json(data) == data  # idempotent
    assert rf.from_json(rf.from_json(data)) == values


def test_from_json_accepts_a_bare_sentiment_slug():
    assert rf.from_json({"sentiment": "neutral"}) == {"sentiment": Sentiment("neutral", None)}


_tz_dt = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), allow_imaginary=False,
                      timezones=st.sampled_from([TZ, ZoneInfo("UTC"), ZoneInfo("Europe/Berlin")]))
_values = st.fixed_dictionaries({}, optional={
    "discovered": _tz_dt, "time": _tz_dt,
    "place": st.text(max_size=200), "unit": st.text(max_size=20), "process": st.text(max_size=200),
    "result": st.text(max_size=50),
    "sentiment": st.builds(Sentiment, st.sampled_from(rf.CHOICE_FIELDS["sentiment"].slugs),
                           st.none() | st.integers(0, 100)),
    "platform": st.sampled_from(rf.CHOICE_FIELDS["platform"].slugs),
    "link": st.text(max_size=30).map(lambda s: "https://example.com/" + s),
    "reposts": st.integers(0, 10**12), "comments": st.integers(0, 10**6), "views": st.integers(0, 10**9),
    "media": st.sampled_from(rf.CHOICE_FIELDS["media"].slugs), "cross_region": st.booleans(),
    "category": st.sampled_from(rf.CHOICE_FIELDS["category"].slugs),
})


@given(_values)
def test_json_roundtrip(values):
    import json

    data = json.loads(json.dumps(rf.to_json(values)))
    back = rf.from_json(data)
    # Datetimes compare as instants: Python never equates an ambiguous (DST fold) time across zones.
    utc = {k: (v.astimezone(ZoneInfo("UTC")) if isinstance(v, datetime) else v) for k, v in values.items()}
    assert {k: (v.astimezone(ZoneInfo("UTC")) if isinstance(v, datetime) else v) for k, v in back.items()} == utc
    for name in ("discovered", "time"):
        if name in values:
            assert back[name].utcoffset() == values[name].utcoffset()


@given(_values)
def test_summary_never_fails(values):
    for lang in ("zh", "en"):
        lines = rf.summary_lines(values, lang, TZ)
        assert len(lines) >= len(rf.REQUIRED)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿半点时分天前小个0123456789:年月日 ", max_size=16))
def test_chinese_numerals_in_any_order_parse_or_are_refused_never_crash(raw):
    for name in ("time", "reposts"):
        try:
            rf.parse_field(name, raw, now=NOW, tz=TZ)
        except rf.FieldError:
            pass


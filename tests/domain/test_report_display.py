"""The report's fields shown to people: values, summaries, prompts, and their texts in both languages."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain import report as rf
from bot.domain.report import Sentiment
from bot.i18n import CATALOG

TZ = ZoneInfo("Asia/Shanghai")


# ---------------------------------------------------------------- display
@pytest.mark.parametrize("name, value, zh, en", [
    ("sentiment", Sentiment("negative", 70), "负面 70%", "negative 70%"),
    ("sentiment", Sentiment("neutral", None), "中性", "neutral"),
    ("time", datetime(2026, 11, 24, 9, 30, tzinfo=TZ), "2026-11-24 09:30", "2026-11-24 09:30"),
    ("time", datetime(2026, 11, 24, 1, 30, tzinfo=ZoneInfo("UTC")), "2026-11-24 09:30", "2026-11-24 09:30"),
    ("time", "2026-11-24T09:30:00+08:00", "2026-11-24 09:30", "2026-11-24 09:30"),
    ("cross_region", True, "是", "yes"), ("cross_region", False, "否", "no"),
    ("media", "county", "县级/本地", "county"), ("platform", "bilibili", "B站", "Bilibili"),
    ("category", "hype", "恶意传播/炒作", "hype"), ("reposts", 12000, "12,000", "12,000"),
    ("place", "东门", "东门", "东门"), ("link", "https://a.com/x", "https://a.com/x", "https://a.com/x"),
    ("place", None, "（未填）", "(not filled in)"),
])
def test_format_value(name, value, zh, en):
    assert rf.format_value(name, value, "zh", TZ) == zh
    assert rf.format_value(name, value, "en", TZ) == en


def test_summary_lines_both_languages():
    values = {"time": datetime(2026, 11, 24, 9, 30, tzinfo=TZ), "place": "东门",
              "sentiment": Sentiment("negative", 70), "reposts": 150}
    zh = rf.summary_lines(values, "zh", TZ)
    assert "时间：2026-11-24 09:30" in zh and "跟帖倾向：负面 70%" in zh and "转发：150" in zh
    assert "涉及单位：（未填）" in zh  # required fields always shown
    assert not any(line.startswith(("评论", "链接", "类别")) for line in zh)  # unfilled optional omitted
    assert len(zh) == len(rf.REQUIRED) + 1
    en = rf.summary_lines(values, "en", TZ)
    assert "time: 2026-11-24 09:30" in en and "sentiment: negative 70%" in en and "reposts: 150" in en
    assert [ln.split(":")[0] for ln in en] == [n for n in rf.FIELD_NAMES if n in rf.REQUIRED or n in values]


def test_prompts_and_hints():
    assert rf.prompt("time", "zh") == "事件发生的时间？（例如 2026-11-24 09:30，或“今天 09:30”）"
    for name in rf.FIELD_NAMES:
        for lang in ("zh", "en"):
            assert rf.prompt(name, lang).strip() and rf.hint(name, lang).strip()
        assert rf.prompt(name, "zh") != rf.prompt(name, "en")


# ---------------------------------------------------------------- i18n
def test_every_i18n_key_exists_in_both_languages():
    for key in rf.i18n_keys():
        assert CATALOG[key]["zh"].strip() and CATALOG[key]["en"].strip(), key


def test_i18n_keys_used_in_source_are_listed():
    root = Path(rf.__file__).parent
    src = "".join((root / f).read_text(encoding="utf-8") for f in ("report.py", "report_fields.py", "report_parse.py", "report_template.py"))
    used = set(re.findall(r"\"((?:field|report\.err)\.[a-z_.]+)\"", src))
    assert used <= set(rf.i18n_keys())
    own = {k for k in CATALOG if k.startswith(("field.", "report.err."))}
    assert own == set(rf.i18n_keys())


def test_i18n_placeholders_match_between_languages():
    for key in rf.i18n_keys():
        fields = [set(re.findall(r"{(\w+)}", CATALOG[key][lang])) for lang in ("zh", "en")]
        assert fields[0] == fields[1], key

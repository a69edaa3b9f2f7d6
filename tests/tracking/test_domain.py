"""Pure rules of tracking and closure: follow-up parsing, summary parsing, who confirms, policy keys."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.closure import may_confirm, may_propose, merge, parse_summary
from bot.domain.followup import counts_platform, parse_followup
from bot.domain.policy import Policy

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.fromisoformat("2026-11-24T10:00:00+08:00")


def test_follow_up_labels_shared_with_the_report_and_its_own() -> None:
    r = parse_followup("转发：1.2万，评论：300\n跟帖倾向：负面 60%\n平台：微博、抖音\n媒体级别：省级\n"
                       "地区：北京、本市\n观察时间：今天 09:30\n已有网民澄清", now=NOW, tz=TZ)
    assert (r.reposts, r.comments, r.views) == (12000, 300, None)
    assert (r.sentiment, r.sentiment_share, r.media) == ("negative", 60, "provincial")
    assert r.platforms == ["weibo", "douyin"] and r.regions == ["北京", "本市"]
    assert r.observed_at == datetime.fromisoformat("2026-11-24T09:30:00+08:00")
    assert r.text == "已有网民澄清" and not r.errors and r.has_counts


def test_english_labels_and_a_note() -> None:
    r = parse_followup("reposts: 500\nviews: 3k\nregion: Beijing, Shanghai\nnote: calming down\nmore to come",
                       now=NOW, tz=TZ)
    assert (r.reposts, r.views, r.regions) == (500, 3000, ["Beijing", "Shanghai"])
    assert r.text == "calming down\nmore to come"


def test_report_only_labels_and_plain_text_are_kept_as_text() -> None:
    r = parse_followup("地点：东门\n食堂已整改", now=NOW, tz=TZ)
    assert r.text == "地点：东门\n食堂已整改" and not r.has_counts and not r.is_empty


@pytest.mark.parametrize(("text", "field", "code"), [
    ("转发：-3", "reposts", "negative"),
    ("平台：火星网", "platform", "bad_choice"),
    ("跟帖倾向：负面 170%", "sentiment", "bad_share"),
    ("观察时间：明年", "observed", "bad_date"),
    ("地区：" + "很长" * 20, "region", "too_long"),
])
def test_bad_values_are_named(text: str, field: str, code: str) -> None:
    errors = parse_followup(text, now=NOW, tz=TZ).errors
    assert [(e.field, e.code) for e in errors] == [(field, code)]


def test_empty_follow_up() -> None:
    assert parse_followup("  \n", now=NOW, tz=TZ).is_empty


def test_counts_belong_to_the_named_platform_or_the_reported_one() -> None:
    one = parse_followup("平台：抖音\n转发：120", now=NOW, tz=TZ)
    two = parse_followup("平台：抖音、快手\n转发：120", now=NOW, tz=TZ)
    assert counts_platform(one, "weibo") == "douyin" and counts_platform(two, "weibo") == "weibo"


def test_summary_parts_in_zh_and_en_with_continuation_lines() -> None:
    s = parse_summary("原因：食堂管理疏漏\n传播：微博转发\n两天后平息\nhandling: apology\nlessons: check food")
    assert s.parts == {"cause": "食堂管理疏漏", "spread": "微博转发\n两天后平息", "handling": "apology",
                       "lessons": "check food"}
    assert not s.missing
    partial = parse_summary("起因：谣言\n教训：及早回应")
    assert partial.missing == ["spread", "handling"]
    assert merge({"spread": "本地"}, partial) == {"spread": "本地", "cause": "谣言", "lessons": "及早回应"}


def test_who_confirms_and_proposes() -> None:
    assert may_confirm(("supervising_leader",), "leader") and may_confirm(("leading_group",), "leader")
    assert not may_confirm(("office",), "leader")
    assert may_confirm(("main_leader",), "main_leader") and not may_confirm(("supervising_leader",), "main_leader")
    assert may_propose(("office",), in_office_chat=False) and may_propose(("monitor",), in_office_chat=True)
    assert not may_propose(("monitor",), in_office_chat=False)


def test_policy_sections_defaults_overrides_and_errors() -> None:
    p = Policy.from_mapping(None)
    assert (p.tracking.reminder_every_hours, p.tracking.working_time_only) == (4, True)
    assert [p.closure.approver_for(g) for g in ("general", "major", "especially_major")] == \
        ["leader", "main_leader", "main_leader"]
    q = Policy.from_mapping({"closure": {"approver_major": "leader"}, "tracking": {"reminder_every_hours": 1.5}})
    assert q.closure.approver_for("major") == "leader" and q.tracking.reminder_every_hours == 1.5
    assert "tracking" in p.to_mapping() and "closure" in p.to_mapping()
    for bad in ({"closure": {"approver_major": "boss"}}, {"tracking": {"reminder_every_hours": 0}},
                {"tracking": {"working_time_only": "yes"}}, {"tracking": {"every": 3}}):
        with pytest.raises(ValueError):
            Policy.from_mapping(bad)


def test_follow_up_labels_inside_one_line() -> None:
    r = parse_followup("转发：999 说明：又被转发，地区：上海", now=NOW, tz=TZ)
    assert (r.reposts, r.text, r.regions) == (999, "又被转发", ["上海"])
    assert parse_followup("说明：他说明天：再看", now=NOW, tz=TZ).text == "他说明天：再看"


# How the handlers show each service's result: "{ok prefix}{code}" / "{error prefix}{code}".
SHOWN_AS = {
    "bot/services/tracking.py": {
        ("assign_tracker", "_unassign", "tracker_status"): ("track.", "track.err."),
        ("follow_question", "follow_target", "record_followup"): ("follow.", "follow.err."),
    },
    "bot/services/closure.py": {
        ("check_proposer", "propose", "decide"): ("close.", "close.err."),
        ("reopen", "request_reopen"): ("reopen.", "reopen.err."),
    },
}
# codes a handler shows under another key (None: never shown — a check before the dialog goes on)
SHOWN_ELSEWHERE = {"close.ok": None, "close.err.warn": "close.warn.header", "reopen.reopened": "reopen.done",
                   "reopen.forwarded": "follow.reopen_forwarded"}


def _result_codes() -> dict[str, set[str]]:
    """Every Result("code") / fail("code") in the tracking and closure services, by the key it is shown with."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    keys: dict[str, set[str]] = {}
    for path, groups in SHOWN_AS.items():
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
        for fn in (n for n in tree.body if isinstance(n, ast.AsyncFunctionDef | ast.FunctionDef)):
            calls = [c for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                     and c.func.id in ("Result", "fail") and c.args and isinstance(c.args[0], ast.Constant)]
            if not calls:
                continue
            prefixes = next((v for names, v in groups.items() if fn.name in names), None)
            assert prefixes is not None, f"{path}:{fn.name} returns results: say in SHOWN_AS how they are shown"
            for c in calls:
                key = (prefixes[0] if c.func.id == "Result" else prefixes[1]) + c.args[0].value
                key = SHOWN_ELSEWHERE.get(key, key)
                if key is not None:
                    keys.setdefault(key, set()).add(f"{path}:{fn.name}")
    return keys


def _literal_keys() -> set[str]:
    """Keys named literally, t("…"), in the handlers and services of tracking and closure."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = ["handlers/tracking.py", "handlers/closure.py", *SHOWN_AS]
    return {k for f in files for k in re.findall(r'\bt\("([a-z_.]+)"', (root / f).read_text(encoding="utf-8"))}


def test_every_result_code_has_a_text() -> None:
    from bot.i18n import CATALOG

    codes = _result_codes()
    assert {"track.err.not_allowed", "close.err.decided", "reopen.err.not_closed", "follow.recorded"} <= set(codes)
    missing = sorted(k for k in [*codes, *_literal_keys()] if k not in CATALOG)
    assert not missing
    fixed = {
        "follow.field.": ["region", "observed", "text"],
        "close.part.": ["cause", "spread", "handling", "lessons"], "close.hint.": ["cause", "spread", "handling", "lessons"],
        "status.": ["closed", "reopened"],
    }
    assert not [p + c for p, cs in fixed.items() for c in cs if p + c not in CATALOG]

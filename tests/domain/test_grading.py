"""Grading: the seed's rules, policy overrides, combining reports, override and regrade, text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.grading import (
    RULE_CODES,
    FiredRule,
    GradeResult,
    GradingError,
    GradingFacts,
    GradingPolicy,
    ReportFacts,
    compute_grade,
    grade_rank,
    override,
    regrade,
    render_decision,
    render_rules,
)
from bot.i18n import CATALOG

DOUYIN_300 = GradingPolicy.from_mapping({"repost_thresholds": {"douyin": 300}})
ESPECIALLY_ON = GradingPolicy.from_mapping({
    "especially_major_repost_threshold": 1000,
    "especially_major_media_levels": ["central"],
})

CASES = [
    # id, facts, policy, grade, rule codes
    ("weibo-99", GradingFacts(platform="weibo", reposts=99), None, "general", ["within_jurisdiction"]),
    # 达100条以上: with the seed's threshold of 100, 149 is already major (the brief's "149 general" cannot hold)
    ("weibo-149", GradingFacts(platform="weibo", reposts=149), None, "major", ["weibo_reposts"]),
    ("weibo-149-threshold-150", GradingFacts(platform="weibo", reposts=149),
     GradingPolicy.from_mapping({"weibo_repost_threshold": 150}), "general", ["within_jurisdiction"]),
    ("weibo-100", GradingFacts(platform="weibo", reposts=100), None, "major", ["weibo_reposts"]),
    ("weibo-150", GradingFacts(platform="weibo", reposts=150), None, "major", ["weibo_reposts"]),
    ("douyin-500-default", GradingFacts(platform="douyin", reposts=500), None, "general", ["within_jurisdiction"]),
    ("douyin-500-policy", GradingFacts(platform="douyin", reposts=500), DOUYIN_300, "major", ["platform_reposts"]),
    ("douyin-299-policy", GradingFacts(platform="douyin", reposts=299), DOUYIN_300, "general",
     ["within_jurisdiction"]),
    ("provincial", GradingFacts(media_level="provincial"), None, "major", ["media_level"]),
    ("city", GradingFacts(media_level="city"), None, "major", ["media_level"]),
    ("central", GradingFacts(media_level="central"), None, "major", ["media_level"]),
    ("county", GradingFacts(media_level="county"), None, "general", ["within_jurisdiction"]),
    ("self-media", GradingFacts(media_level="self_media"), None, "general", ["within_jurisdiction"]),
    ("cross-region", GradingFacts(cross_region=True), None, "major", ["cross_region"]),
    ("not-cross-region", GradingFacts(cross_region=False), None, "general", ["within_jurisdiction"]),
    ("cross-region-off", GradingFacts(cross_region=True), GradingPolicy.from_mapping({"cross_region_is_major": False}),
     "general", ["within_jurisdiction"]),
    ("image-large", GradingFacts(image_impact="large"), None, "major", ["image_impact_large"]),
    ("image-small", GradingFacts(image_impact="small"), None, "general", ["within_jurisdiction"]),
    ("nothing", GradingFacts(), None, "general", ["within_jurisdiction"]),
    ("several", GradingFacts(platform="weibo", reposts=120, media_level="city", cross_region=True,
                             image_impact="large"), None, "major",
     ["weibo_reposts", "media_level", "cross_region", "image_impact_large"]),
    ("especially-off-weibo", GradingFacts(platform="weibo", reposts=100_000), None, "major", ["weibo_reposts"]),
    ("especially-off-central", GradingFacts(media_level="central"), None, "major", ["media_level"]),
    ("especially-on-weibo", GradingFacts(platform="weibo", reposts=1000), ESPECIALLY_ON, "especially_major",
     ["weibo_reposts"]),
    ("especially-on-weibo-999", GradingFacts(platform="weibo", reposts=999), ESPECIALLY_ON, "major",
     ["weibo_reposts"]),
    ("especially-on-central", GradingFacts(media_level="central"), ESPECIALLY_ON, "especially_major",
     ["media_level"]),
    ("especially-on-provincial", GradingFacts(media_level="provincial"), ESPECIALLY_ON, "major", ["media_level"]),
    ("weibo-threshold-200", GradingFacts(platform="weibo", reposts=150),
     GradingPolicy.from_mapping({"weibo_repost_threshold": 200}), "general", ["within_jurisdiction"]),
    ("views-policy", GradingFacts(platform="wechat", views=100_000),
     GradingPolicy.from_mapping({"view_thresholds": {"微信": 100_000}}), "major", ["platform_views"]),
    ("comments-policy", GradingFacts(platform="zhihu", comments=50),
     GradingPolicy.from_mapping({"comment_thresholds": {"zhihu": 50}}), "major", ["platform_comments"]),
]


@pytest.mark.parametrize(("facts", "policy", "grade", "codes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_grading_table(facts, policy, grade, codes):
    result = compute_grade(facts, policy)
    assert result.grade == grade
    assert [r.code for r in result.rules] == codes


def test_fired_rule_params():
    result = compute_grade(GradingFacts(platform="weibo", reposts=150))
    assert result == GradeResult("major", [FiredRule("weibo_reposts", {"count": 150, "threshold": 100})])
    douyin = compute_grade(GradingFacts(platform="douyin", reposts=500), DOUYIN_300)
    assert douyin.rules == [FiredRule("platform_reposts", {"platform": "douyin", "count": 500, "threshold": 300})]
    assert compute_grade(GradingFacts(media_level="provincial")).rules == [FiredRule("media_level",
                                                                                     {"level": "provincial"})]


def test_render_both_languages():
    result = compute_grade(GradingFacts(platform="weibo", reposts=150))
    assert render_rules(result, "zh") == "重大：微博转发 150 ≥ 100"
    assert render_rules(result, "en") == "major: Weibo reposts 150 ≥ 100"
    several = compute_grade(GradingFacts(platform="weibo", reposts=150, media_level="provincial"))
    assert render_rules(several, "zh") == "重大：微博转发 150 ≥ 100；省级主流媒体曝光"
    assert render_rules(several, "en") == "major: Weibo reposts 150 ≥ 100; exposed by provincial mainstream media"
    douyin = compute_grade(GradingFacts(platform="douyin", reposts=500), DOUYIN_300)
    assert render_rules(douyin, "zh") == "重大：抖音转发 500 ≥ 300"
    assert render_rules(compute_grade(GradingFacts()), "en") == "general: within own jurisdiction, small effect"
    assert render_rules(compute_grade(GradingFacts()), "zh").startswith("一般：")


def test_reports_combine():
    facts = GradingFacts.combine([
        ReportFacts(platform="weibo", reposts=60, media_level="county"),
        ReportFacts(platform="weibo", reposts=110, cross_region=False),
        ReportFacts(platform="douyin", reposts=400, media_level="city"),
        ReportFacts(platform="wechat", cross_region=True),
    ])
    assert facts.max_by_platform("reposts") == {"weibo": 110, "douyin": 400}
    assert facts.any_cross_region is True
    assert facts.highest_media_level == "city"
    result = compute_grade(facts)
    assert result.grade == "major"
    assert [r.code for r in result.rules] == ["weibo_reposts", "media_level", "cross_region"]
    assert result.rules[0].params == {"count": 110, "threshold": 100}


def test_own_fields_and_reports_combine():
    facts = GradingFacts(platform="weibo", reposts=50, reports=[ReportFacts(platform="weibo", reposts=101)])
    assert compute_grade(facts).rules == [FiredRule("weibo_reposts", {"count": 101, "threshold": 100})]
    assert GradingFacts(reports=[ReportFacts(cross_region=False)]).any_cross_region is False
    assert GradingFacts().any_cross_region is None


def test_media_level_respects_configured_set():
    policy = GradingPolicy.from_mapping({"major_media_levels": ["provincial"]})
    facts = GradingFacts.combine([ReportFacts(media_level="central"), ReportFacts(media_level="provincial")])
    assert compute_grade(facts, policy).rules == [FiredRule("media_level", {"level": "provincial"})]
    assert compute_grade(GradingFacts(media_level="city"), policy).grade == "general"


@pytest.mark.parametrize("bad", [
    {"nope": 1},
    {"weibo_repost_threshold": 0},
    {"weibo_repost_threshold": -5},
    {"weibo_repost_threshold": "100"},
    {"weibo_repost_threshold": True},
    {"repost_thresholds": {"myspace": 10}},
    {"repost_thresholds": {"douyin": 0}},
    {"repost_thresholds": {"weibo": 50}},
    {"repost_thresholds": [1, 2]},
    {"major_media_levels": ["galactic"]},
    {"major_media_levels": "city"},
    {"cross_region_is_major": "yes"},
    {"especially_major_repost_threshold": 1.5},
])
def test_policy_rejects(bad):
    with pytest.raises(ValueError):
        GradingPolicy.from_mapping(bad)


def test_policy_defaults_and_round_trip():
    p = GradingPolicy.from_mapping(None)
    assert p == GradingPolicy()
    assert p.weibo_repost_threshold == 100
    assert p.major_media_levels == ("central", "provincial", "city")
    assert p.especially_major_repost_threshold is None and p.especially_major_media_levels == ()
    m = p.to_mapping()
    assert set(m) == set(GradingPolicy.keys())
    assert m["major_media_levels"] == ["central", "provincial", "city"]
    assert GradingPolicy.from_mapping(m) == p
    custom = GradingPolicy.from_mapping({"repost_thresholds": {"抖音": 300}, "major_media_levels": ["省级"],
                                         "weibo_repost_threshold": None})
    assert custom.repost_thresholds == {"douyin": 300}
    assert custom.major_media_levels == ("provincial",)
    assert compute_grade(GradingFacts(platform="weibo", reposts=10**6), custom).grade == "general"
    assert GradingPolicy.from_mapping(custom.to_mapping()) == custom


def test_facts_validation():
    with pytest.raises(ValueError):
        GradingFacts(platform="myspace")
    with pytest.raises(ValueError):
        GradingFacts(reposts=-1)
    with pytest.raises(ValueError):
        GradingFacts(image_impact="huge")
    with pytest.raises(ValueError):
        ReportFacts(media_level="planet")


# ------------------------------------------------------------------------------------- override

def test_override_requires_reason_and_role():
    current = compute_grade(GradingFacts(platform="weibo", reposts=10))
    with pytest.raises(GradingError) as e:
        override(current, "major", "   ", ["office"])
    assert e.value.code == "reason_required" and e.value.key in CATALOG
    with pytest.raises(GradingError) as e:
        override(current, "major", "涉及师生安全", ["monitor", "admin", "handler"])
    assert e.value.code == "not_authorised" and e.value.key in CATALOG
    with pytest.raises(GradingError) as e:
        override(current, "huge", "x", ["office"])
    assert e.value.code == "unknown_grade"
    for roles in (["office"], ["supervising_leader"], ["main_leader"], ["leading_group"]):
        result = override(current, "major", "涉及师生安全", roles)
        assert result.grade == "major" and result.overridden
        assert result.rules == [FiredRule("override", {"previous": "general", "reason": "涉及师生安全"})]
    result = override(current, "major", "涉及师生安全", ["office"])
    assert render_rules(result, "zh") == "重大：人工定级（原为一般）：涉及师生安全"
    assert render_rules(result, "en") == "major: set manually (was general): 涉及师生安全"
    assert render_rules(override(None, "general", "r", ["office"]), "en") == "general: set manually (was ungraded): r"


def test_result_json_round_trip():
    result = compute_grade(GradingFacts(platform="weibo", reposts=150, cross_region=True))
    data = result.rules_to_json()
    assert data[0] == {"code": "weibo_reposts", "params": {"count": 150, "threshold": 100}}
    assert GradeResult.from_json(result.grade, data) == result


# ------------------------------------------------------------------------------------- regrade

G = GradeResult("general", [FiredRule("within_jurisdiction")])
M = GradeResult("major", [FiredRule("cross_region")])
E = GradeResult("especially_major", [FiredRule("media_level", {"level": "central"})])


def test_regrade_first_grading():
    d = regrade(None, M)
    assert (d.grade, d.changed, d.direction, d.needs_authority) == ("major", True, None, False)


def test_regrade_up_applies():
    d = regrade(G, M)
    assert (d.grade, d.changed, d.direction, d.needs_authority) == ("major", True, "up", False)
    assert render_decision(d, "general", "zh") == "⬆️ 定级上调：一般 → 重大"


def test_regrade_down_is_only_proposed():
    d = regrade(M, G)
    assert (d.grade, d.changed, d.direction, d.needs_authority) == ("general", False, "down", True)
    assert "确认" in render_decision(d, "major", "zh")
    assert "confirm" in render_decision(d, "major", "en")


def test_regrade_same():
    d = regrade(M, M)
    assert (d.grade, d.changed, d.direction, d.needs_authority) == ("major", False, None, False)


def test_override_stays_unless_exceeded():
    manual = override(G, "major", "影响较大", ["office"])
    # computation says general: the override holds, no downgrade proposal
    d = regrade(manual, G, overridden_grade="major")
    assert (d.grade, d.changed, d.direction, d.needs_authority) == ("major", False, None, False)
    # computation says major: still the override
    assert regrade(manual, M, overridden_grade="major").changed is False
    # computation goes above: upgrade applies
    d = regrade(manual, E, overridden_grade="major")
    assert (d.grade, d.changed, d.direction) == ("especially_major", True, "up")
    # a manual downgrade to general holds against a computed general, yields to a computed major
    low = override(M, "general", "已核实为误传", ["main_leader"])
    assert regrade(low, G, overridden_grade="general").changed is False
    assert regrade(low, M, overridden_grade="general").direction == "up"


# ------------------------------------------------------------------------------------- properties

platforms = st.sampled_from(["weibo", "douyin", "wechat", "forum", None])
reports = st.builds(ReportFacts, platform=platforms, reposts=st.none() | st.integers(0, 5000),
                    media_level=st.none() | st.sampled_from(["central", "provincial", "city", "county", "self_media"]),
                    cross_region=st.none() | st.booleans())


@given(st.lists(reports, max_size=6), st.none() | st.sampled_from(["small", "large"]))
def test_rules_never_empty_and_order_independent(rs, impact):
    a = compute_grade(GradingFacts.combine(rs, image_impact=impact), ESPECIALLY_ON)
    b = compute_grade(GradingFacts.combine(list(reversed(rs)), image_impact=impact), ESPECIALLY_ON)
    assert a.rules and a == b
    assert all(r.code in RULE_CODES for r in a.rules)


@given(st.lists(reports, max_size=5), reports)
def test_another_report_never_lowers_the_grade(rs, extra):
    before = compute_grade(GradingFacts.combine(rs))
    after = compute_grade(GradingFacts.combine([*rs, extra]))
    assert grade_rank(after.grade) >= grade_rank(before.grade)


@given(st.integers(0, 10_000))
def test_weibo_threshold_boundary(n):
    assert compute_grade(GradingFacts(platform="weibo", reposts=n)).grade == ("major" if n >= 100 else "general")

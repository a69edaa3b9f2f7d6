"""Disposal checklists per category and grade; the catalogue holds every key in both languages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.domain.disposal import (
    ALL_STEPS,
    OutsidePolicy,
    checklist_for,
    is_negative,
    render_checklist,
    step_by_code,
)
from bot.domain.grading import RULE_CODES
from bot.domain.policy import Policy
from bot.domain.report import Sentiment
from bot.domain.vocab import CATEGORIES, CONTACT_KINDS
from bot.i18n import CATALOG
from bot.i18n.grading import TEXTS


def codes(category, grade, negative=True):
    return [s.code for s in checklist_for(category, grade, negative)]


def test_inquiry():
    assert codes("inquiry", "general") == ["leaders_approve_reply", "reply_same_day"]


def test_hype():
    steps = checklist_for("hype", "general", True)
    assert [s.code for s in steps] == ["publish_facts", "refer_law_enforcement"]
    assert steps[1].needs_contact == "law_enforcement"


def test_fabrication():
    steps = checklist_for("fabrication", "general", True)
    assert [s.code for s in steps] == ["clarify_facts", "insider_or_outsider", "refer_police"]
    assert [s.needs_contact for s in steps] == [None, None, "police"]


def test_constructive():
    assert codes("constructive", "general") == ["adopt_suggestion", "reply_suggestion"]
    assert codes("constructive", "major") == ["adopt_suggestion", "reply_suggestion"]  # not negative


@pytest.mark.parametrize("category", ["inquiry", "hype", "fabrication"])
@pytest.mark.parametrize("grade", ["major", "especially_major"])
def test_major_negative_adds_both_outside_authorities(category, grade):
    steps = checklist_for(category, grade, True)
    assert [(s.code, s.needs_contact) for s in steps[-2:]] == [("notify_propaganda", "propaganda"),
                                                              ("notify_police", "police")]
    assert "notify_propaganda" not in codes(category, "general")
    assert not {"notify_propaganda", "notify_police"} & set(codes(category, grade, negative=False))


def test_no_category_yet():
    assert checklist_for(None, "general", True) == []
    assert codes(None, "major") == ["notify_propaganda", "notify_police"]
    assert codes(None, "major", negative=False) == []
    assert checklist_for(None, None, True) == []


@pytest.mark.parametrize(("category", "sentiment", "share", "expected"), [
    ("hype", None, 50, True),  # the category alone makes it negative
    ("fabrication", Sentiment("positive", 90), 50, True),
    ("constructive", Sentiment("negative", 99), 50, False),  # never negative
    ("inquiry", None, 50, False),
    (None, Sentiment("negative", 51), 50, True),
    ("inquiry", Sentiment("negative", 50), 50, False),  # "above" the share: 50 is not
    ("inquiry", Sentiment("negative", 51), 50, True),
    ("inquiry", Sentiment("negative", 51), 60, False),  # the policy's share moves the line
    ("inquiry", Sentiment("negative", 40), 30, True),
    ("inquiry", Sentiment("negative", None), 50, True),  # 负面 with no share: the reporter judged the whole
    ("inquiry", Sentiment("neutral", 90), 50, False),
    ("inquiry", Sentiment("positive", 90), 0, False),
    ("inquiry", {"slug": "negative", "share": 70}, 50, True),  # as a report's JSON holds it
    ("inquiry", "negative", 50, True),
])
def test_is_negative(category, sentiment, share, expected):
    assert is_negative(category, sentiment, share) is expected


def test_outside_policy_default_and_override():
    assert Policy().outside.negative_share == 50 == OutsidePolicy().negative_share
    assert Policy.from_mapping({"outside": {"negative_share": 70}}).outside.negative_share == 70
    for bad in (-1, 101, "half", True):
        with pytest.raises(ValueError, match="negative_share"):
            Policy.from_mapping({"outside": {"negative_share": bad}})
    with pytest.raises(ValueError):
        Policy.from_mapping({"outside": {"share": 70}})


def test_every_category_has_steps_and_unknown_rejected():
    for category in CATEGORIES.slugs:
        assert checklist_for(category, "general", False)
    with pytest.raises(ValueError):
        checklist_for("gossip", "general", True)
    with pytest.raises(ValueError):
        checklist_for("inquiry", "huge", True)


def test_steps_are_well_formed():
    assert len({s.code for s in ALL_STEPS}) == len(ALL_STEPS)
    for s in ALL_STEPS:
        assert s.needs_contact is None or s.needs_contact in CONTACT_KINDS
        assert s.label_key in CATALOG
        assert step_by_code(s.code) is s
    with pytest.raises(KeyError):
        step_by_code("nope")


def test_render_checklist():
    text = render_checklist("hype", "major", True, "zh", done={"publish_facts"})
    assert text.splitlines() == [
        "处置清单（恶意传播/炒作）",
        "☑ 1. 公布事实真相",
        "☐ 2. 炒作持续的，移交执法部门处理",
        "☐ 3. 重大敏感负面舆情：通报宣传部门（网宣）",
        "☐ 4. 重大敏感负面舆情：通报公安部门（网警）",
    ]
    assert render_checklist("inquiry", "general", False, "en").splitlines()[1] == "☐ 1. Leaders approve the reply"


# ------------------------------------------------------------------------------------- the catalogue

def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_catalogue_zh_en_complete_with_same_placeholders():
    for key, entry in TEXTS.items():
        assert key.startswith(("grade.", "route.", "disposal.")), key
        assert entry.get("zh") and entry.get("en"), key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_every_key_used_exists():
    used = {f"grade.rule.{c}" for c in RULE_CODES}
    used |= {s.label_key for s in ALL_STEPS}
    used |= {f"route.step.{a}" for a in ("remind", "escalate")}
    used |= {f"grade.error.{c}" for c in ("reason_required", "not_authorised", "unknown_grade")}
    root = Path(__file__).resolve().parents[2] / "bot" / "domain"
    for name in ("grading.py", "routing.py", "disposal.py"):
        src = (root / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"""t\(\s*["']((?:grade|route|disposal)\.[a-z_.]+)["']""", src))
    missing = sorted(k for k in used if k not in TEXTS)
    assert not missing
    assert all(TEXTS[k]["zh"] and TEXTS[k]["en"] for k in used)

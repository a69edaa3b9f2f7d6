"""The incident report's fields: their definitions, value types and errors.

Labels come from the i18n catalogue (`field.<name>`, they are the template labels of
docs/names.md); the synonyms below are parsing vocabulary only. Everything shown to a
person is in bot/i18n/report.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.domain.vocab import CATEGORIES, MEDIA_LEVELS, PLATFORMS, SENTIMENTS, YES_NO, Vocabulary
from bot.i18n import CATALOG

FIELD_NAMES: tuple[str, ...] = (
    "discovered", "time", "place", "unit", "process", "result", "sentiment", "platform",
    "link", "reposts", "comments", "views", "media", "cross_region", "category",
)
REQUIRED: frozenset[str] = frozenset(FIELD_NAMES[:8])
CHOICE_FIELDS: dict[str, Vocabulary] = {
    "sentiment": SENTIMENTS,
    "platform": PLATFORMS,
    "media": MEDIA_LEVELS,
    "cross_region": YES_NO,
    "category": CATEGORIES,
}
MULTILINE: frozenset[str] = frozenset({"process", "result"})  # free text where a template value spans lines

ERROR_CODES: tuple[str, ...] = (
    "empty", "bad_date", "future", "not_number", "negative", "bad_url", "too_long", "bad_choice", "bad_share",
    "too_early", "too_large",
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    zh: str
    en: str
    synonyms: tuple[str, ...]
    kind: str  # "datetime" | "text" | "sentiment" | "choice" | "url" | "count" | "bool"
    required: bool
    max_len: int

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


# kind, max_len, synonyms (besides the zh and en label) — the forgiving part of template parsing
_DEFS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "discovered": ("datetime", 100, (
        "发现", "发现于", "发现日期", "首次发现时间", "监测时间", "监测到的时间",
        "discovered at", "discovery", "discovery time", "found", "found at", "detected", "detected at")),
    "time": ("datetime", 100, (
        "发生时间", "事发时间", "事件时间", "日期", "发生日期", "事发日期", "时间点",
        "date", "when", "occurred", "occurred at", "happened", "incident time", "datetime")),
    "place": ("text", 200, (
        "地址", "事发地点", "发生地点", "事发地", "地方", "位置", "所在地",
        "location", "where", "address", "venue")),
    "unit": ("text", 200, (
        "单位", "涉事单位", "相关单位", "涉及部门", "涉事部门", "部门", "责任单位", "涉及对象",
        "units", "unit involved", "organisation", "organization", "department", "dept")),
    "process": ("text", 2000, (
        "经过", "事件经过", "事件过程", "事情经过", "简要经过", "基本情况", "情况", "概况", "事件概要",
        "内容", "舆情内容", "主要内容",
        "details", "description", "what happened", "course", "story")),
    "result": ("text", 2000, (
        "后果", "处理结果", "处置结果", "结局", "影响", "现状",
        "outcome", "consequence", "consequences", "results")),
    "sentiment": ("sentiment", 100, (
        "倾向", "评论倾向", "跟贴倾向", "言论倾向", "跟帖言论倾向", "网上跟贴的言论倾向", "舆论倾向",
        "网民倾向", "情感倾向", "态度",
        "tone", "tendency", "reply sentiment", "comment sentiment", "mood")),
    "platform": ("choice", 100, (
        "来源", "发布平台", "来源平台", "渠道", "发布渠道", "媒介", "载体",
        "source", "channel", "site")),
    "link": ("url", 2048, (
        "网址", "url", "原帖链接", "原文链接", "链接地址", "网页链接", "原帖",
        "links", "href", "web address")),
    "reposts": ("count", 50, (
        "转发量", "转发数", "转发次数", "转载", "转载量", "分享", "分享数",
        "repost", "shares", "retweets", "forwards")),
    "comments": ("count", 50, (
        "评论数", "评论量", "评论次数", "跟帖数", "跟帖量", "跟贴数", "留言", "留言数", "回复数",
        "comment", "replies")),
    "views": ("count", 50, (
        "阅读量", "阅读数", "浏览", "浏览量", "浏览数", "播放", "播放量", "点击量",
        "view", "reads", "plays", "impressions")),
    "media": ("choice", 100, (
        "媒体", "媒体层级", "媒体等级", "曝光媒体级别", "media level", "media tier")),
    "cross_region": ("bool", 50, (
        "跨区域", "是否跨地区", "是否跨区域", "跨区", "跨地域", "跨地市",
        "cross region", "cross-regional", "crossregional", "multi-region")),
    "category": ("choice", 100, (
        "分类", "类型", "性质", "舆情类别", "舆情类型", "分类处置",
        "type", "kind", "class", "classification")),
}


def _label_text(name: str, lang: str) -> str:
    return CATALOG[f"field.{name}"][lang]


FIELDS: dict[str, FieldSpec] = {
    name: FieldSpec(name=name, zh=_label_text(name, "zh"), en=_label_text(name, "en"), synonyms=syn,
                    kind=kind, required=name in REQUIRED, max_len=max_len)
    for name, (kind, max_len, syn) in _DEFS.items()
}
assert tuple(FIELDS) == FIELD_NAMES


def norm_label(text: str) -> str:
    """Labels compare without width, case, spaces, '_' or '-' (cross_region = Cross-Region = cross region)."""
    s = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-]+", "", s)


def _build_label_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS.values():
        for word in (spec.zh, spec.en, spec.name, *spec.synonyms):
            key = norm_label(word)
            other = index.setdefault(key, spec.name)
            if other != spec.name:  # pragma: no cover - caught by the tests
                raise RuntimeError(f"label {word!r} used by both {other} and {spec.name}")
    return index


LABELS: dict[str, str] = _build_label_index()  # normalised label → field name


def field_of_label(text: str) -> str | None:
    return LABELS.get(norm_label(text))


@dataclass(frozen=True)
class Sentiment:
    slug: str  # a SENTIMENTS slug
    share: int | None = None  # percent, 0–100


class FieldError(Exception):
    """A value that does not fit its field. Render it with report.render_error."""

    def __init__(self, field: str, code: str, **params: Any):
        self.field = field
        self.code = code
        self.params = params
        super().__init__(f"{field}: {code} {params}" if params else f"{field}: {code}")

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, FieldError)
                and (self.field, self.code, self.params) == (other.field, other.code, other.params))

    def __hash__(self) -> int:
        return hash((self.field, self.code))

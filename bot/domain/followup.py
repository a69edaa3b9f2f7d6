"""Follow-ups (动态跟踪): what a tracker or a monitor saw since the report, from labelled lines.

The counts, sentiment, platform and media labels are the report's (bot/domain/report_fields.py) and are
parsed by the report parser; follow-ups add `地区 / region` (several, free text such as 北京、本市),
`观察时间 / observed` (when the counts were seen) and `说明 / note`. Several platforms may be named
on one line (`平台：微博、抖音`). Lines without a label, and lines whose label belongs to the report
only (地点, 过程 …), are kept as the follow-up's free text, so nothing typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.bounds import DEFAULT_WINDOW, INT4_MAX, DateWindow
from bot.domain.report_fields import FieldError, Sentiment, field_of_label, norm_label
from bot.domain.report_parse import match_choice, parse_choice, parse_datetime, parse_field
from bot.domain.report_template import split_at_labels, split_label
from bot.domain.vocab import PLATFORMS

SHARED = ("reposts", "comments", "views", "sentiment", "platform", "media")  # parsed as in a report
OWN_LABELS: dict[str, tuple[str, ...]] = {
    "region": ("地区", "新增地区", "涉及地区", "传播地区", "地域", "区域", "省市", "region", "regions", "area",
               "areas", "new regions"),
    "observed": ("观察时间", "统计时间", "截至", "截止", "截至时间", "截止时间", "observed", "observed at", "as of",
                 "counted at"),
    "text": ("说明", "备注", "进展", "动态", "最新情况", "情况说明", "跟进", "note", "notes", "text", "update",
             "progress", "comment on it"),
    "platform": ("新增平台", "新平台", "new platforms", "platforms"),
}
_OWN = {norm_label(w): name for name, words in OWN_LABELS.items() for w in words}
# our own labels inside a line ("转发：999 说明：又被转发"); the report parser splits at the report's labels
_OWN_INLINE = re.compile(r"(?:(?<=[,，;；。\s]))(?=(?:" + "|".join(
    re.escape(w) for w in sorted((w for ws in OWN_LABELS.values() for w in ws), key=len, reverse=True)) + r")\s*[:：])",
    re.I)
_SPLIT = re.compile(r"\s*(?:[,，、;；/|]|\s和\s?|\s及\s?|\band\b|\s+)\s*")
MAX_TEXT = 2000
MAX_REGIONS = 20
MAX_REGION_LEN = 30


@dataclass
class FollowUpInput:
    """Parsed values; `errors` name what did not fit (the rest is kept)."""

    reposts: int | None = None
    comments: int | None = None
    views: int | None = None
    sentiment: str | None = None
    sentiment_share: int | None = None
    media: str | None = None
    platforms: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    observed_at: datetime | None = None
    text: str = ""
    errors: list[FieldError] = field(default_factory=list)
    recognised: int = 0  # distinct labels understood

    @property
    def has_counts(self) -> bool:
        return any(v is not None for v in (self.reposts, self.comments, self.views))

    @property
    def is_empty(self) -> bool:
        return not (self.has_counts or self.sentiment or self.media or self.platforms or self.regions
                    or self.text.strip())

    def to_columns(self) -> dict[str, Any]:
        """The `followups` columns (observed_at is filled by the service)."""
        return {"reposts": self.reposts, "comments": self.comments, "views": self.views,
                "sentiment": self.sentiment, "sentiment_share": self.sentiment_share, "media": self.media,
                "platforms": list(self.platforms), "regions": list(self.regions), "text": self.text.strip()}


def label_of(raw: str) -> str | None:
    """The follow-up field a label names: one of SHARED, region, observed, text; "other" for a
    report-only label; None when it is no label of ours."""
    key = norm_label(raw)
    if key in _OWN:
        return _OWN[key]
    name = field_of_label(raw)
    if name is None:
        return None
    return name if name in SHARED else "other"


def _platforms(raw: str) -> list[str]:
    out: list[str] = []
    for part in (p for p in _SPLIT.split(raw.strip()) if p):
        slug = match_choice(PLATFORMS, part) or parse_choice("platform", part)  # FieldError when unknown
        if slug not in out:
            out.append(slug)
    return out


def _regions(raw: str) -> list[str]:
    out: list[str] = []
    for part in (p.strip() for p in _SPLIT.split(raw.strip()) if p.strip()):
        if len(part) > MAX_REGION_LEN:
            raise FieldError("region", "too_long", length=len(part), max=MAX_REGION_LEN)
        if part not in out:
            out.append(part)
    if len(out) > MAX_REGIONS:
        raise FieldError("region", "too_long", length=len(out), max=MAX_REGIONS)
    return out


def _apply(result: FollowUpInput, name: str, value: str, *, now: datetime, tz: ZoneInfo, window: DateWindow) -> None:
    if name == "platform":
        result.platforms = list(dict.fromkeys(result.platforms + _platforms(value)))
    elif name == "region":
        result.regions = list(dict.fromkeys(result.regions + _regions(value)))
    elif name == "observed":
        result.observed_at = parse_datetime("discovered", value.strip(), now, tz, window)
    elif name == "sentiment":
        sent: Sentiment = parse_field("sentiment", value, now=now, tz=tz)
        result.sentiment, result.sentiment_share = sent.slug, sent.share
    else:
        parsed = parse_field(name, value, now=now, tz=tz, window=window)
        if isinstance(parsed, int) and parsed > INT4_MAX:  # the follow-up's count columns are `integer`
            raise FieldError(name, "too_large", value=value.strip(), max=f"{INT4_MAX:,}")
        setattr(result, name, parsed)


def parse_followup(text: str, *, now: datetime, tz: ZoneInfo, window: DateWindow = DEFAULT_WINDOW) -> FollowUpInput:
    """Labelled lines → a follow-up; everything unlabelled (or labelled for reports only) is its text."""
    result = FollowUpInput()
    notes: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        for piece in (p.rstrip(",，;； \t") for chunk in split_at_labels(line) for p in _OWN_INLINE.split(chunk) if p.strip()):
            hit = split_label(piece)
            name = label_of(hit[0]) if hit else None
            if name is None or name == "other":
                notes.append(piece.strip())
                continue
            seen.add(name)
            value = hit[1].strip()
            if name == "text":
                if value:
                    notes.append(value)
                continue
            if not value:
                continue
            try:
                _apply(result, name, value, now=now, tz=tz, window=window)
            except FieldError as err:
                if name == "observed":
                    err = FieldError("observed", err.code, **err.params)
                result.errors.append(err)
    result.recognised = len(seen)
    joined = "\n".join(notes).strip()
    if len(joined) > MAX_TEXT:
        result.errors.append(FieldError("text", "too_long", length=len(joined), max=MAX_TEXT))
        joined = joined[:MAX_TEXT]
    result.text = joined
    return result


def counts_platform(values: FollowUpInput, first_report_platform: str | None) -> str | None:
    """Which platform a follow-up's counts belong to, for grading: the one platform it names; else the
    first report's platform (a tracker usually updates the counts of the post that was reported)."""
    if len(values.platforms) == 1:
        return values.platforms[0]
    return first_report_platform

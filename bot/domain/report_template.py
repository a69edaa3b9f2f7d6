"""Pasted templates: labelled lines ("时间：…", "【地点】…", several labels on one line) → field values.

Labels are recognised forgivingly (list markers, brackets, notes in parentheses); what a line
holds is parsed by report_parse.parse_field, the same parser the guided dialog uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.bounds import DEFAULT_WINDOW, DateWindow
from bot.domain.report_fields import FIELDS, LABELS, MULTILINE, FieldError, field_of_label
from bot.domain.report_parse import is_placeholder, parse_field


@dataclass
class TemplateResult:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)
    unknown_labels: list[str] = field(default_factory=list)
    recognised: int = 0  # distinct known labels found; a message "is a template" when >= 2

    @property
    def is_template(self) -> bool:
        return self.recognised >= 2


_LEAD_DECOR = re.compile(r"^(?:[\s\-*•·●○◆◇■□▪>#＊]+|\d{1,2}\s*[.)、．]\s*|[（(]\s*\d{1,2}\s*[）)]\s*"
                         r"|[一二三四五六七八九十]{1,3}\s*[、.．]\s*|[①-⑳]\s*)+")
_BRACKETS = "【】[]「」『』〔〕<>《》*＊ \t"
_BRACKET_LINE = re.compile(r"^\s*[【\[「]\s*([^】\]」]{1,20}?)\s*[】\]」]\s*(?P<colon>[:：])?\s*(?P<value>.*)$")
_SENTENCE_PUNCT = set("，。,.!！?？;；、“”\"'‘’()（）《》\\|@&=%")
_SPEECH_END = ("称", "说", "表示", "问", "答", "回应", "指出", "介绍", "写道", "透露", "认为", "提到", "反映",
               "回复", "质疑", "强调", "说道", "称道", "告诉记者", "发帖", "留言称", "said", "says", "wrote", "asked")
_INLINE_RE = re.compile(
    r"(?P<lab>" + "|".join(
        r"[\s_\-]?".join(re.escape(ch) for ch in word)  # the label's spelling, spaces/_/- optional between
        for word in sorted(LABELS, key=len, reverse=True) if len(word) >= 2
    ) + r")\s*[:：]", re.I)


_TRAILING_NOTE = re.compile(r"\s*[（(][^（()）]{0,40}[）)]\s*$")  # 跟帖倾向（负面/中性/正面）, 转发(条)


def clean_label(candidate: str) -> str:
    s = _LEAD_DECOR.sub("", candidate.strip()).strip(_BRACKETS)
    return _TRAILING_NOTE.sub("", s).strip(_BRACKETS)


def _field_of(label: str) -> str | None:
    """The field a template label names; "阅读/播放量" names the field of its first known part."""
    name = field_of_label(label)
    if name is None and "/" in label:
        name = next((n for part in label.split("/") if (n := field_of_label(part))), None)
    return name


def _label_like(label: str) -> bool:
    """Does this look like the label of a `label: value` line (rather than a sentence or a time)?"""
    if not label or len(label) > 20 or any(ch.isdigit() for ch in label):
        return False
    if any(ch in _SENTENCE_PUNCT for ch in label) or len(label.split()) > 3:
        return False
    if sum(1 for ch in label if not ch.isascii()) > 10:
        return False
    low = label.casefold()
    return not low.endswith(_SPEECH_END)


def split_label(line: str) -> tuple[str, str] | None:
    """(label, value) when the line reads `label: value` (or `【label】value`), else None."""
    if m := _BRACKET_LINE.match(line):
        label = clean_label(m.group(1))
        if _field_of(label) or (m.group("colon") and _label_like(label)):
            return label, m.group("value")
        return None  # 【突发】… opens many a post: not a label unless it is one of ours
    for i, ch in enumerate(line):
        if ch not in ":：":
            continue
        before, after = line[:i], line[i + 1:]
        if after.startswith("//") or after.startswith("\\\\"):
            return None  # a URL (https://…), not a label
        if ch == ":" and before[-1:].isdigit() and after[:1].isdigit():
            continue  # a time of day (09:30)
        label = clean_label(before)
        return (label, after) if _label_like(label) else None
    return None


def split_at_labels(line: str) -> list[str]:
    """A line split before every known label that follows a separator ("地点：东门，时间：今天 9:30")."""
    cuts = []
    for m in _INLINE_RE.finditer(line):
        i = m.start()
        if i == 0 or not line[:i].strip():
            continue
        prev = line[i - 1]
        if prev in ",，;；。\t" or (prev.isspace() and (not line[:i].rstrip()[-1:].isascii()
                                                      or line[i - 2:i].isspace())):
            cuts.append(i)
    if not cuts:
        return [line]
    pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
    return [p.rstrip(",，;； \t") for p in pieces[:-1]] + pieces[-1:]


def parse_template(text: str, *, now: datetime, tz: ZoneInfo, window: DateWindow = DEFAULT_WINDOW) -> TemplateResult:
    """Labelled lines → field values. Unlabelled lines continue the previous field (multi-line 过程). A value
    that does not fit is an error of its own field only: the others are kept."""
    result = TemplateResult()
    raw: dict[str, list[str]] = {}
    current: str | None = None
    for line in (text or "").splitlines():
        if not line.strip():
            if current and current not in MULTILINE and any(p.strip() for p in raw[current]):
                current = None  # a blank line ends a one-line field
            elif current:
                raw[current].append("")
            continue
        for piece in split_at_labels(line):
            hit = split_label(piece)
            name = _field_of(hit[0]) if hit else None
            if hit is None:
                if current:
                    raw[current].append(piece)
                continue
            if name is None:
                label = hit[0]
                if label not in result.unknown_labels:
                    result.unknown_labels.append(label)
                current = None
                continue
            raw[name] = [hit[1]]
            current = name
    result.recognised = len(raw)
    for name, lines in raw.items():
        if name in MULTILINE:
            value = "\n".join(ln.rstrip() for ln in lines).strip()
            value = re.sub(r"\n{3,}", "\n\n", value)
        else:
            value = " ".join(ln.strip() for ln in lines if ln.strip())
        if not value or is_placeholder(FIELDS[name].kind, value):
            continue
        try:
            result.values[name] = parse_field(name, value, now=now, tz=tz, window=window)
        except FieldError as err:
            result.errors[name] = err
    return result


__all__ = ["TemplateResult", "clean_label", "parse_template", "split_at_labels", "split_label"]

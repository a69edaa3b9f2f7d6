"""Forgiving parsing of report field values (templates are split into fields in report_template).

Every parser takes what a person typed (zh or en, full- or half-width) and returns the
field's value type, or raises FieldError with a code from report_fields.ERROR_CODES.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.domain.bounds import DEFAULT_WINDOW, FUTURE_SLACK, DateWindow
from bot.domain.report_fields import (
    CHOICE_FIELDS,
    FIELDS,
    FieldError,
    Sentiment,
    norm_label,
)
from bot.domain.vocab import SENTIMENTS, YES_NO, Vocabulary

# values that mean "nothing here" in a template (not for free text, where "暂无" is an answer)
PLACEHOLDERS = frozenset({"", "-", "--", "—", "——", "/", "无", "暂无", "n/a", "na", "none", "null", "不详", "未知",
                          "待定", "待补充", "略", "…", "...", "?", "？"})


def is_placeholder(kind: str, value: str) -> bool:
    if kind == "text":
        return False
    v = _nfkc(value).strip().casefold()
    return v in PLACEHOLDERS and not (kind == "bool" and v == "无")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _compact(s: str) -> str:
    return " ".join(_nfkc(s).split()).strip()


_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def _arabic(s: str) -> str:
    """Chinese numerals as digits: 两小时前 → 2小时前, 下午三点十五分 → 下午3点15分, 两千多 → 2000多. A run that
    is no number by itself (万 after digits, as in 1.2万) is left as it is."""
    if not _CN_NUMERAL.search(s):
        return s
    import cn2an  # only when there is a numeral to read: the library takes a noticeable time to load

    def number(m: re.Match[str]) -> str:
        try:
            return str(cn2an.cn2an(m.group(0), "smart"))
        except Exception:  # noqa: BLE001 - what it cannot read (ValueError, KeyError on "万万…") stays as typed
            return m.group(0)
    return _CN_NUMERAL.sub(number, s)


# ---------------------------------------------------------------- dates and times
_DAY_WORDS: dict[str, tuple[int, str | None]] = {
    "今天": (0, None), "今日": (0, None), "today": (0, None), "今早": (0, "上午"), "今晨": (0, "上午"),
    "今晚": (0, "晚上"), "昨天": (-1, None), "昨日": (-1, None), "yesterday": (-1, None), "昨晚": (-1, "晚上"),
    "昨夜": (-1, "晚上"), "前天": (-2, None), "前晚": (-2, "晚上"), "大前天": (-3, None),
    # future days parse only to be refused as the future, not as words the bot does not know
    "明天": (1, None), "明日": (1, None), "tomorrow": (1, None), "明早": (1, "上午"), "明晚": (1, "晚上"),
}
_AM = {"凌晨", "早上", "早晨", "上午", "am", "a.m."}
_PM = {"下午", "傍晚", "晚上", "夜里", "夜间", "深夜", "pm", "p.m."}
_DAY_ALT = "|".join(sorted(map(re.escape, _DAY_WORDS), key=len, reverse=True))  # the words, once
_DT_RE = re.compile(r"""
    ^(?:(?P<day>""" + _DAY_ALT + r""")
      | (?P<ago>\d{1,3})\s*(?:天|days?)\s*(?:前|以前|之前|ago)  # "3天前 10点": that day, at that time
      | (?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?
    )?
    \s*(?:t|,|，|at|在)?\s*
    (?P<ap>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间|深夜)?\s*
    (?:(?P<h>\d{1,2})\s*(?:
          :\s*(?P<mi>\d{1,2})(?:\s*:\s*(?P<s>\d{1,2})(?:\.\d+)?)?
        | [时点]\s*(?:(?P<mi2>\d{1,2})\s*分?(?:\s*(?P<s2>\d{1,2})\s*秒)?|(?P<half>半))?
        | (?=\s*(?:am|pm|a\.m\.|p\.m\.))  # "9am": an hour alone when am/pm follows
       )\s*(?P<ap2>am|pm|a\.m\.|p\.m\.)?
    )?
    \s*(?:左右|许|前后|钟)?$
""", re.X)
# "3小时前", "1个半小时前", "半小时前", "half an hour ago"; n is a number, or a/an/one
_AGO_RE = re.compile(r"^(?:约|大约|about)?\s*(?:(?P<n>\d+|an?|one)\s*个?\s*(?P<half>半)?|(?P<only_half>半|half an?)\s*个?)"
                     r"\s*(?P<unit>分钟|分|min|mins|minutes?|小时|钟头|h|hours?|天|days?)\s*(?:前|以前|之前|ago)$")
_NOW_WORDS = {"现在", "刚才", "刚刚", "此刻", "now", "just now", "right now"}


def _local_now(now: datetime, tz: ZoneInfo) -> datetime:
    return now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)


def _hour(h: int, ap: str | None) -> int:
    if ap is None or h > 12:
        return h
    if ap in _AM:
        return 0 if h == 12 else h
    if ap == "中午":
        return h + 12 if h < 11 else h
    return h + 12 if h < 12 else h  # afternoon, evening, pm


def parse_datetime(name: str, raw: str, now: datetime, tz: ZoneInfo,
                   window: DateWindow = DEFAULT_WINDOW) -> datetime:
    """A time within `window` (policy.reports): a date before its earliest day is refused like the future is."""
    local_now = _local_now(now, tz)
    s = _arabic(_compact(raw).lower())
    try:
        value = _parse_dt(s, local_now, tz, window.future_slack)
    except (OverflowError, ValueError):  # "0001-01-01" minus a day, 10**9 days ago, an offset past year 1
        value = None
    if value is None:
        raise FieldError(name, "bad_date", value=raw.strip())
    try:
        too_early = value < window.earliest_at(tz)
    except OverflowError:  # comparing across offsets at the edge of year 1
        too_early = True
    if too_early:
        raise FieldError(name, "too_early", value=raw.strip(), earliest=window.earliest.isoformat())
    if value > local_now + window.future_slack:
        raise FieldError(name, "future", value=value.strftime("%Y-%m-%d %H:%M"))
    return value


def parse_when(raw: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """A time as reports write it (明天17:00, 12-05 9点, 2026-12-05 17:00, 17:00), without the report's "not in the
    future" rule: a time of day alone is today's, wherever it falls (a task's due time may be past: the caller
    refuses it). None when it is no time."""
    try:
        return _parse_dt(_arabic(_compact(raw).lower()), _local_now(now, tz), tz, slack=_NEVER_ROLL)
    except (OverflowError, ValueError):
        return None


_NEVER_ROLL = timedelta(days=36600)  # an incomplete date is never moved back to "the latest past match"


def _parse_dt(s: str, now: datetime, tz: ZoneInfo, slack: timedelta = FUTURE_SLACK) -> datetime | None:
    if s in _NOW_WORDS:
        return now.replace(microsecond=0)
    if m := _AGO_RE.match(s):
        n = 0 if m["only_half"] else 1 if m["n"] in ("a", "an", "one") else int(m["n"])
        n += 0.5 if m["half"] or m["only_half"] else 0
        unit = m["unit"]
        delta = (timedelta(days=n) if unit[0] in "天d" else
                 timedelta(hours=n) if unit[0] in "小钟h" else timedelta(minutes=n))
        return (now - delta).replace(second=0, microsecond=0)
    if re.match(r"^\d{4}-\d{2}-\d{2}", s):
        try:
            iso = datetime.fromisoformat(s.upper())
        except ValueError:
            iso = None
        if iso is not None:
            return iso.replace(tzinfo=tz) if iso.tzinfo is None else iso.astimezone(tz)
    m = _DT_RE.match(s)
    if not m or not (m.group("day") or m.group("ago") or m.group("mo") or m.group("h")):
        return None
    g = m.groupdict()
    ap = g["ap"] or g["ap2"]
    date = now.date()
    roll: str | None = None  # an incomplete date that lands in the future is the latest past match
    if g["day"]:
        offset, day_ap = _DAY_WORDS[g["day"]]
        date = date + timedelta(days=offset)
        ap = ap or day_ap
    elif g["ago"]:
        date = date - timedelta(days=int(g["ago"]))
    elif g["mo"]:
        year = int(g["y"]) if g["y"] else now.year
        try:
            date = date.replace(year=year, month=int(g["mo"]), day=int(g["d"]))
        except ValueError:
            return None
        if not g["y"]:
            roll = "year"
    else:
        roll = "day"
    h = mi = sec = 0
    if g["h"]:
        h = _hour(int(g["h"]), ap)
        mi = 30 if g["half"] else int(g["mi"] or g["mi2"] or 0)
        sec = int(g["s"] or g["s2"] or 0)
    try:
        value = datetime(date.year, date.month, date.day, h, mi, sec, tzinfo=tz)
    except ValueError:
        return None
    if roll and value > now + slack:
        if roll == "day":
            value -= timedelta(days=1)
        else:
            try:
                value = value.replace(year=value.year - 1)
            except ValueError:  # 29 February
                return None
    return value


# ---------------------------------------------------------------- counts
_COUNT_RE = re.compile(r"^(?P<neg>[-−])?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万|w|千|k|百|亿|m)?$")
_UNITS = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "百": 100, "亿": 100_000_000, "m": 1_000_000}
_COUNT_PREFIX = re.compile(r"^(?:约|大约|大概|近|将近|接近|超过|超|逾|多于|共|共计|累计|about|approx\.?|approximately|"
                           r"around|over|more than|~|≈|>=|>|≥)\s*")
_COUNT_SUFFIX = re.compile(r"\s*(?:条|次|个|人次|人|余|多|来|\+|左右|以上|plus|views|reads|comments|reposts|times)$")
MAX_COUNT = 10**13


def parse_count(name: str, raw: str) -> int:
    s = _arabic(_compact(raw).lower())
    s = re.sub(r"(?<=\d)[,，'](?=\d{3})", "", s)
    s = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", s)
    while True:
        stripped = _COUNT_SUFFIX.sub("", _COUNT_PREFIX.sub("", s))
        if stripped == s:
            break
        s = stripped
    m = _COUNT_RE.match(s)
    if not m:
        raise FieldError(name, "not_number", value=raw.strip())
    if m.group("neg"):
        raise FieldError(name, "negative", value=raw.strip())
    try:
        number = Decimal(m.group("num")) * _UNITS.get(m.group("unit") or "", 1)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        raise FieldError(name, "not_number", value=raw.strip()) from None
    if not m.group("unit") and number != number.to_integral_value():
        raise FieldError(name, "not_number", value=raw.strip())
    result = int(number.to_integral_value())
    if result > MAX_COUNT:
        raise FieldError(name, "not_number", value=raw.strip())
    return result


# ---------------------------------------------------------------- choices, sentiment, bool
def _choice_error(name: str, raw: str, vocab: Vocabulary) -> FieldError:
    return FieldError(name, "bad_choice", value=raw.strip(), choices=tuple(t.zh for t in vocab.terms))


def _tokens(s: str) -> list[str]:
    return [p for p in re.split(r"[\s,，、;；。.!！?？:：()（）\[\]【】]+", s) if p]


def match_choice(vocab: Vocabulary, raw: str) -> str | None:
    """Exact label/slug/synonym; then the first word; then the one term whose word appears inside."""
    s = _compact(raw)
    slug = vocab.parse(s)
    if slug is None and (toks := _tokens(s)):
        slug = vocab.parse(toks[0])
    if slug is None:
        low = s.casefold()
        hits = set()
        for term in vocab.terms:
            for word in (term.zh, term.en, *term.synonyms):
                w = word.casefold()
                if len(w) < 2:
                    continue
                if (re.search(rf"\b{re.escape(w)}\b", low) if w.isascii() else w in low):
                    hits.add(term.slug)
        slug = hits.pop() if len(hits) == 1 else None
    return slug


def parse_choice(name: str, raw: str) -> str:
    vocab = CHOICE_FIELDS[name]
    if name == "platform" and (url := extract_link(raw)) and (found := detect_platform(url)):
        return found
    slug = match_choice(vocab, raw)
    if slug is None:
        raise _choice_error(name, raw, vocab)
    return slug


def parse_bool(name: str, raw: str) -> bool:
    s = _compact(raw)
    slug = YES_NO.parse(s) or (YES_NO.parse(_tokens(s)[0]) if _tokens(s) else None)
    if slug is None and s:
        if s[0] == "是":
            slug = "yes"
        elif s[0] in "否不没未无":
            slug = "no"
    if slug is None:
        raise _choice_error(name, raw, YES_NO)
    return slug == "yes"


_SHARE_RE = re.compile(r"(?P<neg>[-−])?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<pct>%|％|percent|pct)?")
_PAIR_RE = re.compile(r"(?P<w>[^\W\d_]+)\s*[:：]?\s*(?P<n>[-−]?\d+(?:\.\d+)?)\s*%")
_SENT_FILLER = re.compile(r"占比|比例|占|约|大约|为主|居多|主导|偏|about|share|mostly|mainly|[()（）:：,，、~≈]")


def parse_sentiment(name: str, raw: str) -> Sentiment:
    s = _compact(raw).lower()
    pairs = [(SENTIMENTS.parse(_SENT_FILLER.sub("", m.group("w"))), m.group("n")) for m in _PAIR_RE.finditer(s)]
    if len(pairs) >= 2 and all(slug for slug, _ in pairs):  # "负面 70% 中性 20% 正面 10%": the largest
        slug, num = max(pairs, key=lambda p: Decimal(p[1].replace("−", "-")))
        return Sentiment(slug, _share(name, num))
    share = None
    numbers = list(_SHARE_RE.finditer(s))
    if len(numbers) == 1:
        m = numbers[0]
        share = _share(name, ("-" if m.group("neg") else "") + m.group("num"))
        s = s[:m.start()] + " " + s[m.end():]
    elif len(numbers) > 1:
        raise _choice_error(name, raw, SENTIMENTS)
    word = _SENT_FILLER.sub(" ", s)
    slug = match_choice(SENTIMENTS, word)
    if slug is None:
        raise _choice_error(name, raw, SENTIMENTS)
    return Sentiment(slug, share)


def _share(name: str, num: str) -> int:
    value = Decimal(num.replace("−", "-"))
    if not 0 <= value <= 100:
        raise FieldError(name, "bad_share", value=num)
    return int(value.to_integral_value())


# ---------------------------------------------------------------- links
_URL_RE = re.compile(r"https?://[^\s<>\"'“”‘’\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+", re.I)
_BARE_DOMAIN_RE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#]\S*)?$", re.I)


def extract_link(text: str) -> str | None:
    """The first http(s) URL in free text, without trailing punctuation."""
    m = _URL_RE.search(text or "")
    if not m:
        return None
    url = m.group(0).rstrip(".,;:!?'\"")
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url if len(url) > len(m.group(0).split("//")[0]) + 2 else None


def parse_link(name: str, raw: str) -> str:
    s = raw.strip()
    if re.match(r"^https?://\S+$", s, re.I):
        url = s
    elif found := extract_link(s):
        url = found
    elif _BARE_DOMAIN_RE.match(s):
        url = "https://" + s
    else:
        raise FieldError(name, "bad_url", value=s)
    if len(url) > FIELDS[name].max_len:
        raise FieldError(name, "too_long", length=len(url), max=FIELDS[name].max_len)
    return url


# host suffix → platform slug; the first that matches wins
_HOSTS: tuple[tuple[str, str], ...] = (
    ("weibo.com", "weibo"), ("weibo.cn", "weibo"), ("t.cn", "weibo"),
    ("mp.weixin.qq.com", "wechat"), ("weixin.qq.com", "wechat"),
    ("douyin.com", "douyin"), ("iesdouyin.com", "douyin"),
    ("kuaishou.com", "kuaishou"), ("gifshow.com", "kuaishou"), ("chenzhongtech.com", "kuaishou"),
    ("bilibili.com", "bilibili"), ("b23.tv", "bilibili"),
    ("zhihu.com", "zhihu"),
    ("tieba.baidu.com", "forum"), ("tianya.cn", "forum"), ("douban.com", "forum"), ("hupu.com", "forum"),
    ("people.com.cn", "news_site"), ("xinhuanet.com", "news_site"), ("news.cn", "news_site"),
    ("chinanews.com", "news_site"), ("chinanews.com.cn", "news_site"), ("thepaper.cn", "news_site"),
    ("news.qq.com", "news_site"), ("news.sina.com.cn", "news_site"), ("news.163.com", "news_site"),
    ("ifeng.com", "news_site"), ("cctv.com", "news_site"), ("cnr.cn", "news_site"), ("chinadaily.com.cn", "news_site"),
    ("toutiao.com", "news_site"), ("baijiahao.baidu.com", "news_site"),
)


def detect_platform(url: str) -> str | None:
    """The platform a link points to, or None when the host is not known."""
    try:
        host = (urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if not host:
        return None
    if host.startswith("bbs.") or ".bbs." in host:
        return "forum"
    for suffix, slug in _HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return slug
    return None


# ---------------------------------------------------------------- one field
def parse_field(name: str, raw: str, *, now: datetime, tz: ZoneInfo, window: DateWindow = DEFAULT_WINDOW) -> Any:
    """The value of field `name` from what a person typed; FieldError when it does not fit (a time outside
    `window` too)."""
    spec = FIELDS[name]
    text = (raw or "").strip()
    if not text or is_placeholder(spec.kind, text):
        raise FieldError(name, "empty")
    if len(text) > spec.max_len:
        raise FieldError(name, "too_long", length=len(text), max=spec.max_len)
    match spec.kind:
        case "datetime":
            return parse_datetime(name, text, now, tz, window)
        case "count":
            return parse_count(name, text)
        case "url":
            return parse_link(name, text)
        case "sentiment":
            return parse_sentiment(name, text)
        case "bool":
            return parse_bool(name, text)
        case "choice":
            return parse_choice(name, text)
        case _:
            return text

__all__ = [
    "FUTURE_SLACK", "detect_platform", "extract_link", "is_placeholder", "match_choice", "norm_label",
    "parse_field",
]

"""The product's public vocabulary (docs/names.md): slugs, their zh/en labels and synonyms.

Slugs are what files, flags and the export carry; labels are what people see.
Parsing accepts the slug, both labels and the listed synonyms, case-insensitively.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    slug: str
    zh: str
    en: str
    synonyms: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Vocabulary:
    def __init__(self, name: str, terms: list[Term]):
        self.name = name
        self.terms = terms
        self._by_slug = {t.slug: t for t in terms}
        self._lookup: dict[str, str] = {}
        for t in terms:
            for word in (t.slug, t.zh, t.en, *t.synonyms):
                self._lookup[_norm(word)] = t.slug

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.terms]

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def term(self, slug: str) -> Term:
        return self._by_slug[slug]

    def label(self, slug: str, lang: str) -> str:
        return self._by_slug[slug].label(lang)

    def parse(self, text: str) -> str | None:
        """The slug for a label, slug or synonym; None when unknown."""
        return self._lookup.get(_norm(text))

    def resolve(self, text: str) -> tuple[str, ...]:
        """Loose parsing for what people type in a command: the slugs `text` may mean, in vocabulary order.
        An exact label, slug or synonym wins; otherwise a word of two or more characters found inside a term's
        words (or containing one of them) matches that term. () unknown, one slug, or several (ambiguous:
        the caller lists them)."""
        key = _norm(text)
        if not key:
            return ()
        exact = self._lookup.get(key)
        if exact is not None:
            return (exact,)
        if len(key) < 2:  # one letter or one character is inside too many words to mean anything
            return ()
        found = {slug for word, slug in self._lookup.items() if key in word or (len(word) >= 2 and word in key)}
        return tuple(s for s in self.slugs if s in found)


def _norm(s: str) -> str:
    # NFKC: full-width letters and digits typed with a Chinese input method count as their ASCII forms
    return "".join(unicodedata.normalize("NFKC", s).split()).casefold().replace("_", "").replace("-", "")


GRADES = Vocabulary("grade", [
    Term("general", "一般", "general", ("一般舆情",)),
    Term("major", "重大", "major", ("重大舆情", "较大")),
    Term("especially_major", "特别重大", "especially major", ("特别重大舆情", "特大", "especiallymajor")),
])

ROLES = Vocabulary("role", [
    Term("monitor", "监测员", "monitor", ("舆情监测员", "舆情员")),
    Term("office", "舆情办公室", "office", ("办公室", "舆情应急处置办公室", "领导小组办公室")),
    Term("supervising_leader", "分管领导", "supervising leader", ("supervisor",)),
    Term("main_leader", "主要领导", "main leader", ("单位负责人",)),
    Term("leading_group", "领导小组成员", "leading group", ("领导小组", "组长", "副组长")),
    Term("handler", "业务部门承办人", "handler", ("业务部门", "承办人", "相关部门")),
    Term("admin", "管理员", "admin", ("administrator",)),
    # speaks to the media once the leading group authorised an interview (bot/services/interviews.py)
    Term("spokesperson", "网上发言人", "spokesperson", ("发言人", "新闻发言人", "speaker")),
])

LEADER_ROLES = frozenset({"supervising_leader", "main_leader", "leading_group"})

PLATFORMS = Vocabulary("platform", [
    Term("weibo", "微博", "Weibo", ("新浪微博",)),
    Term("wechat", "微信", "WeChat", ("微信公众号", "公众号", "朋友圈", "微信群")),
    Term("douyin", "抖音", "Douyin", ("tiktok",)),
    Term("kuaishou", "快手", "Kuaishou"),
    Term("bilibili", "B站", "Bilibili", ("哔哩哔哩", "b站")),
    Term("zhihu", "知乎", "Zhihu"),
    Term("news_site", "新闻网站", "news site", ("网站", "新闻网", "网页", "news")),
    Term("forum", "论坛/贴吧", "forum", ("论坛", "贴吧", "百度贴吧", "bbs")),
    Term("newspaper", "报纸", "newspaper", ("报刊", "报社")),
    Term("tv", "电视", "TV", ("电视台", "television")),
    Term("radio", "广播", "radio", ("电台",)),
    Term("other", "其他", "other", ("其它",)),
])

SENTIMENTS = Vocabulary("sentiment", [
    Term("negative", "负面", "negative", ("消极",)),
    Term("neutral", "中性", "neutral", ("中立",)),
    Term("positive", "正面", "positive", ("积极",)),
])

MEDIA_LEVELS = Vocabulary("media", [
    Term("central", "中央", "central", ("中央级", "国家级")),
    Term("provincial", "省级", "provincial", ("省", "省级媒体")),
    Term("city", "市级", "city", ("市", "地市级", "市级媒体")),
    Term("county", "县级/本地", "county", ("县级", "本地", "县", "区县", "local")),
    Term("self_media", "自媒体/网民", "self-media", ("自媒体", "网民", "个人", "selfmedia")),
])

CATEGORIES = Vocabulary("category", [
    Term("inquiry", "询问/置疑/诉求", "inquiry", ("询问", "置疑", "质疑", "诉求", "咨询")),
    Term("hype", "恶意传播/炒作", "hype", ("炒作", "恶意传播", "恶意炒作")),
    Term("fabrication", "捏造/歪曲/诽谤/违法", "fabrication", ("捏造", "歪曲", "诽谤", "煽动", "违法", "造谣", "谣言")),
    Term("constructive", "建设性建议", "constructive", ("建议", "建设性", "积极意义")),
])

YES_NO = Vocabulary("bool", [
    Term("yes", "是", "yes", ("y", "true", "1", "有", "对")),
    Term("no", "否", "no", ("n", "false", "0", "无", "不是")),
])

CONTACT_KINDS = ("propaganda", "police", "law_enforcement", "emergency_office", "other")

CLOCKS = ("report_upward", "publish", "first_response", "formal_reply", "extension_max", "inquiry_same_day")

# The clocks' labels are the catalogue's `clock.name.*` (tests/domain/test_lookup.py holds them equal); the
# synonyms are the short forms people type (/done YQ-… 首次回应). A word shared by several clocks (答复, reply)
# is deliberately no synonym: Vocabulary.resolve answers it with the candidates.
CLOCK_NAMES = Vocabulary("clock", [
    Term("report_upward", "向上级报告", "report upward",
         ("上报", "向上报告", "报告上级", "上级报告", "向上级报送", "report", "upward")),
    Term("publish", "网上发布权威信息", "publish authoritative information",
         ("发布", "权威发布", "发布权威信息", "网上发布", "发布信息", "publish", "publication")),
    Term("first_response", "首次回应网民", "first response to the post",
         ("首次回应", "首次响应", "首次回复", "回应", "回应网民", "first response", "response", "respond")),
    Term("formal_reply", "正式答复", "formal reply", ("正式回复", "正式回应", "formal")),
    Term("extension_max", "延期答复最长期限", "longest extension of the reply",
         ("延期", "延期答复", "最长期限", "extension", "extension max", "extended reply")),
    Term("inquiry_same_day", "询问类当日答复", "same-day reply to an inquiry",
         ("当日答复", "当天答复", "当日回复", "当天回复", "询问答复", "询问类答复", "same day", "same-day reply",
          "inquiry")),
])

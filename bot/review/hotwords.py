"""Hot words (热词) of the post texts: jieba segmentation ranked by TF-IDF, topic words only.

The ranking is that of `jieba.analyse.extract_tags` (term frequency × inverse frequency; words
shorter than 2 characters, numbers and stop words dropped) with one change: the inverse frequency
is log(total / frequency) from the dictionary jieba's tokenizer has already loaded, not from
jieba's separate IDF table. Importing `jieba.analyse` (or `jieba.posseg`) would also load that table
and the TextRank/POS models, ~130 MB and ~1.2 s a large review cannot afford; the rankings agree closely.
A word jieba's HMM found that is not in the dictionary counts as seen UNKNOWN_FREQ times (≈ the
median IDF of jieba's table). Texts longer than MAX_CHARS in total are sampled evenly (whole
texts, in order) so a large incident stays fast.

What is not a topic word (a leader reading 翻出, 三张, 已派, 暂未 or 多个 learns nothing):
* the Chinese stop words of Stopwords ISO (the `stopwordsiso` package), plus OWN_STOP_WORDS: the
  vocabulary of reports and social-media pages (转发, 评论, 全文…) and vague time words;
* words whose part of speech in jieba's dictionary is a function class (FUNCTION_TAGS: numerals and
  measure words 三张 多个, adverbs 已经 暂, prepositions, conjunctions, particles, pronouns, locatives…);
* a verb of two characters ending in a directional or resultative complement (翻出, 看到, 提出);
* a word jieba's HMM made up (not in the dictionary) that starts with a function character: such words are
  fragments glued across a boundary (已+派, 暂+未, 三+张);
* the organisation's own words to ignore (`policy.review.ignore_words`), passed as `ignore`.
The dictionary's tags are read once (only the function-class words are kept, a few MB), not via
`jieba.posseg`, whose HMM tables cost ~55 MB more.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
import warnings
from collections import Counter
from collections.abc import Collection, Sequence
from functools import cache

MAX_CHARS = 150_000
UNKNOWN_FREQ = 400
DEFAULT_TOP = 30
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z]{2,}")
_DIGITS = re.compile(r"^[\d.,%]+$")
_lock = threading.Lock()

# jieba's (ICTCLAS) tags of words that carry no topic: m numeral, q/mq measure, d adverb, p preposition,
# c conjunction, u* particle, r* pronoun, f locative, y modal, e interjection, o onomatopoeia, h/k affixes,
# x non-word, zg/tg/dg/mg/rg single-character morphemes
FUNCTION_TAGS = frozenset("m mq mg q d df dg p c u ud ug uj ul uv uz r rr rz rg f y e o h k x zg tg".split())
# 翻出 看到 提出 找到 起来: the second character only says where or how far the action went
COMPLEMENTS = frozenset("出来去到起过完掉")

# ours: the vocabulary of reports and social-media pages, and vague time and modal words the ISO list lacks
OWN_STOP_WORDS = frozenset("""
进行 表示 认为 相关 需要 可能 应该 能够 不会 不能 没有 问 称 说
目前 现在 今天 昨天 明天 今年 去年 日前 近日 此前 当天 当日 当晚 上午 下午 晚上 凌晨 中午
回复 转发 评论 点赞 网页 链接 视频 图片 全文 展开 收起 原文 来源 作者 发布 显示 地址 时间 小时 分钟
网民 网友 帖子 发帖 微博 抖音 微信 媒体 平台 情况 事件 内容 信息 消息 问题
""".split())


@cache
def stop_words() -> frozenset[str]:
    """Stopwords ISO's Chinese list (the `stopwordsiso` package) and ours."""
    from stopwordsiso import stopwords

    return frozenset(stopwords("zh")) | OWN_STOP_WORDS


@cache
def _tokenizer():
    with warnings.catch_warnings():  # jieba 0.42 imports pkg_resources and has old-style regex escapes
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


@cache
def function_words() -> frozenset[str]:
    """Words of jieba's dictionary whose tag is a function class, and its complement verbs (翻出)."""
    out = set()
    with io.TextIOWrapper(_tokenizer().get_dict_file(), encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) != 3:
                continue
            word, _, tag = parts
            if tag in FUNCTION_TAGS or (tag == "v" and len(word) == 2 and word[1] in COMPLEMENTS):
                out.add(word)
    return frozenset(out)


def sample_texts(texts: Sequence[str], max_chars: int = MAX_CHARS) -> list[str]:
    """All texts when they fit in max_chars, else an even sample of whole texts (in order)."""
    texts = [s for s in texts if s and s.strip()]
    total = sum(len(s) for s in texts)
    if total <= max_chars:
        return texts
    keep = max(1, math.floor(len(texts) * max_chars / total))
    step = len(texts) / keep
    return [texts[int(i * step)] for i in range(keep)]


def is_candidate(word: str, ignore: Collection[str] = ()) -> bool:
    """A topic word: 2+ characters, not a number, not a stop word, a function word, a fragment or ignored."""
    word = word.strip()
    if len(word) < 2 or _DIGITS.match(word) or not _WORD.search(word):
        return False
    if word in ignore or word in stop_words():
        return False
    fn = function_words()
    if word in fn:
        return False
    # jieba's HMM glues unknown characters together: 已派 暂未 are an adverb and what follows it
    return bool(_tokenizer().FREQ.get(word)) or word[0] not in fn


def hot_words(texts: Sequence[str], top: int = DEFAULT_TOP, *, max_chars: int = MAX_CHARS,
              ignore: Collection[str] = ()) -> list[tuple[str, float]]:
    """The `top` hot words with their TF-IDF weight, best first; [] when there is no usable text.

    `ignore`: the organisation's own words never to rank (policy.review.ignore_words).
    Ties are broken by the word itself so the ranking is deterministic.
    """
    chosen = sample_texts(texts, max_chars)
    if not chosen:
        return []
    ignore = frozenset(w.strip() for w in ignore)
    with _lock:  # jieba's default tokenizer is shared and not thread-safe while it initialises
        tok = _tokenizer()
        function_words()
        counts: Counter[str] = Counter()
        for text in chosen:
            counts.update(w.strip() for w in tok.cut(text))
    counts = Counter({w: n for w, n in counts.items() if is_candidate(w, ignore)})
    if not counts:
        return []
    freq, corpus = tok.FREQ, tok.total
    total = sum(counts.values())
    scored = [(w, n / total * math.log(corpus / (freq.get(w) or UNKNOWN_FREQ))) for w, n in counts.items()]
    scored.sort(key=lambda p: (-p[1], p[0]))
    return scored[:top]


def wordcloud_png(words: Sequence[tuple[str, float]], *, width: int = 1000, height: int = 560) -> bytes | None:
    """A word-cloud PNG of ranked words; None when there are no words, no `wordcloud` package or
    no CJK font (the ranked list then stands on its own)."""
    if not words:
        return None
    try:
        from wordcloud import WordCloud
    except ImportError:
        return None
    from bot.review.fonts import cjk_font_path

    font = cjk_font_path()
    if font is None:
        return None
    import io

    freqs = {w: float(v) for w, v in words if v > 0}
    if not freqs:
        return None
    cloud = WordCloud(font_path=str(font), width=width, height=height, background_color="white",
                      random_state=7, prefer_horizontal=0.9, max_words=len(freqs), colormap="tab10",
                      margin=4).generate_from_frequencies(freqs)
    buf = io.BytesIO()
    cloud.to_image().save(buf, format="PNG", optimize=True)
    return buf.getvalue()

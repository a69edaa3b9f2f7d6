"""Hot words (热词) of the post texts: jieba segmentation ranked by TF-IDF.

The ranking is that of `jieba.analyse.extract_tags` (term frequency × inverse frequency; words
shorter than 2 characters, numbers and stop words dropped) with one change: the inverse frequency
is log(total / frequency) from the dictionary jieba's tokenizer has already loaded, not from
jieba's separate IDF table. Importing `jieba.analyse` would also load that table and the
TextRank/POS models, ~130 MB and ~1.2 s a large review cannot afford; the rankings agree closely.
A word jieba's HMM found that is not in the dictionary counts as seen UNKNOWN_FREQ times (≈ the
median IDF of jieba's table). Texts longer than MAX_CHARS in total are sampled evenly (whole
texts, in order) so a large incident stays fast.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import warnings
from collections import Counter
from collections.abc import Sequence
from functools import cache

MAX_CHARS = 150_000
UNKNOWN_FREQ = 400
DEFAULT_TOP = 30
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z]{2,}")
_DIGITS = re.compile(r"^[\d.,%]+$")
_lock = threading.Lock()

# function words and reporting boilerplate that carry no topic (jieba's own list is English-only)
STOP_WORDS = frozenset("""
的 了 是 在 和 与 及 或 也 就 都 而 着 被 把 将 对 从 向 为 以 于 之 其 该 此 这 那 有 没有 不是 一个 一些 一样
我们 你们 他们 她们 它们 我 你 他 她 它 自己 大家 什么 怎么 怎么样 为什么 如何 哪些 这个 那个 这些 那些 这样 那样
这里 那里 因为 所以 但是 但 而且 并且 如果 虽然 然后 还是 已经 正在 可以 可能 应该 需要 能够 没有 不会 不能
进行 表示 认为 称 说 问 相关 有关 目前 现在 今天 昨天 明天 今年 去年 日前 近日 此前 此外 同时 其中 以及 通过
对于 关于 根据 按照 由于 还有 只是 非常 比较 十分 特别 一直 一定 已 再 又 还 很 更 最 太 并 等 等等 个 条 位 名 次
回复 转发 评论 点赞 网页 链接 视频 图片 全文 展开 收起 原文 来源 作者 发布 显示 地址 时间 小时 分钟
""".split())


@cache
def _tokenizer():
    with warnings.catch_warnings():  # jieba 0.42 imports pkg_resources and has old-style regex escapes
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


def sample_texts(texts: Sequence[str], max_chars: int = MAX_CHARS) -> list[str]:
    """All texts when they fit in max_chars, else an even sample of whole texts (in order)."""
    texts = [s for s in texts if s and s.strip()]
    total = sum(len(s) for s in texts)
    if total <= max_chars:
        return texts
    keep = max(1, math.floor(len(texts) * max_chars / total))
    step = len(texts) / keep
    return [texts[int(i * step)] for i in range(keep)]


def is_candidate(word: str) -> bool:
    word = word.strip()
    return len(word) >= 2 and word not in STOP_WORDS and not _DIGITS.match(word) and bool(_WORD.search(word))


def hot_words(texts: Sequence[str], top: int = DEFAULT_TOP, *, max_chars: int = MAX_CHARS) -> list[tuple[str, float]]:
    """The `top` hot words with their TF-IDF weight, best first; [] when there is no usable text.

    Ties are broken by the word itself so the ranking is deterministic.
    """
    chosen = sample_texts(texts, max_chars)
    if not chosen:
        return []
    with _lock:  # jieba's default tokenizer is shared and not thread-safe while it initialises
        tok = _tokenizer()
        counts: Counter[str] = Counter()
        for text in chosen:
            counts.update(w.strip() for w in tok.cut(text) if is_candidate(w))
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

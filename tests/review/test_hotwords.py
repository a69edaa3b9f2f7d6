"""Hot words (bot/review/hotwords.py) on Chinese text, and the word cloud."""

from __future__ import annotations

import io
import warnings

from PIL import Image

from bot.review.hotwords import STOP_WORDS, hot_words, is_candidate, sample_texts, wordcloud_png

TEXTS = [
    "某市第一中学食堂被曝使用过期食材，多名学生家长在微博发帖质疑学校管理。",
    "市教育局回应称已成立调查组，涉事供应商被暂停供货，食品安全检测结果将向社会公开。",
    "网友热议校园食品安全，有家长表示孩子吃了食堂饭菜后腹痛，要求教育局彻查。",
    "调查组进驻学校食堂，封存过期食材，学生家长代表参与陪餐监督。",
    "我们认为这个事情已经进行了处理，但是大家还是关注食品安全。",
]


def test_expected_words_rank_high():
    words = hot_words(TEXTS, 15)
    ranked = [w for w, _ in words]
    assert len(ranked) == 15
    for expected in ("食品安全", "食堂", "调查组", "过期", "学生家长", "教育局"):
        assert expected in ranked, (expected, ranked)
    assert ranked.index("食品安全") < 5
    weights = [v for _, v in words]
    assert weights == sorted(weights, reverse=True) and weights[-1] > 0


def test_stop_words_numbers_and_single_characters_are_dropped():
    ranked = [w for w, _ in hot_words(TEXTS + ["2026年11月24日 100 200 的 了 是"], 100)]
    assert not set(ranked) & STOP_WORDS
    assert all(len(w) >= 2 for w in ranked)
    assert "100" not in ranked and "2026" not in ranked
    assert not is_candidate("我们") and not is_candidate("12.5%") and is_candidate("食堂")


def test_deterministic():
    assert hot_words(TEXTS, 20) == hot_words(list(TEXTS), 20)


def test_no_text_no_words():
    assert hot_words([]) == []
    assert hot_words(["", "   ", "的 了 是"]) == []


def test_sampling_keeps_whole_texts_under_the_cap():
    texts = [f"第{i}条：食堂食材问题" for i in range(1000)]
    chosen = sample_texts(texts, max_chars=2000)
    assert sum(map(len, chosen)) <= 2000 and set(chosen) <= set(texts)
    assert chosen[0] == texts[0] and len(chosen) > 100
    assert sample_texts(texts[:3], max_chars=2000) == texts[:3]


def test_word_cloud_png():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = wordcloud_png(hot_words(TEXTS, 30))
    assert png is not None and png.startswith(b"\x89PNG") and len(png) > 20_000
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1000, 560)
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20
    assert wordcloud_png([]) is None
    assert wordcloud_png([("食堂", 0.0)]) is None

"""Hot words (bot/review/hotwords.py) on Chinese text, and the word cloud."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from bot.domain.policy import Policy
from bot.review.hotwords import (
    OWN_STOP_WORDS,
    _tokenizer,
    function_words,
    hot_words,
    is_candidate,
    sample_texts,
    stop_words,
    wordcloud_png,
)

TEXTS = [
    "某市第一中学食堂被曝使用过期食材，多名学生家长在微博发帖质疑学校管理。",
    "市教育局回应称已成立调查组，涉事供应商被暂停供货，食品安全检测结果将向社会公开。",
    "网友热议校园食品安全，有家长表示孩子吃了食堂饭菜后腹痛，要求教育局彻查。",
    "调查组进驻学校食堂，封存过期食材，学生家长代表参与陪餐监督。",
    "我们认为这个事情已经进行了处理，但是大家还是关注食品安全。",
]

# ~20 posts about a canteen incident as monitors paste them: the fragments a tester saw ranked high
# (翻出 三张 已派 暂未 多个) each appear several times
CANTEEN = [
    "网友翻出三张照片，称某中学食堂饭菜里有虫子，学校暂未回应。",
    "有学生家长在微博发帖，称孩子在学校食堂吃饭后腹痛，多个学生出现呕吐症状。",
    "网传某中学食堂使用过期食材，网友翻出食堂后厨的照片，评论区一片质疑。",
    "学校已派专人到食堂核查，暂未发现食材过期问题，检测结果将向家长公开。",
    "市教育局回应：已派工作组进驻学校，食堂暂停营业，涉事供应商被暂停供货。",
    "多个家长群转发食堂饭菜照片，要求学校公开食材采购台账。",
    "网友翻出该校去年食堂招标公告，质疑供应商资质。",
    "学生称食堂饭菜份量少、价格高，三张对比图在网上流传。",
    "学校发布情况通报：食堂已停业整顿，暂未发现学生食物中毒。",
    "市场监管局对食堂进行食品安全检查，抽检样品已送检。",
    "家长代表参与陪餐监督，食堂恢复供餐后饭菜质量有所改善。",
    "网友翻出三张收据，称食堂多收学生饭费，学校暂未作出解释。",
    "省级媒体报道食堂事件，评论称学校监管不到位，要求彻查供应商。",
    "教育局已派人约谈校长，要求整改食堂管理制度。",
    "多个自媒体账号转发不实信息，称有学生住院，学校辟谣。",
    "学校食堂承包商被解约，新的供应商将通过公开招标产生。",
    "暂未有学生住院，多个家长表示对学校处置基本满意。",
    "网友质疑学校通报避重就轻，翻出三张旧照片对比食堂卫生状况。",
    "食品安全检测报告公布，食材各项指标合格，舆情热度明显回落。",
    "学校承诺每周公开食堂食材采购信息，接受家长和学生监督。",
]
FRAGMENTS = {"翻出", "三张", "已派", "暂未", "多个"}


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
    assert not set(ranked) & stop_words()
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


def test_canteen_corpus_has_no_stop_word_or_fragment():
    """The ISO stop words, ours, numerals with measure words, adverb-led fragments and complement verbs are
    all left out; the incident's topic words rank first."""
    words = hot_words(CANTEEN, 30)
    ranked = [w for w, _ in words]
    assert len(ranked) == 30
    assert not set(ranked) & FRAGMENTS, ranked
    assert not set(ranked) & stop_words(), ranked
    assert not set(ranked) & function_words(), ranked
    # a word jieba's HMM made up never starts with an adverb or a numeral (暂停营业 is a dictionary word)
    assert not [w for w in ranked if not _tokenizer().FREQ.get(w) and w[0] in "已暂未不没多三两几每该此"], ranked
    assert ranked[0] == "食堂"
    for expected in ("食材", "供应商", "饭菜", "教育局", "过期"):
        assert expected in ranked[:15], (expected, ranked)


@pytest.mark.parametrize("word", sorted(FRAGMENTS) + ["看到", "提出", "已经", "我们", "转发", "全文"])
def test_fragments_and_stop_words_are_not_candidates(word):
    assert not is_candidate(word)


def test_maintained_stop_list_is_used():
    """Stopwords ISO's Chinese list (the stopwordsiso package) is there, not only our own words."""
    from stopwordsiso import stopwords

    iso = stopwords("zh")
    assert len(iso) > 500 and iso <= stop_words() and OWN_STOP_WORDS <= stop_words()
    assert {"因此", "尽管", "与其"} <= stop_words()


def test_topic_words_stay_candidates():
    for word in ("食堂", "供应商", "过期", "未成年人", "网传", "陪餐", "辟谣", "整改"):
        assert is_candidate(word), word


def test_ignored_words_are_left_out():
    base = [w for w, _ in hot_words(CANTEEN, 10)]
    assert "学校" in base
    ranked = [w for w, _ in hot_words(CANTEEN, 10, ignore=["学校", " 食堂 "])]
    assert "学校" not in ranked and "食堂" not in ranked and len(ranked) == 10


def test_policy_review_ignore_words():
    assert Policy.from_mapping(None).review.ignore_words == ()
    pol = Policy.from_mapping({"review": {"ignore_words": ["示范大学", " 学校 ", "学校"]}})
    assert pol.review.ignore_words == ("示范大学", "学校")
    assert pol.to_mapping()["review"] == {"ignore_words": ["示范大学", "学校"]}
    for bad in ({"ignore_words": "学校"}, {"ignore_words": [3]}, {"ignore_words": [" "]}, {"words": []}):
        with pytest.raises(ValueError, match="policy.review"):
            Policy.from_mapping({"review": bad})


def test_example_08_top_words_are_topic_words():
    """The texts of examples/08 (the report's 过程/结果 and three follow-ups): the review's top words."""
    texts = ["网民发帖称学校食堂饭菜出现异物，配图显示餐盘中有异物\n帖子被大量转发，评论质疑食堂卫生监管",
             "市级媒体跟进报道食堂异物事件，家长质疑学校监管不到位",
             "省级媒体转载，事件持续发酵，网友要求公开调查结果和供应商信息",
             "学校发布情况通报后评论趋于理性，热度明显回落"]
    ranked = [w for w, _ in hot_words(texts, 20)]
    assert ranked[:4] == ["异物", "质疑", "食堂", "监管"]
    assert not set(ranked) & (stop_words() | function_words() | {"媒体", "事件", "帖子", "发帖"}), ranked

"""Charts (bot/review/charts.py): PNGs for data, None for none, and Chinese really drawn.

Every chart runs under warnings-as-errors, so matplotlib's "Glyph ... missing from font(s)"
warning (a Chinese character drawn as a box) fails the test.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.review import charts, fonts
from bot.review.model import PostSample
from bot.review.sample import synthetic_review

TZ = ZoneInfo("Asia/Shanghai")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def strict() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def assert_png(data: bytes | None, min_kb: int = 10) -> tuple[int, int]:
    assert data is not None
    assert data.startswith(PNG_MAGIC)
    assert len(data) > min_kb * 1024
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        assert img.width > 300 and img.height > 150
        # not a blank canvas: many distinct colours
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20
        return img.size


@pytest.fixture(scope="module")
def posts() -> list[PostSample]:
    return synthetic_review(300, 10).posts


def test_cjk_font_found_and_registered():
    path = fonts.cjk_font_path()
    assert path is not None and path.is_file()
    assert fonts.matplotlib_family()


def test_font_override_and_fallback(monkeypatch, tmp_path):
    packaged = fonts.cjk_font_path()
    try:
        monkeypatch.setenv(fonts.ENV_VAR, str(packaged))
        fonts.cjk_font_path.cache_clear()
        assert fonts.cjk_font_path() == packaged
        monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "missing.ttf"))
        fonts.cjk_font_path.cache_clear()
        assert fonts.cjk_font_path() == packaged
    finally:
        fonts.cjk_font_path.cache_clear()
    rc = fonts.rc_params()
    assert rc["font.sans-serif"][0] == fonts.matplotlib_family()


def test_missing_glyph_is_detected_without_cjk_font():
    """The guard the chart tests rely on: DejaVu Sans alone cannot draw 中文 and matplotlib warns."""
    import matplotlib
    from matplotlib.figure import Figure

    with warnings.catch_warnings(), matplotlib.rc_context({"font.family": "sans-serif",
                                                           "font.sans-serif": ["DejaVu Sans"]}):
        warnings.simplefilter("error")
        fig = Figure()
        fig.add_subplot().set_title("发布量走势")
        with pytest.raises(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_renders(posts, lang, strict):
    assert_png(charts.volume_chart(posts, lang, tz=TZ))
    assert_png(charts.platform_chart(posts, lang))
    assert_png(charts.sentiment_chart(posts, lang))
    assert_png(charts.region_chart(posts, lang))


def test_charts_are_none_without_data(strict):
    assert charts.volume_chart([], "zh") is None
    assert charts.platform_chart([], "zh") is None
    assert charts.sentiment_chart([], "zh") is None
    assert charts.region_chart([], "zh") is None
    bare = [PostSample(at=datetime(2026, 11, 24, 9, tzinfo=TZ))]
    assert charts.platform_chart(bare) is None
    assert charts.region_chart([PostSample(at=bare[0].at, region="  ")]) is None
    # a sentiment without a media level (or the reverse) cannot be placed on a side
    assert charts.sentiment_chart([PostSample(at=bare[0].at, sentiment="negative")]) is None
    assert charts.sentiment_chart([PostSample(at=bare[0].at, media="city")]) is None


def test_small_inputs_still_render(strict):
    at = datetime(2026, 11, 24, 9, 5, tzinfo=TZ)
    one = [PostSample(at=at, platform="weibo", sentiment="negative", media="self_media", region="江苏")]
    assert_png(charts.volume_chart(one, "zh", tz=TZ), min_kb=5)
    assert_png(charts.platform_chart(one), min_kb=5)
    assert_png(charts.sentiment_chart(one), min_kb=5)
    assert_png(charts.region_chart(one), min_kb=5)


def test_sentiment_sides():
    at = datetime(2026, 11, 24, 9, tzinfo=TZ)
    assert PostSample(at=at, media="central").side == "media"
    assert PostSample(at=at, media="county").side == "media"
    assert PostSample(at=at, media="self_media").side == "public"
    assert PostSample(at=at).side is None


def test_volume_series_and_phases():
    t0 = datetime(2026, 11, 24, 8, tzinfo=TZ)
    per_hour = [1, 3, 10, 4, 1]
    posts = [PostSample(at=t0 + timedelta(hours=h, minutes=i), reposts=2, comments=1)
             for h, n in enumerate(per_hour) for i in range(n)]
    v = charts.volume(posts, tz=TZ)
    assert v.counts == per_hour and v.hours == 1
    assert v.engagement == [3 * n for n in per_hour]
    assert [p.name for p in v.phases] == ["development", "outbreak", "continuation"]


def test_render_all(strict):
    data = synthetic_review(200, 20, lang="en")
    cs = charts.render_all(data)
    for png in (cs.volume, cs.platform, cs.sentiment, cs.region, cs.cloud):
        assert_png(png)
    assert cs.words and cs.series and cs.series.phases

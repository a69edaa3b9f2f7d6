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

from bot.review import charts, figure, fonts
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


def whole(ticks) -> bool:  # noqa: ANN001
    return all(float(v).is_integer() for v in ticks)


def few_posts() -> list[PostSample]:
    """Small counts (1–2 per hour, a handful per platform): where matplotlib would put ticks at 0.2, 0.4…"""
    at = datetime(2026, 11, 24, 9, 5, tzinfo=TZ)
    return [PostSample(at=at + timedelta(hours=h), platform=p, region=r, reposts=1, comments=0)
            for h, p, r in ((0, "weibo", "江苏"), (1, "weibo", "上海"), (1, "douyin", "江苏"), (3, "wechat", "北京"))]


@pytest.mark.parametrize("build", ["volume", "platform", "region"])
def test_count_axes_have_whole_number_ticks(build, strict):
    posts = few_posts()
    with figure.drawing():
        if build == "volume":
            fig = charts.volume_figure(charts.volume(posts, tz=TZ), "zh", tz=TZ)
            counts = [fig.axes[0].yaxis] + [ax.yaxis for ax in fig.axes[1:]]  # posts, and reposts+comments
        else:
            fig = (charts.platform_figure if build == "platform" else charts.region_figure)(posts, "zh")
            counts = [fig.axes[0].xaxis]
        for axis in counts:
            ticks = axis.get_ticklocs()
            assert len(ticks) >= 2 and whole(ticks), (build, list(ticks))
    if build == "volume":
        assert len(fig.axes) == 2  # the engagement line's own count axis was checked too


def test_growth_axis_has_whole_number_ticks(strict):
    """Growth spread over the hours between follow-ups is fractional; its axis still counts in whole numbers."""
    t0 = datetime(2026, 11, 24, 9, tzinfo=TZ)
    posts = [PostSample(at=t0, reposts=1, comments=0, source="report"),
             PostSample(at=t0 + timedelta(hours=3), reposts=2, comments=0, source="followup"),
             PostSample(at=t0 + timedelta(hours=5), reposts=3, comments=0, source="followup")]
    series = charts.volume(posts, tz=TZ)
    assert series.growth is not None and max(series.growth) < 1
    with figure.drawing():
        ticks = charts.volume_figure(series, "zh", tz=TZ).axes[0].get_yticks()
    assert whole(ticks), list(ticks)


def test_one_bucket_spread_chart_reads_sensibly(strict):
    """One hour of posts: a narrow bar in the middle, labelled with its hours and count; the outbreak shading
    covers that hour only, not the whole chart."""
    at = datetime(2026, 11, 24, 9, 5, tzinfo=TZ)
    posts = [PostSample(at=at + timedelta(minutes=m), reposts=2, comments=1) for m in (0, 20, 40)]
    series = charts.volume(posts, tz=TZ)
    assert series.counts == [3] and [p.name for p in series.phases] == ["outbreak"]
    with figure.drawing():
        fig = charts.volume_figure(series, "zh", tz=TZ)
        ax = fig.axes[0]
        lo, hi = ax.get_xlim()
        (bar,) = ax.patches[-1:]  # the bar is drawn after the shading
        span = [p for p in ax.patches if p is not bar]
        labels = [lb.get_text() for lb in ax.get_xticklabels()]
    day = 1 / 24
    assert len(span) == 1
    shade_lo, shade_hi = span[0].get_x(), span[0].get_x() + span[0].get_width()
    assert shade_hi - shade_lo == pytest.approx(day)  # one hour of shading…
    assert lo < shade_lo - day / 2 and hi > shade_hi + day / 2  # …inside a wider view
    assert bar.get_width() < 0.5 * day and bar.get_x() > shade_lo and bar.get_x() + bar.get_width() < shade_hi
    assert labels == ["11-24 09:00–10:00"]
    assert [tx.get_text() for tx in ax.texts] == ["3"]
    assert whole(ax.get_yticks())
    assert_png(charts.volume_chart(posts, "zh", tz=TZ, series=series), min_kb=5)

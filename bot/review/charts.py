"""The review's charts as PNG bytes (matplotlib, Agg; no pyplot, no global state changed).

Every chart function returns PNG bytes, or None when its data is empty: never an empty image.
Labels are in `lang`; Chinese is drawn with the CJK font of fonts.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from bot.domain.vocab import PLATFORMS, SENTIMENTS
from bot.i18n import t
from bot.review.figure import new_figure, render_png, whole_numbers
from bot.review.hotwords import hot_words, wordcloud_png
from bot.review.model import PostSample, ReviewData
from bot.review.phases import (
    DEFAULT_THRESHOLD,
    MIN_FOLLOWUPS,
    Phase,
    bucket_counts,
    growth_points,
    spread_phases,
)

__all__ = [
    "ChartSet", "Volume", "hot_words", "platform_chart", "platform_figure", "region_chart", "region_figure",
    "render_all", "sentiment_chart", "sentiment_figure", "volume", "volume_chart", "volume_figure", "wordcloud_png",
]

PHASE_COLOURS = {"development": "#fdd49e", "outbreak": "#fc8d59", "continuation": "#c6dbef"}
SENTIMENT_COLOURS = {"negative": "#d7301f", "neutral": "#bdbdbd", "positive": "#31a354"}
BAR_COLOUR = "#3182bd"
LINE_COLOUR = "#636363"


@dataclass(frozen=True)
class Volume:
    """Posts per bucket and the phases of spread derived from it."""

    starts: list  # bucket start datetimes
    counts: list[float]
    engagement: list[float]
    hours: int  # bucket size
    phases: list[Phase]
    threshold: float = DEFAULT_THRESHOLD
    growth: list[float] | None = None  # new reposts+comments per bucket, when follow-ups give cumulative counts

    @property
    def basis(self) -> list[float]:
        """The series the phases are derived from (phases.py: growth when known, else posts)."""
        return self.growth if self.growth is not None else self.counts


@dataclass
class ChartSet:
    volume: bytes | None = None
    platform: bytes | None = None
    sentiment: bytes | None = None
    region: bytes | None = None
    cloud: bytes | None = None
    words: list[tuple[str, float]] = field(default_factory=list)
    series: Volume | None = None


def _cumulative(posts: Sequence[PostSample]) -> list[tuple]:
    """The incident's running total of reposts+comments: the first report, then every follow-up with counts."""
    ordered = sorted(posts, key=lambda p: p.at)
    first = next((p for p in ordered if p.source == "report"), None)
    seen = [p for p in ordered if p.source == "followup" and (p.reposts is not None or p.comments is not None)]
    if len(seen) < MIN_FOLLOWUPS:
        return []
    return ([(first.at, first.engagement)] if first is not None else []) + [(p.at, p.engagement) for p in seen]


def volume(posts: Sequence[PostSample], *, tz: tzinfo | None = None, threshold: float = DEFAULT_THRESHOLD) -> Volume:
    times = [p.at for p in posts]
    pieces = growth_points(_cumulative(posts))
    # one grid for both series: the growth pieces may fall between two samples' hours
    grid = times + [at for at, _ in pieces]
    starts, counts, hours = bucket_counts(grid, tz=tz, weights=[1.0] * len(times) + [0.0] * len(pieces))
    _, engagement, _ = bucket_counts(grid, tz=tz, weights=[p.engagement for p in posts] + [0.0] * len(pieces))
    growth = None
    if pieces:
        _, growth, _ = bucket_counts(grid, tz=tz, weights=[0.0] * len(times) + [w for _, w in pieces])
    basis = growth if growth is not None else counts
    return Volume(starts, counts, engagement, hours, spread_phases(basis, threshold), threshold, growth)


def volume_chart(posts: Sequence[PostSample], lang: str = "zh", *, tz: tzinfo | None = None,
                 series: Volume | None = None) -> bytes | None:
    """Posts per hour as bars, reposts+comments as a line, phases of spread shaded."""
    series = series or volume(posts, tz=tz)
    return render_png(lambda: volume_figure(series, lang, tz=tz))


def volume_figure(series: Volume, lang: str = "zh", *, tz: tzinfo | None = None):  # noqa: ANN201 (a Figure)
    """The spread chart of `series` (build it under figure.drawing()); None when nothing grew."""
    if not series.basis or max(series.basis) <= 0:
        return None
    from datetime import timedelta

    from matplotlib import dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    bar_label = t("review.axis.growth" if series.growth is not None else "review.axis.posts", lang)
    fig, ax = new_figure(9.0, 4.8)
    step = timedelta(hours=series.hours)
    width = step / timedelta(days=1)
    xs = [mdates.date2num(s) for s in series.starts]
    single = len(xs) == 1
    handles = []
    for ph in series.phases:
        # shading covers the phase's own buckets and never runs past the data
        left, right = xs[ph.start], min(xs[ph.end], xs[-1]) + width
        ax.axvspan(left, right, color=PHASE_COLOURS[ph.name], alpha=0.45, lw=0, zorder=0)
        handles.append(Patch(color=PHASE_COLOURS[ph.name], alpha=0.6, label=t(f"review.phase.{ph.name}", lang)))
    mids = [x + width / 2 for x in xs]
    # one bucket: a narrow bar in the middle of a wider view, labelled with its hours and count, rather than
    # one block filling the whole chart
    bars = ax.bar(mids, series.basis, width=width * (0.4 if single else 0.85), align="center", color=BAR_COLOUR,
                  zorder=2, label=bar_label)
    ax.set_ylabel(bar_label)
    ax.set_xlabel(t("review.axis.time", lang))
    ax.set_title(t("review.chart.growth" if series.growth is not None else "review.chart.volume", lang,
                   hours=series.hours))
    if single:
        ax.set_xlim(xs[0] - width, xs[0] + 2 * width)
        start = series.starts[0]
        start = start.astimezone(tz) if tz is not None and start.tzinfo is not None else start
        ax.set_xticks(mids, [f"{start:%m-%d %H:%M}–{start + step:%H:%M}"])
        ax.bar_label(bars, labels=[f"{v:g}" for v in series.basis], padding=2, fontsize=9)
        ax.set_ylim(0, max(series.basis) * 1.25)
    else:
        ax.set_xlim(xs[0], xs[-1] + width)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(tz=tz, minticks=3, maxticks=8))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M", tz=tz))
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    whole_numbers(ax, "y")
    ax.grid(axis="y", alpha=0.3, zorder=1)
    if series.growth is None and any(series.engagement):
        ax2 = ax.twinx()
        ax2.plot(mids, series.engagement, color=LINE_COLOUR, lw=1.4, marker="." if len(xs) < 60 else None,
                 zorder=3)
        ax2.set_ylabel(t("review.axis.engagement", lang), color=LINE_COLOUR)
        ax2.set_ylim(bottom=0)
        whole_numbers(ax2, "y")
        handles.append(Line2D([], [], color=LINE_COLOUR, lw=1.4, label=t("review.axis.engagement", lang)))
    handles.insert(0, Patch(color=BAR_COLOUR, label=bar_label))
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.85)
    return fig


def _label(vocab, slug: str, lang: str) -> str:
    return vocab.label(slug, lang) if slug in vocab else slug


def _hbar(title: str, labels: list[str], values: list[int], xlabel: str, colours, lang: str):  # noqa: ANN201
    """Horizontal bars of counts, each labelled with its count and share; the count axis in whole numbers."""
    fmt = "{v}（{p:.0%}）" if lang == "zh" else "{v} ({p:.0%})"
    fig, ax = new_figure(8.0, max(2.4, 0.42 * len(labels) + 1.4))
    ys = list(range(len(labels)))[::-1]
    bars = ax.barh(ys, values, color=colours, height=0.65)
    ax.set_yticks(ys, labels)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    total = sum(values)
    ax.bar_label(bars, labels=[fmt.format(v=v, p=v / total) for v in values], padding=3, fontsize=8)
    ax.set_xlim(0, max(values) * 1.22)
    whole_numbers(ax, "x")
    ax.grid(axis="x", alpha=0.3)
    return fig


def platform_chart(posts: Sequence[PostSample], lang: str = "zh") -> bytes | None:
    """Posts per platform, largest first."""
    return render_png(lambda: platform_figure(posts, lang))


def platform_figure(posts: Sequence[PostSample], lang: str = "zh"):  # noqa: ANN201 (a Figure or None)
    counts = Counter(x for p in posts for x in p.platform_set)
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return _hbar(t("review.chart.platform", lang), [_label(PLATFORMS, s, lang) for s, _ in ranked],
                 [n for _, n in ranked], t("review.axis.posts", lang), BAR_COLOUR, lang)


def region_chart(posts: Sequence[PostSample], lang: str = "zh", *, top: int = 15) -> bytes | None:
    """Posts per region (the `top` hottest), coloured by heat."""
    return render_png(lambda: region_figure(posts, lang, top=top))


def region_figure(posts: Sequence[PostSample], lang: str = "zh", *, top: int = 15):  # noqa: ANN201
    counts = Counter(x for p in posts for x in p.region_set)
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    from matplotlib import colormaps

    cmap = colormaps["YlOrRd"]
    peak = ranked[0][1]
    colours = [cmap(0.35 + 0.6 * n / peak) for _, n in ranked]
    return _hbar(t("review.chart.region", lang), [r for r, _ in ranked], [n for _, n in ranked],
                 t("review.axis.mentions", lang), colours, lang)


def sentiment_chart(posts: Sequence[PostSample], lang: str = "zh") -> bytes | None:
    """Share of negative/neutral/positive posts for media (central…county) and public (self-media)."""
    return render_png(lambda: sentiment_figure(posts, lang))


def sentiment_figure(posts: Sequence[PostSample], lang: str = "zh"):  # noqa: ANN201 (a Figure or None)
    table: dict[str, Counter[str]] = {"media": Counter(), "public": Counter()}
    for p in posts:
        if p.side and p.sentiment in SENTIMENTS:
            table[p.side][p.sentiment] += 1
    sides = [s for s in ("media", "public") if table[s]]
    if not sides:
        return None
    fig, ax = new_figure(8.0, 1.3 * len(sides) + 1.6)
    ys = list(range(len(sides)))[::-1]
    left = [0.0] * len(sides)
    for slug in ("negative", "neutral", "positive"):
        totals = [sum(table[s].values()) for s in sides]
        shares = [100.0 * table[s][slug] / n for s, n in zip(sides, totals, strict=True)]
        bars = ax.barh(ys, shares, left=left, color=SENTIMENT_COLOURS[slug], height=0.6,
                       label=SENTIMENTS.label(slug, lang))
        ax.bar_label(bars, labels=[f"{v:.0f}%" if v >= 6 else "" for v in shares], label_type="center",
                     fontsize=8)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    names = [t("review.side.n", lang, side=t(f"review.side.{s}", lang), n=sum(table[s].values())) for s in sides]
    ax.set_yticks(ys, names)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("review.axis.share", lang))
    ax.set_title(t("review.chart.sentiment", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(sides) > 1 else -0.45), ncol=3,
              fontsize=8, frameon=False)
    return fig


def render_all(data: ReviewData, *, top_words: int = 30) -> ChartSet:
    """Every chart and the hot words of a review; missing data gives None / []."""
    series = volume(data.posts, tz=data.tz)
    words = hot_words([p.text for p in data.posts], top_words, ignore=data.ignore_words)
    return ChartSet(
        volume=volume_chart(data.posts, data.lang, tz=data.tz, series=series),
        platform=platform_chart(data.posts, data.lang),
        sentiment=sentiment_chart(data.posts, data.lang),
        region=region_chart(data.posts, data.lang),
        cloud=wordcloud_png(words),
        words=words,
        series=series,
    )

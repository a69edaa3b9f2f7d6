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
from bot.review.figure import new_figure, render_png
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
    "ChartSet", "Volume", "hot_words", "platform_chart", "region_chart", "render_all", "sentiment_chart",
    "volume", "volume_chart", "wordcloud_png",
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
    if not series.basis or max(series.basis) <= 0:
        return None
    bar_label = t("review.axis.growth" if series.growth is not None else "review.axis.posts", lang)

    def draw():
        from datetime import timedelta

        from matplotlib import dates as mdates
        from matplotlib.patches import Patch

        fig, ax = new_figure(9.0, 4.8)
        step = timedelta(hours=series.hours)
        width = step / timedelta(days=1)
        xs = [mdates.date2num(s) for s in series.starts]
        handles = []
        for ph in series.phases:
            left = xs[ph.start]
            right = xs[ph.end] + width
            ax.axvspan(left, right, color=PHASE_COLOURS[ph.name], alpha=0.45, lw=0, zorder=0)
            handles.append(Patch(color=PHASE_COLOURS[ph.name], alpha=0.6, label=t(f"review.phase.{ph.name}", lang)))
        ax.bar(xs, series.basis, width=width * 0.85, align="edge", color=BAR_COLOUR, zorder=2, label=bar_label)
        ax.set_ylabel(bar_label)
        ax.set_xlabel(t("review.axis.time", lang))
        ax.set_title(t("review.chart.growth" if series.growth is not None else "review.chart.volume", lang,
                       hours=series.hours))
        ax.set_xlim(xs[0], xs[-1] + width)
        loc = mdates.AutoDateLocator(tz=tz, minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M", tz=tz))
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
        ax.grid(axis="y", alpha=0.3, zorder=1)
        if series.growth is None and any(series.engagement):
            ax2 = ax.twinx()
            mids = [x + width / 2 for x in xs]
            ax2.plot(mids, series.engagement, color=LINE_COLOUR, lw=1.4, marker="." if len(xs) < 60 else None,
                     zorder=3)
            ax2.set_ylabel(t("review.axis.engagement", lang), color=LINE_COLOUR)
            ax2.set_ylim(bottom=0)
            from matplotlib.lines import Line2D

            handles.append(Line2D([], [], color=LINE_COLOUR, lw=1.4, label=t("review.axis.engagement", lang)))
        handles.insert(0, Patch(color=BAR_COLOUR, label=bar_label))
        ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.85)
        return fig

    return render_png(draw)


def _label(vocab, slug: str, lang: str) -> str:
    return vocab.label(slug, lang) if slug in vocab else slug


def _hbar(title: str, labels: list[str], values: list[int], xlabel: str, colours, lang: str) -> bytes:
    fmt = "{v}（{p:.0%}）" if lang == "zh" else "{v} ({p:.0%})"

    def draw():
        fig, ax = new_figure(8.0, max(2.4, 0.42 * len(labels) + 1.4))
        ys = list(range(len(labels)))[::-1]
        bars = ax.barh(ys, values, color=colours, height=0.65)
        ax.set_yticks(ys, labels)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        total = sum(values)
        ax.bar_label(bars, labels=[fmt.format(v=v, p=v / total) for v in values], padding=3, fontsize=8)
        ax.set_xlim(0, max(values) * 1.22)
        ax.grid(axis="x", alpha=0.3)
        return fig

    return render_png(draw)


def platform_chart(posts: Sequence[PostSample], lang: str = "zh") -> bytes | None:
    """Posts per platform, largest first."""
    counts = Counter(x for p in posts for x in p.platform_set)
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return _hbar(t("review.chart.platform", lang), [_label(PLATFORMS, s, lang) for s, _ in ranked],
                 [n for _, n in ranked], t("review.axis.posts", lang), BAR_COLOUR, lang)


def region_chart(posts: Sequence[PostSample], lang: str = "zh", *, top: int = 15) -> bytes | None:
    """Posts per region (the `top` hottest), coloured by heat."""
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
    table: dict[str, Counter[str]] = {"media": Counter(), "public": Counter()}
    for p in posts:
        if p.side and p.sentiment in SENTIMENTS:
            table[p.side][p.sentiment] += 1
    sides = [s for s in ("media", "public") if table[s]]
    if not sides:
        return None

    def draw():
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

    return render_png(draw)


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

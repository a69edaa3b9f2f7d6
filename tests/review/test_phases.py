"""The spread-phase rule (bot/review/phases.py) on synthetic curves."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.review.phases import Phase, bucket_counts, spread_phases

TZ = ZoneInfo("Asia/Shanghai")


def names(phases: list[Phase]) -> list[str]:
    return [p.name for p in phases]


def test_rising_peak_decay():
    counts = [1, 2, 4, 8, 20, 45, 60, 50, 31, 20, 12, 6, 3, 1]
    phases = spread_phases(counts)
    assert names(phases) == ["development", "outbreak", "continuation"]
    dev, out, cont = phases
    # peak 60 at index 6; >= 30 from index 5 (45) to index 8 (31)
    assert (dev.start, dev.end) == (0, 4)
    assert (out.start, out.end) == (5, 8)
    assert (cont.start, cont.end) == (9, 13)
    assert sum(p.length for p in phases) == len(counts)


def test_smooth_curve_covers_every_bucket_once():
    counts = [round(100 * (h / 12) ** 2 * math.exp(2 - h / 6)) for h in range(72)]
    phases = spread_phases(counts)
    assert names(phases) == ["development", "outbreak", "continuation"]
    covered = [i for p in phases for i in range(p.start, p.end + 1)]
    assert covered == list(range(72))
    peak = counts.index(max(counts))
    out = phases[1]
    assert out.start <= peak <= out.end
    assert all(counts[i] >= max(counts) / 2 for i in range(out.start, out.end + 1))


def test_flat_series_is_one_outbreak():
    assert spread_phases([5, 5, 5, 5]) == [Phase("outbreak", 0, 3)]


def test_single_point():
    assert spread_phases([7]) == [Phase("outbreak", 0, 0)]


def test_single_spike():
    counts = [0, 0, 1, 0, 40, 0, 1, 0]
    assert spread_phases(counts) == [Phase("development", 0, 3), Phase("outbreak", 4, 4),
                                     Phase("continuation", 5, 7)]


def test_spike_at_start_has_no_development():
    assert names(spread_phases([50, 10, 5, 1])) == ["outbreak", "continuation"]


def test_peak_at_end_has_no_continuation():
    assert names(spread_phases([1, 5, 10, 50])) == ["development", "outbreak"]


def test_tie_takes_earliest_peak_and_second_wave_is_continuation():
    counts = [2, 30, 3, 1, 30, 2]
    assert spread_phases(counts) == [Phase("development", 0, 0), Phase("outbreak", 1, 1),
                                     Phase("continuation", 2, 5)]


def test_empty_and_zero_series_have_no_phases():
    assert spread_phases([]) == []
    assert spread_phases([0, 0, 0]) == []


def test_threshold_is_configurable_and_checked():
    counts = [10, 40, 100, 70, 40, 10]
    assert spread_phases(counts, threshold=0.3)[1] == Phase("outbreak", 1, 4)
    assert spread_phases(counts, threshold=0.9)[0] == Phase("development", 0, 1)
    with pytest.raises(ValueError):
        spread_phases(counts, threshold=0)


def test_bucket_counts_hours_with_gaps_in_local_time():
    t0 = datetime(2026, 11, 24, 8, 10, tzinfo=TZ)
    times = [t0, t0 + timedelta(minutes=30), t0 + timedelta(hours=3, minutes=5)]
    starts, counts, size = bucket_counts([t.astimezone(ZoneInfo("UTC")) for t in times], tz=TZ)
    assert size == 1
    assert counts == [2, 0, 0, 1]
    assert starts[0] == datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
    assert starts[0].utcoffset() == timedelta(hours=8)


def test_bucket_counts_weights_and_long_span():
    t0 = datetime(2026, 1, 1, tzinfo=TZ)
    times = [t0 + timedelta(hours=h) for h in range(0, 2000, 10)]
    starts, counts, size = bucket_counts(times, max_buckets=100)
    assert len(counts) <= 100 and size == 20
    assert sum(counts) == len(times)
    _, sums, _ = bucket_counts(times[:3], weights=[1, 2, 3])
    assert sum(sums) == 6
    assert bucket_counts([]) == ([], [], 1)


def test_growth_points_spread_rises_over_the_hours_between_observations():
    from bot.review.phases import growth_points

    t0 = datetime(2026, 11, 24, 10, tzinfo=TZ)
    obs = [(t0, 230), (t0 + timedelta(hours=1), 580), (t0 + timedelta(hours=3), 1340), (t0 + timedelta(hours=4), 1300),
           (t0 + timedelta(hours=6), 1430)]
    pieces = growth_points(obs)
    half = timedelta(minutes=30)
    # the first total is the baseline; each rise lands in the hours between its two observations
    assert pieces[0] == (t0 + half, 350)
    assert pieces[1:3] == [(t0 + timedelta(hours=1) + half, 380), (t0 + timedelta(hours=2) + half, 380)]
    # a lower total (a correction) adds nothing; the next rise counts from the best total seen
    assert pieces[3:] == [(t0 + timedelta(hours=4) + half, 45), (t0 + timedelta(hours=5) + half, 45)]
    assert sum(w for _, w in pieces) == 1430 - 230
    assert growth_points([]) == []


def test_phases_from_followup_growth():
    from bot.review.charts import volume
    from bot.review.model import PostSample

    t0 = datetime(2026, 11, 24, 10, tzinfo=TZ)
    report = PostSample(at=t0, reposts=150, comments=80)
    totals = [(1, 580), (3, 1340), (6, 1430), (10, 1450)]
    follows = [PostSample(at=t0 + timedelta(hours=h), reposts=n, comments=0, source="followup") for h, n in totals]
    v = volume([report, *follows], tz=TZ)
    assert v.counts == [1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    assert v.growth == [350, 380, 380, 30, 30, 30, 5, 5, 5, 5, 0]
    # outbreak: >= 190 (half of 380) around the peak at 11:00 → 10:00–13:00
    assert [(p.name, p.start, p.end) for p in v.phases] == [("outbreak", 0, 2), ("continuation", 3, 10)]
    # one follow-up only: the posts per hour decide
    assert volume([report, follows[0]], tz=TZ).growth is None

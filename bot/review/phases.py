"""Phases of spread (传播阶段) from a count series: development 发展期, outbreak 爆发期, continuation 延续期.

The rule (deterministic, part 四 of the seed names the phases, the threshold is ours):

* the **peak** is the largest count; on a tie the earliest bucket wins;
* **outbreak** is the longest contiguous run of buckets around the peak whose count is at least
  `threshold` × peak (default 50 %);
* **development** is every bucket before the outbreak, **continuation** every bucket after it;
  a phase with no bucket is left out.

Edge cases: an empty series, or one with no positive count, has no phases; a flat series and a
single bucket are one outbreak (nothing rises before or decays after it). A second, smaller
peak after a dip below the threshold belongs to continuation.

Counts come from `bucket_counts`: events counted per hour (or per N hours when the span is long,
so that a series never exceeds `max_buckets` points), with empty hours as zeros.

Which counts: a tracked incident's follow-ups report the *cumulative* reposts + comments of the
incident's posts, so when at least MIN_FOLLOWUPS follow-ups carry counts, the phases are derived from
the **growth** of that total — each rise between two observations spread evenly over the hours between
them (`growth_points`; the first report's counts are the baseline: when they accrued is unknown).
Otherwise (reports only)
they are derived from the number of posts reported per hour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

PHASES = ("development", "outbreak", "continuation")
DEFAULT_THRESHOLD = 0.5
MAX_BUCKETS = 24 * 31
MIN_FOLLOWUPS = 2


@dataclass(frozen=True)
class Phase:
    name: str  # one of PHASES
    start: int  # first bucket index
    end: int  # last bucket index, inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def spread_phases(counts: Sequence[float], threshold: float = DEFAULT_THRESHOLD) -> list[Phase]:
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    if not counts:
        return []
    peak = max(counts)
    if peak <= 0:
        return []
    top = counts.index(peak)
    floor = threshold * peak
    start = top
    while start > 0 and counts[start - 1] >= floor:
        start -= 1
    end = top
    while end < len(counts) - 1 and counts[end + 1] >= floor:
        end += 1
    out = []
    if start > 0:
        out.append(Phase("development", 0, start - 1))
    out.append(Phase("outbreak", start, end))
    if end < len(counts) - 1:
        out.append(Phase("continuation", end + 1, len(counts) - 1))
    return out


def bucket_counts(times: Iterable[datetime], *, tz: tzinfo | None = None, weights: Iterable[float] | None = None,
                  max_buckets: int = MAX_BUCKETS) -> tuple[list[datetime], list[float], int]:
    """(bucket starts, sums per bucket, bucket size in hours) over the whole span, gaps as zeros.

    Buckets start on the hour (in `tz` when given); the size is 1 hour unless the span would need
    more than `max_buckets` buckets, then the smallest whole number of hours that fits.
    """
    stamps = [t.astimezone(tz) if tz is not None and t.tzinfo is not None else t for t in times]
    if not stamps:
        return [], [], 1
    ws = [1.0] * len(stamps) if weights is None else [float(w) for w in weights]
    first = min(stamps).replace(minute=0, second=0, microsecond=0)
    last = max(stamps)
    hours = int((last - first) // timedelta(hours=1)) + 1
    size = max(1, math.ceil(hours / max_buckets))
    n = math.ceil(hours / size)
    sums = [0.0] * n
    step = timedelta(hours=size)
    for t, w in zip(stamps, ws, strict=True):
        sums[min(n - 1, int((t - first) // step))] += w
    return [first + i * step for i in range(n)], sums, size


def growth_points(observations: Iterable[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    """(instant, amount) pieces of the growth of a cumulative total observed at some instants.

    Observations are taken in time order; the first one is the baseline; a total lower than one seen
    before (a correction, a deleted post) adds nothing. Each rise is cut into one piece per started hour
    between the previous observation and this one, each placed in the middle of its slice, so the growth
    lands in the hours it happened in.
    """
    out: list[tuple[datetime, float]] = []
    best: float | None = None
    prev: datetime | None = None
    for at, total in sorted(observations, key=lambda o: o[0]):
        if best is None:
            best, prev = float(total), at
            continue
        rise = float(total) - best
        if rise > 0:
            hours = max(1, math.ceil((at - prev) / timedelta(hours=1)))
            step = (at - prev) / hours
            out += [(prev + step * i + step / 2, rise / hours) for i in range(hours)]
            best = float(total)
        prev = at
    return out

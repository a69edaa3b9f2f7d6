"""The roster as a picture and as text (bot/duty/render.py).

Every PNG is drawn under warnings-as-errors, so matplotlib's "Glyph ... missing from font(s)"
warning (a Chinese character drawn as a box) fails the test.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.domain.roster import Person, Roster, RosterPolicy, Shift, generate_roster, shift_at
from bot.duty import roster_png, roster_text, window
from bot.duty.render import TEXT_LIMIT, display_name

TZ = ZoneInfo("Asia/Shanghai")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NAMES = ["张三", "李四", "王五", "赵六", "欧阳娜娜", "司马相如"]
PEOPLE = {i + 1: n for i, n in enumerate(NAMES)}
START = datetime(2026, 11, 24, 0, 0, tzinfo=TZ)
NOW = datetime(2026, 11, 24, 10, 30, tzinfo=TZ)


@pytest.fixture
def strict() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def make(days: int = 4, tz=TZ, people=PEOPLE, start: datetime | None = None, **policy) -> Roster:
    pool = [Person(i, n) for i, n in people.items()]
    start = start or START.astimezone(tz)
    return generate_roster(pool, start, start + timedelta(days=days), RosterPolicy(**policy), now=start)


def assert_png(data: bytes | None, min_kb: int = 10) -> tuple[int, int]:
    assert data is not None
    assert data.startswith(PNG_MAGIC)
    assert len(data) > min_kb * 1024
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        assert img.width > 600 and img.height > 300
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20  # not blank
        return img.size


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_png_of_the_next_48_hours(strict, lang):
    assert_png(roster_png(make(), PEOPLE, now=NOW, tz=TZ, lang=lang))


@pytest.mark.parametrize(("hours", "policy"), [(24, {"shift_hours": 8}), (72, {"shift_hours": 4, "per_shift": 2,
                                                                              "min_rest_hours": 4})])
def test_png_spans_and_two_per_shift(strict, hours, policy):
    assert_png(roster_png(make(**policy), PEOPLE, now=NOW, tz=TZ, lang="zh", hours=hours))


def test_window_starts_at_the_current_shift_and_is_clamped():
    r = make()
    win = window(r, NOW, 48)
    assert win.current == shift_at(r, NOW)
    assert win.start == win.current.start == datetime(2026, 11, 24, 6, tzinfo=TZ)
    assert win.end == win.start + timedelta(hours=48)
    assert all(s.end > win.start and s.start < win.end for s in win.shifts)
    assert len(win.shifts) == 8
    assert window(r, NOW, 1).end - win.start == timedelta(hours=24)
    assert window(r, NOW, 1000).end - win.start == timedelta(hours=72)
    with pytest.raises(ValueError):
        window(r, NOW.replace(tzinfo=None))


def test_no_shift_in_the_window_gives_none_not_an_empty_image():
    r = make(days=1)
    after, long_before = r.end + timedelta(minutes=1), r.start - timedelta(days=4)
    for now in (after, long_before):
        assert roster_png(r, PEOPLE, now=now, tz=TZ, lang="zh") is None
        text = roster_text(r, PEOPLE, now=now, tz=TZ, lang="zh")
        assert "▶" not in text and "没有值班班次" in text


def test_before_the_roster_starts_shows_the_upcoming_shifts(strict):
    r = make(days=1)
    now = r.start - timedelta(hours=5)
    win = window(r, now)
    assert win.current is None and win.start == now and win.shifts[0] == r.shifts[0]
    assert_png(roster_png(r, PEOPLE, now=now, tz=TZ, lang="zh"))
    assert "▶" not in roster_text(r, PEOPLE, now=now, tz=TZ, lang="zh")


def test_awkward_names_are_drawn_without_missing_glyphs(strict):
    people = {1: "钱七🌟", 2: "$x^2$ 数学", 3: "换\n行\t名", 4: "", 5: "🎉🎉", 6: "很" * 80}
    png = roster_png(make(people=people), people, now=NOW, tz=TZ, lang="zh", hours=72)
    assert_png(png)
    assert display_name(people, 4, "zh") == "人员4"
    assert display_name(people, 99, "en") == "person 99"
    assert display_name(people, 3, "zh") == "换 行 名"
    assert len(display_name(people, 6, "zh")) == 64


def test_unknown_people_and_a_vacant_shift(strict):
    r = make()
    shifts = list(r.shifts)
    shifts[2] = Shift(2, shifts[2].start, shifts[2].end, ())
    r = Roster(tuple(shifts), r.policy)
    assert_png(roster_png(r, {1: "张三"}, now=NOW, tz=TZ, lang="zh"))
    text = roster_text(r, {1: "张三"}, now=NOW, tz=TZ, lang="zh")
    assert "（空缺）" in text and "人员2" in text


@pytest.mark.parametrize("tz", [ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), UTC,
                                timezone(timedelta(hours=8))])
def test_zones_and_dst(strict, tz):
    # 2026-10-25 Berlin and 2026-11-01 New York leave summer time
    start = datetime(2026, 10, 24, 0, tzinfo=tz)
    for now in (datetime(2026, 10, 24, 20, tzinfo=tz), datetime(2026, 10, 31, 20, tzinfo=tz)):
        r = make(days=9, tz=tz, start=start)
        assert_png(roster_png(r, PEOPLE, now=now, tz=tz, lang="en"))
        lines = roster_text(r, PEOPLE, now=now, tz=tz, lang="en").splitlines()
        assert len(lines) == 1 + len(window(r, now).shifts)


def test_text_one_line_per_shift_in_the_org_zone():
    r = make(tz=UTC, start=START.astimezone(UTC))  # generated in UTC, shown in Beijing time
    text = roster_text(r, PEOPLE, now=NOW, tz=TZ, lang="zh")
    lines = text.splitlines()
    assert "Asia/Shanghai" in lines[0]
    body = lines[1:]
    assert len(body) == 8
    assert [ln.startswith("▶") for ln in body] == [True] + [False] * 7
    cur = shift_at(r, NOW)
    assert body[0].startswith("▶ 11-24 06:00–12:00") and PEOPLE[cur.people[0]] in body[0]
    assert body[3].startswith("· 11-25 00:00–06:00")
    en = roster_text(r, PEOPLE, now=NOW, tz=TZ, lang="en")
    assert en.splitlines()[1].startswith("▶ 11-24 06:00–12:00")


def test_text_is_truncated_with_a_note():
    people = {i: f"{i}号" + "长" * 80 for i in range(1, 5)}
    step = timedelta(minutes=30)
    shifts = tuple(Shift(i, START + i * step, START + (i + 1) * step, (1 + i % 4, 1 + (i + 1) % 4))
                   for i in range(200))
    r = Roster(shifts, RosterPolicy())
    now = START + timedelta(minutes=10)
    for limit in (TEXT_LIMIT, 700):
        text = roster_text(r, people, now=now, tz=TZ, lang="zh", hours=72, limit=limit)
        assert len(text.encode("utf-16-le")) // 2 <= limit
        lines = text.splitlines()
        assert lines[-1].startswith("……另有")
        shown = len(lines) - 2
        left = int(lines[-1].removeprefix("……另有 ").split()[0])
        assert shown + left == len(window(r, now, 72).shifts) == 144
    short = roster_text(r, people, now=now, tz=TZ, lang="zh", hours=24, limit=100_000)
    assert "另有" not in short and len(short.splitlines()) == 49

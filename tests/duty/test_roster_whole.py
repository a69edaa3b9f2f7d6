"""/roster shows the whole duty (issue 20, part 3): every shift, in as many messages as it takes, and the picture
of all of it — a duty announced with 12 shifts lists 12, none missing."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.roster import Roster, RosterPolicy, Shift, when
from bot.duty.render import TEXT_LIMIT, roster_png, roster_texts, whole
from models import Person
from models.duty import DutyEvent, DutyShift
from tests.bot.chat import Chat
from tests.conftest import T0
from tests.duty.test_render import PEOPLE, START, TZ, assert_png, make


@pytest.fixture
def strict() -> Iterator[None]:
    with warnings.catch_warnings():  # a glyph missing from the fonts fails the picture test
        warnings.simplefilter("error")
        yield


SHIFT_LINE = re.compile(r"^[▶·] (\d\d-\d\d \d\d:\d\d–[^\s（]+)")  # the span, without a partial shift's label


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _listed(messages: list[str]) -> list[str]:
    return [m.group(1) for text in messages for line in text.splitlines() if (m := SHIFT_LINE.match(line))]


def test_every_shift_of_a_three_day_duty_in_one_message():
    r = make(days=3)
    assert len(r.shifts) == 12
    now = START + timedelta(hours=50)  # late in the duty: the first shifts are past, still listed
    texts = roster_texts(r, PEOPLE, now=now, tz=TZ, lang="zh")
    assert len(texts) == 1
    assert texts[0].splitlines()[0] == "舆情值班表 11-24 00:00–11-27 00:00（Asia/Shanghai），共 12 个班次，▶ 为当前班次："
    assert _listed(texts) == [when(s.start, s.end, TZ) for s in r.shifts]
    marked = [ln for ln in texts[0].splitlines() if ln.startswith("▶")]
    assert marked == [f"▶ 11-26 00:00–06:00  {PEOPLE[r.shifts[8].people[0]]}"]
    en = roster_texts(r, PEOPLE, now=r.end + timedelta(hours=1), tz=TZ, lang="en")
    assert en[0].startswith("Duty roster 11-24 00:00–11-27 00:00 (Asia/Shanghai), 12 shifts, no shift under way")
    assert len(_listed(en)) == 12


def test_a_long_roster_is_split_with_nothing_left_out():
    people = {i: f"{i}号" + "长" * 80 + "🌟" for i in range(1, 5)}  # the star counts twice in UTF-16
    step = timedelta(minutes=30)
    shifts = tuple(Shift(i, START + i * step, START + (i + 1) * step, (1 + i % 4, 1 + (i + 1) % 4))
                   for i in range(200))
    r = Roster(shifts, RosterPolicy())
    for limit in (TEXT_LIMIT, 700):
        texts = roster_texts(r, people, now=START + timedelta(minutes=10), tz=TZ, lang="zh", limit=limit)
        assert len(texts) > 1
        assert all(_units(t) <= limit for t in texts)
        assert _listed(texts) == [when(s.start, s.end, TZ) for s in shifts]  # every shift, once, in order
        assert "共 200 个班次" in texts[0] and all(t.startswith("舆情值班表（续）：") for t in texts[1:])
        assert not any("另有" in t for t in texts)
        assert "\n".join(texts).count("（首个不完整班次）") == 1  # only the first, shorter shift is named so


def test_an_empty_roster_says_so():
    assert roster_texts(Roster((), RosterPolicy()), PEOPLE, now=START, tz=TZ, lang="zh") == ["该值班没有班次。"]
    assert whole(Roster((), RosterPolicy()), START).shifts == ()


def test_the_picture_of_the_whole_duty(strict):
    for days in (3, 7):
        r = make(days=days)
        png = roster_png(r, PEOPLE, now=START + timedelta(hours=10), tz=TZ, lang="zh", whole_duty=True)
        assert_png(png)
        with Image.open(io.BytesIO(png)) as img:
            assert img.width > 600
    assert whole(make(days=3), START).end - START == timedelta(days=3)


async def test_roster_command_lists_all_twelve_shifts(running: BotProcess, api) -> None:  # noqa: ANN001
    """12 shifts of 6 h over 3 days (written directly, independent of the roster generator): /roster answers
    with the picture and every one of the 12 in text."""
    start = T0.replace(hour=12)
    async with running.sessions() as s, s.begin():
        ids = [p.id for p in (await s.scalars(select(Person).where(Person.telegram_id.in_((1001, 1002, 1003)))
                                              .order_by(Person.telegram_id))).all()]
        ev = DutyEvent(incident_id=None, started_at=start, ends_at=start + timedelta(days=3), status="running")
        s.add(ev)
        await s.flush()
        s.add_all([DutyShift(event_id=ev.id, index=i, start=start + timedelta(hours=6 * i),
                             end=start + timedelta(hours=6 * i + 6), person_id=ids[i % 3]) for i in range(12)])
    chat = Chat(api, 2001)
    replies = await chat.send("/roster")
    assert any(c.method == "sendPhoto" and str(c.params.get("chat_id")) == "2001" for c in api.calls)
    assert replies[0].startswith("舆情值班表 11-24 12:00–11-27 12:00（Asia/Shanghai），共 12 个班次")
    expected = [when(start + timedelta(hours=6 * i), start + timedelta(hours=6 * i + 6), TZ) for i in range(12)]
    assert _listed(replies) == expected
    assert "· 11-27 06:00–12:00  Wang Fang" in replies[-1]  # the last shift, the one a 48-hour view left out

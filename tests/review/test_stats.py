"""Statistics for accountability: the period parser, the computation, loading from a seeded database
(SQLite and PostgreSQL), the chart (strict about missing glyphs), the CSV, and /stats in the chat."""

from __future__ import annotations

import csv
import io
import warnings
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.domain import stats as st
from bot.domain.orgfile import parse_org_file
from bot.review import figure
from bot.review.stats_render import chart_figure, chart_png, csv_text, text
from bot.services.org import load_org
from bot.services.org_import import import_org
from bot.services.stats import load_stats
from models import DutyEvent, DutyShift, Incident, Patrol, Person, Report, ResponseClock
from tests.bot.chat import Chat
from tests.conftest import EXAMPLE_ORG

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=TZ)


# ---------------------------------------------------------------- period


@pytest.mark.parametrize(("args", "expected"), [
    ([], (date(2026, 11, 1), date(2026, 11, 30))),
    (["2026-02"], (date(2026, 2, 1), date(2026, 2, 28))),
    (["2026-11-05"], (date(2026, 11, 5), date(2026, 11, 5))),
    (["2026-11-01", "2026-11-30"], (date(2026, 11, 1), date(2026, 11, 30))),
    (["2026-1-5", "2026-01-05"], (date(2026, 1, 5), date(2026, 1, 5))),
])
def test_parse_period(args, expected):
    assert st.parse_period(args, date(2026, 11, 24)) == expected


@pytest.mark.parametrize(("args", "code"), [
    (["2026-11-30", "2026-11-01"], "end_before_start"),
    (["2026-13"], "bad_date"),
    (["yesterday"], "bad_date"),
    (["2026-02-30", "2026-03-01"], "bad_date"),
    (["2026-11-01", "2026-11-02", "2026-11-03"], "too_many"),
])
def test_parse_period_refuses(args, code):
    with pytest.raises(st.PeriodError) as e:
        st.parse_period(args, date(2026, 11, 24))
    assert e.value.code == code


# ---------------------------------------------------------------- computation


def test_compute_per_unit_and_person():
    a, b = st.Who("张敏", "宣传部"), st.Who("李强", "学工部")
    t0 = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
    reports = [st.ReportRec(a, t0, t0 + timedelta(minutes=m)) for m in (10, 30, 50)] + [st.ReportRec(b, t0, t0)]
    clocks = [st.ClockRec(a, "met", t0), st.ClockRec(a, "missed", t0), st.ClockRec(b, "running", t0),
              st.ClockRec(b, "running", t0 + timedelta(days=90)), st.ClockRec(None, "stopped", t0),
              st.ClockRec(None, "met", t0)]
    patrols = [st.PatrolRec(a, True), st.PatrolRec(a, False), st.PatrolRec(b, True)]
    shifts = [st.ShiftRec(b, True), st.ShiftRec(b, False), st.ShiftRec(b, False)]
    res = st.compute(date(2026, 11, 1), date(2026, 11, 30), incidents=[st.IncidentRec("major", "inquiry"),
                     st.IncidentRec("general", None)], reports=reports, clocks=clocks, patrols=patrols,
                     shifts=shifts, cutoff=t0 + timedelta(days=1))
    units = {u.name: u for u in res.units}
    assert units["宣传部"].reports == 3 and units["宣传部"].median_minutes == 30
    assert (units["宣传部"].clocks_met, units["宣传部"].clocks_missed) == (1, 1)
    # a running clock past due at the cutoff is missed; one not yet due and a stopped one count neither way
    assert (units["学工部"].clocks_met, units["学工部"].clocks_missed) == (0, 1)
    assert units["宣传部"].patrol_rate == 0.5 and units["学工部"].checkin_rate == pytest.approx(1 / 3)
    assert res.units[-1].name == st.UNASSIGNED and res.units[-1].clocks_met == 1
    assert res.total.reports == 4 and res.total.clocks_met == 2 and res.total.clocks_missed == 2
    assert res.by_grade == {"major": 1, "general": 1} and res.by_category == {"inquiry": 1, "": 1}
    assert not res.empty


def test_empty_period_says_so():
    res = st.compute(date(2026, 1, 1), date(2026, 1, 31), incidents=[], reports=[], clocks=[], patrols=[],
                     shifts=[], cutoff=NOW)
    assert res.empty
    assert "没有事件" in text(res, "zh") and "Nothing in this period" in text(res, "en")
    assert chart_png(res, "zh") is None


# ---------------------------------------------------------------- database


async def seed(s) -> None:  # noqa: ANN001
    await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    await s.flush()
    from sqlalchemy import select

    ids = {p.telegram_id: p.id for p in (await s.scalars(select(Person))).all()}
    nov = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
    inc = Incident(number="YQ-2026-0001", year=2026, seq=1, grade="major", category="hype", discovered_at=nov,
                   created_at=nov + timedelta(minutes=20), created_by=ids[1001], in_charge_id=ids[2001])
    old = Incident(number="YQ-2026-0002", year=2026, seq=2, grade="general", discovered_at=nov - timedelta(days=30),
                   created_at=nov - timedelta(days=30), created_by=ids[1002])
    s.add_all([inc, old])
    await s.flush()
    for who, minutes in ((1001, 20), (1001, 40), (1002, 90)):
        s.add(Report(incident_id=inc.id, reporter_id=ids[who], source="template", fields={}, discovered_at=nov,
                     created_at=nov + timedelta(minutes=minutes)))
    s.add(Report(incident_id=old.id, reporter_id=ids[1002], source="template", fields={},
                 discovered_at=old.created_at, created_at=old.created_at))  # October: outside the period
    s.add_all([
        ResponseClock(incident_id=inc.id, name="report_upward", started_at=nov, due_at=nov + timedelta(hours=4),
                      stopped_at=nov + timedelta(hours=1), status="met"),
        ResponseClock(incident_id=inc.id, name="publish", started_at=nov, due_at=nov + timedelta(hours=24),
                      status="running"),  # overdue by now: missed
        ResponseClock(incident_id=inc.id, name="first_response", started_at=nov, due_at=nov + timedelta(hours=3),
                      stopped_at=nov + timedelta(hours=2), status="met", responsible_id=ids[1002]),
    ])
    for day in (date(2026, 11, 10), date(2026, 11, 11)):
        for slot in ("morning", "evening"):
            s.add(Patrol(person_id=ids[1001], day=day, slot=slot,
                         confirmed_at=datetime.combine(day, datetime.min.time(), TZ) + timedelta(hours=9, minutes=5)
                         if slot == "morning" else None))
    ev = DutyEvent(incident_id=inc.id, started_at=nov, ends_at=nov + timedelta(hours=12))
    s.add(ev)
    await s.flush()
    for i, who in enumerate((1001, 1002)):
        start = nov + timedelta(hours=6 * i)
        s.add(DutyShift(event_id=ev.id, index=i, start=start, end=start + timedelta(hours=6), person_id=ids[who],
                        checked_in_at=start + timedelta(minutes=5) if who == 1001 else None))


async def test_stats_from_database(sessions):
    async with sessions() as s, s.begin():
        await seed(s)
    async with sessions() as s:
        org = await load_org(s)
        res = await load_stats(s, date(2026, 11, 1), date(2026, 11, 30), org=org, now=NOW)
        october = await load_stats(s, date(2026, 10, 1), date(2026, 10, 31), org=org, now=NOW)
        empty = await load_stats(s, date(2025, 1, 1), date(2025, 1, 31), org=org, now=NOW)
    assert res.by_grade == {"major": 1} and res.by_category == {"hype": 1}
    units = {u.name: u for u in res.units}
    assert units["党委宣传部"].reports == 2 and units["党委宣传部"].median_minutes == 30
    assert units["学生工作部"].reports == 1 and units["学生工作部"].median_minutes == 90
    # per unit the incident's deadlines count under its first reporter's unit (张敏's), whoever answers for them
    assert (units["党委宣传部"].clocks_met, units["党委宣传部"].clocks_missed) == (2, 1)
    assert (units["学生工作部"].clocks_met, units["学生工作部"].clocks_missed) == (0, 0)
    assert (units["党委宣传部"].patrols_done, units["党委宣传部"].patrols) == (2, 4)
    assert (units["党委宣传部"].checkins_done, units["党委宣传部"].checkins) == (1, 1)
    assert (units["学生工作部"].checkins_done, units["学生工作部"].checkins) == (0, 1)
    # per person: the office (王晓, in charge) holds the clocks nobody was made responsible for; 李强 his own
    people = {p.name: p for p in res.people}
    assert (people["王晓"].clocks_met, people["王晓"].clocks_missed) == (1, 1) and people["张敏"].reports == 2
    assert (people["李强"].clocks_met, people["李强"].clocks_missed) == (1, 0)
    assert october.by_grade == {"general": 1} and october.total.reports == 1
    assert empty.empty

    rows = list(csv.DictReader(io.StringIO(csv_text(res))))
    unit_rows = {r["unit"]: r for r in rows if r["level"] == "unit"}
    assert unit_rows["党委宣传部"]["patrols_confirmed"] == "2" and unit_rows["党委宣传部"]["patrols"] == "4"
    assert unit_rows["学生工作部"]["median_minutes_to_report"] == "90.0"
    assert [r for r in rows if r["level"] == "total"][0]["reports"] == "3"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a Chinese glyph missing from the font fails here
        png = chart_png(res, "zh")
        assert chart_png(res, "en") is not None
    with Image.open(io.BytesIO(png)) as img:
        assert img.width > 600 and len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20
    table = text(res, "zh")
    assert "党委宣传部：报送 2 · 30分钟 · 时限 2/1 · 巡查 2/4(50%) · 签到 1/1(100%)" in table
    assert "按报送人所属单位统计" in table and "By the reporter's unit" in text(res, "en")


# ---------------------------------------------------------------- chat


async def test_stats_in_chat(running, api):
    async with running.sessions() as s, s.begin():
        from sqlalchemy import select

        ids = {p.telegram_id: p.id for p in (await s.scalars(select(Person))).all()}
        t0 = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
        s.add(Patrol(person_id=ids[1001], day=t0.date(), slot="morning", confirmed_at=t0 + timedelta(minutes=3)))
    office = Chat(api, 2001)
    replies = await office.send("/stats")
    assert any("统计 2026-11-01 至 2026-11-30" in r and "党委宣传部" in r and "巡查 1/1(100%)" in r for r in replies)
    assert api.sent("sendPhoto", 2001)
    assert any("早于开始日期" in r for r in await office.send("/stats 2026-11-30 2026-11-01"))
    assert any("无法识别日期" in r for r in await office.send("/stats 2026-11-31"))
    replies = await office.send("/stats 2025-01")
    assert any("该时段没有" in r for r in replies)
    assert any("只有舆情办公室" in r for r in await Chat(api, 1001).send("/stats"))


# ---------------------------------------------------------------- people of the same name


def test_same_name_in_one_unit_are_two_people():
    t0 = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
    a, b = st.Who("张伟", "宣传部", 1, 5001), st.Who("张伟", "宣传部", 2, 5002)
    res = st.compute(date(2026, 11, 1), date(2026, 11, 30), incidents=[], shifts=[], cutoff=NOW,
                     reports=[st.ReportRec(a, t0, t0), st.ReportRec(a, t0, t0), st.ReportRec(b, t0, t0)],
                     clocks=[st.ClockRec(b, "missed", t0)], patrols=[st.PatrolRec(a, True)])
    people = [(p.telegram_id, p.reports, p.clocks_missed, p.patrols_done) for p in res.people]
    assert people == [(5001, 2, 0, 1), (5002, 1, 1, 0)]
    assert [u.reports for u in res.units] == [3]


async def test_same_name_in_one_unit_from_database(sessions):
    from sqlalchemy import select

    from models import Unit

    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
        await s.flush()
        unit = await s.scalar(select(Unit).where(Unit.name == "党委宣传部"))
        first, second = (Person(telegram_id=tg, name="张伟", roles=["monitor"], unit_id=unit.id) for tg in (7001, 7002))
        s.add_all([first, second])
        await s.flush()
        nov = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
        inc = Incident(number="YQ-2026-0001", year=2026, seq=1, grade="general", discovered_at=nov,
                       created_at=nov, created_by=first.id)
        s.add(inc)
        await s.flush()
        for who, minutes in ((first, 10), (first, 30), (second, 90)):
            s.add(Report(incident_id=inc.id, reporter_id=who.id, source="template", fields={}, discovered_at=nov,
                         created_at=nov + timedelta(minutes=minutes)))
    async with sessions() as s:
        res = await load_stats(s, date(2026, 11, 1), date(2026, 11, 30), org=await load_org(s), now=NOW)
    zhang = [p for p in res.people if p.name == "张伟"]
    assert [(p.telegram_id, p.reports, p.median_minutes) for p in zhang] == [(7001, 2, 20), (7002, 1, 90)]
    zh, en = text(res, "zh"), text(res, "en")
    assert "张伟（党委宣传部，ID 7001）：报送 2" in zh and "张伟（党委宣传部，ID 7002）：报送 1" in zh
    assert "张伟 (党委宣传部, id 7002): 1 reports" in en
    rows = [r for r in csv.DictReader(io.StringIO(csv_text(res))) if r["person"] == "张伟"]
    assert [(r["telegram_id"], r["reports"]) for r in rows] == [("7001", "2"), ("7002", "1")]


# ---------------------------------------------------------------- per unit: the unit of the report


async def seed_three_units(s) -> None:  # noqa: ANN001
    """Three incidents, each first reported by a monitor of another unit; the main leader (刘书记, no unit) is
    in charge of all of them. 后勤管理处's monitor names 学生工作部 as the unit involved (涉及单位)."""
    from sqlalchemy import select

    await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    await s.flush()
    ids = {p.telegram_id: p.id for p in (await s.scalars(select(Person))).all()}
    nov = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
    incidents = []
    for seq, first in enumerate((1001, 1002, 1003), start=1):
        at = nov + timedelta(days=seq)
        inc = Incident(number=f"YQ-2026-000{seq}", year=2026, seq=seq, grade="major", category="inquiry",
                       discovered_at=at, created_at=at, created_by=ids[first], in_charge_id=ids[3002])
        s.add(inc)
        await s.flush()
        incidents.append((inc, at))
        fields = {"unit": "学生工作部"} if first == 1003 else {}
        s.add(Report(incident_id=inc.id, reporter_id=ids[first], source="template", fields=fields,
                     discovered_at=at, created_at=at + timedelta(minutes=10)))
    # a later report on the first incident by 学生工作部's monitor counts for 学生工作部
    (inc1, at1), (inc2, at2), (inc3, at3) = incidents
    s.add(Report(incident_id=inc1.id, reporter_id=ids[1002], source="template", fields={}, discovered_at=at1,
                 created_at=at1 + timedelta(minutes=50)))
    for inc, at, status, hours in ((inc1, at1, "met", 4), (inc1, at1, "missed", 3), (inc2, at2, "met", 4),
                                   (inc3, at3, "running", 2)):
        s.add(ResponseClock(incident_id=inc.id, name="report_upward" if status != "missed" else "first_response",
                            started_at=at, due_at=at + timedelta(hours=hours), status=status))


async def test_per_unit_figures_count_the_unit_of_the_report(sessions):
    async with sessions() as s, s.begin():
        await seed_three_units(s)
    async with sessions() as s:
        res = await load_stats(s, date(2026, 11, 1), date(2026, 11, 30), org=await load_org(s), now=NOW)
    figures = {u.name: (u.reports, u.clocks_met, u.clocks_missed) for u in res.units}
    # reports under the reporter's unit (not the unit involved); deadlines under the first reporter's unit;
    # nothing under "no unit" although the leader answerable for every deadline belongs to none
    assert figures == {"党委宣传部": (1, 1, 1), "学生工作部": (2, 1, 0), "后勤管理处": (1, 0, 1)}
    liu = next(p for p in res.people if p.name == "刘书记")
    assert (liu.unit, liu.clocks_met, liu.clocks_missed) == ("", 2, 2)
    assert (res.total.reports, res.total.clocks_met, res.total.clocks_missed) == (4, 2, 2)
    zh = text(res, "zh")
    assert "按报送人所属单位统计" in zh and "无所属单位：" not in zh
    assert "学生工作部：报送 2 · 30分钟 · 时限 1/0" in zh

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with figure.drawing():
            fig = chart_figure(res, "zh")
            counts, rates = fig.axes
            units = [lb.get_text() for lb in counts.get_yticklabels()]
            bars = {u: round(p.get_width()) for u, p in zip(units, counts.patches, strict=True)}
            ticks = list(counts.get_xticks())
            caption = fig.get_supxlabel()
    assert bars == {"党委宣传部": 1, "学生工作部": 2, "后勤管理处": 1}  # a bar for every unit that reported
    assert ticks and all(float(v).is_integer() for v in ticks), ticks
    assert "按报送人所属单位" in counts.get_title() and caption.startswith("按报送人所属单位统计")
    assert chart_png(res, "en") is not None


def test_chart_of_units_without_reports_still_counts_in_whole_numbers():
    t0 = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
    res = st.compute(date(2026, 11, 1), date(2026, 11, 30), incidents=[], reports=[], clocks=[], shifts=[],
                     patrols=[st.PatrolRec(st.Who("张敏", "党委宣传部"), True)], cutoff=t0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "identical low and high xlims" for an all-zero count axis
        with figure.drawing():
            ticks = chart_figure(res, "zh").axes[0].get_xticks()
    assert list(ticks) and all(float(v).is_integer() for v in ticks)

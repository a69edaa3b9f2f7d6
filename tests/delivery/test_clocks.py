"""The clocks service: which clocks start, their due times and nudge rows, stopping, regrading."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.domain.policy import Policy
from bot.services.calendar import calendar_for
from bot.services.clocks import cancel_clocks, list_clocks, regrade_clocks, start_clocks, stop_clock
from bot.services.org import load_org
from models import DueItem
from tests.conftest import T0
from tests.delivery.conftest import make_incident

MAJOR = ["report_upward", "publish", "first_response", "formal_reply"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def start(s, inc, *, grade="major", category=None, now=T0, policy=None):  # noqa: ANN001, ANN202
    org = await load_org(s)
    return await start_clocks(s, incident_id=inc.id, grade=grade, category=category, discovered_at=inc.discovered_at,
                              learned_at=inc.created_at, calendar=calendar_for(org), policy=policy or org.policy,
                              now=now)


async def nudges(s, clock_id: int | None = None) -> list[DueItem]:  # noqa: ANN001
    q = select(DueItem).where(DueItem.kind == "nudge").order_by(DueItem.due_at, DueItem.id)
    if clock_id is not None:
        q = q.where(DueItem.clock_id == clock_id)
    return list((await s.scalars(q)).all())


async def test_a_major_incident_gets_four_clocks_with_nudges_at_50_80_100(org) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        inc = await make_incident(s, now=T0)  # Tuesday 2026-11-24 10:00 +08:00
        clocks = await start(s, inc)
        assert [c.name for c in clocks] == MAJOR
        due = {c.name: c.due_at for c in clocks}
        assert due["report_upward"] == at("2026-11-24T14:00+08:00")
        assert due["publish"] == at("2026-11-25T10:00+08:00")
        assert due["first_response"] == at("2026-11-24T13:00+08:00")
        assert due["formal_reply"] == at("2026-12-01T17:30+08:00")
        assert all(c.running and c.left == c.due_at - T0 for c in clocks)
        ru = clocks[0]
        rows = await nudges(s, ru.id)
        assert [r.payload["point"] for r in rows] == ["0.5", "0.8", "1"]
        assert [r.due_at for r in rows] == [at("2026-11-24T12:00+08:00"), at("2026-11-24T13:12+08:00"), ru.due_at]
        assert len(await nudges(s)) == 12 and all(r.status == "pending" for r in await nudges(s))
        fr = await nudges(s, clocks[2].id)  # working time: 3 working hours from 10:00
        assert [r.due_at for r in fr] == [at("2026-11-24T11:30+08:00"), at("2026-11-24T12:24+08:00"), clocks[2].due_at]
        again = await start(s, inc)  # idempotent
        assert [c.id for c in again] == [c.id for c in clocks] and len(await nudges(s)) == 12


async def test_an_inquiry_gets_five_clocks_and_general_has_no_report_upward(org) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        inquiry = await make_incident(s, now=T0, category="inquiry")
        clocks = await start(s, inquiry, category="inquiry")
        assert [c.name for c in clocks] == [*MAJOR, "inquiry_same_day"]
        assert clocks[-1].due_at == at("2026-11-24T17:30+08:00")
        general = await make_incident(s, now=T0, grade="general", seq=2)
        assert [c.name for c in await start(s, general, grade="general")] == MAJOR[1:]


async def test_points_already_past_fire_at_once_and_policy_points_are_used(org) -> None:  # noqa: ANN001
    policy = Policy.from_mapping({"clocks": {"nudge_points": [0.25, 0.5, 1.0]}})
    async with org() as s, s.begin():
        inc = await make_incident(s, now=T0, discovered=T0 - timedelta(hours=1, minutes=30))
        clocks = await start(s, inc, policy=policy)
        ru = next(c for c in clocks if c.name == "report_upward")
        rows = await nudges(s, ru.id)
        assert [r.payload["point"] for r in rows] == ["0.25", "0.5", "1"]
        assert rows[0].due_at == T0 and at(rows[0].payload["point_at"]) == ru.started_at + timedelta(hours=1)
        assert rows[1].due_at == ru.started_at + timedelta(hours=2)


async def test_stop_clock_met_or_missed_and_cancels_its_pending_nudges(org) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        inc = await make_incident(s, now=T0)
        clocks = {c.name: c for c in await start(s, inc)}
        met = await stop_clock(s, incident_id=inc.id, name="report_upward", reason="reported to the city office",
                               now=T0 + timedelta(hours=1))
        assert met.status == "met" and met.left is None and met.stop_reason == "reported to the city office"
        assert {r.status for r in await nudges(s, clocks["report_upward"].id)} == {"cancelled"}
        assert {r.status for r in await nudges(s, clocks["publish"].id)} == {"pending"}
        missed = await stop_clock(s, incident_id=inc.id, name="first_response", reason=None,
                                  now=T0 + timedelta(hours=5))
        assert missed.status == "missed"
        again = await stop_clock(s, incident_id=inc.id, name="first_response", reason="x", now=T0 + timedelta(hours=6))
        assert again.status == "missed" and again.stopped_at == T0 + timedelta(hours=5)
        assert await stop_clock(s, incident_id=inc.id, name="inquiry_same_day", reason=None, now=T0) is None
        listed = {c.name: c for c in await list_clocks(s, inc.id, T0 + timedelta(hours=2))}
        assert listed["publish"].left == timedelta(hours=22) and not listed["publish"].overdue
        stopped = await cancel_clocks(s, incident_id=inc.id, reason="dismissed", now=T0)
        assert {c.name for c in stopped} == {"publish", "formal_reply"}
        assert all(r.status == "cancelled" for r in await nudges(s))


async def test_regrade_moves_due_times_and_stops_what_no_longer_applies(org) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        inc = await make_incident(s, now=T0)
        org_dto = await load_org(s)
        kw = dict(incident_id=inc.id, category=None, discovered_at=T0, learned_at=T0, calendar=calendar_for(org_dto),
                  policy=org_dto.policy, now=T0 + timedelta(minutes=5))
        clocks = {c.name: c for c in await start(s, inc)}
        up = {c.name: c for c in await regrade_clocks(s, grade="especially_major", **kw)}
        assert up["report_upward"].due_at == T0 + timedelta(hours=2)
        rows = [r for r in await nudges(s, clocks["report_upward"].id) if r.status == "pending"]
        assert [r.due_at for r in rows] == [T0 + timedelta(hours=1), T0 + timedelta(hours=1, minutes=36),
                                           T0 + timedelta(hours=2)]
        down = {c.name: c for c in await regrade_clocks(s, grade="general", **kw)}
        assert down["report_upward"].status == "stopped" and down["report_upward"].stop_reason == "regraded"
        assert not [r for r in await nudges(s, clocks["report_upward"].id) if r.status == "pending"]

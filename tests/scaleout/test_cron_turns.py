"""Cron occurrences take turns over the live instances (schedules/cron.preferred_instance)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ops.instances import beat
from schedules.cron import occurrence, occurrence_key, plan_occurrence, preferred_instance
from schedules.sweeps import RESERVED_FOR, claim_due

EVERY = timedelta(minutes=1)
T = datetime(2026, 11, 24, 2, 0, 30, tzinfo=UTC)


async def turns(sessions, beating: tuple[str, ...], start: datetime, n: int) -> list[str | None]:  # noqa: ANN001
    found = []
    for k in range(n):
        at = start + k * EVERY
        async with sessions() as s, s.begin():
            for name in beating:
                await beat(s, instance=name, mode="webhook", now=at - timedelta(seconds=1))
        async with sessions() as s:
            found.append(await preferred_instance(s, "patrols", EVERY, at))
    return found


async def test_occurrences_rotate_over_live_instances_and_skip_the_dead(sessions) -> None:  # noqa: ANN001
    three = await turns(sessions, ("b", "a", "c"), T, 6)
    assert sorted(three[:3]) == ["a", "b", "c"] and three[3:] == three[:3]  # each once in three, in order
    # "b" stops beating: it is dead after LIVE_WITHIN (20 s), and the turns go to a and c only
    two = await turns(sessions, ("a", "c"), T + timedelta(minutes=10), 4)
    assert sorted(two) == ["a", "a", "c", "c"]
    async with sessions() as s:
        assert await preferred_instance(s, "patrols", EVERY, T + timedelta(days=1)) is None  # nobody live
    assert occurrence(T, EVERY) == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


async def test_an_occurrence_planned_for_one_instance_waits_for_it_then_goes_to_anyone(sessions) -> None:  # noqa: ANN001
    """Another instance's regular sweep must not take the row before the instance whose turn it is
    (which wakes its sweeper as soon as it planned it); if that one is gone, the row still runs."""
    async with sessions() as s, s.begin():
        await plan_occurrence(s, "patrols", EVERY, T, turn="a")
    at = occurrence(T, EVERY)
    lease = timedelta(minutes=2)
    async with sessions() as s, s.begin():
        assert await claim_due(s, instance="b", now=at + timedelta(seconds=1), limit=10, lease=lease) == []
    async with sessions() as s, s.begin():
        assert await claim_due(s, instance="b", now=at + RESERVED_FOR, limit=10, lease=lease) != []  # "a" is gone

    async with sessions() as s, s.begin():
        await plan_occurrence(s, "patrols", EVERY, T + EVERY, turn="a")
    async with sessions() as s, s.begin():
        mine = await claim_due(s, instance="a", now=T + EVERY, limit=10, lease=lease)
    assert [i.dedup_key for i in mine] == [occurrence_key("patrols", at + EVERY)]

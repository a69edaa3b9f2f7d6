"""The one delivery rule (bot/services/addresses.py) on a real database: a person's preferred channel when it
can be reached, another reachable (or untried) account otherwise, None when none can — and bound groups."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.channels.types import Address
from bot.domain.identity import REACHABLE, UNKNOWN, UNLINKED_BASE, UNREACHABLE
from bot.services import addresses
from bot.services.addresses import Identity, pick
from models import ChatBinding, Person, PersonIdentity

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


async def _person(s, telegram_id: int | None, preferred: str = "telegram", **channels: tuple) -> Person:  # noqa: ANN001
    """A person and their identities: channel=(external_id, state)."""
    p = Person(telegram_id=telegram_id, name=f"p{telegram_id}", roles=["leader"], preferred_channel=preferred)
    s.add(p)
    await s.flush()
    for channel, (external, state) in channels.items():
        s.add(PersonIdentity(person_id=p.id, channel=channel, external_id=external, reachable=state, since=NOW))
    await s.flush()
    return p


async def test_a_person_only_on_another_channel_gets_that_address(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        p = await _person(s, None, preferred="test", test=("u-42", UNKNOWN))
        assert await addresses.personal(s, p) == Address("test", "u-42")
        assert await addresses.personal(s, p.id) == Address("test", "u-42")  # by id too


async def test_the_preferred_channel_wins_when_it_can_be_reached(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        tg = await _person(s, 1001, telegram=("1001", REACHABLE), test=("u-1", REACHABLE))
        other = await _person(s, 1002, preferred="test", telegram=("1002", REACHABLE), test=("u-2", UNKNOWN))
        assert await addresses.personal(s, tg) == Address("telegram", "1001")
        assert await addresses.personal(s, other) == Address("test", "u-2")  # unknown: a send is tried


async def test_an_unreachable_preferred_channel_falls_back_to_a_reachable_one(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        p = await _person(s, 1003, telegram=("1003", UNREACHABLE), test=("u-3", REACHABLE))
        assert await addresses.personal(s, p) == Address("test", "u-3")
        unlinked = await _person(s, UNLINKED_BASE + 3, telegram=(None, UNREACHABLE), test=("u-4", UNKNOWN))
        assert await addresses.personal(s, unlinked) == Address("test", "u-4")  # a placeholder is no address


async def test_nobody_reachable_is_none_and_the_message_waits_where_it_did(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        blocked = await _person(s, 1005, telegram=("1005", UNREACHABLE), test=("u-5", UNREACHABLE))
        placeholder = await _person(s, UNLINKED_BASE + 5, telegram=(None, UNREACHABLE))
        assert await addresses.personal(s, blocked) is None
        assert await addresses.personal(s, placeholder) is None
        assert await addresses.personal(s, 999_999) is None  # no such person
        # where it waits (held, as today) until they come back or link an account
        assert await addresses.waiting(s, blocked) == Address("telegram", "1005")
        assert await addresses.waiting(s, placeholder) == Address("telegram", str(UNLINKED_BASE + 5))


async def test_a_linked_telegram_id_without_an_identity_row_counts_as_unknown(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        p = await _person(s, 1006)
        assert await addresses.personal(s, p) == Address("telegram", "1006")


def test_the_rule_prefers_a_known_good_fallback_to_an_untried_one() -> None:
    ids = [Identity("a", "1", UNKNOWN), Identity("b", "2", REACHABLE), Identity("telegram", "3", UNREACHABLE)]
    assert pick("telegram", ids) == Address("b", "2")
    assert pick("a", ids) == Address("a", "1")
    assert pick("telegram", [Identity("telegram", None, UNKNOWN)]) is None


async def test_group_addresses_come_from_the_bindings(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        assert await addresses.group(s, "office") is None
        s.add(ChatBinding(key="office", chat_id=-100123, reachable=UNREACHABLE))
        s.add(ChatBinding(key="office", channel="test", chat_id=55, reachable=REACHABLE))
        s.add(ChatBinding(key="upper_office", chat_id=-100456))
        await s.flush()
        assert await addresses.group(s, "upper_office") == Address("telegram", "-100456")
        assert await addresses.group(s, "office") == Address("test", "55")  # the reachable binding first
        assert await addresses.group(s, "office", channel="telegram") == Address("telegram", "-100123")
        assert await addresses.group_reachable(s, "office", channel="telegram") is None

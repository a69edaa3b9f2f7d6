"""The hash chain, pure: deterministic hashes, and any edit, reordering or deletion is caught at its row."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.audit import (
    GENESIS,
    AuditError,
    AuditRecord,
    canonical,
    chain_key,
    jsonable,
    make_record,
    row_hash,
    verify_chain,
)

T0 = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def chain(n: int, incident_id: int | None = 7, payloads: list[dict] | None = None) -> list[AuditRecord]:
    rows: list[AuditRecord] = []
    prev = GENESIS
    for i in range(n):
        payload = payloads[i] if payloads else {"i": i, "note": "东门 ✓"}
        rec = make_record(incident_id=incident_id, seq=i + 1, prev_hash=prev, at=T0 + timedelta(minutes=i),
                          kind="graded", actor_telegram_id=1000 + i, actor_name=f"值班员{i}", payload=payload)
        rows.append(rec)
        prev = rec.hash
    return rows


def test_hash_is_deterministic_and_key_order_free() -> None:
    a = {"chain": "global", "seq": 1, "payload": {"b": 1, "a": [1, "二"]}}
    b = {"payload": {"a": [1, "二"], "b": 1}, "seq": 1, "chain": "global"}
    assert canonical(a) == canonical(b) == '{"chain":"global","payload":{"a":[1,"二"],"b":1},"seq":1}'
    assert row_hash(GENESIS, a) == row_hash(GENESIS, b)
    assert len(row_hash(GENESIS, a)) == 64 and row_hash(GENESIS, a) != row_hash("1" * 64, a)
    assert chain(3) == chain(3)


def test_times_are_hashed_as_utc_instants() -> None:
    shanghai = timezone(timedelta(hours=8))
    r1 = make_record(incident_id=None, seq=1, prev_hash=GENESIS, at=T0, kind="refusal", actor_telegram_id=None,
                     actor_name=None, payload={"when": T0})
    r2 = make_record(incident_id=None, seq=1, prev_hash=GENESIS, at=T0.astimezone(shanghai), kind="refusal",
                     actor_telegram_id=None, actor_name=None, payload={"when": T0.astimezone(shanghai)})
    assert r1.hash == r2.hash and r1.payload == {"when": "2026-11-24T02:00:00.000000+00:00"}
    with pytest.raises(AuditError):
        make_record(incident_id=None, seq=1, prev_hash=GENESIS, at=T0.replace(tzinfo=None), kind="refusal",
                    actor_telegram_id=None, actor_name=None, payload={})
    with pytest.raises(AuditError):
        jsonable({"x": float("nan")})
    with pytest.raises(AuditError):
        jsonable({"x": object()})


def test_payload_is_stored_as_it_reads_back() -> None:
    assert jsonable({1: (1, 2), "s": {3, 1}}) == {"1": [1, 2], "s": [1, 3]}
    assert chain_key(None) == "global" and chain_key(12) == "incident:12"


def test_intact_chain_holds() -> None:
    assert verify_chain(chain(5)) is None
    assert verify_chain([]) is None
    assert verify_chain(chain(3, incident_id=None)) is None


@pytest.mark.parametrize("change", [
    {"payload": {"i": 2, "note": "西门"}},
    {"at": T0 + timedelta(minutes=2, seconds=1)},
    {"actor_name": "别人"},
    {"actor_telegram_id": 1},
    {"kind": "regraded"},
    {"incident_id": 8},
    {"chain": "incident:8", "incident_id": 8},
    {"hash": "f" * 64},
    {"prev_hash": GENESIS},
])
def test_an_edited_row_breaks_the_chain_at_that_row(change: dict) -> None:
    rows = chain(5)
    rows[2] = dataclasses.replace(rows[2], **change)
    assert verify_chain(rows) == 2


def test_an_edit_with_a_recomputed_hash_breaks_the_next_row() -> None:
    rows = chain(5)
    edited = dataclasses.replace(rows[2], payload={"i": 99})
    rows[2] = dataclasses.replace(edited, hash=row_hash(edited.prev_hash, edited.content()))
    assert verify_chain(rows) == 3


def test_a_deleted_middle_row_or_a_swap_breaks_the_chain() -> None:
    rows = chain(5)
    assert verify_chain(rows[:2] + rows[3:]) == 2
    assert verify_chain(rows[1:]) == 0
    assert verify_chain([rows[0], rows[2], rows[1], rows[3]]) == 1


def test_a_renumbered_row_breaks_the_chain() -> None:
    rows = chain(4)
    rows[1] = dataclasses.replace(rows[1], seq=5)
    assert verify_chain(rows) == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
payloads = st.dictionaries(st.text(max_size=8), json_values, max_size=5)


@given(st.lists(payloads, min_size=1, max_size=8), st.data())
def test_any_single_payload_edit_is_caught_at_its_row(ps: list[dict], data: st.DataObject) -> None:
    rows = chain(len(ps), payloads=ps)
    assert verify_chain(rows) is None
    i = data.draw(st.integers(0, len(rows) - 1))
    new = jsonable(data.draw(payloads))
    if canonical(new) == canonical(rows[i].payload):
        return
    rows[i] = dataclasses.replace(rows[i], payload=new)
    assert verify_chain(rows) == i


@given(st.lists(payloads, min_size=2, max_size=8), st.data())
def test_any_deletion_but_the_tail_is_caught(ps: list[dict], data: st.DataObject) -> None:
    rows = chain(len(ps), payloads=ps)
    i = data.draw(st.integers(0, len(rows) - 2))
    assert verify_chain(rows[:i] + rows[i + 1:]) == i

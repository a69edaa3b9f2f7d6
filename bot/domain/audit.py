"""The timeline's hash chain, pure (no database): canonical content, row hashes, verification.

Every audit row belongs to one chain: ``incident:<id>`` for an incident's events, ``global`` for
events with no incident (a refused forged button press, say). Rows of a chain are numbered
1, 2, 3 … (``seq``); each row stores the hash of the previous row of its chain (``prev_hash``,
:data:`GENESIS` for the first) and its own hash::

    hash = sha256(prev_hash + "\\n" + canonical(content))

``content`` is everything the row says: chain, incident, seq, time (UTC), actor, kind and payload. The
neutral actor reference (``actor_ref``, "telegram:<id>" or "person:<id>") is part of it only when set, so
rows written before it existed hash exactly as they did.
The database id is not part of it (it is assigned by the database and carries no meaning), so
any edit to what a row says, any reordering, and any deletion short of the chain's tail makes
:func:`verify_chain` name the row where the chain first stops holding.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

GENESIS = "0" * 64
GLOBAL_CHAIN = "global"


class AuditError(ValueError):
    """A payload that cannot be stored faithfully (naive datetime, NaN, unserialisable value)."""


def chain_key(incident_id: int | None) -> str:
    return GLOBAL_CHAIN if incident_id is None else f"incident:{incident_id}"


def utc_iso(dt: datetime) -> str:
    """One spelling per instant: UTC, microseconds, '+00:00'."""
    if dt.tzinfo is None:
        raise AuditError("naive datetime in the audit log")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def _default(o: Any) -> Any:
    if isinstance(o, datetime):
        return utc_iso(o)
    if isinstance(o, date):
        return o.isoformat()
    if isinstance(o, Enum):
        return o.value
    if isinstance(o, set | frozenset):
        return sorted(o, key=lambda v: json.dumps(v, default=_default, sort_keys=True, ensure_ascii=False))
    to_json = getattr(o, "to_json", None)
    if callable(to_json):
        return to_json()
    raise AuditError(f"cannot store {type(o).__name__} in the audit log")


def jsonable(payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """The payload exactly as it reads back from a JSON column: datetimes as UTC ISO strings,
    tuples and sets as lists, every key a string. Store this, hash this."""
    try:
        text = json.dumps(dict(payload or {}), default=_default, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise AuditError(str(e)) from e
    return json.loads(text)


def canonical(content: Mapping[str, Any]) -> str:
    """Stable text of a row's content: sorted keys, no spaces, UTF-8 as is, UTC times."""
    try:
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False, default=_default)
    except (TypeError, ValueError) as e:
        raise AuditError(str(e)) from e


def row_content(*, chain: str, incident_id: int | None, seq: int, at: datetime, actor_telegram_id: int | None,
                actor_name: str | None, kind: str, payload: Mapping[str, Any],
                actor_ref: str | None = None) -> dict[str, Any]:
    content = {"chain": chain, "incident_id": incident_id, "seq": seq, "at": utc_iso(at),
               "actor_telegram_id": actor_telegram_id, "actor_name": actor_name, "kind": kind,
               "payload": dict(payload)}
    if actor_ref is not None:
        content["actor_ref"] = actor_ref
    return content


def row_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(content)}".encode()).hexdigest()


@dataclass(frozen=True)
class AuditRecord:
    """One row of the log as the services hand it out (never an ORM row)."""

    chain: str
    seq: int
    at: datetime
    kind: str
    payload: dict[str, Any]
    actor_telegram_id: int | None
    actor_name: str | None
    incident_id: int | None
    prev_hash: str
    hash: str
    id: int | None = field(default=None, compare=False)
    actor_ref: str | None = None

    def content(self) -> dict[str, Any]:
        return row_content(chain=self.chain, incident_id=self.incident_id, seq=self.seq, at=self.at,
                           actor_telegram_id=self.actor_telegram_id, actor_name=self.actor_name,
                           kind=self.kind, payload=self.payload, actor_ref=self.actor_ref)

    def to_json(self) -> dict[str, Any]:
        """The export's form of a timeline entry."""
        actor: dict[str, Any] = {"telegram_id": self.actor_telegram_id, "name": self.actor_name}
        if self.actor_ref is not None:  # hashed when set: the export carries it so the hash can be checked
            actor["ref"] = self.actor_ref
        return {"seq": self.seq, "at": utc_iso(self.at), "kind": self.kind, "actor": actor,
                "payload": self.payload, "prev_hash": self.prev_hash, "hash": self.hash}


def make_record(*, incident_id: int | None, seq: int, prev_hash: str, at: datetime, kind: str,
                actor_telegram_id: int | None, actor_name: str | None,
                payload: Mapping[str, Any] | None, actor_ref: str | None = None) -> AuditRecord:
    """The next row of a chain whose last row has `seq - 1` and hash `prev_hash`."""
    chain = chain_key(incident_id)
    body = jsonable(payload)
    content = row_content(chain=chain, incident_id=incident_id, seq=seq, at=at, actor_telegram_id=actor_telegram_id,
                          actor_name=actor_name, kind=kind, payload=body, actor_ref=actor_ref)
    return AuditRecord(chain=chain, seq=seq, at=at, kind=kind, payload=body, actor_telegram_id=actor_telegram_id,
                       actor_name=actor_name, incident_id=incident_id, prev_hash=prev_hash,
                       hash=row_hash(prev_hash, content), actor_ref=actor_ref)


class ChainVerifier:
    """Checks the rows of one chain in seq order, one at a time (so a long log streams)."""

    def __init__(self, chain: str | None = None) -> None:
        self.chain = chain
        self.expected_seq = 1
        self.prev_hash = GENESIS
        self.broken = False

    def feed(self, row: AuditRecord) -> bool:
        """True while the chain holds up to and including `row`; after the first False, always False."""
        if self.broken:
            return False
        if self.chain is None:
            self.chain = row.chain
        ok = (row.chain == self.chain == chain_key(row.incident_id) and row.seq == self.expected_seq
              and row.prev_hash == self.prev_hash)
        if ok:
            try:
                ok = row.hash == row_hash(row.prev_hash, row.content())
            except AuditError:
                ok = False
        if not ok:
            self.broken = True
            return False
        self.expected_seq += 1
        self.prev_hash = row.hash
        return True


def verify_chain(rows: Sequence[AuditRecord] | Iterable[AuditRecord]) -> int | None:
    """Index of the first row (in seq order, one chain) where the chain breaks, or None when it holds."""
    v = ChainVerifier()
    for i, row in enumerate(rows):
        if not v.feed(row):
            return i
    return None

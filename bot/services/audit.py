"""The timeline (audit log): append an event inside the caller's transaction, read an incident's
timeline, verify every chain. The chain arithmetic lives in bot.domain.audit.

Appends race safely: the next seq is read, the row inserted under a savepoint, and a clash on the
unique (chain, seq) — another transaction appended to the same chain first — retries with the new
tail. On PostgreSQL the loser waits on the unique index until the winner commits, then retries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit_render import sentences
from bot.audit_sentences import Names
from bot.domain import audit_kinds
from bot.domain.audit import GENESIS, AuditRecord, ChainVerifier, chain_key, make_record
from bot.domain.identity import is_unlinked
from bot.services.memo import memo, new_incident
from bot.services.numbers import lookup_incident
from models import ChatBinding, Contact, Incident, Organization, Person, PersonIdentity
from models.audit import AuditLog

AuditDTO = AuditRecord
APPEND_ATTEMPTS = 100
VERIFY_BATCH = 2000


@dataclass(frozen=True)
class BrokenRow:
    chain: str
    seq: int
    id: int


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked_rows: int
    first_broken: BrokenRow | None = None  # the broken row written first (lowest id) over all chains
    chains: int = 0
    broken: tuple[BrokenRow, ...] = ()  # the first broken row of every broken chain, by id


def _dto(row: Any) -> AuditDTO:
    """From an AuditLog or a Core row of audit_log's columns."""
    return AuditRecord(chain=row.chain, seq=row.seq, at=row.at, kind=row.kind, payload=dict(row.payload or {}),
                       actor_telegram_id=row.actor_telegram_id, actor_name=row.actor_name,
                       incident_id=row.incident_id, prev_hash=row.prev_hash, hash=row.hash, id=row.id,
                       actor_ref=row.actor_ref)


async def _begin_write(s: AsyncSession) -> None:
    """SQLite through pysqlite/aiosqlite only opens a transaction at the first write, and a SAVEPOINT
    opened outside one *is* the transaction: its RELEASE would commit. Open it here, IMMEDIATE, so
    the tail we read is the tail we extend and our savepoint stays inside the caller's transaction.
    A no-op on PostgreSQL and whenever the transaction already runs."""
    conn = await s.connection()
    if conn.dialect.name != "sqlite":
        return
    raw = await conn.get_raw_connection()
    if not getattr(raw.driver_connection, "in_transaction", True):
        await conn.exec_driver_sql("BEGIN IMMEDIATE")


async def _tail(s: AsyncSession, chain: str) -> tuple[int, str]:
    last = (await s.execute(select(AuditLog.seq, AuditLog.hash).where(AuditLog.chain == chain)
                            .order_by(AuditLog.seq.desc()).limit(1))).first()
    return (last.seq, last.hash) if last else (0, GENESIS)


def _record(chain: str, incident_id: int | None, seq: int, prev: str, kind: str, actor_telegram_id: int | None,
            actor_name: str | None, payload: Mapping[str, Any] | None, now: datetime,
            actor_ref: str | None) -> tuple[AuditRecord, AuditLog]:
    rec = make_record(incident_id=incident_id, seq=seq + 1, prev_hash=prev, at=now, kind=kind,
                      actor_telegram_id=actor_telegram_id, actor_name=actor_name, payload=payload, actor_ref=actor_ref)
    return rec, AuditLog(chain=rec.chain, incident_id=incident_id, seq=rec.seq, at=now, kind=kind,
                         actor_telegram_id=actor_telegram_id, actor_name=actor_name, payload=rec.payload,
                         prev_hash=rec.prev_hash, hash=rec.hash, actor_ref=actor_ref)


async def append(s: AsyncSession, *, incident_id: int | None, kind: str, actor_telegram_id: int | None = None,
                 actor_name: str | None = None, payload: Mapping[str, Any] | None = None,
                 now: datetime, actor_ref: str | None = None) -> AuditDTO:
    """Append one event to the chain of `incident_id` (None: the `global` chain), in the caller's
    transaction: it commits or rolls back with the caller's other effects. `actor_ref` ("telegram:<id>",
    "person:<id>") is the neutral actor, hashed when given; a row with a Telegram actor and no `actor_ref` gets
    "telegram:<id>" (a placeholder id of a person not linked yet: "person:<id>"), so every new row with an actor
    names it neutrally. Old rows keep none and verify as before."""
    if actor_ref is None and actor_telegram_id is not None:
        actor_ref = await _actor_ref(s, actor_telegram_id)
    chain = chain_key(incident_id)
    tails = memo(s, "audit_tails")
    if (noted := new_incident(s, incident_id)) is not None:
        # the incident is this transaction's own: nobody else can append to its chain, so no savepoint,
        # the tail is the one we wrote last (or the genesis), and the row goes out with the transaction's
        # next flush (in order: one mapper's new rows are inserted as they were added). Its id is not known
        # yet, so the record has none.
        seq, prev = tails.get(chain, (0, GENESIS))
        rec, row = _record(chain, incident_id, seq, prev, kind, actor_telegram_id, actor_name, payload, now,
                           actor_ref)
        s.add(row)
        tails[chain] = (rec.seq, rec.hash)
        noted.setdefault("timeline", []).append(rec)
        return rec
    await s.flush()  # the caller's pending rows must not fail inside our savepoint
    await _begin_write(s)
    for _ in range(APPEND_ATTEMPTS):
        seq, prev = await _tail(s, chain)
        rec, row = _record(chain, incident_id, seq, prev, kind, actor_telegram_id, actor_name, payload, now,
                           actor_ref)
        try:
            async with s.begin_nested():
                s.add(row)
                await s.flush()
        except IntegrityError:
            if (await _tail(s, chain))[0] <= seq:
                raise  # not a seq clash (an unknown incident_id, say)
            continue
        return dataclasses.replace(rec, id=row.id)
    raise RuntimeError(f"could not append to audit chain {chain} after {APPEND_ATTEMPTS} attempts")


async def _actor_ref(s: AsyncSession, telegram_id: int) -> str | None:
    if not is_unlinked(telegram_id):
        return f"telegram:{telegram_id}"
    person = await s.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
    return f"person:{person}" if person is not None else None


async def timeline(s: AsyncSession, incident_id: int | None) -> list[AuditDTO]:
    """Every event of one incident (None: events without an incident), in order."""
    if (noted := new_incident(s, incident_id)) is not None:
        return list(noted.get("timeline", ()))
    rows = await s.scalars(select(AuditLog).where(AuditLog.chain == chain_key(incident_id))
                           .order_by(AuditLog.seq))
    return [_dto(r) for r in rows]


async def timeline_by_number(s: AsyncSession, number: str) -> tuple[str, list[AuditDTO]] | None:
    """(the incident's number, its timeline) for a typed number (`yq-2026-1`, `1`…: bot/services/numbers.py),
    or None when it names none or several."""
    inc = (await lookup_incident(s, number)).incident
    if inc is None:
        return None
    return inc.number, await timeline(s, inc.id)


async def names(s: AsyncSession, tz: tzinfo | None = None) -> Names:
    """Who the ids in timeline rows are, for their sentences: people and outside contacts by telegram id (also
    an account a person linked on the telegram channel), bound groups by chat id; times in `tz` (default: the
    organisation's zone)."""
    people: dict[int, str] = {}
    for tid, name in (await s.execute(select(Contact.telegram_id, Contact.name)
                                      .where(Contact.telegram_id.is_not(None)))).all():
        people[tid] = name
    linked = (await s.execute(select(PersonIdentity.external_id, Person.name)
                              .join(Person, Person.id == PersonIdentity.person_id)
                              .where(PersonIdentity.channel == "telegram",
                                     PersonIdentity.external_id.is_not(None)))).all()
    people.update({int(ext): name for ext, name in linked if ext.lstrip("-").isdigit()})
    people.update(dict((await s.execute(select(Person.telegram_id, Person.name))).all()))  # the person's own, last
    groups = dict((await s.execute(select(ChatBinding.chat_id, ChatBinding.key))).all())
    if tz is None:
        zone = await s.scalar(select(Organization.timezone).limit(1))
        tz = _zone(zone)
    return Names(people=people, groups=groups, tz=tz)


def _zone(name: str | None) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


async def timeline_json(s: AsyncSession, incident_id: int, *, lookup: Names | None = None) -> list[dict[str, Any]]:
    """The export's "timeline" list of an incident: each row's structured fields (as stored and hashed) and,
    beside them, the row as a sentence in both languages ("sentence": {"zh": …, "en": …})."""
    rows = await timeline(s, incident_id)
    lookup = lookup or await names(s)
    said = {lang: sentences(rows, lang, lookup) for lang in ("zh", "en")}
    return [{**r.to_json(), "sentence": {lang: said[lang][i].text(lang) for lang in said}}
            for i, r in enumerate(rows)]


async def verify_all(s: AsyncSession) -> VerifyResult:
    """Walk every chain in (chain, seq) order, in batches, and check each link."""
    checked = chains = 0
    broken: list[BrokenRow] = []
    verifier: ChainVerifier | None = None
    after: tuple[str, int] | None = None
    while True:
        # Core rows, not ORM objects: nothing lands in (or must be expunged from) the caller's session.
        q = select(*AuditLog.__table__.c).order_by(AuditLog.chain, AuditLog.seq).limit(VERIFY_BATCH)
        if after is not None:
            q = q.where(or_(AuditLog.chain > after[0], and_(AuditLog.chain == after[0], AuditLog.seq > after[1])))
        batch = (await s.execute(q)).all()
        if not batch:
            break
        for row in batch:
            if verifier is None or verifier.chain != row.chain:
                verifier, chains = ChainVerifier(row.chain), chains + 1
            checked += 1
            was_broken = verifier.broken
            if not verifier.feed(_dto(row)) and not was_broken:
                broken.append(BrokenRow(row.chain, row.seq, row.id))
        after = (batch[-1].chain, batch[-1].seq)
    broken.sort(key=lambda b: b.id)
    return VerifyResult(ok=not broken, checked_rows=checked, first_broken=broken[0] if broken else None,
                        chains=chains, broken=tuple(broken))


async def record_refusal(s: AsyncSession, *, incident_id: int | None, user: int, name: str, action: str,
                         reason: str, now: datetime) -> None:
    """A refused press (forged, replayed, not allowed): on the incident's chain when it exists, else global."""
    if incident_id is not None and await s.get(Incident, incident_id) is None:
        incident_id = None
    await append(s, incident_id=incident_id, kind=audit_kinds.REFUSAL, actor_telegram_id=user, actor_name=name,
                 payload={"action": action, "reason": reason}, now=now)

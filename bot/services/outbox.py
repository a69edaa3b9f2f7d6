"""The outbox: every message the bot sends on its own (nudges, escalations, notices) is first a row here,
written in the same transaction as the change that caused it, then delivered by bot/delivery/sender.py. Below
every other service: it knows rows, not people (a person's message is queued through bot/services/send.py).

Claiming goes through bot/services/claims.claim_rows, as every claimable row kind does (FOR UPDATE
SKIP LOCKED on PostgreSQL, where several instances send; one instance is SQLite's documented limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, bindparam, case, cast, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.channels import notices
from bot.channels.types import Address, Buttons, InputRequest, MessageRef, buttons_body
from bot.domain.identity import TELEGRAM, UNLINKED_BASE, UNREACHABLE
from bot.i18n import t
from bot.services.claims import claim_rows, pick_for_claim  # noqa: F401 - pick_for_claim re-exported
from bot.textsplit import LIMIT, split_text
from models import ChatBinding, OutboxMessage, PersonIdentity
from models.delivery import METHOD_KINDS

SEND, EDIT, COMMANDS = "send", "edit", "commands"  # outbox.kind: a new message, an edit, a command menu
# a group's thread opened (its reference is the thread's id) and closed: an incident's room, bot/services/room.py
TOPIC, TOPIC_CLOSE = "topic", "topic_close"
MESSAGE_KINDS = (SEND, EDIT)  # what a person sees, in order
KINDS = (*MESSAGE_KINDS, COMMANDS, TOPIC, TOPIC_CLOSE)
# a channel's own operation, by the name its adapter's perform takes
OPERATIONS = {COMMANDS: "setMyCommands", TOPIC_CLOSE: "closeForumTopic"}
METHODS = tuple(METHOD_KINDS)  # the method names callers pass (`method=`), stored as their kind
# superseded: replaced while it waited; refused: an operation the conversation cannot have (a forum topic in a
# group that is not a forum): the channel's answer, not a message lost (bot/services/room.py falls back)
STATUSES = ("pending", "sending", "sent", "failed", "superseded", "refused")


@dataclass(frozen=True)
class OutboxItem:
    """A claimed row, as the sender sees it."""

    id: int
    channel: str
    conv: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    coalesce_key: str | None
    dedup_key: str | None
    possible_duplicate: bool
    reclaimed: bool  # a lease on it expired at least once while it was being sent
    edits: int | None = None  # an edit: the outbox row whose message it edits (not sent when it was queued)
    ref: str | None = None  # an edit: the message it edits, when known
    thread: str | None = None  # a thread of the conversation ("-N": the one row N opens), None: the conversation

    @property
    def text(self) -> str:
        return str(self.payload.get("text") or "")

    @property
    def chat_id(self) -> int | str:
        """The conversation as a limiter and Telegram's services key it: Telegram's integer chat id, another
        channel's id as it is."""
        return chat_key(self.conv)


def chat_key(conv: str) -> int | str:
    try:
        return int(conv)
    except ValueError:
        return conv


def target(payload: dict[str, Any]) -> tuple[dict[str, Any], int | None, str | None]:
    """An edit's body, split from the message it names: a caller's `message_id` (Telegram's id, or a stand-in:
    minus the outbox row not sent yet) becomes `edits` (that row) or `ref` (the message)."""
    mid = payload.get("message_id")
    if mid is None:
        return payload, None, None
    body = {k: v for k, v in payload.items() if k != "message_id"}
    if isinstance(mid, int) and mid < 0:
        return body, -mid, None
    return body, None, str(mid)


def _insert(s: AsyncSession):  # noqa: ANN202
    return (postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert)(OutboxMessage)


async def enqueue(s: AsyncSession, *, to: Address, text: str | None = None, now: datetime,
                  buttons: Buttons | None = None, input: InputRequest | None = None,  # noqa: A002
                  dedup_key: str | None = None,
                  coalesce_key: str | None = None, method: str = "sendMessage",
                  payload: dict[str, Any] | None = None, not_before: datetime | None = None,
                  parse_mode: str | None = None, edits: int | None = None, ref: str | None = None,
                  notice: str | None = None) -> int | None:
    """Add one message to `to` in the caller's transaction. Returns its id, or None when `dedup_key` is taken
    (then nothing is added). `method` names the kind of call as Telegram does (sendMessage → send,
    editMessageText → edit, setMyCommands → commands); an edit names its message by `edits` (the outbox row that
    sent it, or sends it) and/or `ref` (the message as the channel names it); `payload["message_id"]` (Telegram's
    id; a negative one stands in for the row) is read as one of them.
    `payload` carries extra parameters; `buttons` and `input` are stored as the neutral body's
    (bot.channels.types.Card.body()), rendered by the channel's adapter at send time. `notice` names the kind of a message the core sends on
    its own (bot/channels/notices.py; checked here).

    A text over Telegram's 4096 characters (a long reason or summary quoted in a notice) would be refused
    and the notice lost: a new message is split on line boundaries into several rows, in order, the
    keyboard on the last one (whose id is returned); an edit keeps what fits and ends with "…"."""
    notices.check(notice)
    if text is not None and len(text) > LIMIT and not parse_mode:
        if method == "sendMessage":
            *head, last = split_text(text)
            first_key = f"{dedup_key}#1" if dedup_key is not None else None
            for i, chunk in enumerate(head, start=1):
                key = f"{dedup_key}#{i}" if dedup_key is not None else None
                added = await enqueue(s, to=to, text=chunk, now=now, dedup_key=key,
                                      coalesce_key=coalesce_key, payload=payload, not_before=not_before,
                                      notice=notice)
                if added is None and key == first_key:
                    return None  # queued before, whole
            text = last
        else:
            text = text[:LIMIT - 1] + "…"
    kind = METHOD_KINDS.get(method) or (method if method in (TOPIC, TOPIC_CLOSE) else None)
    if kind is None:
        raise ValueError(f"outbox: unsupported method {method!r}; known: {', '.join(METHODS)}")
    body, stand_in, named = target(dict(payload or {}))
    if text is not None:
        body["text"] = text
    if not body.get("text") and kind in MESSAGE_KINDS:
        raise ValueError("outbox: a message needs a text")
    if buttons:
        body["buttons"] = buttons_body(buttons)
    if input is not None:
        body["input"] = {"placeholder": input.placeholder}
    if parse_mode is not None:
        body["parse_mode"] = parse_mode
    values = dict(channel=to.channel, conv=to.conv, thread=to.thread, kind=kind, payload=body, edits=edits or stand_in, ref=ref or named,
                  dedup_key=dedup_key,
                  coalesce_key=coalesce_key, status="pending", attempts=0, not_before=not_before or now,
                  in_flight=False, reclaims=0, created_at=now, possible_duplicate=False)
    stmt = _insert(s).values(**values).returning(OutboxMessage.id)
    if dedup_key is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["dedup_key"])
    return (await s.execute(stmt)).scalar_one_or_none()


def held_clause() -> Any:
    """Rows that wait for their addressee (bot/services/reachability.py): an unlinked person's placeholder
    address, an unreachable person's chat, a bound group the bot was removed from. Not claimed, and not a
    delivery lag for /healthz."""
    o, pi = OutboxMessage, PersonIdentity
    people = select(pi.external_id).where(pi.channel == TELEGRAM, pi.reachable == UNREACHABLE,
                                          pi.external_id.is_not(None))
    groups = select(cast(ChatBinding.chat_id, String)).where(ChatBinding.reachable == UNREACHABLE)
    # a placeholder id (≥ UNLINKED_BASE) by its text: digits, longer than the base's or as long and not below it
    base = str(UNLINKED_BASE)
    placeholder = and_(o.channel == TELEGRAM, ~o.conv.startswith("-"),
                       or_(func.length(o.conv) > len(base), and_(func.length(o.conv) == len(base), o.conv >= base)))
    return or_(placeholder, o.conv.in_(people), o.conv.in_(groups))


def _claimable(now: datetime):  # noqa: ANN202
    o = OutboxMessage
    return and_(or_(and_(o.status == "pending", o.not_before <= now),
                    and_(o.status == "sending", o.claimed_until < now)), ~held_clause(), ~_behind(now))


def _behind(now: datetime):  # noqa: ANN202
    """An earlier row for the same chat still waits (not due yet) or is being sent under a live lease (a
    reply in flight, another sender's claim): this one goes after it, never ahead (one chat, one order)."""
    o, e = OutboxMessage, aliased(OutboxMessage)
    return exists().where(e.conv == o.conv, e.channel == o.channel, e.id < o.id, e.kind.in_(MESSAGE_KINDS),
                          or_(and_(e.status == "pending", e.not_before > now),
                              and_(e.status == "sending", e.claimed_until >= now)))


async def claim_batch(s: AsyncSession, *, instance: str, now: datetime, limit: int,
                      lease: timedelta) -> list[OutboxItem]:
    """Claim up to `limit` due rows for `instance` until now + lease (status sending). A row still in
    `sending` whose lease expired is taken over; when its call to Telegram may have been made
    (in_flight), it is flagged possible_duplicate. The caller commits before sending anything."""
    o = OutboxMessage
    was_sending = o.status == "sending"
    # A takeover is counted only when the lease was another claimer's (a process that died or stalled, or a
    # reply in flight): a sender claiming again what it held itself has taken nothing over.
    taken_over = and_(was_sending, o.claimed_by != instance)
    rows = await claim_rows(
        s, o, where=[_claimable(now)], order_by=[o.not_before, o.id], limit=limit,
        values=dict(status="sending", claimed_by=instance, claimed_until=now + lease, in_flight=False,
                    possible_duplicate=or_(o.possible_duplicate, and_(was_sending, o.in_flight)),
                    reclaims=o.reclaims + case((taken_over, 1), else_=0)),
        returning=[o.id, o.channel, o.conv, o.kind, o.payload, o.attempts, o.created_at, o.coalesce_key,
                   o.dedup_key, o.possible_duplicate, o.reclaims, o.edits, o.ref, o.thread])
    items = [OutboxItem(id=r.id, channel=r.channel, conv=r.conv, kind=r.kind, payload=dict(r.payload or {}),
                        attempts=r.attempts, created_at=r.created_at, coalesce_key=r.coalesce_key,
                        dedup_key=r.dedup_key, possible_duplicate=bool(r.possible_duplicate),
                        reclaimed=bool(r.reclaims), edits=r.edits, ref=r.ref, thread=r.thread) for r in rows]
    return sorted(items, key=lambda i: i.id)


async def mark_in_flight(s: AsyncSession, ids: list[int], *, instance: str) -> None:
    """Just before the call to Telegram (committed by the caller): from here a crash may duplicate."""
    await s.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == instance)
                    .values(in_flight=True, attempts=OutboxMessage.attempts + 1)
                    .execution_options(synchronize_session=False))


async def mark_sent(s: AsyncSession, ids: list[int], *, now: datetime, message_id: int | str | None,
                    possible_duplicate: bool = False) -> None:
    """The channel accepted the message (`message_id`: its reference): all `ids` (a coalesced group shares one
    message) are sent. Not fenced by the lease: once the channel took it, sent is the truth whoever holds the
    row now."""
    primary = min(ids)
    ref = str(message_id) if message_id is not None else None
    values: dict[str, Any] = dict(status="sent", sent_at=now, ref=ref, in_flight=False,
                                  claimed_until=None, last_error=None)
    if possible_duplicate:
        values["possible_duplicate"] = True
    await s.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**values)
                    .execution_options(synchronize_session=False))
    if len(ids) > 1:
        await s.execute(update(OutboxMessage).where(OutboxMessage.id.in_([i for i in ids if i != primary]))
                        .values(merged_into=primary).execution_options(synchronize_session=False))


async def release(s: AsyncSession, ids: list[int], *, instance: str, not_before: datetime,
                  error: str | None = None, possible_duplicate: bool = False,
                  chat_id: int | str | None = None, unthread: bool = False) -> None:
    """Back to pending until `not_before` (a retry, or a send deferred by the limiter); `unthread`: to the
    conversation itself, its thread gone (a deleted forum topic: bot/services/room.py)."""
    values: dict[str, Any] = dict(status="pending", not_before=not_before, claimed_by=None, claimed_until=None,
                                  in_flight=False)
    if error is not None:
        values["last_error"] = error[:2000]
    if possible_duplicate:
        values["possible_duplicate"] = True
    if chat_id is not None:  # the conversation moved (Telegram's supergroup upgrade)
        values["conv"] = str(chat_id)
    if unthread:
        values["thread"] = None
    await s.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == instance,
                                                OutboxMessage.status == "sending")
                    .values(**values).execution_options(synchronize_session=False))


async def mark_superseded(s: AsyncSession, ids: list[int], *, instance: str, why: str) -> None:
    """Claimed rows a newer one makes pointless (an older edit of the same message): never sent."""
    await s.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == instance,
                                                OutboxMessage.status == "sending")
                    .values(status="superseded", last_error=why, in_flight=False, claimed_until=None)
                    .execution_options(synchronize_session=False))


async def mark_refused(s: AsyncSession, ids: list[int], *, instance: str, error: str) -> None:
    """An operation the channel refused for good because the conversation cannot have it (a topic row whose group
    is not a forum, or where the bot may not manage topics): not a failed message, nobody lost anything."""
    await s.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == instance,
                                                OutboxMessage.status == "sending")
                    .values(status="refused", last_error=error[:2000], in_flight=False, claimed_until=None)
                    .execution_options(synchronize_session=False))


async def mark_failed(s: AsyncSession, ids: list[int], *, instance: str, error: str) -> None:
    """Permanent failure (bot blocked, chat not found…): no more retries."""
    await s.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == instance,
                                                OutboxMessage.status == "sending")
                    .values(status="failed", last_error=error[:2000], in_flight=False, claimed_until=None)
                    .execution_options(synchronize_session=False))


# ---------------------------------------------------------------- replies (bot/delivery/replies.py)

def _reply_insert():  # noqa: ANN202
    """INSERT … SELECT: one statement writes the reply claimed and in flight, or — when a message for that
    chat waits for a retry (Telegram refused it for now) or is being sent by someone else — pending behind it
    (held = 1), so it never overtakes a message in trouble. A row merely due now is no reason to wait: the
    sender is about to send it, and the reply goes through the same limiter."""
    o, e = OutboxMessage.__table__, aliased(OutboxMessage.__table__)
    col = {"channel": "channel", "conv": "conv", "kind": "kind", "payload": "payload", "edits": "edits",
           "ref": "ref", "now": "created_at", "until": "claimed_until", "claimer": "claimed_by"}
    p = {name: bindparam(name, type_=o.c[c].type) for name, c in col.items()}
    ahead = exists().where(e.c.conv == p["conv"], e.c.channel == p["channel"], e.c.kind.in_(MESSAGE_KINDS), or_(
        and_(e.c.status == "pending", e.c.not_before > p["now"]),
        and_(e.c.status == "sending", e.c.claimed_by != p["claimer"], e.c.claimed_until >= p["now"])))
    flag = select(case((ahead, 1), else_=0).label("held")).subquery("a")
    held = flag.c.held == 1
    cols = ("channel", "conv", "kind", "payload", "edits", "ref", "status", "attempts", "not_before", "claimed_by",
            "claimed_until", "in_flight", "reclaims", "created_at", "possible_duplicate")
    values = select(p["channel"], p["conv"], p["kind"], p["payload"], p["edits"], p["ref"],
                    case((held, "pending"), else_="sending"),
                    case((held, 0), else_=1), p["now"], case((held, None), else_=p["claimer"]),
                    case((held, None), else_=p["until"]), case((held, False), else_=True), 0, p["now"], False)
    return insert(o).from_select(cols, values.select_from(flag)).returning(o.c.id, o.c.status)


_REPLY_INSERT = _reply_insert()


async def insert_reply(s: AsyncSession, *, chat_id: int | str, method: str, payload: dict[str, Any],
                       now: datetime, claimer: str, lease: timedelta, channel: str = TELEGRAM) -> tuple[int, bool]:
    """A reply, in the update's transaction: (row id, True when it is ours to send now — claimed by
    `claimer` and in flight — or False when it waits behind that chat's earlier rows, pending). `method` and
    `payload["message_id"]` as for enqueue."""
    kind = METHOD_KINDS.get(method)
    if kind is None:
        raise ValueError(f"outbox: unsupported method {method!r}")
    body, edits, ref = target(payload)
    conn = await s.connection()  # a Core statement: the connection's execute skips the ORM's (per reply)
    row = (await conn.execute(_REPLY_INSERT, dict(channel=channel, conv=str(chat_id), kind=kind, payload=body,
                                                  edits=edits, ref=ref, now=now, until=now + lease,
                                                  claimer=claimer))).one()
    return row[0], row[1] == "sending"


_MARK_SENT = (update(OutboxMessage.__table__)
              .where(OutboxMessage.__table__.c.id == bindparam("row"),
                     OutboxMessage.__table__.c.status == "sending")
              .values(status="sent", sent_at=bindparam("at"), ref=bindparam("mid"),
                      in_flight=False, claimed_until=None))


async def mark_replies_sent(s: AsyncSession, marks: list[tuple[int, int | None, datetime]]) -> None:
    """Replies Telegram took, batched: (row id, message id, when) — one statement for all of them."""
    if marks:
        await s.execute(_MARK_SENT, [{"row": r, "mid": None if m is None else str(m), "at": at}
                                     for r, m, at in marks])


async def message_refs(s: AsyncSession, row_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """(status, the channel's reference) of rows: the message an edit of a row (`edits`) edits, once sent."""
    if not row_ids:
        return {}
    o = OutboxMessage
    rows = await s.execute(select(o.id, o.status, o.ref).where(o.id.in_(row_ids)))
    return {r.id: (r.status, r.ref) for r in rows}


async def message_ids(s: AsyncSession, row_ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """(status, Telegram's message id) of rows: what a stand-in message (-row id) has become."""
    return {i: (st, chat_key(ref) if ref is not None else None)  # type: ignore[misc]
            for i, (st, ref) in (await message_refs(s, row_ids)).items()}


async def resolve_stand_ins(s: AsyncSession, ids: list[int]) -> list[int]:
    """Message ids as stored by handlers, stand-ins (negative: an outbox row that had not been sent when the
    handler got it back) replaced by the id Telegram gave once it was sent; an unsent one stays as it is."""
    wanted = [-i for i in ids if isinstance(i, int) and i < 0]
    if not wanted:
        return list(ids)
    known = await message_ids(s, wanted)
    return [known.get(-i, ("", None))[1] or i if isinstance(i, int) and i < 0 else i for i in ids]


def _sent_as(to: Address, ref: MessageRef) -> Any:
    o = OutboxMessage
    return select(o).where(o.channel == to.channel, o.conv == to.conv, o.ref == ref.ref).order_by(o.id).limit(1)


async def sent_as(s: AsyncSession, to: Address, ref: MessageRef) -> OutboxMessage | None:
    """The row that sent the message `ref` into `to` (the first that names it: its send), or None when the
    outbox did not send it (a follow-up replying to a card, an answer to a prompt)."""
    return await s.scalar(_sent_as(to, ref))


async def dedup_key_of(s: AsyncSession, to: Address, ref: MessageRef) -> str | None:
    row = await sent_as(s, to, ref)
    return row.dedup_key if row is not None else None


async def next_due(s: AsyncSession) -> datetime | None:
    """The earliest not_before among pending rows (for the sender's idle wait)."""
    return await s.scalar(select(func.min(OutboxMessage.not_before)).where(OutboxMessage.status == "pending",
                                                                             ~held_clause()))


# ---------------------------------------------------------------- report (`onduty outbox`)

async def outbox_report(s: AsyncSession, *, rows: int = 20) -> dict[str, Any]:
    """Counts by status, possible duplicates (with the rows), failures and the oldest pending rows."""
    o = OutboxMessage
    counts = {st: 0 for st in STATUSES}
    for st, n in (await s.execute(select(o.status, func.count()).group_by(o.status))).all():
        counts[st] = n
    dup_n = await s.scalar(select(func.count()).where(o.possible_duplicate.is_(True))) or 0

    def row(r: OutboxMessage) -> dict[str, Any]:
        return {"id": r.id, "channel": r.channel, "chat_id": r.conv, "kind": r.kind, "status": r.status,
                "attempts": r.attempts,
                "created_at": r.created_at.isoformat(), "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                "not_before": r.not_before.isoformat(), "last_error": r.last_error, "dedup_key": r.dedup_key,
                "ref": r.ref, "possible_duplicate": r.possible_duplicate,
                "reclaims": r.reclaims, "text": str((r.payload or {}).get("text") or "")[:80]}

    async def rows_where(*cond: Any) -> list[dict[str, Any]]:
        return [row(r) for r in (await s.scalars(select(o).where(*cond).order_by(o.id).limit(rows))).all()]

    return {
        **counts,
        "total": sum(counts.values()),
        "possible_duplicates": dup_n,
        "reclaimed": await s.scalar(select(func.coalesce(func.sum(o.reclaims), 0))) or 0,
        "duplicate_rows": await rows_where(o.possible_duplicate.is_(True)),
        "failed_rows": await rows_where(o.status == "failed"),
        "pending_rows": await rows_where(o.status.in_(("pending", "sending")), ~held_clause()),
        "held": await s.scalar(select(func.count()).where(o.status == "pending", held_clause())) or 0,
    }


def format_outbox_report(report: dict[str, Any], lang: str = "en", *, legend: bool = False) -> str:
    """Plain text for `onduty outbox`; with `legend`, what each number means."""
    lines = [t("outbox.report.counts", lang, **{k: report.get(k, 0) for k in
                                                 (*STATUSES, "total", "possible_duplicates", "reclaimed", "held")})]
    if legend:
        lines.append(t("outbox.report.legend", lang))
    for title, key in (("outbox.report.duplicates", "duplicate_rows"), ("outbox.report.failed", "failed_rows"),
                       ("outbox.report.pending", "pending_rows")):
        items = report.get(key) or []
        if not items:
            continue
        lines.append(t(title, lang, n=len(items)))
        for r in items:
            lines.append(t("outbox.report.row", lang, **{**r, "error": r.get("last_error") or "-",
                                                        "when": r.get("sent_at") or r.get("not_before")}))
    return "\n".join(lines)

"""A transaction's memo of rows it reads again and again: the chat bindings, the active people, FSM records.

SQLAlchemy's identity map holds loaded rows weakly, so a row read, dropped and asked for again (the FSM
record read by a state filter, then by the handler) is selected again; a row that does not exist (an
unbound upper-office chat) is selected every time. The memo keeps them for the session. A flush that
writes one of the watched models, a watched model added or changed but not yet flushed, and any rollback
forget the memo, so it never outlives what it mirrors.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_WATCH: dict[str, tuple[type, ...]] = {}


def watch(name: str, *models: type) -> None:
    """Writes to `models` invalidate the memo called `name`."""
    _WATCH[name] = models


def memo(s: Any, name: str) -> dict[Any, Any]:
    """The memo dict `name` of session `s` (an AsyncSession or a Session)."""
    key = f"memo:{name}"
    if key in s.info and (models := _WATCH.get(name)) and _touched(s, models):
        del s.info[key]
    return s.info.setdefault(key, {})


def _touched(s: Any, models: tuple[type, ...]) -> bool:
    return any(isinstance(o, models) for o in chain(s.new, s.dirty, s.deleted))


def forget(s: Any, name: str | None = None) -> None:
    for key in [k for k in s.info if k.startswith("memo:") and (name is None or k == f"memo:{name}")]:
        del s.info[key]


def mark_new_incident(s: Any, incident_id: int) -> None:
    """The incident was created in this transaction: until it commits no other transaction can see it,
    so nobody else can append to its timeline, start its clocks or open its cards — no savepoint is needed
    to settle a race, and what this transaction wrote of it is all there is (see `new_incident`)."""
    memo(s, "new_incidents")[incident_id] = {}


def new_incident(s: Any, incident_id: int | None) -> dict[str, Any] | None:
    """For an incident created in this transaction, the services' notes of everything written of it so far
    ("reports": their fields, "timeline": audit records, "clocks": rows by name, "cards": (Address, audience)),
    which they read instead of selecting it back; None for any other incident. A rollback (of a savepoint
    too) forgets the notes, and the services go back to reading the database."""
    return None if incident_id is None else memo(s, "new_incidents").get(incident_id)


def is_new_incident(s: Any, incident_id: int | None) -> bool:
    return new_incident(s, incident_id) is not None


@event.listens_for(Session, "before_flush")
def _written(session: Session, _ctx: Any, _instances: Any) -> None:
    for name, models in _WATCH.items():
        if _touched(session, models):
            forget(session, name)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # committed, the incident is everyone's: appends and clocks go back to settling races
    forget(session, "new_incidents")
    forget(session, "audit_tails")


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    forget(session)


@event.listens_for(Session, "after_soft_rollback")
def _soft_rolled_back(session: Session, _previous: Any) -> None:
    forget(session)

"""ORM tables. Import this package to register every table on Base.metadata."""

from models.base import Base
from models.clocks import ResponseClock
from models.delivery import DueItem, OutboxMessage
from models.fsm import FsmRecord
from models.inbox import InboxUpdate
from models.incident import Evidence, Incident, Report
from models.org import ChatBinding, Contact, Invite, Organization, Person, Unit

__all__ = ["Base", "ChatBinding", "Contact", "DueItem", "Evidence", "FsmRecord", "InboxUpdate", "Incident", "Invite", "Organization",
           "OutboxMessage", "Person", "Report", "ResponseClock", "Unit"]

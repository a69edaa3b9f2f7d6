"""ORM tables. Import this package to register every table on Base.metadata."""

from models.assessment import Assessment
from models.audit import AuditLog
from models.base import Base
from models.clocks import ResponseClock
from models.delivery import DueItem, OutboxMessage
from models.duty import DutyEvent, DutyShift, Patrol, SwapOffer, UnavailabilityWindow
from models.escalation import IncidentCard
from models.fsm import FsmRecord
from models.inbox import InboxUpdate
from models.incident import Evidence, Incident, Report
from models.ops import Instance
from models.org import ChatBinding, Contact, Invite, Organization, Person, PersonalLink, PersonIdentity, Unit
from models.release import ReleaseDecision, ReleaseDraft, ReleaseOutlet
from models.tasks import Task
from models.tracking import ClosureProposal, FollowUp, HeldFollowUp

__all__ = ["Assessment", "AuditLog", "Base", "ChatBinding", "ClosureProposal", "Contact", "DueItem", "DutyEvent", "DutyShift", "Evidence", "FollowUp", "FsmRecord", "HeldFollowUp", "InboxUpdate",
           "Incident", "IncidentCard", "Instance", "Invite", "Organization", "OutboxMessage", "Patrol", "Person", "PersonIdentity", "PersonalLink", "ReleaseDecision", "ReleaseDraft", "ReleaseOutlet", "Report",
           "ResponseClock", "SwapOffer", "Task", "UnavailabilityWindow", "Unit"]

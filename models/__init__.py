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
from models.outside import Breach, InterviewDecision, InterviewRequest
from models.release import ReleaseDecision, ReleaseDraft, ReleaseOutlet
from models.room import Decision, IncidentRoom
from models.tasks import Task
from models.tracking import ClosureProposal, FollowUp, HeldFollowUp
from models.working_group import GroupMeeting, GroupMeetingAnswer, WorkingGroup, WorkingGroupMember

__all__ = ["Assessment", "AuditLog", "Base", "Breach", "ChatBinding", "ClosureProposal", "Contact", "Decision", "DueItem", "DutyEvent", "DutyShift", "Evidence", "FollowUp", "FsmRecord", "GroupMeeting", "GroupMeetingAnswer", "HeldFollowUp", "InboxUpdate",
           "Incident", "IncidentCard", "IncidentRoom", "Instance", "InterviewDecision", "InterviewRequest", "Invite", "Organization", "OutboxMessage", "Patrol", "Person", "PersonIdentity", "PersonalLink", "ReleaseDecision", "ReleaseDraft", "ReleaseOutlet", "Report",
           "ResponseClock", "SwapOffer", "Task", "UnavailabilityWindow", "Unit",
           "WorkingGroup", "WorkingGroupMember"]

"""Plain data the review report is built from (no database, no bot).

The service fills a ReviewData from the incident's records; charts.py and docx_writer.py only read it.
Datetimes should be timezone-aware; they are shown in `ReviewData.tz` when it is set.
Slugs (grade, category, platform, sentiment, media level) are those of bot/domain/vocab.py; an
unknown slug is shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

CLOCK_STATUSES = ("met", "missed", "running", "cancelled")
MEDIA_SIDE = frozenset({"central", "provincial", "city", "county"})  # media levels counted as "media"
PUBLIC_SIDE = frozenset({"self_media"})  # counted as "public"


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    actor: str
    kind: str  # a free slug, e.g. "report", "grade", "approve", "publish", "followup"
    summary: str
    key: bool = False  # the service marks the events that belong in section 2 ("key events")


@dataclass(frozen=True)
class ClockRow:
    name: str  # a clock slug of vocab.CLOCKS (shown by its label) or a ready label
    started: datetime
    due: datetime
    met_at: datetime | None = None
    status: str = "running"  # one of CLOCK_STATUSES
    delta: timedelta | None = None  # met_at - due (negative = early); computed when None
    stopped_at: datetime | None = None  # when a cancelled clock was stopped (closure, regrade)
    reason: str = ""  # why it was stopped

    def margin(self, now: datetime | None = None) -> timedelta | None:
        """Signed lateness: done/now minus due. Negative means early (met) or time left (running)."""
        if self.delta is not None:
            return self.delta
        if self.met_at is not None:
            return self.met_at - self.due
        if self.stopped_at is not None:
            return self.stopped_at - self.due
        if now is not None:
            return now - self.due
        return None


@dataclass(frozen=True)
class Approval:
    at: datetime
    approver: str
    decision: str  # already a label, e.g. "批准" / "approved" / "退回修改"
    role: str = ""
    note: str = ""


@dataclass(frozen=True)
class PublishedOutlet:
    """One outlet the release was published on (新闻通稿、官方微博、官网、主流媒体 …), as people read it."""

    outlet: str  # a label or the name as typed
    link: str = ""  # "" where the policy let it go without one
    at: datetime | None = None
    by: str = ""


@dataclass(frozen=True)
class Release:
    text: str
    published_at: datetime | None = None  # the first publication (the one the 24-hour clock counts)
    outlets: tuple[PublishedOutlet, ...] = ()  # every outlet, first first


@dataclass(frozen=True)
class PostSample:
    """One observed post or count sample (from a report or a follow-up)."""

    at: datetime
    platform: str | None = None
    reposts: int | None = None
    comments: int | None = None
    views: int | None = None
    sentiment: str | None = None  # negative / neutral / positive
    sentiment_share: int | None = None  # percent of the replies with that tendency
    media: str | None = None  # media level slug
    region: str | None = None
    text: str = ""
    source: str = "report"  # "report" | "followup"
    more_platforms: tuple[str, ...] = ()  # a follow-up names every platform it saw
    more_regions: tuple[str, ...] = ()

    @property
    def platform_set(self) -> list[str]:
        return list(dict.fromkeys(x for x in (self.platform, *self.more_platforms) if x))

    @property
    def region_set(self) -> list[str]:
        return list(dict.fromkeys(x.strip() for x in (self.region, *self.more_regions) if x and x.strip()))

    @property
    def side(self) -> str | None:
        """"media", "public" or None when the media level is unknown."""
        if self.media in MEDIA_SIDE:
            return "media"
        if self.media in PUBLIC_SIDE:
            return "public"
        return None

    @property
    def engagement(self) -> int:
        return (self.reposts or 0) + (self.comments or 0)


@dataclass(frozen=True)
class TaskLine:
    """A task given on the incident (督办), as the review shows it."""

    what: str
    owner: str
    unit: str
    due: datetime
    status: str  # open | accepted | done | help
    done_at: datetime | None
    late: bool
    note: str = ""


@dataclass(frozen=True)
class InterviewLine:
    """A media interview request and its outcome (对外沟通), as the review shows it."""

    at: datetime
    media: str  # media and reporter
    topic: str
    speaker: str
    status: str  # in_review | authorised | refused


@dataclass(frozen=True)
class BreachLine:
    """An interview or disclosure made without authorisation (擅自向外界透露)."""

    at: datetime
    who: str
    what: str
    evidence: str  # the link, and how many items were captured


@dataclass(frozen=True)
class GroupReview:
    """The incident's working group (专门工作组) as the review shows it: its members with their role in the group
    (slugs), and each meeting's time with the members' answers (name → join | cant)."""

    status: str  # proposed | confirmed
    confirmed_at: datetime | None
    reason: str | None
    members: list[tuple[str, str]]
    meetings: list[tuple[datetime, dict[str, str]]]


@dataclass(frozen=True)
class DecisionLine:
    """A decision recorded with /decide (in the incident's topic), as the review shows it."""

    at: datetime
    by: str
    text: str
    task: str = ""  # what the task it gave is, when it gave one


@dataclass
class ReviewData:
    incident_no: str
    grade: str
    lang: str = "zh"
    category: str | None = None
    subject: str = ""  # a one-line description of the incident, optional
    first_report: dict[str, str] = field(default_factory=dict)  # label -> formatted value
    timeline: list[TimelineEvent] = field(default_factory=list)
    assessments: list[TimelineEvent] = field(default_factory=list)  # the leaders' assessments (研判), in order
    clocks: list[ClockRow] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    release: Release | None = None
    posts: list[PostSample] = field(default_factory=list)
    generated_at: datetime | None = None
    tz: tzinfo | None = None
    status: str = ""  # the incident's status slug (closed, …)
    tracker: str = ""  # the person tracking it (动态跟踪专人)
    closed_at: datetime | None = None
    closed_by: str = ""
    closure: dict[str, str] = field(default_factory=dict)  # cause, spread, handling, lessons
    followups: int = 0  # how many follow-ups were posted
    tasks: list[TaskLine] = field(default_factory=list)
    interviews: list[InterviewLine] = field(default_factory=list)
    breaches: list[BreachLine] = field(default_factory=list)
    group: GroupReview | None = None  # the working group, when there was one
    room_name: str = ""  # the incident's forum topic in the office group (issue 23), when it had one
    room_link: str = ""
    decisions: list[DecisionLine] = field(default_factory=list)
    ignore_words: tuple[str, ...] = ()  # never among the hot words (policy.review.ignore_words)

    def local(self, dt: datetime) -> datetime:
        return dt.astimezone(self.tz) if self.tz is not None and dt.tzinfo is not None else dt

    def fmt(self, dt: datetime | None) -> str:
        return "" if dt is None else self.local(dt).strftime("%Y-%m-%d %H:%M")

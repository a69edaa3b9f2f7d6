"""The authoritative release (权威发布): who drafts it, who approves it at which stage, and what a valid text is.

Pure rules (no aiogram, no SQLAlchemy). docs/domain.md "Dispose": general — the supervising leader approves;
major and above — the main responsible person (main leader) reviews, then the leading group approves
(any one member, or a quorum: policy `release.group_approval`, `release.quorum`). Nobody publishes
without that approval, admins included. The stages are separate duties (主要负责人审核、领导小组审定): whoever
approved a version at an earlier stage does not count at a later one (`release.separate_stages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.domain.policy_section import Section
from bot.domain.vocab import Term, Vocabulary

STATUSES = ("draft", "in_review", "approved", "rejected", "changes_requested", "published", "superseded")
OPEN = ("draft", "in_review", "changes_requested", "approved")  # a newer version supersedes these
STAGES = ("review", "approval")
DECISIONS = ("approve", "reject", "changes")
GROUP_APPROVAL = ("any", "quorum")
MAJOR_GRADES = frozenset({"major", "especially_major"})
DRAFTER_ROLES = ("office",)  # plus the handler in charge of the incident


# Where an approved version is published (发布渠道: 新闻通稿、主流媒体、官方微博, seed part 五): an outlet, never a
# "channel" (a messenger). A word not listed is kept as typed (学校官方微博, 校报).
OUTLETS = Vocabulary("outlet", [
    Term("press_release", "新闻通稿", "press release", ("通稿", "新闻稿", "pressrelease")),
    Term("weibo", "官方微博", "official Weibo", ("微博", "weibo", "officialweibo")),
    Term("website", "官网", "website", ("官方网站", "网站", "官网首页", "site")),
    Term("media", "主流媒体", "invited media", ("媒体", "邀请媒体", "invitedmedia", "mainstreammedia")),
    Term("other", "其他", "other", ("其它",)),
])


def outlet_key(text: str) -> str:
    """What an outlet is stored and compared as: a listed outlet's slug (官方微博, 微博 and weibo are one),
    otherwise the words as typed with their spacing tidied."""
    tidy = " ".join(text.split())
    return OUTLETS.parse(tidy) or tidy


def outlet_label(stored: object, lang: str) -> str:
    """A stored outlet as people read it: a slug's label, free text as typed ("" for what is no text)."""
    if not isinstance(stored, str) or not stored:
        return ""
    return OUTLETS.label(stored, lang) if stored in OUTLETS else stored


def link_required(outlet: str, pol: ReleasePolicy | None = None) -> bool:
    """Every outlet needs its link unless `policy.release.link_optional` names it (a press release sent to the
    media, say): the link is what shows the publication happened."""
    optional = {outlet_key(o) for o in (pol or ReleasePolicy()).link_optional}
    return outlet_key(outlet) not in optional


@dataclass(frozen=True)
class ReleasePolicy(Section):
    """`policy.release`: how the leading group approves a major release, and the longest text."""

    name: ClassVar[str] = "release"
    group_approval: str = "any"  # any | quorum
    quorum: int = 2
    max_text: int = 3000
    separate_stages: bool = True  # a reviewer of a version is not one of its approvers
    link_optional: tuple[str, ...] = ()  # outlets whose publication may be recorded without a link

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> ReleasePolicy:
        data = dict(data or {})
        optional = data.pop("link_optional", None) or ()
        if isinstance(optional, str) or not all(isinstance(o, str) and o.strip() for o in optional):
            raise ValueError("policy.release.link_optional must be a list of outlets (press_release, weibo, website, "
                             "media, other, or a name)")
        mode = data.pop("group_approval", "any")
        if mode not in GROUP_APPROVAL:
            raise ValueError(f"policy.release.group_approval must be one of {', '.join(GROUP_APPROVAL)}, got {mode!r}")
        base = super().from_mapping(data)
        for key in ("quorum", "max_text"):
            if not isinstance(getattr(base, key), int):
                raise ValueError(f"policy.release.{key} must be a whole number")
        if not isinstance(base.separate_stages, bool):
            raise ValueError("policy.release.separate_stages must be true or false")
        return cls(group_approval=mode, quorum=base.quorum, max_text=base.max_text,
                   separate_stages=base.separate_stages, link_optional=tuple(optional))


@dataclass(frozen=True)
class Stage:
    name: str  # review | approval
    roles: tuple[str, ...]  # any of these may decide
    needed: int  # approvals that complete the stage


def pipeline(grade: str | None, policy: ReleasePolicy | None = None) -> tuple[Stage, ...]:
    """The stages a release of an incident of `grade` passes, in order (ungraded counts as general)."""
    policy = policy or ReleasePolicy()
    if grade in MAJOR_GRADES:
        needed = 1 if policy.group_approval == "any" else policy.quorum
        return Stage("review", ("main_leader",), 1), Stage("approval", ("leading_group",), needed)
    return (Stage("approval", ("supervising_leader",), 1),)


def stage_of(grade: str | None, name: str | None, policy: ReleasePolicy | None = None) -> Stage | None:
    return next((st for st in pipeline(grade, policy) if st.name == name), None)


def next_stage(grade: str | None, name: str, policy: ReleasePolicy | None = None) -> Stage | None:
    stages = pipeline(grade, policy)
    names = [st.name for st in stages]
    if name not in names:
        return None
    i = names.index(name)
    return stages[i + 1] if i + 1 < len(stages) else None


def earlier_stages(grade: str | None, name: str, policy: ReleasePolicy | None = None) -> tuple[str, ...]:
    names = [st.name for st in pipeline(grade, policy)]
    return tuple(names[:names.index(name)]) if name in names else ()


def refusal(stage: Stage | None, *, roles: tuple[str, ...] | list[str], person_id: int,
            drafter_id: int, decided_earlier: frozenset[int] | set[int] = frozenset()) -> str | None:
    """Why this person may not decide at this stage, or None when they may. Codes: outdated (no such
    stage for the incident's grade), own_draft, not_allowed (no role of the stage), reviewed (approved this
    version at an earlier stage: `decided_earlier`, empty unless the stages are separate)."""
    if stage is None:
        return "outdated"
    if person_id == drafter_id:
        return "own_draft"
    if not set(roles) & set(stage.roles):
        return "not_allowed"
    if person_id in decided_earlier:
        return "reviewed"
    return None


def eligible(stage: Stage, people: list[tuple[int, tuple[str, ...] | list[str]]], *, drafter_id: int,
             decided_earlier: frozenset[int] | set[int] = frozenset()) -> list[int]:
    """The ids among `people` (id, roles) who may decide at `stage`, in the order given."""
    return [pid for pid, roles in people
            if refusal(stage, roles=roles, person_id=pid, drafter_id=drafter_id, decided_earlier=decided_earlier)
            is None]


def blocked(stage: Stage, eligible_count: int) -> bool:
    """Fewer people may decide than the stage needs: it can never complete as things stand."""
    return eligible_count < stage.needed


def may_draft(roles: tuple[str, ...] | list[str], *, person_id: int, in_charge_id: int | None) -> bool:
    """The office drafts; so does a handler put in charge of the incident."""
    if set(roles) & set(DRAFTER_ROLES):
        return True
    return "handler" in roles and in_charge_id is not None and in_charge_id == person_id


def validate_text(text: str | None, max_text: int) -> str | None:
    """None when fine; else empty | too_long."""
    body = (text or "").strip()
    if not body:
        return "empty"
    if len(body) > max_text:
        return "too_long"
    return None

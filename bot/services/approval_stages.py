"""The approval stages a release and a media interview request both pass (bot/domain/release.py `pipeline`: one
stage for a general incident, the main leader's review then the leading group's approval for a major one),
over any table of decisions: who approved at an earlier stage (kept out of a later one when the stages are
separate: 主要负责人审核、领导小组审定 are different people), who may decide at a stage now, and why a person may
not. bot/services/release_stage.py and bot/services/interviews.py ask and decide on top of this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import release as rel
from bot.services.dto import PersonDTO
from bot.services.release_base import people_with
from models import Person


@dataclass(frozen=True)
class Decisions:
    """Where one kind of subject keeps its decisions: the table (with `stage`, `decider_id`, `decision`) and its
    column naming the subject (release_decisions.draft_id, interview_decisions.request_id)."""

    model: Any
    subject: Any  # the column: ReleaseDecision.draft_id …

    def _where(self, subject_id: int, *more: Any) -> Any:
        return select(self.model.decider_id).where(self.subject == subject_id, *more)

    async def approvers(self, s: AsyncSession, subject_id: int, stages: tuple[str, ...]) -> frozenset[int]:
        if not stages:
            return frozenset()
        return frozenset((await s.scalars(self._where(subject_id, self.model.stage.in_(stages),
                                                      self.model.decision == "approve"))).all())

    async def approvals(self, s: AsyncSession, subject_id: int, stage: str) -> int:
        return await s.scalar(select(func.count()).where(self.subject == subject_id, self.model.stage == stage,
                                                         self.model.decision == "approve"))

    async def decided(self, s: AsyncSession, subject_id: int, stage: str, person_id: int) -> bool:
        return bool(await s.scalar(select(func.count()).where(self.subject == subject_id, self.model.stage == stage,
                                                              self.model.decider_id == person_id)))


async def decided_earlier(s: AsyncSession, dec: Decisions, subject_id: int, grade: str | None, stage: str,
                          pol: rel.ReleasePolicy) -> frozenset[int]:
    """Who approved this subject at a stage before `stage` — kept out of it when the stages are separate."""
    if not pol.separate_stages:
        return frozenset()
    return await dec.approvers(s, subject_id, rel.earlier_stages(grade, stage, pol))


async def deciders(s: AsyncSession, dec: Decisions, subject_id: int, grade: str | None, stage: rel.Stage, *,
                   author_id: int, pol: rel.ReleasePolicy) -> tuple[list[Person], list[Person]]:
    """(everyone holding a role of the stage, those of them who may decide now), in id order."""
    earlier = await decided_earlier(s, dec, subject_id, grade, stage.name, pol)
    holders = await people_with(s, stage.roles, set())
    ids = set(rel.eligible(stage, [(p.id, tuple(p.roles or ())) for p in holders], drafter_id=author_id,
                           decided_earlier=earlier))
    return holders, [p for p in holders if p.id in ids]


async def why_not(s: AsyncSession, dec: Decisions, subject_id: int, grade: str | None, stage: str, *,
                  person: PersonDTO, author_id: int, pol: rel.ReleasePolicy) -> str | None:
    """Why `person` may not decide on this subject at `stage` now (the subject being at that stage is the
    caller's check): outdated (no such stage for the grade, or an earlier stage not approved — regraded mid-way),
    own_draft, not_allowed, reviewed (separate stages), already_decided; None when they may."""
    bad = rel.refusal(rel.stage_of(grade, stage, pol), roles=person.roles, person_id=person.id, drafter_id=author_id,
                      decided_earlier=await decided_earlier(s, dec, subject_id, grade, stage, pol))
    if bad:
        return bad
    for earlier in rel.earlier_stages(grade, stage, pol):
        if not await dec.approvals(s, subject_id, earlier):
            return "outdated"
    if await dec.decided(s, subject_id, stage, person.id):
        return "already_decided"
    return None

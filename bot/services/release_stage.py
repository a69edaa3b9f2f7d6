"""Asking a release stage's deciders: the card with Approve / Reject / Request changes to everyone who may decide
at a stage (separate duties: who approved an earlier stage of the same version is left out), the office told
when too few may (bot/services/release_blocked.py), and — after an org import — versions waiting for a decision
asked again of whoever may now decide. bot/services/releases.py runs the pipeline on top of this."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.release import decision_buttons
from bot.domain import release as rel
from bot.domain.vocab import GRADES
from bot.i18n import t
from bot.services import approval_stages, send
from bot.services.approval_stages import Decisions
from bot.services.dto import OrgDTO
from bot.services.reachability import unreachable_among
from bot.services.release_base import lang_of
from bot.services.release_blocked import tell_blocked
from models import Incident, Person
from models.release import ReleaseDecision, ReleaseDraft

RELEASE = Decisions(ReleaseDecision, ReleaseDecision.draft_id)


async def ask_stage(s: AsyncSession, row: ReleaseDraft, inc: Incident, stage: rel.Stage, *, org: OrgDTO,
                    now: datetime) -> dict[str, int]:
    """The card with Approve / Reject / Request changes to everyone who may decide at `stage`: how many were
    asked (`approvers`), and how many of them cannot be reached yet (`waiting`: their card waits for them).
    A stage fewer people may decide than it needs is `blocked`: the office and the main leader are told.
    Asking again (after an org import) sends only to who was not asked yet."""
    drafter = await s.get(Person, row.drafted_by)
    holders, people = await approval_stages.deciders(s, RELEASE, row.id, inc.grade, stage, author_id=row.drafted_by,
                                                     pol=org.policy.release)
    ids = {p.id for p in people}
    for p in people:
        lang = lang_of(p, org)
        grade = GRADES.label(inc.grade, lang) if inc.grade else t("release.ungraded", lang)
        text = t("release.card", lang, number=inc.number, version=row.version, grade=grade,
                 stage=t(f"release.stage.{stage.name}", lang), needed=stage.needed,
                 drafter=drafter.name if drafter else "-", text=row.text)
        await send.to_person(s, p, text=text, now=now, buttons=decision_buttons(row.id, stage.name, lang),
                             dedup_key=f"rel:{row.id}:{stage.name}:{p.id}", notice="release.ask")
    blocked = rel.blocked(stage, len(people))
    if blocked:
        await tell_blocked(s, row, inc, stage, [p for p in holders if p.id not in ids], drafter, len(people),
                           org=org, now=now)
    return {"approvers": len(people), "waiting": len(await unreachable_among(s, [p.id for p in people])),
            "blocked": int(blocked)}


async def reask_open_stages(s: AsyncSession, *, org: OrgDTO, now: datetime) -> int:
    """After the people or the policy changed (an org import): every version awaiting a decision is sent to
    whoever may now decide and was not asked yet. Returns how many versions were looked at."""
    rows = (await s.scalars(select(ReleaseDraft).where(ReleaseDraft.status == "in_review")
                            .order_by(ReleaseDraft.id))).all()
    for row in rows:
        inc = await s.get(Incident, row.incident_id)
        stage = rel.stage_of(inc.grade, row.stage, org.policy.release)
        if stage is not None:
            await ask_stage(s, row, inc, stage, org=org, now=now)
    return len(rows)

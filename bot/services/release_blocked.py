"""A release stage too few people may decide (separate duties: a reviewer is not an approver of the same
version): the office and the main leader are told at once, with the way out; after an org import, versions
waiting for a decision go to whoever may now decide (bot/services/releases.py asks them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain import release as rel
from bot.i18n import t
from bot.services import outbox
from bot.services.dto import OrgDTO
from bot.services.releases import _lang, _people_with, record
from models import Incident, Person
from models.release import ReleaseDraft


async def tell_blocked(s: AsyncSession, row: ReleaseDraft, inc: Incident, stage: rel.Stage, left_out: list[Person],
                        drafter: Person | None, eligible: int, *, org: OrgDTO, now: datetime) -> None:
    """Nobody (or too few) may approve this stage: said at once, in words, to the office and the main leader,
    with the way out; audited. Once per version and stage."""
    from bot.services.notify import office_chats

    chats = await office_chats(s, org)
    for p in await _people_with(s, ("main_leader",), set()):
        chats.setdefault(p.telegram_id, _lang(p, org))
    told = 0
    for chat, lang in chats.items():
        why = [t("release.blocked.reviewed" if drafter is None or p.id != drafter.id else "release.blocked.drafter",
                 lang, name=p.name) for p in left_out]
        text = t("release.blocked", lang, number=inc.number, version=row.version,
                 stage=t(f"release.stage.{stage.name}", lang), needed=stage.needed, eligible=eligible,
                 roles=t("list.sep", lang).join(t(f"nudge.role.{r}", lang) for r in stage.roles),
                 why=(t("release.blocked.why", lang, who=t("list.sep", lang).join(why)) if why else ""))
        told += await outbox.enqueue(s, chat_id=chat, text=text, now=now,
                                     dedup_key=f"rel:{row.id}:{stage.name}:blocked:{chat}:{eligible}") is not None
    if told:
        await record(s, incident_id=inc.id, kind=K.APPROVAL_BLOCKED, person=None, now=now,
                     payload={"version": row.version, "stage": stage.name, "reason": "no_eligible_approver",
                              "needed": stage.needed, "eligible": eligible, "left_out": [p.name for p in left_out]})


async def reask_open_stages(s: AsyncSession, *, org: OrgDTO, now: datetime) -> int:
    """After the people or the policy changed (an org import): every version awaiting a decision is sent to
    whoever may now decide and was not asked yet. Returns how many versions were looked at."""
    from bot.services.releases import _notify_stage

    rows = (await s.scalars(select(ReleaseDraft).where(ReleaseDraft.status == "in_review")
                            .order_by(ReleaseDraft.id))).all()
    for row in rows:
        inc = await s.get(Incident, row.incident_id)
        stage = rel.stage_of(inc.grade, row.stage, org.policy.release)
        if stage is not None:
            await _notify_stage(s, row, inc, stage, org=org, now=now)
    return len(rows)

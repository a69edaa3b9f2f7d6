"""A release stage too few people may decide (separate duties: a reviewer is not an approver of the same
version): the office and the main leader are told at once, with the way out (bot/services/release_stage.py asks
a stage and calls this)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain import release as rel
from bot.i18n import t
from bot.services import send
from bot.services.addresses import tag
from bot.services.dto import OrgDTO
from bot.services.notify import office_chats
from bot.services.release_base import lang_of, people_with, record
from models import Incident, Person
from models.release import ReleaseDraft


async def tell_blocked(s: AsyncSession, row: ReleaseDraft, inc: Incident, stage: rel.Stage, left_out: list[Person],
                        drafter: Person | None, eligible: int, *, org: OrgDTO, now: datetime) -> None:
    """Nobody (or too few) may approve this stage: said at once, in words, to the office and the main leader,
    with the way out; audited. Once per version and stage."""
    chats = await office_chats(s, org, incident_id=inc.id)
    for p in await people_with(s, ("main_leader",), set()):
        await send.add_recipient(s, chats, p, lang_of(p, org))
    told = 0
    for to, lang in chats.items():
        why = [t("release.blocked.reviewed" if drafter is None or p.id != drafter.id else "release.blocked.drafter",
                 lang, name=p.name) for p in left_out]
        text = t("release.blocked", lang, number=inc.number, version=row.version,
                 stage=t(f"release.stage.{stage.name}", lang), needed=stage.needed, eligible=eligible,
                 roles=t("list.sep", lang).join(t(f"nudge.role.{r}", lang) for r in stage.roles),
                 why=(t("release.blocked.why", lang, who=t("list.sep", lang).join(why)) if why else ""))
        told += await send.to_address(s, to, text=text, now=now,
                                      dedup_key=f"rel:{row.id}:{stage.name}:blocked:{tag(to)}:{eligible}",
                                      notice="release.blocked") is not None
    if told:
        await record(s, incident_id=inc.id, kind=K.APPROVAL_BLOCKED, person=None, now=now,
                     payload={"version": row.version, "stage": stage.name, "reason": "no_eligible_approver",
                              "needed": stage.needed, "eligible": eligible, "left_out": [p.name for p in left_out]})

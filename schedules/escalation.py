"""Due rows of kind "escalation": remind the level asked, go up the chain, or flag no progress."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import audit_kinds as K
from bot.domain.vocab import GRADES
from bot.i18n import t
from bot.render import fmt_duration
from bot.services import audit, room
from bot.services.addresses import tag
from bot.services.escalation import ESCALATION, open_cards_for_roles
from bot.services.org import people_with_roles
from bot.services.reachability import unreachable_among
from bot.services.send import add_recipient, recipients, to_address
from models import Incident, IncidentCard, Person
from schedules.sweeps import DueDTO, SweepContext, register_kind


async def escalation_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    item = items[0]
    s, org, now = ctx.session, ctx.org, ctx.now
    inc = await s.get(Incident, item.incident_id) if item.incident_id else None
    if inc is None or inc.status == "closed":
        return "cancelled"
    action = item.payload.get("action")
    office = await room.office_address(s, inc.id)  # the incident's topic of the office group, when it has one
    if action == "unprogressed":
        if inc.progressed_at is not None:
            return "cancelled"
        targets = {office: org.language} if office is not None else \
            await recipients(s, ((p, org.language) for p in await people_with_roles(s, ("office",))))
        if inc.in_charge_id and (p := await s.get(Person, inc.in_charge_id)):
            await add_recipient(s, targets, p, org.language)
        ago = fmt_duration(now - inc.acknowledged_at, org.language) if inc.acknowledged_at else "-"
        for to in targets:
            if await to_address(s, to, text=t("esc.unprogressed", org.language, number=inc.number, ago=ago),
                                now=now, dedup_key=f"esc:{item.id}:{tag(to)}",
                                notice="escalation.unprogressed"):
                ctx.enqueued += 1
        return None
    if inc.acknowledged_at is not None:
        return "cancelled"
    roles = tuple(item.payload.get("roles") or ())
    step = int(item.payload.get("step", 0))
    if action == "escalate":
        await open_cards_for_roles(s, inc, roles, org=org, now=now, level=f"step{step}")
        inc.escalation_step = max(inc.escalation_step, step)
    await audit.append(s, incident_id=inc.id, kind=K.ESCALATED, now=now,
                       payload={"action": action, "step": step, "roles": list(roles)})
    people = await people_with_roles(s, roles)
    chats = await recipients(s, ((p, p.language or org.language) for p in people))
    # who has a card but cannot be reached counts as not acknowledging: the chain moves on, and says so
    carded = (await s.scalars(select(IncidentCard.person_id).where(IncidentCard.incident_id == inc.id,
                                                                  IncidentCard.person_id.is_not(None)))).all()
    unreached = await unreachable_among(s, list(dict.fromkeys([*carded, *(p.id for p in people)])))
    if action == "escalate" and office is not None:
        chats.setdefault(office, org.language)
    for to, lang in chats.items():
        grade = GRADES.label(inc.grade, lang) if inc.grade else "-"
        level = "、".join(t(f"nudge.role.{r}", lang) for r in roles)
        key = "esc.escalated" if action == "escalate" else "esc.remind"
        text = t(key, lang, number=inc.number, grade=grade, ago=fmt_duration(now - inc.created_at, lang), level=level)
        if unreached:
            text += "\n" + t("reach.escalation_unreached", lang, names=t("list.sep", lang).join(unreached))
        if await to_address(s, to, text=text, now=now, dedup_key=f"esc:{item.id}:{tag(to)}",
                            notice="escalation.step"):
            ctx.enqueued += 1
    return None


register_kind(ESCALATION, escalation_handler)

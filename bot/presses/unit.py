"""Presses on the office's picker of the unit involved (unitV1): a unit, or "none of these". Who may set it, the
incident and the unit are checked in bot/services/incident_unit.py on every press; a refusal is on the timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.unit import UnitAct, unit_of
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services import formal_reply, incident_unit
from bot.services.audit import record_refusal
from bot.services.dto import OrgDTO
from bot.services.notify import Result, listing


def say(prefix: str, r: Result, lang: str) -> str:
    """A units service result in words (the picker's notice, and /unit, /charge, /sign, /replied's answers)."""
    info = {k: listing(v, lang) if isinstance(v, list) else v for k, v in r.info.items()}
    if "role" in info:
        info["role"] = formal_reply.role_label(str(info["role"]), lang)
    if "head" in info:
        info["head"] = info["head"] or t("unit.head_none", lang)
    return t(f"{prefix}.{r.code}" if r.ok else f"{prefix}.err.{r.code}", lang, **info)


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = UnitAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    try:
        unit_id = unit_of(act)
    except ValueError:  # not a unit id nor "none": a tampered action, as one that does not parse
        return stale(press.lang)
    r = await incident_unit.pick(s, incident_id=act.incident, unit_id=unit_id, person=press.actor,
                                 chat_id=press.chat_id, org=org, now=now)
    if not r.ok:
        await record_refusal(s, incident_id=act.incident, user=press.actor_id, name=press.actor_name,
                             action="unit.set", reason="ack.refused" if r.code == "not_allowed" else "ack.unknown",
                             now=now)
    return Outcome(say("unit", r, press.lang), alert=not r.ok, ok=r.ok)

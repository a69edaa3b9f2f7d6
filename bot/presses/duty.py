"""Presses on duty and patrol messages (dutyV1, patV1): check in, confirm a handover, confirm stopping a duty,
offer / take / decide a swap, accept or decline a shift offered at short notice, a patrol done. Every check
happens in bot/services/duty.py, duty_handover.py, duty_swaps.py and duty_offers.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.duty import DutyAct, DutyAction, PatrolAct, PatrolAction
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services import duty as sv
from bot.services import duty_handover as ho
from bot.services import duty_offers as offers
from bot.services import duty_swaps as swaps
from bot.services.dto import OrgDTO

OFFER_ENDED = ("offer.taken", "offer.over", "offer.gone")  # nothing left to answer: the buttons go


def say(r: sv.Result, lang: str) -> str:
    return t(f"duty.{r.code}" if not r.code.startswith("patrol.") else r.code, lang, **r.info)


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    if press.action.startswith(PatrolAct.prefix + ":"):
        return await _patrol(s, press, now=now)
    act = DutyAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    a, i, lang = act.action, act.id, press.lang
    kw = dict(person=press.actor, org=org, now=now)
    if a in (DutyAction.ACCEPT, DutyAction.DECLINE):
        r = await (offers.accept if a == DutyAction.ACCEPT else offers.decline)(s, shift_id=i, **kw)
        return Outcome(t(f"duty.{r.code}", lang, **r.info), alert=not r.ok,
                       clear_buttons=r.ok or r.code in OFFER_ENDED, ok=r.ok)
    if a == DutyAction.CHECKIN:
        r = await sv.check_in(s, shift_id=i, **kw)
    elif a == DutyAction.RECEIPT:
        r = await ho.confirm_handover(s, shift_id=i, **kw)
    elif a == DutyAction.STOP:
        r = await sv.stop_confirmed(s, event_id=i, **kw)
    elif a == DutyAction.OFFER:
        r = await swaps.offer_swap(s, shift_id=i, **kw)
    elif a == DutyAction.TAKE:
        r = await swaps.take_swap(s, offer_id=i, lang=lang, **kw)
    else:
        r = await swaps.decide_swap(s, offer_id=i, approve=a == DutyAction.APPROVE, lang=lang, **kw)
    # an offer's list stays: the person may offer another of their shifts
    return Outcome(say(r, lang), alert=not r.ok, clear_buttons=r.ok and a != DutyAction.OFFER, ok=r.ok)


async def _patrol(s: AsyncSession, press: Press, *, now: datetime) -> Outcome:
    act = PatrolAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    r = await sv.confirm_patrol(s, patrol_id=act.patrol, person=press.actor, now=now)
    if r.ok and act.action == PatrolAction.REPORT:
        r = sv.Result("patrol.report_hint")
    return Outcome(say(r, press.lang), alert=not r.ok, clear_buttons=r.ok, ok=r.ok)

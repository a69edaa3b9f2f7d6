"""Presses on the working group's messages (wgV1): the main leader's Confirm / Edit on the proposal, and each
member's Join / Can't on the first meeting. The checks (who, the group's or meeting's state) and the refusals on
the timeline live in bot/services/working_group.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.working_group import GroupAct, GroupAction
from bot.i18n import t
from bot.presses.types import NOTICE_MAX, Outcome, Press, stale
from bot.services import group_meeting
from bot.services import working_group as sv
from bot.services.dto import OrgDTO
from bot.services.escalation import open_group_cards
from bot.services.notify import Result

ALERTS = ("not_main_leader", "not_member")  # a refusal shown as an alert, not a passing notice


def _refused(r: Result, lang: str) -> Outcome:
    return Outcome(t(f"wg.err.{r.code}", lang, **r.info)[:NOTICE_MAX], alert=r.code in ALERTS, ok=False,
                   clear_buttons=r.code in ("already", "gone", "closed"))


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = GroupAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    who = {"person": press.actor, "actor_id": press.actor_id, "actor_name": press.actor_name, "now": now}
    if act.action == GroupAction.EDIT:
        r = await sv.may_edit(s, group_id=act.ref, **who)
        if not r.ok:
            return _refused(r, press.lang)
        return Outcome("", then="ask_group_edit", info=dict(r.info))
    if act.action == GroupAction.CONFIRM:
        r = await sv.confirm(s, group_id=act.ref, org=org, **who)
        if not r.ok:
            return _refused(r, press.lang)
        at = await group_meeting.propose_first(s, r.info["group"], org=org, now=now)
        await open_group_cards(s, r.info["incident"], org=org, now=now)  # members outside the office group
        return Outcome(t("wg.confirmed", press.lang, **r.info, at=at)[:NOTICE_MAX], clear_buttons=True)
    r = await group_meeting.answer(s, meeting_id=act.ref, join=act.action == GroupAction.JOIN, org=org, **who)
    if r.code == "same":
        return Outcome(t("wg.answer.same", press.lang))
    if not r.ok:
        return _refused(r, press.lang)
    # the buttons stay: a member may change their answer
    return Outcome(t("wg.answered", press.lang, answer=t(f"wg.answered.{r.info['answer']}", press.lang),
                     at=r.info["at"])[:NOTICE_MAX])

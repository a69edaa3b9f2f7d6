"""Presses on declared unavailability (unavV1): delete a window, and the office's answer about a running shift
whose person declared unavailability. Checks live in bot/services/unavailability.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.unavail import UnavailAct, UnavailAction
from bot.i18n import t
from bot.presses.types import NOTICE_MAX, Outcome, Press, stale
from bot.services import unavailability as sv
from bot.services.dto import OrgDTO
from bot.services.duty import Result


def say(r: Result, lang: str) -> str:
    info = dict(r.info)
    if r.code == "unavail.saved":
        text = t("unavail.saved", lang, name=info["name"], when=info["when"],
                 reason=t("unavail.reason", lang, reason=info["reason"]) if info["reason"] else "")
        return text + (t("unavail.merged", lang, n=info["merged"]) if info["merged"] else "")
    if r.code == "unavail.list":
        lines = "\n".join(f"· {w}" + (t("unavail.reason", lang, reason=why) if why else "")
                          for _, w, why in info["items"])
        return t("unavail.list", lang, name=info["name"], lines=lines)
    if r.code == "unavail.deleted":
        return t("unavail.deleted", lang, **info) + "\n" + t("unavail.delete.note", lang)
    info.pop("items", None)
    return t(r.code, lang, **info)


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = UnavailAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    if act.action == UnavailAction.DELETE:
        r = await sv.remove(s, window_id=act.id, person=press.actor, org=org)
    else:
        r = await sv.take_over(s, shift_id=act.id, keep=act.action == UnavailAction.KEEP, person=press.actor,
                               org=org, now=now, lang=press.lang)
    # the list of windows stays: another may be deleted from it
    return Outcome(say(r, press.lang)[:NOTICE_MAX], alert=not r.ok,
                   clear_buttons=r.ok and act.action != UnavailAction.DELETE, ok=r.ok)

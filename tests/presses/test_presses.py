"""The press use-cases without any messenger (bot/presses/): `dispatch.press` on a real database, as the next
channel would call it — the same checks, effects, refusals on the timeline and notices as Telegram's presses."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.actions.incident import ChecklistAct, IncidentAct, IncidentAction
from bot.actions.release import RelAct, RelAction
from bot.channels.types import TELEGRAM, Address, MessageRef
from bot.domain.audit_kinds import REFUSAL
from bot.domain.disposal import checklist_for
from bot.domain.orgfile import parse_org_file
from bot.i18n import t
from bot.presses.dispatch import press
from bot.presses.release import err
from bot.presses.types import Outcome, Press
from bot.services import releases
from bot.services.org import get_person, load_org
from bot.services.org_import import import_org
from bot.services.reports import file_report
from models import AuditLog, Incident, ReleaseDecision
from tests.conftest import EXAMPLE_ORG, T0

TZ = ZoneInfo("Asia/Shanghai")
OFFICE_CHAT = -1001000000001
VALUES = {"discovered": T0, "time": T0, "place": "东门", "unit": "后勤", "process": "p", "result": "r",
          "platform": "weibo", "category": "inquiry"}
NOW = T0 + timedelta(minutes=5)


@pytest.fixture
async def world(sessions):  # noqa: ANN001
    """The example organisation and one incident filed by a monitor (its cards sent to the office …)."""
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    async with sessions() as s, s.begin():
        org = await load_org(s)
        filed = await file_report(s, person=await get_person(s, 1001), values=VALUES, evidence=[],
                                  source="template", now=T0, tz=TZ, org=org)
    return sessions, org, filed.incident_id


async def _press(s, action: str, *, by: int, chat: int, message: int | None = None, lang: str = "zh",  # noqa: ANN001
                 org) -> Outcome | None:  # noqa: ANN001
    person = await get_person(s, by)
    p = Press(action=action, actor=person, actor_ref=f"{TELEGRAM}:{by}", actor_name=person.name if person else "?",
              where=Address(TELEGRAM, str(chat)), ref=MessageRef(TELEGRAM, str(message)) if message else None,
              lang=lang)
    return await press(s, p, org=org, now=NOW)


async def _refusals(s) -> list[AuditLog]:  # noqa: ANN001
    return list(await s.scalars(select(AuditLog).where(AuditLog.kind == REFUSAL).order_by(AuditLog.id)))


async def test_the_office_acknowledges_on_its_card(world) -> None:  # noqa: ANN001
    sessions, org, iid = world
    async with sessions() as s, s.begin():
        out = await _press(s, IncidentAct(IncidentAction.ACK, iid).pack(), by=2001, chat=OFFICE_CHAT, org=org)
        assert out == Outcome(t("ack.done", "zh"))
        inc = await s.get(Incident, iid)
        assert inc.acknowledged_at is not None and inc.acknowledged_by == (await get_person(s, 2001)).id
        again = await _press(s, IncidentAct(IncidentAction.ACK, iid).pack(), by=2001, chat=OFFICE_CHAT, org=org,
                             lang="en")
        assert again.notice == t("ack.already", "en") and not again.alert
        assert await _refusals(s) == []


async def test_a_forged_press_is_refused_and_audited(world) -> None:  # noqa: ANN001
    """A take-charge press from a chat that holds no card of the incident (a forwarded or forged button)."""
    sessions, org, iid = world
    async with sessions() as s, s.begin():
        out = await _press(s, IncidentAct(IncidentAction.TAKE, iid).pack(), by=2001, chat=-100999, org=org)
        assert (out.notice, out.alert, out.ok) == (t("ack.refused", "zh"), True, False)
        assert (await s.get(Incident, iid)).in_charge_id is None
        [row] = await _refusals(s)
        assert (row.incident_id, row.actor_telegram_id, row.payload) == (
            iid, 2001, {"action": "card:take", "reason": "ack.refused"})


async def test_a_checklist_step_is_recorded_and_a_private_checklist_redrawn(world) -> None:  # noqa: ANN001
    sessions, org, iid = world
    async with sessions() as s, s.begin():
        inc = await s.get(Incident, iid)
        step = next(st for st in checklist_for(inc.category, inc.grade, True) if not st.needs_contact)
        action = ChecklistAct(iid, step.code).pack()
        # in the office member's private chat, on a checklist message of its own (no card there)
        out = await _press(s, action, by=2001, chat=2001, message=4242, org=org)
        assert out.notice == t("disposal.done", "zh", contact="-") and out.ok and not out.alert
        ticked = [b.label for row in out.edit.buttons for b in row if b.action == action]
        assert ticked == ["☑ " + step.label("zh")]
        assert inc.number in out.edit.text
        again = await _press(s, action, by=2001, chat=2001, org=org)
        assert again.notice == t("disposal.already", "zh", contact="-") and again.edit is None
        # a monitor may not: refused, alerted, on the incident's timeline
        refused = await _press(s, action, by=1002, chat=1002, org=org)
        assert (refused.notice, refused.alert) == (t("disposal.refused", "zh"), True)
        [row] = await _refusals(s)
        assert row.payload == {"action": f"step:{step.code}", "reason": "disposal.refused"}


async def test_a_release_is_submitted_and_decided(world) -> None:  # noqa: ANN001
    sessions, org, iid = world
    async with sessions() as s, s.begin():
        office = await get_person(s, 2001)
        inc = await s.get(Incident, iid)
        draft = (await releases.create_draft(s, number=inc.number, person=office, text="情况通报", org=org,
                                             now=NOW)).draft
        out = await _press(s, RelAct(RelAction.SUBMIT, draft.id).pack(), by=2001, chat=2001, org=org)
        assert out.notice == "" and out.clear_buttons and inc.number in out.reply.text
        stage = (await releases.submit(s, draft_id=draft.id, person=office, org=org, now=NOW)).info.get("stage")
        assert stage is None  # submitted once only: the second submit is refused
        [first] = releases.rel.pipeline(inc.grade, org.policy.release)  # a general incident: one stage
        # the drafter may not approve their own draft: refused, nothing recorded
        own = await _press(s, RelAct(RelAction.APPROVE, draft.id, first.name).pack(), by=2001, chat=2001, org=org)
        assert not own.ok and own.notice == releases_err("own_draft", org) and not own.clear_buttons
        ok = await _press(s, RelAct(RelAction.APPROVE, draft.id, first.name).pack(), by=3001, chat=3001, org=org)
        assert ok == Outcome(t("release.decided.approved", "zh"), clear_buttons=True)
        decisions = list(await s.scalars(select(ReleaseDecision).where(ReleaseDecision.draft_id == draft.id)))
        assert [(d.stage, d.decision) for d in decisions] == [(first.name, "approve")]
        # Reject is checked before its reason is asked: decided already, no dialog step
        ask = await _press(s, RelAct(RelAction.REJECT, draft.id, first.name).pack(), by=3001, chat=3001, org=org)
        assert (ask.notice, ask.then) == (releases_err("already_decided", org), None)


def releases_err(code: str, org) -> str:  # noqa: ANN001
    return err(releases.Result(False, code), "zh", org)


async def test_an_unknown_action_is_left_to_the_channel_and_a_tampered_known_one_refused(world) -> None:  # noqa: ANN001
    sessions, org, _ = world
    async with sessions() as s, s.begin():
        assert await _press(s, "zzV1:ack:1", by=2001, chat=2001, org=org) is None
        assert await _press(s, "", by=2001, chat=2001, org=org) is None
        stale = await _press(s, "incV1:nope:1", by=2001, chat=OFFICE_CHAT, org=org)
        assert (stale.notice, stale.ok) == (t("press.stale", "zh"), False)
        assert await _refusals(s) == []
        forged = await _press(s, "relV1:bogus:1", by=2001, chat=2001, org=org)
        assert (forged.notice, forged.ok) == (t("release.err.unknown", "zh"), False)
        [row] = await _refusals(s)
        assert row.payload["action"] == "release.callback" and row.payload["reason"] == "unknown"

"""The press use-cases without any messenger (bot/presses/): `dispatch.press` on a real database, as the next
channel would call it — the same checks, effects, refusals on the timeline and notices as Telegram's presses."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

import bot.actions
from bot.actions.assess import KEEP, AssessAct, AssessStep, decision_buttons, effect_buttons, nature_buttons
from bot.actions.codec import Action
from bot.actions.incident import ChecklistAct, IncidentAct, IncidentAction
from bot.actions.release import RelAct, RelAction
from bot.actions.tasks import TaskAct, TaskAction
from bot.actions.unit import NONE, UnitAct
from bot.channels.types import TELEGRAM, Address, Card, MessageRef
from bot.domain.assessment import DECISIONS
from bot.domain.audit_kinds import ASSESSMENT_REFUSED, REFUSAL, TASK_ACCEPTED, TASK_HELP
from bot.domain.disposal import checklist_for
from bot.domain.orgfile import parse_org_file
from bot.domain.vocab import CATEGORIES
from bot.i18n import t
from bot.presses.dispatch import FAMILIES, press
from bot.presses.release import err
from bot.presses.types import Outcome, Press
from bot.services import assessment, releases, tasks
from bot.services.org import get_person, load_org
from bot.services.org_import import import_org
from bot.services.reports import file_report
from bot.services.units import all_units
from models import Assessment, AuditLog, Incident, ReleaseDecision, Task
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


async def _kinds(s, kind: str) -> list[AuditLog]:  # noqa: ANN001
    return list(await s.scalars(select(AuditLog).where(AuditLog.kind == kind).order_by(AuditLog.id)))


async def test_the_unit_picker_sets_the_unit_and_refuses_a_monitor(world) -> None:  # noqa: ANN001
    sessions, org, iid = world
    async with sessions() as s, s.begin():
        unit = next(u for u in await all_units(s) if u.name == "学生工作部")
        inc = await s.get(Incident, iid)
        # a monitor in their private chat may not set it: refused, alerted, on the incident's timeline
        refused = await _press(s, UnitAct(iid, str(unit.id)).pack(), by=1002, chat=1002, org=org)
        assert (refused.notice, refused.alert, refused.ok) == (t("unit.err.not_allowed", "zh"), True, False)
        assert inc.unit_id != unit.id
        [row] = await _refusals(s)
        assert (row.incident_id, row.actor_telegram_id, row.payload) == (
            iid, 1002, {"action": "unit.set", "reason": "ack.refused"})
        # the office in its group picks it: set, a passing notice
        out = await _press(s, UnitAct(iid, str(unit.id)).pack(), by=2001, chat=OFFICE_CHAT, org=org)
        assert out == Outcome(t("unit.picked", "zh", number=inc.number, unit="学生工作部"))
        assert inc.unit_id == unit.id
        again = await _press(s, UnitAct(iid, str(unit.id)).pack(), by=2001, chat=OFFICE_CHAT, org=org, lang="en")
        assert (again.notice, again.alert) == (t("unit.already", "en", number=inc.number, unit="学生工作部"), False)
        # a unit no longer on the roll: refused as unknown; "none of these" is recorded
        gone = await _press(s, UnitAct(iid, "999999").pack(), by=2001, chat=OFFICE_CHAT, org=org)
        assert (gone.notice, gone.alert, gone.ok) == (t("unit.err.gone", "zh"), True, False)
        none = await _press(s, UnitAct(iid, NONE).pack(), by=2001, chat=OFFICE_CHAT, org=org)
        assert none == Outcome(t("unit.picked_none", "zh", number=inc.number, unit=""))
        assert inc.unit_id is None
        # a unit field that is neither an id nor "none" does not parse: stale, nothing written
        assert (await _press(s, f"unitV1:{iid}:abc", by=2001, chat=OFFICE_CHAT, org=org)).notice == t(
            "press.stale", "zh")
        assert [r.payload["reason"] for r in await _refusals(s)] == ["ack.refused", "ack.unknown"]


async def test_a_task_is_accepted_helped_and_its_note_asked_by_its_owner_only(world) -> None:  # noqa: ANN001
    sessions, org, iid = world
    async with sessions() as s, s.begin():
        unit = next(u for u in await all_units(s) if u.name == "后勤管理处")
        inc = await s.get(Incident, iid)
        given = await tasks.assign(s, number=inc.number, target=tasks.Target("unit", unit.id), what="核实进货记录",
                                   due=None, person=await get_person(s, 2001), org=org, now=NOW)
        assert given.ok, given
        task = await s.get(Task, given.info["id"])
        # someone else's press (a forwarded button): refused, alerted, the task untouched
        other = await _press(s, TaskAct(TaskAction.ACCEPT, task.id).pack(), by=1001, chat=1001, org=org)
        assert (other.notice, other.alert, other.ok) == (t("task.err.not_owner", "zh"), True, False)
        assert task.status == "open" and await _kinds(s, TASK_ACCEPTED) == []
        ok = await _press(s, TaskAct(TaskAction.ACCEPT, task.id).pack(), by=4001, chat=4001, org=org)
        assert ok == Outcome(t("task.accepted", "zh", id=task.id, number=inc.number))
        assert task.status == "accepted" and len(await _kinds(s, TASK_ACCEPTED)) == 1
        helped = await _press(s, TaskAct(TaskAction.HELP, task.id).pack(), by=4001, chat=4001, org=org, lang="en")
        assert (helped.notice, helped.alert, helped.ok) == (t("task.help", "en", id=task.id, number=inc.number),
                                                            True, True)
        assert task.status == "help" and len(await _kinds(s, TASK_HELP)) == 1
        # Done is checked, then the note is the channel's next question: nothing is recorded yet
        done = await _press(s, TaskAct(TaskAction.DONE, task.id).pack(), by=4001, chat=4001, org=org)
        assert done == Outcome("", then="ask_note", info={"task": task.id, "number": inc.number})
        assert task.status == "help"
        refused = await _press(s, TaskAct(TaskAction.DONE, task.id).pack(), by=2001, chat=2001, org=org)
        assert (refused.notice, refused.then, refused.ok) == (t("task.err.not_owner", "zh"), None, False)
        # the assigner's pick answers the channel's own dialog, which holds the candidates
        pick = await _press(s, TaskAct(TaskAction.PICK_PERSON, 7).pack(), by=2001, chat=2001, org=org)
        assert pick == Outcome("", then="pick", info={"kind": "person", "ref": 7})
        assert await _refusals(s) == []


async def test_the_assessment_flow_asks_step_by_step_and_refuses_a_monitor(world) -> None:  # noqa: ANN001
    sessions, org, iid = world
    async with sessions() as s, s.begin():
        inc = await s.get(Incident, iid)
        version = await assessment.version_of(s, iid)
        nature = CATEGORIES.label(inc.category, "zh")
        # a monitor may not assess: refused, alerted, the refusal on the timeline
        refused = await _press(s, AssessAct(iid, AssessStep.START).pack(), by=1001, chat=1001, org=org)
        assert (refused.notice, refused.alert, refused.ok) == (t("assess.not_allowed", "zh", number=inc.number),
                                                               True, False)
        assert refused.reply is None and refused.edit is None
        [row] = await _kinds(s, ASSESSMENT_REFUSED)
        assert (row.incident_id, row.actor_telegram_id, row.payload["why"]) == (iid, 1001, "not_allowed")
        # the leader: the flow opens in a message of its own under the card
        start = await _press(s, AssessAct(iid, AssessStep.START).pack(), by=3001, chat=3001, org=org)
        assert start == Outcome("", reply=Card(t("assess.ask.category", "zh", number=inc.number, category=nature),
                                               nature_buttons(iid, version, "zh")))
        base = str(version)
        cat = await _press(s, AssessAct(iid, AssessStep.NATURE, base, "hype").pack(), by=3001, chat=3001, org=org)
        hype = CATEGORIES.label("hype", "zh")
        assert cat == Outcome("", edit=Card(t("assess.ask.effect", "zh", number=inc.number, category=hype),
                                            effect_buttons(iid, base, "hype", "zh")))
        effect = await _press(s, AssessAct(iid, AssessStep.EFFECT, base, KEEP, "1").pack(), by=3001, chat=3001,
                              org=org)
        large = t("assess.effect.large", "zh")
        assert effect.edit == Card(t("assess.ask.decision", "zh", number=inc.number, category=nature, effect=large),
                                   decision_buttons(iid, base, KEEP, "1", "zh"))
        slug = DECISIONS.slugs[0]
        decided = await _press(s, AssessAct(iid, AssessStep.DECISION, base, "hype", "0", slug).pack(), by=3001,
                               chat=3001, org=org)
        assert decided.then == "ask_reason" and decided.edit.buttons == []
        assert decided.edit.text == t("assess.ask.reason", "zh", number=inc.number, category=hype,
                                      effect=t("assess.effect.none", "zh"), decision=DECISIONS.label(slug, "zh"))
        assert decided.info == {"number": inc.number, "incident": iid, "base": base, "cat": "hype", "large": "0",
                                "decision": slug}
        cancel = await _press(s, AssessAct(iid, AssessStep.CANCEL).pack(), by=3001, chat=3001, org=org)
        assert cancel == Outcome("", edit=Card(t("assess.cancelled", "zh")), then="cancel")
        # nothing is assessed until the reason is typed; no further refusal
        assert list(await s.scalars(select(Assessment))) == []
        assert len(await _kinds(s, ASSESSMENT_REFUSED)) == 1 and inc.category != "hype"


def test_every_action_kind_has_a_family() -> None:
    """A button of any neutral action kind is a press the next channel can hand to `dispatch.press`."""
    for mod in pkgutil.iter_modules(bot.actions.__path__):
        importlib.import_module(f"bot.actions.{mod.name}")
    kinds = {k.prefix for k in Action.__subclasses__()}
    assert {"unitV1", "tskV1", "asV1"} <= kinds
    assert kinds - set(FAMILIES) == set()

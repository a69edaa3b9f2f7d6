"""The registry of what the core sends on its own (bot/channels/notices.py): every call that queues such a
message names a registered kind, every kind is sent somewhere, and each kind reaches a person whose only
account is on a test channel (tests/delivery/recording_channel.py) — buttons, typed answers and edits
included. A real incident's cards reach a leader who is only on that channel, and follow its state there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.actions.codec import pack
from bot.actions.incident import IncidentAct, IncidentAction
from bot.channels.notices import NOTICES
from bot.channels.types import Address, Button, InputRequest
from bot.delivery import OutboxSender
from bot.domain.identity import UNKNOWN
from bot.presses.dispatch import press
from bot.presses.types import Press
from bot.services import outbox, send
from bot.services.escalation import acknowledge, notify_incident, set_grade
from bot.services.org import get_person, load_org, people_with_roles
from models import Incident, IncidentCard, OutboxMessage, Person, PersonIdentity
from tests.conftest import T0
from tests.delivery.conftest import OFFICE_CHAT, make_incident, person_id
from tests.delivery.recording_channel import TEST, RecordingChannel

ROOT = Path(__file__).resolve().parents[2]
SENDERS = {"tell", "to_person", "to_address", "enqueue"}
# the wrappers that pass their caller's kind on (`notice=notice`)
FORWARDERS = {("bot/services/send.py", "to_address"), ("bot/services/send.py", "to_person"),
              ("bot/services/outbox.py", "enqueue"), ("bot/services/notify.py", "tell"),
              ("schedules/duty.py", "_send")}


def _calls() -> list[tuple[str, int, str, ast.expr | None]]:
    """(file, line, enclosing function, the notice= expression) of every call that queues a message below the
    handlers, and in the handlers that call the services' senders."""
    out = []
    for root in ("bot/services", "bot/delivery", "schedules", "handlers"):
        for path in sorted((ROOT / root).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(fn):
                    if not isinstance(node, ast.Call):
                        continue
                    f = node.func
                    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                    if name in SENDERS or (name == "_send" and rel.startswith("schedules/")):
                        kw = next((k.value for k in node.keywords if k.arg == "notice"), None)
                        out.append((rel, node.lineno, fn.name, kw))
    return out


def test_every_message_the_core_queues_names_a_registered_kind() -> None:
    calls = _calls()
    assert len(calls) > 60  # the scan sees the call sites (about 75 today)
    wrong = []
    for rel, line, fn, kw in calls:
        if (rel, fn) in FORWARDERS and isinstance(kw, ast.Name) and kw.id == "notice":
            continue
        if not (isinstance(kw, ast.Constant) and kw.value in NOTICES):
            wrong.append(f"{rel}:{line} ({fn}): notice={ast.unparse(kw) if kw is not None else 'missing'}")
    assert wrong == []


def test_every_registered_kind_is_sent_somewhere() -> None:
    used = {kw.value for *_, kw in _calls() if isinstance(kw, ast.Constant)}
    assert sorted(set(NOTICES) - used) == []


async def test_an_unregistered_kind_is_refused(org) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        with pytest.raises(ValueError, match="notices.py"):
            await outbox.enqueue(s, to=Address(TEST, "1"), text="x", now=T0, notice="no.such.kind")


async def _test_only_person(s, name: str, external: str, roles: list[str] | None = None) -> Person:  # noqa: ANN001
    """A person with no Telegram account at all: their one identity is on the test channel."""
    p = Person(telegram_id=None, name=name, roles=roles or ["leading_group"], language="zh", preferred_channel=TEST)
    s.add(p)
    await s.flush()
    s.add(PersonIdentity(person_id=p.id, channel=TEST, external_id=external, reachable=UNKNOWN, since=T0))
    await s.flush()
    return p


def _sender(channels: dict[str, RecordingChannel], sessions, clock) -> OutboxSender:  # noqa: ANN001
    return OutboxSender(channels, sessions, clock, instance="test", backoff_base=2.0)


@pytest.mark.parametrize("kind", sorted(n.name for n in NOTICES.values() if n.only is None))
async def test_each_kind_reaches_a_person_only_on_the_test_channel(kind: str, org, clock) -> None:  # noqa: ANN001
    shape = NOTICES[kind]
    buttons = [[Button("确认", pack("incV1", ("action", "ack"), ("incident", 1)))]] if shape.buttons else None
    ask = InputRequest("请输入") if shape.input else None
    async with org() as s, s.begin():
        p = await _test_only_person(s, "测试乙", "7100001")
        rid = await send.to_person(s, p, text=f"「{kind}」", buttons=buttons, input=ask, now=T0,
                                   dedup_key=f"t:{kind}", notice=kind)
        assert rid is not None
    ch = RecordingChannel()
    assert await _sender({TEST: ch}, org, clock).run_once() == 1
    [sent] = ch.sent
    assert sent.address == Address(TEST, "7100001") and sent.card.text == f"「{kind}」"
    assert sent.card.buttons == (buttons or []) and sent.card.input == ask
    if shape.edit:  # a card's latest state replaces the message sent, on the same channel
        async with org() as s, s.begin():
            await outbox.enqueue(s, to=Address(TEST, "7100001"), text=f"「{kind}」v2", buttons=buttons, now=T0,
                                 method="editMessageText", payload={"message_id": int(sent.ref.ref)}, notice=kind)
        assert await _sender({TEST: ch}, org, clock).run_once() == 1
        [(address, ref, card)] = ch.edited
        assert (address, ref, card.text) == (Address(TEST, "7100001"), sent.ref, f"「{kind}」v2")


async def test_a_leader_only_on_the_test_channel_gets_the_incident_card_and_its_updates(org, clock) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        # the main leader has only a test-channel account; everybody else stays on Telegram
        main = await s.get(Person, await person_id(s, 3002))
        main.telegram_id, main.preferred_channel = None, TEST
        await s.execute(update(PersonIdentity).where(PersonIdentity.person_id == main.id)
                        .values(channel=TEST, external_id="7100002"))
        inc = await make_incident(s, now=T0, grade="major")
        await notify_incident(s, inc, org=await load_org(s), now=T0)
        incident_id = inc.id
    test, telegram = RecordingChannel(), RecordingChannel(name="telegram")
    await _sender({TEST: test, "telegram": telegram}, org, clock).run_once()
    mine = [x for x in test.sent if x.address == Address(TEST, "7100002")]
    [card] = [x for x in mine if x.card.buttons[0][0].action.startswith("incV1:")]
    assert "YQ-2026-0001" in card.card.text and card.card.buttons  # the card, with its buttons
    # a major incident: the working group is proposed to the main leader too, on the same channel
    [proposal] = [x for x in mine if x.card.buttons[0][0].action.startswith("wgV1:")]
    assert "专门工作组" in proposal.card.text
    assert any(x.address.conv == str(OFFICE_CHAT) for x in telegram.sent)  # the office's, on Telegram

    async with org() as s, s.begin():  # the office acknowledges in its group: every card follows
        await acknowledge(s, incident_id=incident_id, action="ack", person=await get_person(s, 2001),
                          where=Address("telegram", str(OFFICE_CHAT)), org=await load_org(s), now=T0)
        rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.channel == TEST))).all()
        assert {r.method for r in rows} == {"sendMessage", "editMessageText"}
        assert await s.scalar(select(IncidentCard.id).where(IncidentCard.incident_id == incident_id,
                                                            IncidentCard.person_id == main.id))
    await _sender({TEST: test, "telegram": telegram}, org, clock).run_once()
    edits = [card for address, ref, card in test.edited if address == Address(TEST, "7100002")]
    assert len(edits) == 1 and edits[0].text != card.card.text


FEISHU_LIKE = "ou_7100003"  # a conversation id that is not a number, as Feishu's open ids are


async def test_a_card_is_keyed_by_a_conversation_id_that_is_not_a_number(org, clock) -> None:  # noqa: ANN001
    """incident_cards holds the card by (channel, conv): the leader gets it, presses on it where it is, and
    sees it follow the incident there (the receipt, then a new grade)."""
    at = Address(TEST, FEISHU_LIKE)
    async with org() as s, s.begin():
        main = await s.get(Person, await person_id(s, 3002))
        main.telegram_id, main.preferred_channel = None, TEST
        await s.execute(update(PersonIdentity).where(PersonIdentity.person_id == main.id)
                        .values(channel=TEST, external_id=FEISHU_LIKE))
        inc = await make_incident(s, now=T0, grade="major")
        await notify_incident(s, inc, org=await load_org(s), now=T0)
        incident_id, leader_id, roles = inc.id, main.id, tuple(main.roles)
    test, telegram = RecordingChannel(), RecordingChannel(name="telegram")
    await _sender({TEST: test, "telegram": telegram}, org, clock).run_once()
    # the card, not the working group's proposal a major incident also brings the main leader
    [card] = [x for x in test.sent if x.address == at and x.card.buttons
              and x.card.buttons[0][0].action.startswith("incV1:")]
    assert "YQ-2026-0001" in card.card.text
    [ack] = [b.action for row in card.card.buttons for b in row
             if (a := IncidentAct.parse(b.action)) is not None and a.action == IncidentAction.ACK]
    async with org() as s, s.begin():
        row = await s.scalar(select(IncidentCard).where(IncidentCard.incident_id == incident_id,
                                                        IncidentCard.person_id == leader_id))
        assert (row.channel, row.conv, row.chat_id) == (TEST, FEISHU_LIKE, None)  # no Telegram number to it
        leader = next(p for p in await people_with_roles(s, roles) if p.id == leader_id)

        def pressed(where: Address) -> Press:
            return Press(action=ack, actor=leader, actor_ref=f"{TEST}:{FEISHU_LIKE}", actor_name=leader.name,
                         where=where, ref=card.ref, lang="zh")

        # the same button from a conversation that holds no card of the incident: refused
        elsewhere = await press(s, pressed(Address(TEST, "ou_7100004")), org=await load_org(s), now=T0)
        assert elsewhere is not None and not elsewhere.ok
        done = await press(s, pressed(at), org=await load_org(s), now=T0)  # on the card itself
        assert done is not None and done.ok
        inc = await s.get(Incident, incident_id)
        assert inc.acknowledged_by == leader_id and row.acked_at is not None
    await _sender({TEST: test, "telegram": telegram}, org, clock).run_once()
    acked = [c for address, ref, c in test.edited if address == at and ref == card.ref]
    assert len(acked) == 1 and acked[0].text != card.card.text
    assert not [b for r in acked[0].buttons for b in r if b.action == ack]  # received: its button is gone

    async with org() as s, s.begin():  # the office raises the grade: the card follows again, in place
        await set_grade(s, number="YQ-2026-0001", grade="especially_major", reason="转载激增",
                        person=await get_person(s, 2001), org=await load_org(s), now=T0)
    await _sender({TEST: test, "telegram": telegram}, org, clock).run_once()
    edits = [c for address, ref, c in test.edited if address == at and ref == card.ref]
    assert len(edits) == 2 and "特别重大" in edits[1].text and "特别重大" not in acked[0].text
    cards = [x for x in test.sent if x.address == at and x.card.buttons
             and any(b.action.startswith("incV1:") for r in x.card.buttons for b in r)]
    assert cards == [card]  # never a second card in that conversation

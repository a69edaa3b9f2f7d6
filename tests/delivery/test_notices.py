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
from bot.channels.notices import NOTICES
from bot.channels.types import Address, Button, InputRequest
from bot.delivery import OutboxSender
from bot.domain.identity import UNKNOWN
from bot.services import outbox, send
from bot.services.escalation import acknowledge, notify_incident
from bot.services.org import get_person, load_org
from models import IncidentCard, OutboxMessage, Person, PersonIdentity
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
                          chat_id=OFFICE_CHAT, org=await load_org(s), now=T0)
        rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.channel == TEST))).all()
        assert {r.method for r in rows} == {"sendMessage", "editMessageText"}
        assert await s.scalar(select(IncidentCard.id).where(IncidentCard.incident_id == incident_id,
                                                            IncidentCard.person_id == main.id))
    await _sender({TEST: test, "telegram": telegram}, org, clock).run_once()
    edits = [card for address, ref, card in test.edited if address == Address(TEST, "7100002")]
    assert len(edits) == 1 and edits[0].text != card.card.text

"""A handler of the unit involved whose only identity is on another channel (the channel port's test adapter) gets
the incident card there, and acknowledges from it (issue 22, item 1)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.channels.types import Address
from bot.delivery import OutboxSender
from bot.domain.identity import UNKNOWN
from bot.i18n import t
from bot.services.dto import PersonDTO
from bot.services.escalation import acknowledge
from bot.services.org import get_person, load_org
from bot.services.reports import file_report
from models import Incident, OutboxMessage, Person, PersonIdentity, Unit
from tests.conftest import T0
from tests.delivery.recording_channel import TEST, RecordingChannel

TZ = ZoneInfo("Asia/Shanghai")
CONV = "7000301"
VALUES = {"discovered": T0, "time": T0, "place": "东门", "unit": "后勤管理处", "process": "p", "result": "r",
          "platform": "weibo", "reposts": 150}


async def test_a_handler_only_on_the_test_channel_gets_the_card_and_acknowledges(org, clock) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        unit = await s.scalar(select(Unit).where(Unit.name == "后勤管理处"))
        p = Person(telegram_id=None, name="测试承办人", roles=["handler"], unit_id=unit.id, language="zh",
                   preferred_channel=TEST)
        s.add(p)
        await s.flush()
        s.add(PersonIdentity(person_id=p.id, channel=TEST, external_id=CONV, reachable=UNKNOWN, since=T0))
        handler = PersonDTO(id=p.id, telegram_id=None, name=p.name, roles=("handler",), unit=unit.name,  # type: ignore[arg-type]
                            language="zh")
    async with org() as s, s.begin():
        filed = await file_report(s, person=await get_person(s, 1001), values=VALUES, evidence=[], source="template",
                                  now=T0, tz=TZ, org=await load_org(s))
        rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.channel == TEST))).all()
        assert [(r.chat_id, filed.number in r.payload["text"]) for r in rows] == [(int(CONV), True)]
    ch = RecordingChannel()
    sender = OutboxSender({TEST: ch}, org, clock, instance="test", backoff_base=2.0)
    await sender.run_once()  # (this sender hands every row to the test channel: only CONV's is the handler's)
    [sent] = [x for x in ch.sent if x.address.conv == CONV]
    assert sent.address == Address(TEST, CONV) and "责任单位：后勤管理处" in sent.card.text
    assert [b.label for row in sent.card.buttons for b in row] == [t("card.btn.ack", "zh")]

    async with org() as s, s.begin():
        result = await acknowledge(s, incident_id=filed.incident_id, action="ack", person=handler, where=Address(TEST, CONV),
                                   org=await load_org(s), now=T0)
        assert result.code == "ack.unit_done"
        assert (await s.get(Incident, filed.incident_id)).acknowledged_at is None  # leaders still must
        again = await acknowledge(s, incident_id=filed.incident_id, action="ack", person=handler, where=Address(TEST, CONV),
                                  org=await load_org(s), now=T0)
        assert again.code == "ack.already"
        taken = await acknowledge(s, incident_id=filed.incident_id, action="take", person=handler, where=Address(TEST, CONV),
                                  org=await load_org(s), now=T0)
        assert taken.code == "ack.unit_take_off"  # policy default: the office or a leader puts them in charge
    await sender.run_once()  # the card edited in place: the receipt button gone
    [(address, ref, card)] = [e for e in ch.edited if e[0].conv == CONV]
    assert address == Address(TEST, CONV) and ref == sent.ref and not card.buttons

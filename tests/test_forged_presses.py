"""Presses are bound to their card (issue #18, item 4): callback data edited to another incident's id, or an
action the card never offered, is refused, answered and audited, and changes nothing — through the real
dispatcher against the fake Bot API, on SQLite and PostgreSQL. A forged press is built the way a tampered
client sends it: the message as Telegram stores it (``api.message``), the data chosen by the attacker."""

from __future__ import annotations

from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.fakeapi import FakeBotAPI
from bot.fakeapi.updates import callback_update, chat_dict
from bot.telegram.callbacks import IncidentAction, IncidentCB
from models import AuditLog, Incident
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

OFFICE_CHAT, UPPER_CHAT = -1001000000001, -1001000000002
MAIN_LEADER, OFFICE_MEMBER, MONITOR = 3002, 2001, 1001


async def _file(api: FakeBotAPI, running: BotProcess, template: str) -> str:
    chat = Chat(api, MONITOR)
    await chat.send("/report\n" + template)
    replies = await chat.press("确认")
    await running.tick()
    return next(r for r in replies if "YQ-" in r)


def _card(api: FakeBotAPI, chat: int, number: str) -> dict:
    msg = next(m for m in api.chat_messages(chat) if number in (m.get("text") or "") and m.get("reply_markup"))
    return api.message(chat, msg["message_id"])  # as Telegram stores it now, keyboard included


async def _push(api: FakeBotAPI, user: int, message: dict, data: str) -> list[str]:
    """The toasts answered to one press, and what the bot said in the presser's chat."""
    seen = len(api.calls)
    update = callback_update(user, message, data)
    await api.wait_confirmed(api.push_update(update), timeout=20)
    qid = update["callback_query"]["id"]
    return [c.params.get("text") or "" for c in api.calls[seen:]
            if c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == qid]


async def _incidents(running: BotProcess) -> dict[str, Incident]:
    async with running.sessions() as s:
        return {i.number: i for i in (await s.scalars(select(Incident))).all()}


async def _refusals(running: BotProcess, actor: int) -> list[AuditLog]:
    async with running.sessions() as s:
        return list((await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal",
                                                            AuditLog.actor_telegram_id == actor)
                                     .order_by(AuditLog.id))).all())


async def _two_incidents(running: BotProcess, api: FakeBotAPI) -> tuple[Incident, Incident]:
    await _file(api, running, TEMPLATE)
    await _file(api, running, TEMPLATE.replace("学校东门", "图书馆").replace("abc", "xyz"))
    incs = await _incidents(running)
    return incs["YQ-2026-0001"], incs["YQ-2026-0002"]


async def test_a_press_on_one_card_edited_to_another_incident_is_refused(running: BotProcess, api) -> None:  # noqa: ANN001
    a, b = await _two_incidents(running, api)
    card_b = _card(api, MAIN_LEADER, b.number)
    forged = IncidentCB(action=IncidentAction.ACK, incident=a.id).pack()
    assert forged not in str(card_b["reply_markup"])
    toasts = await _push(api, MAIN_LEADER, card_b, forged)
    assert toasts == ["该按钮不属于这张卡片（已过期或无效），未作任何更改。"], toasts
    incs = await _incidents(running)
    assert incs[a.number].acknowledged_at is None and incs[b.number].acknowledged_at is None
    [refusal] = await _refusals(running, MAIN_LEADER)
    assert refusal.incident_id == a.id  # on the timeline of the incident the press aimed at
    assert refusal.payload == {"action": "press:incV1:ack", "reason": "not_on_card"}
    # the same leader's real button on the same card still works: the guard only refuses what the card lacks
    assert any("已确认" in t for t in await _push(api, MAIN_LEADER, card_b,
                                                card_b["reply_markup"]["inline_keyboard"][0][0]["callback_data"]))
    incs = await _incidents(running)
    assert incs[b.number].acknowledged_at is not None and incs[a.number].acknowledged_at is None


async def test_take_charge_forged_on_the_upper_office_receipt_card_is_refused(running: BotProcess, api) -> None:  # noqa: ANN001
    a, _ = await _two_incidents(running, api)
    card = _card(api, UPPER_CHAT, a.number)
    offered = [b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert offered == [IncidentCB(action=IncidentAction.UPPER, incident=a.id).pack()]  # a receipt button only
    forged = IncidentCB(action=IncidentAction.TAKE, incident=a.id).pack()
    toasts = await _push(api, OFFICE_MEMBER, card, forged)
    assert toasts and "不属于这张卡片" in toasts[0], toasts
    inc = (await _incidents(running))[a.number]
    assert inc.in_charge_id is None and inc.acknowledged_at is None
    [refusal] = await _refusals(running, OFFICE_MEMBER)
    assert refusal.incident_id == a.id and refusal.payload["reason"] == "not_on_card"
    assert refusal.payload["action"] == "press:incV1:take"


async def test_a_press_on_a_message_telegram_no_longer_shows_is_checked_against_the_outbox(
        running: BotProcess, api) -> None:  # noqa: ANN001
    """InaccessibleMessage (no text, no keyboard): the keyboard we last sent onto that message decides."""
    a, b = await _two_incidents(running, api)
    card_a = _card(api, MAIN_LEADER, a.number)
    gone = {"chat": chat_dict(MAIN_LEADER), "message_id": card_a["message_id"], "date": 0}
    forged = IncidentCB(action=IncidentAction.ACK, incident=b.id).pack()
    toasts = await _push(api, MAIN_LEADER, gone, forged)
    assert toasts == ["该按钮已失效"], toasts
    unknown = {"chat": chat_dict(MAIN_LEADER), "message_id": 999_999, "date": 0}
    genuine = card_a["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert await _push(api, MAIN_LEADER, unknown, genuine) == ["该按钮已失效"]  # a message we never sent
    incs = await _incidents(running)
    assert incs[a.number].acknowledged_at is None and incs[b.number].acknowledged_at is None
    assert [r.payload["reason"] for r in await _refusals(running, MAIN_LEADER)] == ["stale", "stale"]
    toasts = await _push(api, MAIN_LEADER, gone, genuine)  # the card's own button, from the outbox
    assert any("已确认" in t for t in toasts), toasts
    assert (await _incidents(running))[a.number].acknowledged_at is not None


async def test_a_press_from_an_english_client_is_refused_in_english(running: BotProcess, api) -> None:  # noqa: ANN001
    a, b = await _two_incidents(running, api)
    card_b = _card(api, MAIN_LEADER, b.number)
    seen = len(api.calls)
    update = callback_update(6001, card_b, IncidentCB(action=IncidentAction.TAKE, incident=a.id).pack(),
                             language_code="en")
    await api.wait_confirmed(api.push_update(update), timeout=20)
    toasts = [c.params.get("text") for c in api.calls[seen:] if c.method == "answerCallbackQuery"]
    assert toasts == ["This button does not belong to this card (out of date or invalid); nothing was changed."]
    assert [r.payload["reason"] for r in await _refusals(running, 6001)] == ["not_on_card"]

"""A card never goes back in time: edits of one card held by a 429 — and by a SIGKILL of `onduty run` while
they wait — end with the recipient's message in its latest state; an older state is never sent after a newer
one, a superseded edit is never sent, and an edit identical to what the recipient sees is not sent at all."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.channels.types import Button
from bot.demo.harness import BotProcess
from bot.services import card_state
from models import IncidentCard, OutboxMessage
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import live_org
from tests.process import BotSubprocess, cli, wait_reply, wait_until

LEADER, MONITOR = 3001, 1002  # a general incident's card goes to the supervising leader


def test_hash_and_keys() -> None:
    assert card_state.parse_edit_key(card_state.edit_key(12, 3)) == (12, 3)
    assert card_state.parse_edit_key("card:1:2") is None and card_state.parse_edit_key(None) is None
    assert card_state.parse_edit_key("cardv:x:1") is None
    a = card_state.content_hash("卡片", [[Button("收到", "incV1:ack:1")]])
    assert a == card_state.payload_hash({"text": "卡片", "buttons": [[{"label": "收到", "action": "incV1:ack:1"}]],
                                         "message_id": 9})
    # a card queued before migration 0016 (Telegram's markup) hashes as the same card now: no needless edit
    assert a == card_state.payload_hash({"text": "卡片", "message_id": 9, "reply_markup": {
        "inline_keyboard": [[{"text": "收到", "callback_data": "incV1:ack:1"}]]}})
    assert a != card_state.content_hash("卡片", [[Button("收到", "incV1:ack:2")]])
    assert a != card_state.content_hash("卡片", None) != card_state.content_hash("卡片 ", None)
    assert card_state.content_hash("卡片", []) == card_state.content_hash("卡片", None)  # no buttons either way
    assert card_state.payload_hash({"text": "卡片"}) == card_state.content_hash("卡片", None)


def _card(api, user: int) -> dict:  # noqa: ANN001
    return next(m for m in api.chat_messages(user) if "舆情事件" in m.get("text", "") and m.get("reply_markup"))


def _edits(api, user: int, message_id: int) -> list:  # noqa: ANN001
    return [c for c in api.calls if c.method == "editMessageText" and c.chat_id == user
            and str(c.params.get("message_id")) == str(message_id)]


async def test_edits_held_by_a_429_end_in_the_latest_state(running: BotProcess, api) -> None:  # noqa: ANN001
    monitor = Chat(api, MONITOR)
    await monitor.send("/report\n" + TEMPLATE.replace("转发：150", "转发：10"))
    await monitor.press("确认")
    await running.tick()
    card = _card(api, LEADER)
    api.inject("editMessageText", "429", times=1, retry_after=5, chat_id=LEADER)
    leader = Chat(api, LEADER)
    await leader.press("收到", message=card)
    await running.tick()  # the acknowledgement's edit meets the 429: held 5 s
    await leader.press("我来负责", message=_card(api, LEADER))
    await running.tick()
    running.clock.advance(timedelta(seconds=6))
    await running.tick()
    final = api.message(LEADER, card["message_id"])
    assert "负责人：陈副校长" in final["text"] and "确认收到" in final["text"], final["text"]
    taken = [c for c in _edits(api, LEADER, card["message_id"]) if c.ok]
    assert len(taken) == 1 and "负责人" in taken[0].params["text"], [c.params["text"] for c in taken]
    assert not [c for c in api.calls if "not modified" in (c.description or "")]
    async with running.sessions() as s:
        rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key.like("cardv:%"),
                                                            OutboxMessage.chat_id == LEADER))).all()
        row = await s.scalar(select(IncidentCard).where(IncidentCard.chat_id == LEADER))
    assert sorted(r.status for r in rows) == ["sent", "superseded"], [(r.status, r.last_error) for r in rows]
    assert row.sent_version == row.version == 2


async def test_the_same_state_again_is_not_sent(running: BotProcess, api) -> None:  # noqa: ANN001
    monitor = Chat(api, MONITOR)
    await monitor.send("/report\n" + TEMPLATE.replace("转发：150", "转发：10"))
    await monitor.press("确认")
    await running.tick()
    await Chat(api, LEADER).press("收到", message=_card(api, LEADER))
    await running.tick()
    before = len([c for c in api.calls if c.method == "editMessageText"])
    from bot.services.escalation import refresh_cards
    from bot.services.org import load_org
    from models import Incident

    async with running.sessions() as s, s.begin():
        inc = await s.scalar(select(Incident))
        assert await refresh_cards(s, inc, org=await load_org(s), now=running.clock.now()) == 0
    await running.tick()
    assert len([c for c in api.calls if c.method == "editMessageText"]) == before
    assert not [c for c in api.calls if "not modified" in (c.description or "")]



async def test_edits_across_a_429_and_a_sigkill_restart(api, tmp_path: Path) -> None:  # noqa: ANN001
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db)
    await cli("org", "import", str(live_org(tmp_path)), env=dict(bot.env), cwd=tmp_path)
    bot.start()
    try:
        mark = len(api.calls)
        api.user_message(MONITOR, "/report\n" + TEMPLATE.replace("转发：150", "转发：10"))
        await wait_reply(api, MONITOR, mark)
        mark = len(api.calls)
        api.press(MONITOR, api.last_message(MONITOR), "确认")
        replies = await wait_reply(api, MONITOR, mark)
        assert any(re.search(r"YQ-\d{4}-\d{4}", r) for r in replies), replies
        await wait_until(lambda: any("舆情事件" in m.get("text", "") for m in api.chat_messages(LEADER)))
        card = _card(api, LEADER)
        api.inject("editMessageText", "429", times=1, retry_after=8, chat_id=LEADER)
        mark = len(api.calls)
        api.press(LEADER, card, "收到")
        await wait_until(lambda: any(c.method == "editMessageText" and c.chat_id == LEADER for c in api.calls[mark:]))
        mark = len(api.calls)
        api.press(LEADER, card, "我来负责")
        await wait_until(lambda: any(c.method == "answerCallbackQuery" for c in api.calls[mark:]))
        await asyncio.sleep(0.5)  # the take's commit (its edit queued behind the held one)
        bot.kill()
        bot.start()
        await wait_until(lambda: "负责人" in (api.message(LEADER, card["message_id"]) or {}).get("text", ""), within=40)
        await asyncio.sleep(1.5)  # nothing older may follow
    finally:
        bot.stop()
    final = api.message(LEADER, card["message_id"])["text"]
    assert "负责人：陈副校长" in final and "确认收到" in final, final
    texts = [c.params["text"] for c in _edits(api, LEADER, card["message_id"]) if c.ok]
    assert texts and all("负责人" in t for t in texts), texts  # the acknowledgement-only state never went out
    assert not [c for c in api.calls if "not modified" in (c.description or "")]

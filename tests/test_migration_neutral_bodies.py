"""Migration 0016 over an outbox that holds rows: pending and sent rows' Telegram reply_markup becomes the
neutral body's buttons / input on the way up, and exactly the old markup again on the way down; any other
markup stays as it was."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, select

from bot.db import create_engine
from models.migrate import downgrade, upgrade

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
KEYBOARD = {"inline_keyboard": [[{"text": "✅ 收到", "callback_data": "incV1:ack:12"},
                                 {"text": "🙋 我来负责", "callback_data": "incV1:take:12"}],
                                [{"text": "☐ 联系网信", "callback_data": "chkV1:12:report_up"}]]}
BUTTONS = [[{"label": "✅ 收到", "action": "incV1:ack:12"}, {"label": "🙋 我来负责", "action": "incV1:take:12"}],
           [{"label": "☐ 联系网信", "action": "chkV1:12:report_up"}]]
PROMPT = {"force_reply": True, "input_field_placeholder": "修改意见"}
URL_KEYBOARD = {"inline_keyboard": [[{"text": "私聊", "url": "https://t.me/bot?start=x"}]]}
# (status, payload before, payload after the upgrade)
ROWS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("pending", {"text": "卡片", "reply_markup": KEYBOARD}, {"text": "卡片", "buttons": BUTTONS}),
    ("sent", {"text": "卡片", "reply_markup": KEYBOARD}, {"text": "卡片", "buttons": BUTTONS}),
    ("pending", {"text": "编辑", "message_id": -7, "reply_markup": KEYBOARD},
     {"text": "编辑", "message_id": -7, "buttons": BUTTONS}),
    ("sent", {"text": "请写", "reply_markup": PROMPT}, {"text": "请写", "input": {"placeholder": "修改意见"}}),
    ("failed", {"text": "请写", "reply_markup": PROMPT}, {"text": "请写", "input": {"placeholder": "修改意见"}}),
    ("pending", {"text": "纯文本"}, {"text": "纯文本"}),
    ("sent", {"text": "链接", "reply_markup": URL_KEYBOARD}, {"text": "链接", "reply_markup": URL_KEYBOARD}),
    ("pending", {"text": "空", "reply_markup": {"inline_keyboard": []}}, {"text": "空", "reply_markup": {"inline_keyboard": []}}),
    ("pending", {"text": "无", "reply_markup": None}, {"text": "无", "reply_markup": None}),
    ("sent", {"commands": [{"command": "report", "description": "上报"}], "scope": {"type": "default"}},
     {"commands": [{"command": "report", "description": "上报"}], "scope": {"type": "default"}}),
]


def _seed(conn) -> None:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn, only=["outbox"])
    outbox = meta.tables["outbox"]
    naive = NOW.replace(tzinfo=None) if conn.dialect.name == "sqlite" else NOW
    for n, (status, before, _) in enumerate(ROWS, start=1):
        conn.execute(outbox.insert().values(
            id=n, chat_id=1000 + n, method="setMyCommands" if "commands" in before else "sendMessage",
            payload=before, status=status, attempts=0, not_before=naive, created_at=naive, in_flight=False,
            reclaims=0, possible_duplicate=False, dedup_key=f"test:{n}"))


def _payloads(conn) -> list[dict[str, Any]]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn, only=["outbox"])
    outbox = meta.tables["outbox"]
    return [r.payload for r in conn.execute(select(outbox.c.payload).order_by(outbox.c.id))]


async def test_outbox_rows_up_and_down(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0015")
        async with engine.begin() as conn:
            await conn.run_sync(_seed)
        await upgrade(engine, "0016")
        async with engine.connect() as conn:
            assert await conn.run_sync(_payloads) == [after for _, _, after in ROWS]
        await downgrade(engine, "0015")
        async with engine.connect() as conn:
            assert await conn.run_sync(_payloads) == [before for _, before, _ in ROWS]
        await upgrade(engine, "0016")  # (0019 then moves an edit's message_id out of the body: its own test)
        async with engine.connect() as conn:
            assert await conn.run_sync(_payloads) == [after for _, _, after in ROWS]
    finally:
        await engine.dispose()


def test_the_new_code_writes_what_the_migration_writes() -> None:
    """The upgrade's body is the one bot.channels.types.Card.body() writes, and the adapter renders it back into
    the markup it came from."""
    from importlib import import_module

    from bot.channels.types import Card, InputRequest, buttons_from_body, card_from_body
    from bot.telegram.render import reply_markup

    m = import_module("models.migrations.versions.0016_neutral_bodies")
    up = m.to_neutral({"text": "卡片", "reply_markup": KEYBOARD})
    assert up == Card("卡片", buttons_from_body(BUTTONS)).body()
    assert reply_markup(card_from_body(up).buttons) == KEYBOARD
    ask = m.to_neutral({"text": "请写", "reply_markup": PROMPT})
    assert ask == Card("请写", input=InputRequest("修改意见")).body()
    assert reply_markup(None, card_from_body(ask).input) == PROMPT
    assert m.to_legacy({"text": "x", "buttons": BUTTONS, "input": {"placeholder": "p"}}) == {
        "text": "x", "reply_markup": KEYBOARD}  # one markup per Telegram message: the buttons
    assert m.to_legacy({"text": "x", "input": {"placeholder": "长" * 80}})["reply_markup"][
        "input_field_placeholder"] == "长" * 64

"""Issue 17 across crashes and upgrades: messages waiting for a person who has not opened the bot survive
`onduty run` killed with SIGKILL and reach them once when they do; a database from before reachability existed
keeps delivering (everyone *unknown*, tried, nobody silenced)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.db import create_engine, session_factory
from bot.domain.orgfile import parse_org_file
from bot.services.addresses import telegram
from bot.services.org_import import import_org
from bot.services.outbox import claim_batch, enqueue
from models import OutboxMessage, PersonIdentity
from models.migrate import upgrade
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG, live_org
from tests.process import BotSubprocess, cli, wait_reply, wait_until


async def _say(api, user: int, text: str) -> list[str]:  # noqa: ANN001
    mark = len(api.calls)
    api.user_message(user, text)
    return await wait_reply(api, user, mark)



async def test_messages_waiting_for_an_unopened_leader_survive_sigkill_and_arrive_once(api, tmp_path: Path) -> None:  # noqa: ANN001
    api.mark_unopened(3002)
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db)
    await cli("org", "import", str(live_org(tmp_path)), env=dict(bot.env), cwd=tmp_path)
    bot.start()
    try:
        await _say(api, 1001, "/report\n" + TEMPLATE)
        mark = len(api.calls)
        api.press(1001, api.last_message(1001), "确认")
        await wait_reply(api, 1001, mark)
        await wait_until(lambda: any(c.error_code == 403 and str(c.params.get("chat_id")) == "3002" for c in api.calls))
        await wait_until(lambda: any("刘书记尚未打开本助手" in (m.get("text") or "")
                                 for m in api.chat_messages(-1001000000001)))
        bot.kill()

        bot.start()
        await asyncio.sleep(2)  # the restarted sender must not send into the 403 again
        assert sum(c.error_code == 403 and str(c.params.get("chat_id")) == "3002" for c in api.calls) == 1
        api.mark_opened(3002)
        await _say(api, 3002, "/start")
        await wait_until(lambda: any("YQ-2026-0001" in (m.get("text") or "") for m in api.chat_messages(3002)))
        await asyncio.sleep(1.5)
    finally:
        bot.stop()
    cards = [m for m in api.chat_messages(3002) if "🔔 舆情事件 YQ-2026-0001" in (m.get("text") or "")]
    assert len(cards) == 1, [m.get("text") for m in api.chat_messages(3002)]
    assert sum("刘书记尚未打开本助手" in (m.get("text") or "") for m in api.chat_messages(-1001000000001)) == 1


async def test_a_database_from_before_reachability_keeps_delivering(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0011")
        # an org imported by the previous release: its people rows, no identities
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "INSERT INTO organization (id, name, timezone, work_hours, language, policy) "
                "VALUES (1, '示范大学', 'Asia/Shanghai', '08:30-17:30', 'zh', '{}')")
            await conn.exec_driver_sql("INSERT INTO people (id, telegram_id, name, roles, active) "
                                       "VALUES (1, 3002, '刘书记', '[\"main_leader\"]', 1)")
        await upgrade(engine)
        sessions = session_factory(engine)
        async with sessions() as s, s.begin():
            states = (await s.execute(select(PersonIdentity.external_id, PersonIdentity.reachable))).all()
            assert [(r.external_id, r.reachable) for r in states] == [("3002", "unknown")]
            await enqueue(s, to=telegram(3002), text="一条通知", now=datetime.now(UTC))
            claimed = await claim_batch(s, instance="t", now=datetime.now(UTC), limit=10,
                                        lease=timedelta(seconds=60))
        assert [c.chat_id for c in claimed] == [3002]  # unknown is tried, not held
        async with sessions() as s, s.begin():  # and importing the same org again changes nobody's state
            await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
            assert await s.scalar(select(PersonIdentity.reachable).where(PersonIdentity.external_id == "3002")) \
                == "unknown"
            assert await s.scalar(select(OutboxMessage.status).where(OutboxMessage.chat_id == 3002)) == "sending"
    finally:
        await engine.dispose()

"""A reviewed incident built through the real bot: a monitor files a major report in the chat, then the
records tracking and closure leave (follow-ups, clock outcomes, the closure) are written to the database."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.fakeapi import FakeBotAPI
from models import Incident, Person, ResponseClock
from models.tracking import FollowUp
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

FOLLOWUPS = (
    # hours after discovery, reposts, comments, sentiment, media, platforms, regions, text
    (2, 400, 120, "negative", "city", ["weibo", "douyin"], ["江苏", "上海"], "市级媒体跟进报道食堂异物事件，网友质疑监管"),
    (5, 900, 300, "negative", "self_media", ["weibo"], ["江苏"], "事件持续发酵，家长要求学校公开调查结果"),
    (9, 950, 320, "neutral", "provincial", ["news_site"], ["北京"], "学校发布情况通报，评论趋于理性"),
)
SUMMARY = {"cause": "食堂供应商食材把关不严", "spread": "微博首发，两小时后市级媒体跟进",
           "handling": "当日成立调查组，次日发布通报", "lessons": "完善供应商准入与抽检制度"}


async def file_incident(api: FakeBotAPI) -> str:
    chat = Chat(api, 1002)
    await chat.send("/report\n" + TEMPLATE)
    replies = await chat.press("确认")
    return re.search(r"YQ-\d{4}-\d{4}", "\n".join(replies)).group(0)


async def track_and_close(proc: BotProcess, number: str) -> dict[str, ResponseClock]:
    """Three follow-ups, one clock met, one missed, the others stopped by the closure; the clocks by name."""
    async with proc.sessions() as s, s.begin():
        inc = await s.scalar(select(Incident).where(Incident.number == number))
        people = {p.telegram_id: p.id for p in (await s.scalars(select(Person))).all()}
        for h, reposts, comments, sent, media, platforms, regions, text in FOLLOWUPS:
            at = inc.discovered_at + timedelta(hours=h)
            s.add(FollowUp(incident_id=inc.id, author_id=people[1001], source="command", created_at=at,
                           observed_at=at, reposts=reposts, comments=comments, sentiment=sent, sentiment_share=60,
                           media=media, platforms=platforms, regions=regions, text=text))
        clocks = {c.name: c for c in (await s.scalars(select(ResponseClock)
                                                      .where(ResponseClock.incident_id == inc.id))).all()}
        up = clocks["report_upward"]
        up.status, up.stopped_at = "met", up.started_at + timedelta(hours=1, minutes=30)
        first = clocks["first_response"]
        first.status, first.stopped_at = "missed", first.due_at + timedelta(minutes=45)
        closed_at = inc.discovered_at + timedelta(days=2)
        for c in clocks.values():
            if c.status == "running":
                c.status, c.stopped_at, c.stop_reason = "stopped", closed_at, "closed"
        inc.status, inc.closed_at, inc.closed_by, inc.close_summary = "closed", closed_at, people[3002], SUMMARY
        inc.tracker_id = people[1001]
        return {n: ResponseClock(name=c.name, started_at=c.started_at, due_at=c.due_at, stopped_at=c.stopped_at,
                                 status=c.status) for n, c in clocks.items()}

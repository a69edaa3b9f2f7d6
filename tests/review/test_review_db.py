"""The review report built from the database: service, DOCX contents, the chat (/review and the button)
through the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document
from PIL import Image
from sqlalchemy import select

from bot.actions.review import review_button
from bot.clock import VirtualClock
from bot.demo.harness import BotProcess
from bot.domain.vocab import CLOCKS
from bot.fakeapi import FakeBotAPI
from bot.i18n import t
from bot.review.charts import render_all
from bot.services.org import load_org
from bot.services.review import load_review
from bot.telegram.render import reply_markup
from models import Incident, Organization
from tests.bot.chat import Chat
from tests.review.seed import FOLLOWUPS, SUMMARY, file_incident, track_and_close

OFFICE, MONITOR, MAIN = 2001, 1001, 3002


def images(doc) -> list[bytes]:
    return [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]


def assert_real_image(blob: bytes) -> None:
    assert len(blob) > 8 * 1024
    with Image.open(io.BytesIO(blob)) as img:
        assert img.width > 300 and img.height > 150
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20  # not a blank canvas


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def table(doc, first_header: str):
    found = [tb for tb in doc.tables if tb.rows[0].cells[0].text == first_header]
    assert found, first_header
    return found


async def _reviewed(running: BotProcess, api: FakeBotAPI):  # noqa: ANN202
    number = await file_incident(api)
    clocks = await track_and_close(running, number)
    return number, clocks


async def test_service_fills_every_part(running: BotProcess, api: FakeBotAPI, clock: VirtualClock):
    number, clocks = await _reviewed(running, api)
    async with running.sessions() as s:
        org = await load_org(s)
        data = await load_review(s, number, org=org, lang="zh", now=clock.now() + timedelta(days=3))
        assert await load_review(s, "YQ-2026-9999", org=org, lang="zh", now=clock.now()) is None
    assert data.first_report["地点"] == "学校东门" and data.first_report["转发"] == "150"
    assert data.first_report["报送人"] == "李强"
    assert data.grade == "major" and data.status == "closed"
    assert data.closure == SUMMARY and data.closed_by == "刘书记" and data.tracker == "张敏"
    assert data.followups == 3 and len(data.posts) == 4
    regions = [r for p in data.posts for r in p.region_set]
    assert regions.count("江苏") == 2 and "北京" in regions and "上海" in regions
    assert {x for p in data.posts for x in p.platform_set} == {"weibo", "douyin", "news_site"}
    kinds = [e.kind for e in data.timeline]
    assert kinds[0] == "report_filed" and "graded" in kinds and "notified" in kinds
    key = {e.kind for e in data.timeline if e.key}
    assert {"report_filed", "graded"} <= key and "notified" not in key
    by_name = {c.name: c for c in data.clocks}
    assert set(by_name) == set(clocks)
    assert by_name["report_upward"].status == "met" and by_name["first_response"].status == "missed"
    assert by_name["publish"].status == "cancelled" and by_name["publish"].reason == "closed"
    for name, c in clocks.items():
        assert by_name[name].due == c.due_at


async def test_docx_from_database(running: BotProcess, api: FakeBotAPI, clock: VirtualClock, tmp_path):
    from bot.review.docx_writer import write_review

    number, clocks = await _reviewed(running, api)
    async with running.sessions() as s:
        org = await load_org(s)
        data = await load_review(s, number, org=org, lang="zh", now=clock.now() + timedelta(days=3))
    doc = Document(str(write_review(data, tmp_path / "r.docx")))
    heads = headings(doc)
    for key in ("review.h.facts", "review.h.timeline", "review.h.clocks", "review.h.release", "review.h.volume",
                "review.h.platform", "review.h.sentiment", "review.h.region", "review.h.words", "review.h.closure",
                "review.h.appendix"):
        assert t(key, "zh") in heads, key
    # the deadline table: one row per clock, due times and outcomes as recorded
    (deadlines,) = table(doc, t("review.col.clock", "zh"))
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in deadlines.rows[1:]}
    assert len(rows) == len(clocks)
    for name, c in clocks.items():
        label = t(f"clock.name.{name}", "zh") if name in CLOCKS else name
        assert rows[label][2] == c.due_at.astimezone(org.tz).strftime("%Y-%m-%d %H:%M")
    assert rows[t("clock.name.report_upward", "zh")][4].startswith("按时完成（提前 2小时30分钟")
    assert rows[t("clock.name.first_response", "zh")][4] == "超时 45分钟"
    assert rows[t("clock.name.publish", "zh")][4].startswith("停止计时（closed）")
    # the full timeline in the appendix: every audit row
    appendix = table(doc, t("review.col.time", "zh"))[-1]
    assert len(appendix.rows) - 1 == len(data.timeline)
    # closure summary and charts: volume, platform, sentiment (media and public known), region, word cloud
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for tb in doc.tables for r in tb.rows
                                                                 for c in r.cells)
    assert SUMMARY["lessons"] in text and "共收到跟踪报告 3 份" in text
    blobs = images(doc)
    assert len(blobs) == 5
    for blob in blobs:
        assert_real_image(blob)
    assert sorted(p.text for p in data.posts if p.source == "followup") == sorted(f[-1] for f in FOLLOWUPS)


async def test_chat_review_sends_the_document(running: BotProcess, api: FakeBotAPI):
    number, _ = await _reviewed(running, api)
    monitor = Chat(api, MONITOR)
    assert any("只有舆情办公室和领导" in r for r in await monitor.send(f"/review {number}"))
    assert not api.sent("sendDocument")
    office = Chat(api, OFFICE)
    await office.send(f"/review {number}")
    docs = api.sent("sendDocument", OFFICE)
    assert len(docs) == 1 and number in docs[0].params["caption"]
    actions = [c for c in api.calls_to("sendChatAction") if c.ok and c.chat_id == OFFICE]
    assert actions and actions[0].params["action"] == "upload_document"
    assert api.calls.index(actions[0]) < api.calls.index(docs[0])
    upload = api.uploaded_files[-1]
    assert upload.filename.endswith(".docx")
    doc = Document(io.BytesIO(upload.content))
    assert t("review.title", "zh", no=number) in headings(doc)
    assert len(images(doc)) == 5
    assert any("未找到事件" in r for r in await office.send("/review YQ-2026-0404"))
    assert any("用法" in r for r in await office.send("/review"))


async def test_review_button_press(running: BotProcess, api: FakeBotAPI):
    number, _ = await _reviewed(running, api)
    async with running.sessions() as s:
        inc_id = await s.scalar(select(Incident.id).where(Incident.number == number))
    # the button as the closed incident's card carries it, pressed by a leader in English
    msg = await running.bot.send_message(MAIN, "card", reply_markup=reply_markup([[review_button(inc_id, "en")]]))
    leader = Chat(api, MAIN, language_code="en")
    await leader.press("Review report", msg.model_dump(exclude_none=True))
    docs = api.sent("sendDocument", MAIN)
    assert len(docs) == 1 and "Review report" in docs[0].params["caption"]
    assert t("review.title", "en", no=number) in headings(Document(io.BytesIO(api.uploaded_files[-1].content)))
    monitor = Chat(api, MONITOR)
    msg2 = await running.bot.send_message(MONITOR, "card", reply_markup=reply_markup([[review_button(inc_id, "zh")]]))
    replies = await monitor.press("复盘报告", msg2.model_dump(exclude_none=True))
    assert any("只有舆情办公室和领导" in r for r in replies)
    assert len(api.sent("sendDocument")) == 1


async def test_long_timeline_goes_to_a_csv_beside_the_document(running: BotProcess, api: FakeBotAPI, clock):
    from bot.domain.audit import make_record
    from bot.review.docx_writer import APPENDIX_LIMIT
    from models import AuditLog

    number, _ = await _reviewed(running, api)
    async with running.sessions() as s, s.begin():
        inc_id = await s.scalar(select(Incident.id).where(Incident.number == number))
        last = await s.scalar(select(AuditLog).where(AuditLog.incident_id == inc_id).order_by(AuditLog.seq.desc())
                              .limit(1))
        seq, prev = last.seq, last.hash
        for i in range(APPENDIX_LIMIT):
            rec = make_record(incident_id=inc_id, seq=seq + 1, prev_hash=prev, at=clock.now() + timedelta(minutes=i),
                              kind="notified", actor_telegram_id=None, actor_name=None, payload={"chats": [i]})
            s.add(AuditLog(chain=rec.chain, incident_id=inc_id, seq=rec.seq, at=rec.at, kind=rec.kind,
                           payload=rec.payload, prev_hash=rec.prev_hash, hash=rec.hash))
            seq, prev = rec.seq, rec.hash
    await Chat(api, OFFICE).send(f"/review {number}")
    docs = api.sent("sendDocument", OFFICE)
    assert [d.params["caption"].split("（")[0] for d in docs] == [f"{number} 复盘报告", f"{number} 完整时间线"]
    docx, csv_file = api.uploaded_files[-2:]
    assert csv_file.filename.endswith("_timeline.csv")
    rows = csv_file.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + seq  # header + every timeline row
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert csv_file.filename in text


async def test_policy_ignore_words_leave_the_hot_words(running: BotProcess, api: FakeBotAPI, clock: VirtualClock):
    """policy.review.ignore_words (default: none) keeps the organisation's own words out of the hot words."""
    number, _ = await _reviewed(running, api)

    async def words() -> list[str]:
        async with running.sessions() as s:
            org = await load_org(s)
            data = await load_review(s, number, org=org, lang="zh", now=clock.now() + timedelta(days=3))
        return [w for w, _ in render_all(data).words]

    before = await words()
    assert {"食堂", "异物"} <= set(before)
    async with running.sessions() as s, s.begin():
        row = await s.get(Organization, 1)
        row.policy = {**(row.policy or {}), "review": {"ignore_words": ["食堂", "异物"]}}
    after = await words()
    assert not {"食堂", "异物"} & set(after) and after
    assert set(before) - {"食堂", "异物"} <= set(after)  # the rest keep their places

"""Filing reports through the real dispatcher and the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.demo.harness import BotProcess
from models import Evidence, Incident, OutboxMessage, Report
from tests.bot.chat import Chat

TEMPLATE = """时间：2026-11-24 09:30
地点：学校东门
涉及单位：后勤管理处
过程：网民发帖称食堂饭菜出现异物
结果：帖子被多次转发
跟帖倾向：负面 70%
平台：微博
链接：https://weibo.com/123/abc
转发：150
媒体级别：本地
跨地区：否
类别：询问"""


async def _count(proc: BotProcess, model) -> int:  # noqa: ANN001
    async with proc.sessions() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def _sticker(chat: Chat) -> list[str]:
    chat._seen = len(chat.api.calls)
    uid = chat.api.push_update({"message": {
        "message_id": 90001, "date": 1764000000, "chat": {"id": chat.user_id, "type": "private", "first_name": "U"},
        "from": {"id": chat.user_id, "is_bot": False, "first_name": "U", "language_code": "zh-hans"},
        "sticker": {"file_id": "stk", "file_unique_id": "stku", "type": "regular", "width": 512, "height": 512,
                    "is_animated": False, "is_video": False}}})
    await chat.api.wait_confirmed(uid)
    return chat._replies()


async def test_template_in_the_report_message_files_an_incident(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    replies = await chat.send("/report\n" + TEMPLATE)
    assert any("识别 12 项" in r for r in replies)
    assert any("报送摘要" in r and "转发：150" in r and "县级/本地" in r for r in replies)
    replies = await chat.press("确认")
    assert any("YQ-2026-0001" in r for r in replies)
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        rep = await s.scalar(select(Report))
    assert inc.number == "YQ-2026-0001" and inc.category == "inquiry"
    assert rep.source == "template" and rep.fields["reposts"] == 150 and rep.fields["platform"] == "weibo"


async def test_a_template_reply_lost_on_the_way_is_sent_again_by_the_sender(running: BotProcess, api,  # noqa: ANN001
                                                                          clock) -> None:  # noqa: ANN001
    """The draft commits before the bot says anything, and the reply is an outbox row: a dropped connection
    (the message may have been taken) hands it to the sender, which sends it again, flagged as a possible
    duplicate — a second copy rather than none. The monitor's twelve fields are kept either way."""
    chat = Chat(api, 1001)
    api.inject("sendMessage", "disconnect", chat_id=1001)
    await chat.send("/report\n" + TEMPLATE)
    clock.advance(timedelta(seconds=2))
    await running.tick()
    summaries = [c for c in api.calls if c.method == "sendMessage" and c.taken and "报送摘要" in c.params["text"]]
    assert len(summaries) == 2  # the one Telegram took unheard, and the sender's
    async with running.sessions() as s:
        row = await s.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 1001))
    assert row.status == "sent" and row.possible_duplicate
    replies = await chat.send("/report")
    assert any("尚未提交" in r and "已填 12 项" in r for r in replies), replies


async def test_template_in_the_next_message_and_only_missing_fields_asked(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report")
    partial = "\n".join(line for line in TEMPLATE.splitlines() if not line.startswith(("地点", "平台")))
    replies = await chat.send(partial)
    assert any("地点" in r or "地方" in r for r in replies[-1:]), replies
    replies = await chat.send("学校东门")
    assert "平台" in replies[-1] or "哪个平台" in replies[-1] or "platform" in replies[-1].lower(), replies
    replies = await chat.press("微博")
    assert any("报送摘要" in r for r in replies)


async def test_guided_dialog_with_buttons_back_skip_and_photo(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1002)
    replies = await chat.send("/report")
    assert "（1/14）" in replies[-1]
    assert chat.buttons() == ["✖ 取消"]
    replies = await chat.photo(caption="截图")
    assert any("已固定证据" in r and "SHA-256" in r for r in replies)
    await chat.send("今天 08:15")
    await chat.send("图书馆")
    await chat.press("上一步")  # back to the place question
    await chat.send("图书馆北门")
    await chat.send("学生工作部")
    await chat.send("发帖质疑奖学金评定")
    await chat.send("数十条跟帖")
    await chat.press("中性")
    await chat.press("论坛")
    await chat.press("跳过")  # link
    await chat.send("35")  # reposts
    for _ in range(2):
        await chat.press("跳过")  # comments, views
    await chat.press("县级")
    await chat.press("否")
    replies = await chat.press("询问")
    summary = next(r for r in replies if "报送摘要" in r)
    assert "地点：图书馆北门" in summary and "证据：1 件" in summary
    await chat.press("确认")
    async with running.sessions() as s:
        ev = (await s.scalars(select(Evidence))).all()
        rep = await s.scalar(select(Report))
    assert rep.source == "dialog"
    assert len(ev) == 1 and ev[0].kind == "photo" and len(ev[0].sha256) == 64


async def test_edit_a_field_from_the_summary(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("修改")
    replies = await chat.press("地点")
    assert "地点" in replies[-1] or "地方" in replies[-1]
    replies = await chat.send("南门")
    assert any("地点：南门" in r for r in replies)


async def test_back_shows_each_answer_again_and_keep_leaves_it(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1002)
    await chat.send("/report")
    await chat.send("今天 08:15")
    await chat.send("图书馆")
    await chat.send("学生工作部")
    await chat.press("上一步")
    replies = await chat.press("上一步")
    assert "（2/14）" in replies[-1] and "当前填写：图书馆" in replies[-1], replies
    assert chat.buttons() == ["保持不变 »", "« 上一步", "✖ 取消"]
    old_question = chat.last_keyboard_message("保持不变")
    replies = await chat.send("图书馆北门")
    # the unit question comes next again, with its answer, instead of a jump to the first unanswered field
    assert "（3/14）" in replies[-1] and "当前填写：学生工作部" in replies[-1], replies
    replies = await chat.press("保持不变", old_question)  # the place question's Keep, pressed late
    assert replies == ["(toast) 该按钮已过期。"], replies
    replies = await chat.press("保持不变")
    assert "（4/14）" in replies[-1] and "当前填写" not in replies[-1], replies
    await chat.send("发帖质疑奖学金评定")
    await chat.send("数十条跟帖")
    await chat.press("中性")
    await chat.press("论坛")
    await chat.send("https://bbs.example.edu/t/1")
    replies = await chat.press("上一步")
    assert "当前填写：https://bbs.example.edu/t/1" in replies[-1] and "清空" in chat.buttons(), replies
    await chat.press("清空")  # the link is left blank, and the dialog goes on to the reposts
    await chat.send("35")
    for _ in range(2):
        await chat.press("跳过")
    await chat.press("县级")
    await chat.press("否")
    replies = await chat.press("询问")
    summary = next(r for r in replies if "报送摘要" in r)
    assert "地点：图书馆北门" in summary and "涉及单位：学生工作部" in summary and "链接" not in summary, summary


async def test_editing_a_field_shows_its_answer_and_keep_returns_to_the_summary(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("修改")
    replies = await chat.press("跟帖倾向")
    assert "当前填写：负面 70%" in replies[-1] and "/" not in replies[-1].split("\n")[0], replies  # no counter
    assert "« 上一步" not in chat.buttons() and "保持不变 »" in chat.buttons()
    replies = await chat.press("保持不变")
    assert "报送摘要" in replies[-1] and "跟帖倾向：负面 70%" in replies[-1], replies


def _card(chat: Chat) -> dict:
    return chat.last_keyboard_message("确认提交")


async def test_evidence_sent_at_the_summary_updates_the_card_confirm_is_pressed_on(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    card = _card(chat)
    assert "证据：无" in card["text"]
    picture = api.add_file(b"\x89PNG one", kind="photo")
    await chat.send(None, photo=picture, caption="现场")
    await chat.send(None, photo=picture)  # the same picture again: counted once, nothing to update
    await chat.send(None, document=api.add_file(b"%PDF notice", kind="document", file_name="通报.pdf"))
    edited = next(m for m in api.chat_messages(1001) if m["message_id"] == card["message_id"])
    assert "证据：2 件" in edited["text"] and "确认提交" in str(edited["reply_markup"]), edited
    assert _card(chat)["message_id"] == card["message_id"]  # edited in place, no second card
    assert sum(1 for c in api.calls if c.method == "editMessageText") == 2
    replies = await chat.press("确认")
    assert any("证据 2 件" in r for r in replies), replies


async def test_a_card_that_cannot_be_edited_is_sent_again_with_the_evidence(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    first = _card(chat)
    api.inject("editMessageText", "error", status=400, description="Bad Request: message to edit not found")
    replies = await chat.photo(caption="现场")
    assert any("本报送共 1 件" in r for r in replies) and "证据：1 件" in replies[-1], replies
    assert _card(chat)["message_id"] != first["message_id"]
    await chat.photo(b"\x89PNG two")  # the new card is the one kept up to date from now on
    assert "证据：2 件" in next(m for m in api.chat_messages(1001) if m["message_id"] == _card(chat)["message_id"])["text"]


async def test_labelled_lines_typed_at_the_summary_change_those_fields(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    replies = await chat.send("地点：学校西门\n转发：300")
    assert replies[-1].startswith("已修改：地点、转发。"), replies
    assert "地点：学校西门" in replies[-1] and "转发：300" in replies[-1] and "✅ 确认提交" in chat.buttons()
    replies = await chat.send("转发：-5")  # wrong: said why, asked again, the answer it had kept meanwhile
    assert "不能是负数" in replies[-1] and "当前填写：300" in replies[-1], replies
    replies = await chat.press("保持不变")
    assert "转发：300" in replies[-1] and "报送摘要" in replies[-1], replies
    replies = await chat.send("备注：无")
    assert "无法识别" in replies[-1] and "备注" in replies[-1] and "标签：内容" in replies[-1], replies
    replies = await chat.send("地点：学校西门\n备注：无")  # the known line is taken, the unknown one named
    assert replies[-1].startswith("已修改：地点。") and "无法识别，已忽略：备注" in replies[-1], replies
    replies = await chat.send("好的")
    assert replies == ["请使用摘要下方的按钮确认、修改或取消；也可以直接发送“标签：内容”修改某一项，例如“地点：学校东门”。"]
    replies = await chat.press("确认")
    async with running.sessions() as s:
        rep = await s.scalar(select(Report))
    assert rep.fields["place"] == "学校西门" and rep.fields["reposts"] == 300, rep.fields


async def test_videos_and_voice_messages_are_evidence_too(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    video = api.add_file(b"\x00\x00\x00\x18ftypmp42 scene", kind="video", mime_type="video/mp4")
    replies = await chat.send(None, media={"video": video}, caption="东门现场")  # outside a report: starts one
    assert replies[0].startswith("已用您发送的视频开始一份报送"), replies
    replies = await chat.send(None, media={"voice": api.add_file(b"OggS voice", kind="voice", mime_type="audio/ogg")})
    assert "已固定证据（语音 · SHA-256" in replies[0] and "共 2 件" in replies[0], replies
    await chat.send(None, media={"video_note": api.add_file(b"round video", kind="video_note")})
    await chat.send(TEMPLATE)
    replies = await chat.press("确认")
    assert any("证据 3 件" in r for r in replies), replies
    async with running.sessions() as s:
        ev = (await s.scalars(select(Evidence).order_by(Evidence.id))).all()
    assert [(e.kind, e.mime_type) for e in ev] == [("video", "video/mp4"), ("voice", "audio/ogg"),
                                                   ("video_note", "video/mp4")]
    assert all(len(e.sha256) == 64 for e in ev) and ev[0].text == "东门现场"


async def test_a_typed_time_is_shown_back_as_understood(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1002)
    await chat.send("/report")
    replies = await chat.send("两个半小时前")
    assert replies[-1].startswith("✓ 时间：2026-11-24 07:30\n\n（2/14）"), replies
    await chat.press("上一步")
    replies = await chat.send("下午两点")  # later than now (10:00) without a day: yesterday, and it says so
    assert replies[-1].startswith("✓ 时间：2026-11-23 14:00"), replies
    replies = await chat.send("图书馆")
    assert replies[-1].startswith("（3/14）"), replies  # other answers are not echoed


async def test_bad_input_keeps_the_state_and_says_why(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report")
    replies = await chat.send("2099-01-01 10:00")  # future
    assert any("不能晚于现在" in r for r in replies), replies
    assert "（1/14）" in replies[-1]
    replies = await _sticker(chat)
    assert any("文字" in r for r in replies), replies
    assert "（1/14）" in replies[-1]
    replies = await chat.send("明天后天大后天")  # unparseable
    assert "（1/14）" in replies[-1]
    for answer in ("今天 08:00", "东门", "后勤处", "过程", "结果"):
        await chat.send(answer)
    await chat.press("负面")
    await chat.press("微博")
    replies = await chat.send("ftp://example.com/x")
    assert len(replies) == 1, replies  # the error opens the message that asks again
    error, question = replies[0].split("\n\n", 1)
    assert "http" in error and "（8/14）" in question, replies
    await chat.send("https://weibo.com/1/2")
    replies = await chat.send("-5")
    assert "转发" in replies[0] or "非负" in replies[0], replies
    replies = await chat.send("abc")
    assert len(replies) == 1 and "\n\n（9/14）" in replies[0], replies  # the error, then the question again


async def test_unknown_labels_are_listed(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    replies = await chat.send("/report\n" + TEMPLATE + "\n心情：很差\n天气：晴")
    assert any("心情" in r and "天气" in r for r in replies), replies


async def test_second_report_offers_resume_or_discard(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report")
    await chat.send("今天 08:00")
    replies = await chat.send("/report")
    assert any("尚未提交" in r for r in replies)
    replies = await chat.press("继续")
    assert "（2/14）" in replies[-1]
    await chat.send("/report")
    replies = await chat.press("放弃")
    assert "（1/14）" in replies[-1]


async def test_text_while_choosing_resume_or_discard_asks_that_choice_again(running: BotProcess, api) -> None:  # noqa: ANN001
    """Text typed at the resume-or-discard question (the answer meant for the draft, say) is not taken as an
    answer, and the bot asks that question again with its buttons — not about a summary that is not there."""
    chat = Chat(api, 1001)
    await chat.send("/report")
    await chat.send("今天 08:00")
    await chat.send("/report")
    replies = await chat.send("东门")
    assert "摘要" not in replies[-1] and "继续填写" in replies[-1], replies
    assert chat.buttons() == ["继续填写", "放弃并重新开始"]
    replies = await chat.press("继续")
    assert "（2/14）" in replies[-1]  # the draft is as it was: the place is still asked


async def test_a_wrong_optional_value_in_a_template_can_be_skipped(running: BotProcess, api) -> None:  # noqa: ANN001
    """A pasted template with a bad link: the bot asks for the link, and Skip drops it and moves on (it asked
    for the same link again, for ever, before)."""
    chat = Chat(api, 1001)
    replies = await chat.send("/report\n" + TEMPLATE.replace("https://weibo.com/123/abc", "ftp://weibo.com/x"))
    assert "http" in replies[-1] and "跳过 »" in chat.buttons(), replies
    replies = await chat.press("跳过")
    assert "报送摘要" in replies[-1] and "链接" not in replies[-1], replies
    replies = await chat.press("确认")
    assert any("YQ-2026-0001" in r for r in replies)
    async with running.sessions() as s:
        rep = await s.scalar(select(Report))
    assert "link" not in rep.fields and rep.fields["reposts"] == 150


async def test_a_cancelled_draft_can_be_restored_until_a_new_one_starts(running: BotProcess, api) -> None:  # noqa: ANN001
    """Cancel sits beside Confirm: a mis-tap must not lose twelve fields and the evidence."""
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    await chat.photo(caption="截图")
    replies = await chat.press("取消")
    assert "已填 12 项" in replies[-1] and "证据 1 件" in replies[-1], replies
    replies = await chat.press("恢复草稿")
    assert "报送摘要" in replies[-1] and "转发：150" in replies[-1] and "证据：1 件" in replies[-1], replies
    replies = await chat.send("/cancel")  # the command puts it aside the same way
    assert chat.buttons() == ["↩ 恢复草稿"], replies
    old = chat.last_keyboard_message("恢复草稿")
    await chat.send("/report")  # a new report: the old draft is gone for good
    replies = await chat.press("恢复草稿", message=old)
    assert any("无法恢复" in r for r in replies), replies
    assert "（2/14）" not in replies[-1]  # and the new dialog is left as it was
    replies = await chat.press("取消")  # nothing filled: nothing to restore
    assert "已取消" in replies[-1] and "恢复草稿" not in replies[-1], replies
    assert "reply_markup" not in api.chat_messages(1001)[-1]


async def test_an_older_restore_button_does_not_bring_back_a_later_draft(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("取消")
    first = chat.last_keyboard_message("恢复草稿")
    await chat.send("/report")
    await chat.send("今天 08:00")
    await chat.send("/cancel")
    replies = await chat.press("恢复草稿", message=first)
    assert any("无法恢复" in r for r in replies), replies
    replies = await chat.press("恢复草稿")  # the latest one: the draft with one field
    assert "（2/14）" in replies[-1], replies


async def test_lists_within_english_sentences_use_commas(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1003, language_code="en")
    replies = await chat.send("/report\ntime: today 09:00\nplace: Canteen\ncolour: red\nweather: fine")
    assert any("colour, weather" in r for r in replies), replies
    await chat.send("/cancel")
    await chat.send("/report")
    await chat.photo(caption="proof")
    await chat.send(None, document={"file_id": "doc1", "file_unique_id": "doc1u", "file_name": "notes.pdf",
                                    "mime_type": "application/pdf", "file_size": 10})
    replies = await chat.send("time: today 09:00\nplace: Canteen\nunit: Logistics\nprocess: a video\n"
                              "result: reposted\nsentiment: negative\nplatform: weibo")
    assert "Evidence: 2 item(s) (document, photo)" in replies[-1], replies


async def test_long_summary_is_split_within_telegram_limits(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    long = TEMPLATE.replace("过程：网民发帖称食堂饭菜出现异物", "过程：" + "很长的过程" * 399).replace(
        "结果：帖子被多次转发", "结果：" + "很长的结果" * 399)
    replies = await chat.send("/report\n" + long)
    assert all(len(r) <= 4096 for r in replies)
    assert len(replies) >= 2 and replies[0].startswith("已从模板识别") and "报送摘要" in replies[0] \
        and "类别" in replies[-1], [(len(r), r[:60]) for r in replies]
    assert not api.violations


async def test_english_user_gets_english(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1003, language_code="en")
    replies = await chat.send("/report")
    assert "(1/14)" in replies[-1] and "Cancel" in " ".join(chat.buttons())


async def test_forward_starts_a_prefilled_report(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    replies = await chat.send("网传某校食堂出问题 https://weibo.com/99/xyz",
                              forward_origin={"type": "hidden_user", "sender_user_name": "某网民", "date": 1764000000})
    assert any("转发/粘贴" in r for r in replies), replies
    await chat.send("/cancel")
    replies = await chat.send("看这个 https://www.douyin.com/video/1")
    assert any("转发/粘贴" in r for r in replies), replies


async def test_unregistered_user_and_group_chat(running: BotProcess, api) -> None:  # noqa: ANN001
    stranger = Chat(api, 777)
    for text in ("/report", "hello"):
        replies = await stranger.send(text)
        assert replies and "还没有登记" in replies[0]
    group = Chat(api, 1001, chat_id=-100555, chat_type="supergroup")
    replies = await group.send("/report")
    assert replies and "私聊" in replies[0]
    assert await group.send("大家好") == []
    assert await _count(running, Incident) == 0


async def test_my_lists_recent_reports(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    assert "还没有报送" in (await chat.send("/my"))[0]
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("确认")
    replies = await chat.send("/my")
    assert "YQ-2026-0001" in replies[0] and "学校东门" in replies[0]


async def test_restart_mid_dialog_continues(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1002)
    await chat.send("/report")
    await chat.photo()
    await chat.send("今天 08:15")
    await chat.send("图书馆")
    await running.stop()
    await running.start()
    replies = await chat.send("学生工作部")
    assert "（4/14）" in replies[-1], replies
    await chat.send("过程")
    await chat.send("结果")
    await chat.press("中性")
    await chat.press("论坛")
    for _ in range(7):
        await chat.press("跳过")
    await chat.press("确认")
    async with running.sessions() as s:
        rep = await s.scalar(select(Report))
        ev = await s.scalar(select(func.count()).select_from(Evidence))
    assert rep.fields["place"] == "图书馆" and rep.fields["unit"] == "学生工作部" and ev == 1


async def test_stale_callback_answer_does_not_lose_the_confirmation(running: BotProcess, api) -> None:  # noqa: ANN001
    """Regression: a refused answerCallbackQuery (query too old) failed the update after the report committed."""
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    api.inject("answerCallbackQuery", "error", status=400,
               description="Bad Request: query is too old and response timeout expired or query ID is invalid")
    replies = await chat.press("确认")
    assert any("YQ-2026-0001" in r for r in replies), replies


async def test_a_reply_refused_with_429_or_502_is_retried_not_lost(running: BotProcess, api,  # noqa: ANN001
                                                                    clock) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    api.inject("sendMessage", "429", times=1, retry_after=1)
    api.inject("sendMessage", "502", times=1)
    replies = await chat.send("/report\n" + TEMPLATE)
    if not any("报送摘要" in r for r in replies):  # not within the reply's own few seconds: the sender's turn
        clock.advance(timedelta(seconds=5))
        await running.tick()
    assert len([c for c in api.calls if c.method == "sendMessage" and c.taken and "报送摘要" in c.params["text"]]) == 1

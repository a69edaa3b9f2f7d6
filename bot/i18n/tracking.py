"""Texts of tracking (动态跟踪): the tracker, their reminders, follow-ups."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    # between the items of a list inside a sentence (names, platforms, regions, summary parts)
    "track.sep": {"zh": "、", "en": ", "},
    "track.usage": {
        "zh": "用法：/track YQ-2026-0001 跟踪人（Telegram 数字 ID 或姓名）指定动态跟踪专人；/track YQ-2026-0001 无 取消；"
              "/track YQ-2026-0001 查看当前跟踪人。",
        "en": "Usage: /track YQ-2026-0001 PERSON (Telegram numeric id or name) names the tracker; /track YQ-2026-0001 off "
              "stops tracking; /track YQ-2026-0001 shows the current tracker.",
    },
    "track.assigned": {
        "zh": "✅ 已指定 {name} 为 {number} 的动态跟踪专人，首次跟踪提醒：{when}。",
        "en": "✅ {name} now tracks {number}; first reminder at {when}.",
    },
    "track.unassigned": {"zh": "已取消 {name} 对 {number} 的动态跟踪，不再发送跟踪提醒。",
                         "en": "{name} no longer tracks {number}; tracking reminders stop."},
    "track.status": {"zh": "🔎 {number} 的动态跟踪专人：{name}，下次提醒：{when}。",
                     "en": "🔎 {number} is tracked by {name}; next reminder: {when}."},
    "track.status_none": {"zh": "{number} 尚未指定动态跟踪专人。指定：/track {number} 跟踪人",
                          "en": "{number} has no tracker yet. Name one: /track {number} PERSON"},
    "track.err.none": {"zh": "{number} 目前没有动态跟踪专人。", "en": "{number} has no tracker."},
    "track.stopped_you": {"zh": "ℹ️ 您对 {number} 的动态跟踪已取消，不再收到跟踪提醒。",
                          "en": "ℹ️ You no longer track {number}; no more tracking reminders."},
    "track.err.not_allowed_view": {
        "zh": "只有舆情办公室、领导、该事件的跟踪专人或报送人可以查看跟踪情况。",
        "en": "Only the office, leaders, the incident's tracker or its reporters can see who tracks it.",
    },
    "track.err.not_allowed": {
        "zh": "只有舆情办公室（或在舆情办公室群内）可以指定动态跟踪专人。",
        "en": "Only the office (or someone writing in the office chat) can name a tracker.",
    },
    "track.err.unknown_incident": {"zh": "未找到事件 {number}，请检查编号（如 YQ-2026-0001）。",
                                   "en": "No incident {number}; check the number (e.g. YQ-2026-0001)."},
    "track.err.closed": {"zh": "事件 {number} 已结案，无需跟踪。如需继续跟踪，请先 /reopen {number} 理由。",
                         "en": "Incident {number} is closed. To track it again, first /reopen {number} REASON."},
    "track.err.unknown_person": {
        "zh": "找不到“{who}”。请写成员的 Telegram 数字 ID 或系统中的姓名。",
        "en": "Nobody called \"{who}\". Give the member's Telegram numeric id or their name in the system.",
    },
    "track.err.ambiguous": {"zh": "“{who}”对应多人：{names}。请写 Telegram 数字 ID。",
                            "en": "\"{who}\" matches several people: {names}. Use the Telegram numeric id."},
    "track.err.already": {"zh": "{name} 已经是 {number} 的动态跟踪专人。", "en": "{name} already tracks {number}."},
    "track.you_track": {
        "zh": "📌 {by} 指定您为 {number} 的动态跟踪专人。\n请持续关注事件发展，{every}。首次提醒：{when}。\n"
              "报送跟进：点下方按钮，或直接回复本消息，例如：\n转发：300\n评论：80\n跟帖倾向：负面 60%\n平台：微博、抖音\n地区：北京\n说明：……",
        "en": "📌 {by} made you the tracker of {number}.\nFollow how it develops; {every}. First reminder: {when}.\n"
              "Post a follow-up with the button below or by replying to this message, e.g.:\n"
              "reposts: 300\ncomments: 80\nsentiment: negative 60%\nplatform: weibo, douyin\nregion: Beijing\nnote: …",
    },
    "track.every.working": {"zh": "每 {hours} 个工作小时提醒一次（夜间、周末、节假日顺延）",
                            "en": "you are reminded every {hours} working hours (nights, weekends and holidays skipped)"},
    "track.every.clock": {"zh": "每 {hours} 小时提醒一次", "en": "you are reminded every {hours} hours"},
    "track.relieved": {"zh": "ℹ️ {number} 的动态跟踪已改由 {name} 负责，您不再收到跟踪提醒。",
                       "en": "ℹ️ {name} now tracks {number}; you will get no more tracking reminders for it."},
    "track.remind": {
        "zh": "🔎 跟踪提醒：请报送 {number} 的最新动态（{since}）——转发/评论/阅读数、跟帖倾向、新平台、新地区、说明。"
              "点下方按钮，或直接回复本消息。",
        "en": "🔎 Tracking reminder: please post the latest on {number} ({since}) — reposts/comments/views, sentiment, "
              "new platforms, new regions, a note. Use the button below or reply to this message.",
    },
    "track.remind.last": {"zh": "上次跟进在 {ago} 前", "en": "last follow-up {ago} ago"},
    "track.remind.none": {"zh": "尚无跟进", "en": "no follow-up yet"},
    "track.remind.late": {"zh": "[迟发] ", "en": "[late] "},
    "track.btn.follow": {"zh": "📝 报送跟进", "en": "📝 Post a follow-up"},
    "track.btn.reopen": {"zh": "🔓 重新打开事件", "en": "🔓 Reopen the incident"},
    "card.tracker": {"zh": "🔎 动态跟踪：{name}", "en": "🔎 Tracker: {name}"},
    "card.followups": {"zh": "📈 跟进 {count} 条", "en": "📈 {count} follow-up(s)"},
    # follow-ups
    "follow.usage": {
        "zh": "用法：/follow YQ-2026-0001，然后在同一条或下一条消息里写跟进，例如：\n转发：300\n评论：80\n阅读：2万\n"
              "跟帖倾向：负面 60%\n平台：微博、抖音\n媒体级别：市级\n地区：北京、本市\n说明：……\n也可以直接回复事件卡片。",
        "en": "Usage: /follow YQ-2026-0001, then the follow-up in the same or the next message, e.g.:\nreposts: 300\n"
              "comments: 80\nviews: 20000\nsentiment: negative 60%\nplatform: weibo, douyin\nmedia: city\n"
              "region: Beijing\nnote: …\nYou can also reply to the incident card.",
    },
    "follow.ask": {
        "zh": "请发送 {number} 的跟进（转发/评论/阅读、跟帖倾向、平台、媒体级别、地区、说明，任选；可附截图）：",
        "en": "Send the follow-up on {number} (any of reposts/comments/views, sentiment, platform, media, region, note; "
              "a screenshot is welcome):",
    },
    "follow.placeholder": {"zh": "转发：300 …", "en": "reposts: 300 …"},
    "follow.recorded": {"zh": "✅ 已记录 {number} 的第 {count} 条跟进：{summary}",
                        "en": "✅ Follow-up #{count} on {number} recorded: {summary}"},
    "follow.only_evidence": {"zh": "（仅证据）", "en": "(evidence only)"},
    "follow.evidence": {"zh": "📎 已固定 {count} 份证据。", "en": "📎 {count} piece(s) of evidence fixed."},
    "follow.raised": {"zh": "⬆️ 新的数据使事件级别由{old}升为{new}，已按新级别通知并调整时限。",
                      "en": "⬆️ The new counts raise the grade from {old} to {new}; recipients and deadlines follow."},
    "follow.fix_and_resend": {"zh": "本条跟进未记录，请更正后重新发送（回复即可）。",
                              "en": "This follow-up was not recorded; please correct it and send it again (a reply is fine)."},
    "follow.err.not_allowed": {"zh": "只有已登记的成员可以报送跟进。", "en": "Only registered members can post follow-ups."},
    "follow.err.unknown_incident": {"zh": "未找到事件 {number}，请检查编号（如 YQ-2026-0001）。",
                                    "en": "No incident {number}; check the number (e.g. YQ-2026-0001)."},
    "follow.err.empty": {"zh": "没有识别到跟进内容。请写转发/评论/阅读数、跟帖倾向、平台、地区或一句说明。",
                         "en": "Nothing to record. Write counts, sentiment, platform, region or a short note."},
    "follow.err.closed": {
        "zh": "事件 {number} 已结案，跟进未记录（内容已保留）。如事件再次发酵，可重新打开后自动补记：",
        "en": "Incident {number} is closed; the follow-up was not recorded (it is kept). If it flares up again, reopen "
              "the incident and it will be recorded:",
    },
    "follow.err.closed_short": {"zh": "事件 {number} 已结案。", "en": "Incident {number} is closed."},
    "follow.reopen_requested": {
        "zh": "🔔 {name} 报送了已结案事件 {number} 的新动态，建议重新打开：\n{text}\n如同意，请发送 /reopen {number} 理由",
        "en": "🔔 {name} sent news on the closed incident {number} and suggests reopening it:\n{text}\n"
              "To reopen: /reopen {number} REASON",
    },
    "follow.held_recorded": {"zh": "📝 {number} 已重新打开，您在结案期间发送的跟进已补记（共 {count} 条跟进）。",
                             "en": "📝 {number} was reopened; the follow-up you sent while it was closed is now recorded "
                                   "({count} follow-ups in all)."},
    "follow.reopen_forwarded": {"zh": "只有舆情办公室或领导可以重新打开 {number}，已转告舆情办公室。",
                                "en": "Only the office or a leader can reopen {number}; the office has been told."},
    "follow.office": {"zh": "📈 {number} 新跟进（{name}）：{summary}", "en": "📈 {number} follow-up by {name}: {summary}"},
    "follow.regraded_office": {"zh": "⬆️ {number} 因跟进数据由{old}升为{new}。",
                               "en": "⬆️ {number} raised from {old} to {new} by follow-up counts."},
    "follow.field.region": {"zh": "地区", "en": "region"},
    "follow.field.observed": {"zh": "观察时间", "en": "observed"},
    "follow.field.text": {"zh": "说明", "en": "note"},
    "status.reopened": {"zh": "已重新打开", "en": "reopened"},
    "status.closed": {"zh": "已结案", "en": "closed"},
    "cmd.follow": {"zh": "报送事件跟进", "en": "Post a follow-up"},
    "audit.kind.tracker_assigned": {"zh": "指定动态跟踪专人", "en": "tracker assigned"},
    "audit.kind.tracker_reminded": {"zh": "跟踪提醒", "en": "tracking reminder"},
    "audit.kind.followup_added": {"zh": "动态跟进", "en": "follow-up"},
}


def render_followup_error(err: Any, lang: str) -> str:
    """A follow-up field error in one sentence (report fields keep their report labels)."""
    from bot.domain import report as rf
    from bot.i18n import t

    if f"follow.field.{err.field}" not in TEXTS:
        return rf.render_error(err, lang)
    params: dict[str, Any] = {"value": "", "max": "", "length": "", "choices": "", **err.params}
    return t(f"report.err.{err.code}", lang, **{**params, "field": t(f"follow.field.{err.field}", lang)})

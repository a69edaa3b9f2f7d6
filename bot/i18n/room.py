"""Texts of the incident's room (its forum topic in the office group) and of /decide (issue 23 item 4)."""

from __future__ import annotations

_WHY = {
    "not_forum": ("舆情办公室群不是开启话题（Topics）的超级群", "the office group is not a forum (Topics are off)"),
    "rights": ("机器人不是群管理员或没有“管理话题”权限", "the bot is not an administrator allowed to manage topics"),
    "other": ("无法创建话题", "a topic could not be created"),
}

TEXTS: dict[str, dict[str, str]] = {
    # the office group's General topic
    "room.pointer": {"zh": "🧵 {number} 已开设专题话题“{name}”：卡片、处置清单、时限提醒和后续进展都在该话题中。{link}",
                     "en": "🧵 {number} has its own topic “{name}”: the card, checklist, deadlines and every update are "
                           "posted there.{link}"},
    "room.pointer_link": {"zh": " {link}", "en": " {link}"},
    "room.hint": {"zh": "ℹ️ 未能为重大舆情开设专题话题（{why}），相关消息继续发在本群，每条都带事件编号。"
                        "如需每个事件一个话题：在群设置中开启“话题”（Topics），并把机器人设为管理员、授予“管理话题”权限。",
                  "en": "ℹ️ No topic could be opened for a major incident ({why}); its messages stay in this group, "
                        "each with the incident's number. For one topic per incident: turn on Topics in the group's "
                        "settings and make the bot an administrator with the right to manage topics."},
    "room.gone": {"zh": "⚠️ {number} 的话题“{name}”已被删除，此后该事件的消息发在本群（General）。",
                  "en": "⚠️ The topic “{name}” of {number} was deleted; the incident's messages now go to this "
                        "group's General topic."},
    # /decide (and its line in the command menus, bot/domain/menus.py)
    "cmd.decide": {"zh": "在事件话题中记录决定", "en": "Record a decision in the incident's topic"},
    "decide.usage": {"zh": "用法：在事件话题中发送 /decide 决定内容 [交办 单位或人员 任务 [期限]]；"
                           "在其他地方：/decide YQ-2026-0001 决定内容。",
                     "en": "Usage: in the incident's topic, /decide TEXT [task: UNIT-OR-PERSON WHAT [DUE]]; "
                           "anywhere else: /decide YQ-2026-0001 TEXT."},
    "decide.err.usage": {"zh": "请写明决定内容，例如：/decide 由宣传部统一口径 交办 宣传部 起草通稿 明天18:00",
                         "en": "Write the decision, e.g. /decide One statement by the press office task: "
                               "Press office draft the release tomorrow 18:00"},
    "decide.err.outside": {"zh": "这里不是事件话题：请在事件的话题中发送 /decide，或写明事件编号：/decide YQ-2026-0001 决定内容。",
                           "en": "This is not an incident's topic: use /decide in the incident's topic, or name the "
                                 "incident: /decide YQ-2026-0001 TEXT."},
    "decide.err.unknown_incident": {"zh": "未找到事件 {number}。", "en": "No incident {number}."},
    "decide.err.not_allowed": {"zh": "只有舆情办公室、领导或事件负责人可以记录决定。",
                               "en": "Only the office, a leader or the person in charge records a decision."},
    "decide.err.closed": {"zh": "{number} 已结案，不能再记录决定。", "en": "{number} is closed; no decision can be recorded."},
    "decide.done": {"zh": "📝 已记录 {number} 的决定：{text}", "en": "📝 Decision recorded for {number}: {text}"},
    "decide.task": {"zh": "📌 并已交办：{owner} — {what}（期限 {due}）", "en": "📌 Task given: {owner} — {what} (due {due})"},
    "decide.task_several": {"zh": "「{who}」可能指：{names}，请用 /task 指定", "en": "“{who}” may be {names}; give it with /task"},
    "decide.task_failed": {"zh": "决定已记录，但任务未交办：{why}", "en": "The decision is recorded, but no task was given: {why}"},
    # the timeline (bot/audit_sentences.py)
    "audit.kind.room_opened": {"zh": "开设事件话题", "en": "topic opened"},
    "audit.kind.room_refused": {"zh": "未能开设事件话题", "en": "no topic"},
    "audit.kind.room_gone": {"zh": "事件话题被删除", "en": "topic deleted"},
    "audit.kind.room_closed": {"zh": "关闭事件话题", "en": "topic closed"},
    "audit.kind.decided": {"zh": "记录决定", "en": "decision"},
    "audit.s.room_opened": {"zh": "在舆情办公室群开设事件话题{name}{link}",
                            "en": "opened the incident's topic{name} in the office group{link}"},
    "audit.s.room_refused": {"zh": "未能开设事件话题（{why}），消息继续发在舆情办公室群",
                             "en": "could not open a topic ({why}); messages stay in the office group"},
    "audit.s.room_gone": {"zh": "事件话题{name}被删除，消息改发舆情办公室群", "en": "the topic{name} was deleted; messages go to the office group"},
    "audit.s.room_closed": {"zh": "结案，关闭事件话题{name}", "en": "closed the incident's topic{name}"},
    "audit.s.decided": {"zh": "记录决定{what}{task}", "en": "recorded a decision{what}{task}"},
    "audit.room.decided_task": {"zh": "，并交办{owner}", "en": ", giving {owner} a task"},
    # the review
    "review.room.title": {"zh": "工作组话题与决定", "en": "The working group's topic and decisions"},
    "review.room.topic": {"zh": "事件话题：{name} {link}", "en": "Topic: {name} {link}"},
    "review.room.none": {"zh": "未记录决定。", "en": "No decisions recorded."},
    "review.room.decision": {"zh": "{at} {by}：{text}{task}", "en": "{at} {by}: {text}{task}"},
    "review.room.decision_task": {"zh": "（交办：{what}）", "en": " (task: {what})"},
    **{f"room.why.{k}": {"zh": zh, "en": en} for k, (zh, en) in _WHY.items()},
    **{f"audit.room.why.{k}": {"zh": zh, "en": en} for k, (zh, en) in _WHY.items()},
}

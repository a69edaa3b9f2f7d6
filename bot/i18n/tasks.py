"""Texts of tasks (督办): giving a task to a unit or a person, the owner's answers, reminders, overdue."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "task.usage": {
        "zh": "用法：/task YQ-2026-0001 单位或姓名 任务内容 [期限]\n期限可写 2h、3天、明天17:00、12-05 17:00；"
              "不写则为下一个工作日下班前。\n/tasks 查看我的任务，/tasks YQ-2026-0001 查看事件的任务。",
        "en": "Usage: /task YQ-2026-0001 UNIT-OR-PERSON WHAT [DUE]\nDUE may be 2h, 3d, 明天17:00, 12-05 17:00; "
              "without it, the close of the next working day.\n/tasks lists your tasks, /tasks YQ-2026-0001 an incident's.",
    },
    "task.assigned": {
        "zh": "✅ 已向 {target} 交办 {number} 任务 #{id}：{what}，期限 {due}。",
        "en": "✅ Task #{id} on {number} given to {target}: {what}, due {due}.",
    },
    "task.target_unit": {"zh": "{unit}（承办人 {owner}）", "en": "{unit} (owner {owner})"},
    "task.waits": {
        "zh": "⚠️ {owner} 目前收不到消息：任务已保存，消息待其可接收时送达。",
        "en": "⚠️ {owner} cannot be reached now: the task is kept and the message waits until they can be.",
    },
    "task.err.not_allowed": {
        "zh": "只有舆情办公室、领导或该事件的负责人可以交办任务。",
        "en": "Only the office, a leader or the incident's person in charge can give tasks.",
    },
    "task.err.unknown_incident": {"zh": "未找到事件 {number}。", "en": "No incident {number}."},
    "task.err.closed": {"zh": "事件 {number} 已结案，不能再交办任务。", "en": "Incident {number} is closed: no new tasks."},
    "task.err.empty": {"zh": "请写明任务内容。", "en": "Please say what the task is."},
    "task.err.past": {"zh": "期限 {due} 已经过去，请给一个将来的时间。", "en": "The due time {due} has passed; please give a later one."},
    "task.err.no_match": {"zh": "找不到名为「{who}」的单位或人员，请检查名称。",
                          "en": "No unit or person is called \"{who}\"; please check the name."},
    "task.err.several": {"zh": "「{who}」可能指：{names}。请选择：",
                         "en": "\"{who}\" may mean: {names}. Please choose:"},
    "task.err.no_owner": {"zh": "{unit} 没有负责人，也没有处置人员，无法交办，请先在组织文件中设置。",
                          "en": "{unit} has no head and no handler to own the task; set one in the org file first."},
    "task.err.no_role": {"zh": "{name} 没有可承办任务的角色。", "en": "{name} has no role that can own a task."},
    "task.err.pick_gone": {"zh": "这个选择已失效，请重新发送 /task。", "en": "This choice has expired; please send /task again."},
    "task.for_unit": {"zh": "（交办单位：{unit}）", "en": " (for {unit})"},
    "task.you": {
        "zh": "📌 督办任务 #{id}（{number}）{unit}\n交办人：{by}\n任务：{what}\n期限：{due}\n请接收，完成后点「已完成」并附说明和证据。",
        "en": "📌 Task #{id} ({number}){unit}\nFrom: {by}\nTask: {what}\nDue: {due}\nPlease accept it; when done, press "
              "\"Done\" and add a note and evidence.",
    },
    "task.btn.accept": {"zh": "✅ 接收", "en": "✅ Accept"},
    "task.btn.done": {"zh": "☑️ 已完成", "en": "☑️ Done"},
    "task.btn.help": {"zh": "🆘 需要协助", "en": "🆘 Need help"},
    "task.accepted": {"zh": "已接收任务 #{id}（{number}）。", "en": "Task #{id} ({number}) accepted."},
    "task.already_accepted": {"zh": "任务 #{id} 已接收。", "en": "Task #{id} is already accepted."},
    "task.ask_note": {
        "zh": "请回复本消息说明任务 #{id}（{number}）的完成情况；可附照片或文件作为证据。",
        "en": "Reply to this message with how task #{id} ({number}) was done; you may attach a photo or a file as evidence.",
    },
    "task.note_placeholder": {"zh": "完成情况", "en": "How it was done"},
    "task.done": {"zh": "☑️ 任务 #{id}（{number}）已记为完成{evidence}{late}。",
                  "en": "☑️ Task #{id} ({number}) recorded as done{evidence}{late}."},
    "task.done_evidence": {"zh": "，附证据 {n} 份", "en": ", with {n} piece(s) of evidence"},
    "task.late_mark": {"zh": "（逾期完成）", "en": " (late)"},
    "task.no_note": {"zh": "（无说明）", "en": "(no note)"},
    "task.done_told": {
        "zh": "☑️ {name} 已完成任务 #{id}（{number}）{late}：{what}\n说明：{note}\n证据：{evidence} 份",
        "en": "☑️ {name} finished task #{id} ({number}){late}: {what}\nNote: {note}\nEvidence: {evidence}",
    },
    "task.help": {"zh": "已告知交办人和舆情办公室您需要协助（任务 #{id}）。",
                  "en": "The assigner and the office know you need help with task #{id}."},
    "task.already_help": {"zh": "已经告知过需要协助（任务 #{id}）。", "en": "Help was already asked for task #{id}."},
    "task.help_told": {
        "zh": "🆘 {name} 就任务 #{id}（{number}）请求协助：{what}",
        "en": "🆘 {name} asks for help with task #{id} ({number}): {what}",
    },
    "task.err.not_owner": {"zh": "这不是您的任务。", "en": "This is not your task."},
    "task.err.already_done": {"zh": "任务 #{id} 已完成。", "en": "Task #{id} is already done."},
    "task.err.gone": {"zh": "找不到这个任务。", "en": "This task no longer exists."},
    "task.err.note_required": {"zh": "请写明完成情况，或附上证据。", "en": "Please write how it was done, or attach evidence."},
    "task.remind": {
        "zh": "⏰ 任务提醒 #{id}（{number}）：{what}\n期限：{due}",
        "en": "⏰ Task reminder #{id} ({number}): {what}\nDue: {due}",
    },
    "task.remind_late": {"zh": "（迟发）", "en": "(sent late) "},
    "task.overdue_head": {
        "zh": "🔴 督办逾期：任务 #{id}（{number}）由 {owner} 承办，期限 {due} 已过仍未完成：{what}",
        "en": "🔴 Overdue: task #{id} ({number}), owned by {owner}, was due {due} and is not done: {what}",
    },
    "task.overdue_office": {
        "zh": "🔴 督办逾期（无单位负责人）：任务 #{id}（{number}）由 {owner} 承办，期限 {due} 已过：{what}",
        "en": "🔴 Overdue (no unit head): task #{id} ({number}), owned by {owner}, was due {due}: {what}",
    },
    "task.overdue_assigner": {
        "zh": "🔴 您交办的任务 #{id}（{number}）已逾期（期限 {due}，承办人 {owner}）：{what}",
        "en": "🔴 Task #{id} you gave ({number}) is overdue (due {due}, owner {owner}): {what}",
    },
    "task.overdue_owner": {
        "zh": "🔴 任务 #{id}（{number}）已逾期（期限 {due}），已报单位负责人：{what}",
        "en": "🔴 Task #{id} ({number}) is overdue (due {due}); the unit's head has been told: {what}",
    },
    # /tasks
    "tasks.mine": {"zh": "📋 我的任务：", "en": "📋 My tasks:"},
    "tasks.mine_none": {"zh": "您目前没有未完成的任务。", "en": "You have no open tasks."},
    "tasks.incident": {"zh": "📋 {number} 的任务：", "en": "📋 Tasks of {number}:"},
    "tasks.incident_none": {"zh": "{number} 还没有任务。", "en": "{number} has no tasks."},
    "tasks.line": {"zh": "#{id} {number} {what} — {owner}{unit}，期限 {due}，{status}{late}",
                   "en": "#{id} {number} {what} — {owner}{unit}, due {due}, {status}{late}"},
    "tasks.unit": {"zh": "（{unit}）", "en": " ({unit})"},
    "tasks.overdue": {"zh": "（已逾期）", "en": " (overdue)"},
    "tasks.late": {"zh": "（逾期完成）", "en": " (late)"},
    "tasks.err.not_allowed_view": {"zh": "只有舆情办公室、领导、事件负责人或任务承办人可以查看事件的任务。",
                                   "en": "Only the office, leaders, the person in charge or a task's owner can see an "
                                         "incident's tasks."},
    "tasks.err.unknown_incident": {"zh": "未找到事件 {number}。", "en": "No incident {number}."},
    "task.status.open": {"zh": "待接收", "en": "not accepted"},
    "task.status.accepted": {"zh": "办理中", "en": "in progress"},
    "task.status.done": {"zh": "已完成", "en": "done"},
    "task.status.help": {"zh": "需协助", "en": "needs help"},
    "cmd.task": {"zh": "交办督办任务", "en": "Give a task"},
    "cmd.tasks": {"zh": "我的任务 / 事件的任务", "en": "My tasks / an incident's tasks"},
    # the card's button (bot/actions/incident.py): /task with the incident filled in, answered by a reply
    "card.btn.task": {"zh": "📌 交办", "en": "📌 Task"},
    "task.ask.new": {
        "zh": "📌 给 {number} 交办任务：请回复本消息，写明 单位或姓名、任务内容、期限（可不写），例如：\n"
              "后勤处 核实食堂进货记录并提交说明 2h",
        "en": "📌 A task on {number}: reply to this message with the unit or person, what to do and the due time "
              "(optional), e.g.\n后勤处 check the canteen's delivery records 2h",
    },
    "task.ask.placeholder": {"zh": "单位或姓名 任务内容 [期限]", "en": "UNIT-OR-PERSON WHAT [DUE]"},
    "task.ask.usage": {
        "zh": "请回复本消息，写明 单位或姓名 和 任务内容，例如：后勤处 核实食堂进货记录 2h",
        "en": "Please reply to this message with the unit or person and what to do, e.g. 后勤处 check the "
              "delivery records 2h",
    },
}

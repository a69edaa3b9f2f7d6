"""Texts of /due."""

TEXTS: dict[str, dict[str, str]] = {
    "due.title": {"zh": "⏱ {number}（{grade}）的处置时限：", "en": "⏱ Deadlines of {number} ({grade}):"},
    "due.ungraded": {"zh": "未定级", "en": "not graded"},
    "due.running": {"zh": "• {name}：{due} 前（剩余 {left}）", "en": "• {name}: by {due} ({left} left)"},
    "due.overdue": {"zh": "• ⚠️ {name}：{due} 已到期（超时 {over}）", "en": "• ⚠️ {name}: was due {due} ({over} overdue)"},
    "due.met": {"zh": "• ✓ {name}：已于 {at} 完成（时限 {due}）", "en": "• ✓ {name}: done at {at} (due {due})"},
    "due.missed": {"zh": "• ✗ {name}：{at} 完成，晚于时限 {due}", "en": "• ✗ {name}: done at {at}, after {due}"},
    "due.stopped": {"zh": "• – {name}：已停止（{at}）", "en": "• – {name}: stopped ({at})"},
    "due.none": {"zh": "（没有计时的时限）", "en": "(no running deadlines)"},
    "done.not_allowed": {"zh": "只有舆情办公室和领导可以登记时限完成。", "en": "Only the office and leaders can record a deadline as done."},
    "done.usage": {
        "zh": "用法：/done YQ-2026-0001 时限名 [说明]。时限名：{clocks}",
        "en": "Usage: /done YQ-2026-0001 CLOCK [note]. Clocks: {clocks}",
    },
    "done.by": {"zh": "{name} 登记", "en": "recorded by {name}"},
    "done.no_clock": {"zh": "事件 {number} 没有「{name}」时限。", "en": "Incident {number} has no \"{name}\" deadline."},
    "done.met": {"zh": "✓ 已登记：{number} · {name} 于 {at} 完成（时限 {due}），提醒已停止。",
                 "en": "✓ Recorded: {number} · {name} done at {at} (due {due}); reminders stopped."},
    "done.missed": {"zh": "已登记：{number} · {name} 于 {at} 完成，晚于时限 {due}。提醒已停止。",
                    "en": "Recorded: {number} · {name} done at {at}, after the deadline {due}; reminders stopped."},
    "done.stopped": {"zh": "{number} · {name} 此前已停止。", "en": "{number} · {name} was already stopped."},
    "extend.not_allowed": {"zh": "只有领导可以批准延期。", "en": "Only a leader can approve an extension."},
    "extend.usage": {"zh": "用法：/extend YQ-2026-0001 工作日数 理由（正式答复最多 {max} 个工作日）",
                     "en": "Usage: /extend YQ-2026-0001 WORKING_DAYS REASON (the formal reply: at most {max} working days)"},
    "extend.no_clock": {"zh": "事件 {number} 没有正在计时的正式答复时限。", "en": "Incident {number} has no running formal-reply deadline."},
    "extend.done": {"zh": "已批准延期：{number} 正式答复时限改为 {due}，提醒随之调整。",
                    "en": "Extension approved: {number} formal reply now due {due}; reminders follow."},
    "due.not_found": {
        "zh": "找不到事件 {number}。用法：/due YQ-2026-0001（不带编号时显示您最近的一件）。",
        "en": "No incident {number}. Usage: /due YQ-2026-0001 (without a number: your latest one).",
    },
}

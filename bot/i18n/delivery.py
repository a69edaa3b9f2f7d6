"""Texts of delivery: deadline nudges (schedules/sweeps.py) and the outbox (bot/delivery, `onduty outbox`)."""

TEXTS: dict[str, dict[str, str]] = {
    # nudges
    "nudge.late": {"zh": "[迟发] ", "en": "[late] "},
    "nudge.reminder": {
        "zh": "{late}⏰ 时限提醒：{number} · {clock}\n时限：{due}\n已用时 {percent}%，剩余 {left}。",
        "en": "{late}⏰ Deadline reminder: {number} · {clock}\nDue: {due}\n{percent}% of the time used, {left} left.",
    },
    "nudge.reminder_passed": {
        "zh": "{late}⏰ 时限提醒：{number} · {clock}\n时限：{due}\n已超时 {over}。",
        "en": "{late}⏰ Deadline reminder: {number} · {clock}\nDue: {due}\nOverdue by {over}.",
    },
    "nudge.due_now": {
        "zh": "{late}⚠️ 时限已到：{number} · {clock}\n时限：{due}\n请立即处理，并在完成后登记。",
        "en": "{late}⚠️ Deadline reached: {number} · {clock}\nDue: {due}\nAct now and record it when done.",
    },
    "nudge.due_passed": {
        "zh": "{late}⚠️ 时限已过：{number} · {clock}\n时限：{due}\n已超时 {over}，请立即处理。",
        "en": "{late}⚠️ Deadline passed: {number} · {clock}\nDue: {due}\nOverdue by {over}; act now.",
    },
    "nudge.overdue": {
        "zh": "{late}🚨 超时未办（第 {n} 次升级）：{number} · {clock}\n时限：{due}\n已超时 {over}。已报告：{level}。",
        "en": "{late}🚨 Overdue (escalation {n}): {number} · {clock}\nDue: {due}\nOverdue by {over}. "
              "Reported to: {level}.",
    },
    "nudge.responsible": {"zh": "责任人：{name}", "en": "Responsible: {name}"},
    "nudge.duration.days": {"zh": "{d}天{h}小时{m}分", "en": "{d} d {h} h {m} min"},
    "nudge.duration.hours": {"zh": "{h}小时{m}分", "en": "{h} h {m} min"},
    "nudge.duration.minutes": {"zh": "{m}分钟", "en": "{m} min"},
    "nudge.role.supervising_leader": {"zh": "分管领导", "en": "the supervising leader"},
    "nudge.role.main_leader": {"zh": "主要领导", "en": "the main leader"},
    "nudge.role.leading_group": {"zh": "领导小组", "en": "the leading group"},
    # outbox
    "outbox.failed_notice": {
        "zh": "❗ 消息无法送达 {who}：{reason}\n原消息：{text}",
        "en": "❗ A message could not be delivered to {who}: {reason}\nThe message: {text}",
    },
    "outbox.who.unknown": {"zh": "一个未登记的账号", "en": "an unregistered account"},
    "outbox.reason.blocked": {"zh": "对方已屏蔽本助手。", "en": "they have blocked the bot."},
    "outbox.reason.deactivated": {"zh": "对方的 Telegram 账号已注销。", "en": "their Telegram account was deleted."},
    "outbox.reason.kicked": {"zh": "本助手已被移出该群。", "en": "the bot was removed from that group."},
    "outbox.reason.never_opened": {"zh": "对方尚未打开本助手（需先点开链接或向本助手发送 /start）。",
                                   "en": "they have not opened the bot yet (they must open their link or send /start)."},
    "outbox.reason.chat_not_found": {"zh": "找不到该聊天（账号或群号有误，或本助手不在群内）。",
                                     "en": "the chat was not found (a wrong id, or the bot is not in that group)."},
    "outbox.reason.too_large": {"zh": "消息或文件超出 Telegram 的大小限制。", "en": "the message or file is too large for Telegram."},
    "outbox.reason.refused": {"zh": "Telegram 拒收了这条消息。", "en": "Telegram refused the message."},
    "outbox.report.counts": {
        "zh": "发件箱：共 {total} 条 · 待发 {pending}（其中等待对方打开本助手 {held}）· 发送中 {sending} · 已发 {sent} · "
              "失败 {failed} · 已被替代 {superseded}\n"
              "可能重复：{possible_duplicates} 条（租约过期接管 {reclaimed} 次）",
        "en": "Outbox: {total} in all · pending {pending} (waiting for the addressee to open the bot: {held}) · "
              "sending {sending} · sent {sent} · failed {failed} · superseded {superseded}\n"
              "Possible duplicates: {possible_duplicates} (expired leases taken over: {reclaimed})",
    },
    "outbox.report.legend": {
        "zh": "各数字的含义：\n"
              "  待发：尚未发出——等待重试（Telegram 暂时拒收、无应答）、受限速暂缓，或等待对方打开本助手\n"
              "  发送中：某个发送进程正在处理；若已开始调用 Telegram 即为“在途”\n"
              "  已发：Telegram 已接收（汇总消息或合并消息所含的每一条都计入）\n"
              "  失败：被永久拒收（被屏蔽、找不到聊天、请求无效），已通知舆情办公室\n"
              "  已被替代：发出前被更新的版本取代（如同一卡片的较早编辑）\n"
              "  可能重复：发送进程停止（崩溃、超时）时正在途中的消息，重发后对方可能看到两次\n"
              "  租约过期接管：一个发送进程接手另一个进程认领后未按时完成的消息的次数（崩溃或卡住），不含续租",
        "en": "What the numbers mean:\n"
              "  pending: not sent yet — waiting for a retry (Telegram refused for now, or did not answer), held by "
              "the rate limits, or waiting for the addressee to open the bot\n"
              "  sending: a sender is handling it now; in flight once the call to Telegram has started\n"
              "  sent: Telegram took it (every row a digest or a combined message carries counts)\n"
              "  failed: refused for good (blocked, chat not found, bad request); the office was told\n"
              "  superseded: replaced before it was sent by a newer version (an older edit of the same card)\n"
              "  possible duplicates: in flight when its sender stopped (a crash, a timeout); sent again, so the "
              "addressee may have seen it twice\n"
              "  expired leases taken over: times a sender took over a row another sender had claimed and not "
              "finished in time (a crash or a stall); a sender renewing its own claim is not counted",
    },
    "outbox.report.duplicates": {"zh": "可能重复的消息（{n}）：", "en": "Possible duplicates ({n}):"},
    "outbox.report.failed": {"zh": "发送失败（{n}）：", "en": "Failed ({n}):"},
    "outbox.report.pending": {"zh": "待发送（{n}）：", "en": "Waiting ({n}):"},
    "outbox.report.row": {
        "zh": "  #{id} → {chat_id} [{status}] 尝试 {attempts} 次 · {when} · {error} · {text}",
        "en": "  #{id} → {chat_id} [{status}] {attempts} attempt(s) · {when} · {error} · {text}",
    },
}

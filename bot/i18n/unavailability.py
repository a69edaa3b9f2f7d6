"""Texts of declared unavailability (/unavailable, the org file's `unavailable:`) and of the reassignment
of shifts it causes on a running duty."""

TEXTS = {
    "unavail.err.usage": {
        "zh": "用法：/unavailable 2026-11-25 08:00 2026-11-25 20:00 [原因]（只写日期 = 全天；/unavailable 查看和删除）",
        "en": "Usage: /unavailable 2026-11-25 08:00 2026-11-25 20:00 [reason] (a date alone = the whole day; "
              "/unavailable alone lists and deletes)",
    },
    "unavail.err.reason_long": {"zh": "原因太长（{length} 字，最多 {limit} 字），未保存。请缩短后重新发送。",
                                "en": "The reason is too long ({length} characters, at most {limit}); nothing was saved. "
                                      "Please shorten it and send it again."},
    "unavail.err.bad_date": {"zh": "无法识别的日期或时间：{value}", "en": "Not a valid date or time: {value}"},
    "unavail.err.no_end": {
        "zh": "请同时写出结束时间，例如 /unavailable 11-25 08:00 11-25 20:00（只写日期表示全天）",
        "en": "Please give the end too, e.g. /unavailable 11-25 08:00 11-25 20:00 (a date alone means the whole day)",
    },
    "unavail.err.reversed": {
        "zh": "结束时间不晚于开始时间（{when}），请把开始写在前面，未保存。",
        "en": "The end is not after the start ({when}); put the start first. Nothing was saved.",
    },
    "unavail.err.file_reversed": {
        "zh": "结束时间（to）不晚于开始时间（from）：{when}",
        "en": "`to` is not after `from`: {when}",
    },
    "unavail.err.past": {
        "zh": "这个时段已经过去（{when}），未保存。",
        "en": "That window is already over ({when}). Nothing was saved.",
    },
    "unavail.err.file_time": {
        "zh": "不可值班时段的时间应写成 \"2026-11-25 08:00\" 或 \"2026-11-25\"：{value}",
        "en": "an unavailability time must look like \"2026-11-25 08:00\" or \"2026-11-25\": {value}",
    },
    "unavail.err.unknown_person": {
        "zh": "没有找到人员 {who}（写 @Telegram编号 或 @姓名）。",
        "en": "No person {who} (write @telegram_id or @name).",
    },
    "unavail.err.ambiguous": {
        "zh": "有多人叫 {who}，请改用 @Telegram编号。",
        "en": "More than one person is called {who}; use @telegram_id.",
    },
    "unavail.err.for_others": {
        "zh": "只有舆情办可以为他人登记不可值班时段。",
        "en": "Only the office may declare unavailability for someone else.",
    },
    "unavail.err.not_registered": {
        "zh": "您还没有登记，不能登记不可值班时段。",
        "en": "You are not registered, so you cannot declare unavailability.",
    },
    "unavail.saved": {
        "zh": "✅ 已登记 {name} 的不可值班时段：{when}{reason}",
        "en": "✅ Saved: {name} is unavailable {when}{reason}",
    },
    "unavail.merged": {
        "zh": "（与已登记的 {n} 个时段重叠或相连，已合并为一个）",
        "en": " (it overlapped or touched {n} window(s) already declared; merged into one)",
    },
    "unavail.reason": {"zh": "（{reason}）", "en": " ({reason})"},
    "unavail.list": {"zh": "{name} 的不可值班时段：\n{lines}", "en": "{name}'s unavailability:\n{lines}"},
    "unavail.list.none": {
        "zh": "{name} 没有登记不可值班时段。登记：/unavailable 2026-11-25 08:00 2026-11-25 20:00 [原因]",
        "en": "{name} has declared no unavailability. Declare: /unavailable 2026-11-25 08:00 2026-11-25 20:00 [reason]",
    },
    "unavail.btn.delete": {"zh": "删除 {when}", "en": "Delete {when}"},
    "unavail.deleted": {"zh": "已删除不可值班时段：{when}", "en": "Unavailability deleted: {when}"},
    "unavail.delete.gone": {"zh": "该时段已删除。", "en": "That window was already deleted."},
    "unavail.delete.not_yours": {"zh": "只能删除自己的时段（舆情办除外）。", "en": "You can only delete your own windows (the office may delete any)."},
    "unavail.delete.note": {
        "zh": "已经改派出去的班次不会自动改回；如需调整请用 /swap 或联系舆情办。",
        "en": "Shifts already given to others do not come back by themselves; use /swap or ask the office.",
    },
    # a running duty
    "unavail.moved.self": {
        "zh": "🔁 因您登记的不可值班时段，您的班次 {span} 已改由 {to} 值班，相关提醒随之取消。",
        "en": "🔁 Because of your declared unavailability, your shift {span} now goes to {to}; its reminders are cancelled.",
    },
    "unavail.moved.taker": {
        "zh": "🔁 {frm} 登记了不可值班，班次 {span} 改由您值班，届时会提醒您签到。",
        "en": "🔁 {frm} is unavailable: the shift {span} is now yours; you will be reminded and asked to check in.",
    },
    "unavail.moved.office": {
        "zh": "🔁 {frm} 登记不可值班（{when}），班次 {span} 已改派给 {to}（休息与均衡规则已核对）。",
        "en": "🔁 {frm} declared unavailability ({when}); the shift {span} was reassigned to {to} (rest and balance checked).",
    },
    "unavail.uncovered.office": {
        "zh": "⚠ {frm} 登记不可值班（{when}），班次 {span} 找不到人接替：{why}。{frm} 仍在排班表上，请舆情办安排。",
        "en": "⚠ {frm} declared unavailability ({when}) but nobody can take the shift {span}: {why}. {frm} stays on "
              "the roster for now; the office must arrange cover.",
    },
    "unavail.uncovered.self": {
        "zh": "⚠ 暂时找不到人接替您的班次 {span}，已通知舆情办安排；在此之前您仍在排班表上。",
        "en": "⚠ Nobody can take your shift {span} yet; the office was told. Until then you stay on the roster.",
    },
    "unavail.running.office": {
        "zh": "⚠ {frm} 登记了不可值班（{when}），但其班次 {span} 正在进行中。是否现在找人接替？",
        "en": "⚠ {frm} declared unavailability ({when}) but their shift {span} is under way. Find someone to take over now?",
    },
    "unavail.running.self": {
        "zh": "您的班次 {span} 正在进行中，已请舆情办决定是否找人接替；在此之前请继续值班。",
        "en": "Your shift {span} is under way; the office was asked whether to hand it over. Until then please stay on duty.",
    },
    "unavail.btn.takeover": {"zh": "找人接替", "en": "Find someone now"},
    "unavail.btn.keep": {"zh": "保持不变", "en": "Keep as is"},
    "unavail.takeover.done": {"zh": "已改派：{span} 由 {to} 接替。", "en": "Reassigned: {to} takes over {span}."},
    "unavail.takeover.none": {"zh": "找不到人接替 {span}：{why}", "en": "Nobody can take over {span}: {why}"},
    "unavail.takeover.kept": {"zh": "已保持原排班。", "en": "The roster stays as it is."},
    "unavail.takeover.gone": {"zh": "该班次已结束或已改派。", "en": "That shift is over or was already reassigned."},
    "unavail.takeover.taker": {
        "zh": "🔁 {frm} 无法继续值班，正在进行的班次 {span} 改由您接替，请立即签到。",
        "en": "🔁 {frm} cannot continue: you take over the running shift {span}. Please check in now.",
    },
    "unavail.takeover.self": {
        "zh": "🔁 舆情办已安排 {to} 接替您正在进行的班次 {span}。",
        "en": "🔁 The office arranged for {to} to take over your running shift {span}.",
    },
    "unavail.imported": {
        "zh": "不可值班时段：{n} 个已登记，{past} 个已过去未导入",
        "en": "unavailability: {n} window(s) stored, {past} already over and skipped",
    },
    "roster.err.no_replacement": {
        "zh": "{total} 名监测员中，{unavailable} 人该时段不可值班，{rest} 人会违反至少休息 {rest_hours} 小时，"
              "{on_shift} 人已在该班 —— 请增加人员或调整排班",
        "en": "of {total} monitors, {unavailable} are unavailable then, {rest} would break the {rest_hours} h rest "
              "rule and {on_shift} are already on the shift — add people or edit the roster",
    },
}

"""Texts of a shift offered at short notice: Accept / Can't, moving on, nobody left (bot/services/duty_offers.py)."""

TEXTS: dict[str, dict[str, str]] = {
    "duty.offer.ask": {
        "zh": "🟡 值班班次 {when}{partial} 马上开始，您能否接班？点“接班”即视为已签到上岗；{minutes} 分钟内未回应，"
              "将转请下一位同事。",
        "en": "🟡 Your duty shift {when}{partial} starts now or very soon: can you take it? “Take the shift” counts as "
              "checking in; with no answer within {minutes} minutes it is offered to the next colleague.",
    },
    "duty.offer.ask_other": {
        "zh": "🟡 {owner} 无法接 {when}{partial} 的值班，请问您能否接替？点“接班”即视为已签到上岗；{minutes} 分钟内未回应，"
              "将转请下一位同事。",
        "en": "🟡 {owner} cannot take the duty shift {when}{partial}: can you take it instead? “Take the shift” counts "
              "as checking in; with no answer within {minutes} minutes it is offered to the next colleague.",
    },
    "duty.offer.partial": {"zh": "（首个不完整班次）", "en": " (the first, partial shift)"},
    "duty.offer.btn.accept": {"zh": "✅ 接班", "en": "✅ Take the shift"},
    "duty.offer.btn.decline": {"zh": "🙅 无法接班", "en": "🙅 I can't"},
    "duty.offer.accepted": {"zh": "已接班：{span}，已视为签到上岗。", "en": "Shift taken: {span}; you are checked in."},
    "duty.offer.declined": {"zh": "已记录，{span} 的班已转请下一位同事。",
                            "en": "Noted; the shift {span} is offered to the next colleague."},
    "duty.offer.declined_unfilled": {"zh": "已记录。{span} 的班暂无其他同事可接，已告知舆情办公室。",
                                     "en": "Noted. Nobody else can take the shift {span}; the office has been told."},
    "duty.offer.unfilled": {
        "zh": "⚠️ 值班班次 {when} 无人接班：{names} 均无法接班或未回应。原定值班人 {owner} 仍为责任人，请舆情办公室尽快安排。",
        "en": "⚠️ Nobody took the duty shift {when}: {names} could not or did not answer. {owner}, on the roster, "
              "remains responsible; the office should arrange cover now.",
    },
    "duty.offer.taken_over": {"zh": "🔁 {name} 已接替 {owner} 值班 {when}。", "en": "🔁 {name} took over {owner}'s duty "
                              "shift {when}."},
    "duty.offer.gone": {"zh": "该班次已不存在。", "en": "This shift no longer exists."},
    "duty.offer.over": {"zh": "该班次已结束或值班已停止。", "en": "This shift is over or the duty has stopped."},
    "duty.offer.taken": {"zh": "该班次已由其他同事接班。", "en": "A colleague has already taken this shift."},
    "duty.offer.not_yours": {"zh": "该接班请求不是发给您的。", "en": "This shift was not offered to you."},
    "duty.offer.moved": {"zh": "该接班请求已转给下一位同事。", "en": "This offer has moved on to the next colleague."},
    "duty.offer.cannot": {"zh": "您不能接这个班：{error}", "en": "You cannot take this shift: {error}"},
}

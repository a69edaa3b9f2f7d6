"""Texts of the roster as a picture, as text and as calendar files (bot/duty/)."""

TEXTS = {
    "duty.render.partial": {"zh": "（首个不完整班次）", "en": " (first, partial shift)"},
    "duty.render.title": {
        "zh": "舆情值班表 {span}（{tz}）",
        "en": "Duty roster {span} ({tz})",
    },
    "duty.render.axis_time": {
        "zh": "时间（{tz}）",
        "en": "time ({tz})",
    },
    "duty.render.now": {
        "zh": "现在",
        "en": "now",
    },
    "duty.render.current": {
        "zh": "当前班次",
        "en": "current shift",
    },
    "duty.render.shift": {
        "zh": "班次",
        "en": "shift",
    },
    "duty.render.weekdays": {
        "zh": "一,二,三,四,五,六,日",
        "en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    },
    "duty.render.day": {
        "zh": "{date} 周{weekday}",
        "en": "{weekday} {date}",
    },
    "duty.render.vacant": {
        "zh": "（空缺）",
        "en": "(vacant)",
    },
    "duty.render.unknown_person": {
        "zh": "人员{person_id}",
        "en": "person {person_id}",
    },
    "duty.render.name_sep": {
        "zh": "、",
        "en": ", ",
    },
    "duty.render.text_header": {
        "zh": "舆情值班表 {span}（{tz}），▶ 为当前班次：",
        "en": "Duty roster {span} ({tz}), ▶ marks the current shift:",
    },
    "duty.render.text_header_upcoming": {
        "zh": "舆情值班表 {span}（{tz}），当前无人值班：",
        "en": "Duty roster {span} ({tz}), no shift under way now:",
    },
    "duty.render.text_empty": {
        "zh": "{span}（{tz}）内没有值班班次。",
        "en": "No duty shifts {span} ({tz}).",
    },
    "duty.render.all_header": {
        "zh": "舆情值班表 {span}（{tz}），共 {n} 个班次，▶ 为当前班次：",
        "en": "Duty roster {span} ({tz}), {n} shifts, ▶ marks the current shift:",
    },
    "duty.render.all_header_idle": {
        "zh": "舆情值班表 {span}（{tz}），共 {n} 个班次，当前无人值班：",
        "en": "Duty roster {span} ({tz}), {n} shifts, no shift under way now:",
    },
    "duty.render.text_cont": {
        "zh": "舆情值班表（续）：",
        "en": "Duty roster (continued):",
    },
    "duty.render.no_shifts": {
        "zh": "该值班没有班次。",
        "en": "This duty has no shifts.",
    },
    "duty.render.text_more": {
        "zh": "……另有 {n} 个班次未列出。",
        "en": "… {n} more shift(s) not listed.",
    },
    # calendar files
    "duty.render.ics.calname": {
        "zh": "{org} 舆情值班 — {person}",
        "en": "{org} duty — {person}",
    },
    "duty.render.ics.summary": {
        "zh": "舆情值班 {range}",
        "en": "Duty shift {range}",
    },
    "duty.render.ics.desc_org": {
        "zh": "单位：{org}",
        "en": "Organisation: {org}",
    },
    "duty.render.ics.desc_when": {
        "zh": "班次：{when}（{tz}）",
        "en": "Shift: {when} ({tz})",
    },
    "duty.render.ics.desc_with": {
        "zh": "同班：{names}",
        "en": "On this shift with you: {names}",
    },
    "duty.render.ics.desc_before": {
        "zh": "接班自（上一班）：{names}（{when}）",
        "en": "Take over from (previous shift): {names} ({when})",
    },
    "duty.render.ics.desc_after": {
        "zh": "交班给（下一班）：{names}（{when}）",
        "en": "Hand over to (next shift): {names} ({when})",
    },
    "duty.render.ics.desc_first": {
        "zh": "接班自：无（值班表第一班）",
        "en": "Take over from: nobody (first shift of the roster)",
    },
    "duty.render.ics.desc_last": {
        "zh": "交班给：无（值班表最后一班）",
        "en": "Hand over to: nobody (last shift of the roster)",
    },
    "duty.render.ics.alarm": {
        "zh": "{minutes} 分钟后开始舆情值班 {range}",
        "en": "Duty shift {range} starts in {minutes} minutes",
    },
}

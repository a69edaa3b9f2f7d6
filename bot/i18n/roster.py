"""Texts of the duty roster (bot/domain/roster.py): errors of generation, input and swaps."""

TEXTS = {
    # input
    "roster.err.naive_time": {
        "zh": "时间缺少时区：{what}",
        "en": "time without a time zone: {what}",
    },
    "roster.err.empty_span": {
        "zh": "值班时段为空或颠倒（{when}），结束时间必须晚于开始时间",
        "en": "the duty span is empty or reversed ({when}); the end must be after the start",
    },
    "roster.err.no_people": {
        "zh": "没有可排班的人员，请先添加舆情监测员",
        "en": "no one to put on duty — add monitors first",
    },
    "roster.err.duplicate_person": {
        "zh": "人员重复出现：{person}（编号 {person_id}）",
        "en": "person listed twice: {person} (id {person_id})",
    },
    "roster.err.unknown_person": {
        "zh": "不可值班时段属于不在名单中的人员（编号 {person_id}）",
        "en": "an unavailability window belongs to someone not in the pool (id {person_id})",
    },
    "roster.err.unavail_reversed": {
        "zh": "{person} 的不可值班时段颠倒或为空（{when}），请把开始时间放在结束时间之前",
        "en": "{person}'s unavailability window is reversed or empty ({when}); put the start before the end",
    },
    "roster.err.unavail_past": {
        "zh": "{person} 的不可值班时段已完全过去（{when}），请删除或更正",
        "en": "{person}'s unavailability window is entirely in the past ({when}); remove or correct it",
    },
    # constraints that the pool cannot meet
    "roster.err.too_few_people": {
        "zh": "每班 {shift_hours} 小时、班间至少休息 {rest_hours} 小时、每班 {per_shift} 人，"
              "至少需要 {need} 人；现有 {have} 人 —— 请增加人员或改用更长的班次",
        "en": "need at least {need} people for {shift_hours}-hour shifts with {rest_hours} h rest "
              "and {per_shift} per shift; you have {have} — add people or use longer shifts",
    },
    "roster.err.nobody_available": {
        "zh": "{when} 没有任何人可以值班（影响 {shifts} 的班次）—— 请增加该时段有空的人员，或调整不可值班时段",
        "en": "no one is available {when} (needed for the {shifts} shifts) — add someone free then "
              "or change the unavailability",
    },
    "roster.err.nobody_whole_shift": {
        "zh": "{when} 没有人能值完整一班（每人都有部分时间不可值班）—— 请增加有空的人员或调整不可值班时段",
        "en": "no one is free for a whole shift {when} (everyone is unavailable for part of it) — "
              "add someone free then or change the unavailability",
    },
    "roster.err.too_few_available": {
        "zh": "{when} 每班需要 {need} 人，只有 {have} 人有空 —— 请增加该时段有空的人员或改为每班 1 人",
        "en": "{when} needs {need} people per shift but only {have} are available — add people free "
              "then or use one person per shift",
    },
    "roster.err.window_short": {
        "zh": "{when} 的 {shifts} 个班次因至少休息 {rest_hours} 小时需要 {need} 名不同人员，"
              "但只能安排 {have} 人 —— 请增加该时段有空的人员或改用更长的班次",
        "en": "{when}: with {rest_hours} h rest these {shifts} shifts need {need} different people, "
              "but only {have} can be placed — add people free then or use longer shifts",
    },
    "roster.err.rotation_conflict": {
        "zh": "只有 {need} 人（休息 {rest_hours} 小时所需的最少人数），每人必须每隔 {cycle} 班轮值一次，"
              "但不可值班时段无法排进这样的轮换 —— 请增加人员或改用更长的班次",
        "en": "with exactly {need} people (the minimum for {rest_hours} h rest) everyone must work one "
              "shift in every {cycle}, and the declared unavailability does not fit such a rotation — add people "
              "or use longer shifts",
    },
    "roster.err.rest_conflict": {
        "zh": "{when} 前后无法同时满足至少休息 {rest_hours} 小时和不可值班时段 —— "
              "请增加该时段有空的人员、缩短休息时间或改用更长的班次",
        "en": "around {when} the {rest_hours} h rest rule and the declared unavailability cannot both be "
              "met — add people free then, shorten the rest or use longer shifts",
    },
    "roster.err.search_limit": {
        "zh": "在 {limit} 步内未能排出值班表 —— 请增加人员或减少不可值班时段",
        "en": "no roster found within {limit} search steps — add people or reduce unavailability",
    },
    # swaps
    "roster.err.bad_shift": {
        "zh": "没有第 {index} 班（共 {count} 班）",
        "en": "there is no shift {index} (the roster has {count})",
    },
    "roster.err.already_on_shift": {
        "zh": "{person} 已在 {when} 这一班",
        "en": "{person} is already on the {when} shift",
    },
    "roster.err.need_replacing": {
        "zh": "{when} 这一班有两人，请指明替换哪一位",
        "en": "the {when} shift has two people; say which one is replaced",
    },
    "roster.err.not_on_shift": {
        "zh": "被替换的人员（编号 {person_id}）不在 {when} 这一班",
        "en": "the person to replace (id {person_id}) is not on the {when} shift",
    },
    "roster.err.swap_unavailable": {
        "zh": "{person} 在 {when} 不可值班，与 {shift} 这一班冲突",
        "en": "{person} is unavailable {when}, which overlaps the {shift} shift",
    },
    "roster.err.swap_rest": {
        "zh": "{person} 还有 {when} 的班，与 {shift} 之间只休息 {rest_hours} 小时，少于规定的 {min_rest_hours} 小时",
        "en": "{person} also has the {when} shift: only {rest_hours} h rest before/after {shift}, "
              "less than the required {min_rest_hours} h",
    },
}

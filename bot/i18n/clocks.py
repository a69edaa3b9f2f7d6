"""Texts of the response clocks and the working calendar (bot/domain/clocks.py, workcal.py)."""

TEXTS: dict[str, dict[str, str]] = {
    # clock names
    "clock.name.report_upward": {"zh": "向上级报告", "en": "report upward"},
    "clock.name.publish": {"zh": "网上发布权威信息", "en": "publish authoritative information"},
    "clock.name.first_response": {"zh": "首次回应网民", "en": "first response to the post"},
    "clock.name.formal_reply": {"zh": "正式答复", "en": "formal reply"},
    "clock.name.extension_max": {"zh": "延期答复最长期限", "en": "longest extension of the reply"},
    "clock.name.inquiry_same_day": {"zh": "询问类当日答复", "en": "same-day reply to an inquiry"},
    # calendar warnings
    "clock.warning.unofficial_year": {
        "zh": "提示：{year} 年的国务院节假日安排尚未收录，工作日按周一至周五及法定节日推算，"
              "可能与正式安排（调休）不符。公布后请在组织配置中补充。",
        "en": "Note: the official holiday schedule for {year} is not available yet; working days are "
              "estimated (Monday-Friday minus statutory holidays) and may miss make-up working days. "
              "Add the schedule to the organisation's overrides once it is published.",
    },
    # working hours and calendar
    "clock.error.work_hours_format": {
        "zh": "工作时间“{text}”格式不正确，应为“08:30-17:30”。",
        "en": "Working hours '{text}' are not valid; write them like '08:30-17:30'.",
    },
    "clock.error.work_hours_order": {
        "zh": "工作时间“{text}”的结束时间必须晚于开始时间。",
        "en": "Working hours '{text}': the end must be after the start.",
    },
    "clock.error.bad_date": {
        "zh": "日期“{text}”格式不正确，应为“2027-01-01”。",
        "en": "Date '{text}' is not valid; write it like '2027-01-01'.",
    },
    "clock.error.override_conflict": {
        "zh": "以下日期同时被设为节假日和工作日：{dates}。",
        "en": "These dates are set both as holidays and as working days: {dates}.",
    },
    "clock.error.override_keys": {
        "zh": "日历调整中有未知的项：{keys}（可用：holidays、workdays、years）。",
        "en": "Unknown calendar override key(s): {keys} (known: holidays, workdays, years).",
    },
    "clock.error.no_workdays": {
        "zh": "自 {start} 起找不到工作日，请检查节假日配置。",
        "en": "No working day found after {start}; check the holiday overrides.",
    },
    "clock.error.naive_datetime": {
        "zh": "时间“{value}”缺少时区。",
        "en": "Time '{value}' has no time zone.",
    },
    "clock.error.negative_duration": {
        "zh": "时长不能为负数：{value}。",
        "en": "A duration cannot be negative: {value}.",
    },
    "clock.error.bad_workday_count": {
        "zh": "工作日数必须是正整数，而不是“{value}”。",
        "en": "A number of working days must be a positive whole number, not '{value}'.",
    },
    # clocks
    "clock.error.unknown_clock": {
        "zh": "未知的时限“{clock}”。可用：{known}。",
        "en": "Unknown clock '{clock}'. Known: {known}.",
    },
    "clock.error.unknown_grade": {
        "zh": "未知的舆情等级“{grade}”。可用：{known}。",
        "en": "Unknown grade '{grade}'. Known: {known}.",
    },
    "clock.error.bad_start": {
        "zh": "起始时间“{text}”无法识别，请使用 ISO 8601 格式，例如 2026-09-30T10:00+08:00。",
        "en": "Start time '{text}' is not recognised; use ISO 8601, e.g. 2026-09-30T10:00+08:00.",
    },
    # policy
    "clock.error.policy_unknown_key": {
        "zh": "policy.clocks 中有未知的项：{keys}。可用：{known}。",
        "en": "policy.clocks: unknown key(s) {keys}. Known: {known}.",
    },
    "clock.error.policy_bad_value": {
        "zh": "policy.clocks.{key} 必须是正数，而不是“{value}”。",
        "en": "policy.clocks.{key} must be a positive number, not '{value}'.",
    },
    "clock.error.policy_bad_days": {
        "zh": "policy.clocks.{key} 必须是正整数（工作日数），而不是“{value}”。",
        "en": "policy.clocks.{key} must be a positive whole number of working days, not '{value}'.",
    },
    "clock.error.policy_bad_points": {
        "zh": "policy.clocks.{key} 必须是 0 到 1 之间（不含 0）的比例列表，例如 [0.5, 0.8, 1.0]，而不是“{value}”。",
        "en": "policy.clocks.{key} must be a list of fractions in (0, 1], e.g. [0.5, 0.8, 1.0], not '{value}'.",
    },
    "clock.error.policy_extension_short": {
        "zh": "policy.clocks.{key}（{value}）不能少于正式答复的工作日数（{minimum}）。",
        "en": "policy.clocks.{key} ({value}) cannot be less than the formal reply's working days ({minimum}).",
    },
    # extension
    "clock.error.extension_no_reason": {
        "zh": "延期答复必须说明理由。",
        "en": "An extension needs a stated reason.",
    },
    "clock.error.extension_not_later": {
        "zh": "延期后的时限（{requested}）必须晚于原定正式答复时限（{due}）。",
        "en": "The extended deadline ({requested}) must be later than the formal reply's deadline ({due}).",
    },
    "clock.error.extension_beyond_limit": {
        "zh": "延期后的时限（{requested}）超过最长期限：累计不超过 {days} 个工作日，即 {limit} 之前。",
        "en": "The extended deadline ({requested}) is beyond the limit of {days} working days in total ({limit}).",
    },
}

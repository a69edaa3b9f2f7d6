"""Texts of the report fields: labels, guided-dialog prompts and hints, parse errors.

Keys: `field.<name>` (the label, also a template label), `field.<name>.prompt`,
`field.<name>.hint`, `field.*` display helpers and `report.err.<code>` (see
bot.domain.report_fields.ERROR_CODES). Errors get {field} (the label) and, per code,
{value}, {max}, {length}, {choices}.
"""

TEXTS: dict[str, dict[str, str]] = {
    # labels (docs/names.md "Report fields"); template labels, so keep them in step with the contract
    "field.discovered": {"zh": "发现时间", "en": "discovered"},
    "field.time": {"zh": "时间", "en": "time"},
    "field.place": {"zh": "地点", "en": "place"},
    "field.unit": {"zh": "涉及单位", "en": "unit"},
    "field.process": {"zh": "过程", "en": "process"},
    "field.result": {"zh": "结果", "en": "result"},
    "field.sentiment": {"zh": "跟帖倾向", "en": "sentiment"},
    "field.platform": {"zh": "平台", "en": "platform"},
    "field.link": {"zh": "链接", "en": "link"},
    "field.reposts": {"zh": "转发", "en": "reposts"},
    "field.comments": {"zh": "评论", "en": "comments"},
    "field.views": {"zh": "阅读", "en": "views"},
    "field.media": {"zh": "媒体级别", "en": "media"},
    "field.cross_region": {"zh": "跨地区", "en": "cross_region"},  # the template's label (docs/names.md)
    "field.cross_region.shown": {"zh": "跨地区", "en": "cross-region"},  # on cards and documents
    "field.category": {"zh": "类别", "en": "category"},
    # guided dialog: the question
    "field.discovered.prompt": {
        "zh": "您是什么时候发现这条舆情的？（例如 2026-11-24 09:30，或“今天 09:30”）",
        "en": "When did you find this? (e.g. 2026-11-24 09:30, or \"today 09:30\")",
    },
    "field.time.prompt": {
        "zh": "事件发生的时间？（例如 2026-11-24 09:30，或“今天 09:30”）",
        "en": "When did the incident happen? (e.g. 2026-11-24 09:30, or \"today 09:30\")",
    },
    "field.place.prompt": {"zh": "事件发生的地点？", "en": "Where did it happen?"},
    "field.unit.prompt": {"zh": "涉及哪个单位（部门）？", "en": "Which unit (department) is involved?"},
    "field.process.prompt": {
        "zh": "事件经过？请简要描述（可写多行）。",
        "en": "What happened? Describe it briefly (several lines are fine).",
    },
    "field.result.prompt": {
        "zh": "目前的结果或后果？（还没有结果也请写明，例如“尚无结果”）",
        "en": "What is the result or consequence so far? (If there is none yet, say so.)",
    },
    "field.sentiment.prompt": {
        "zh": "网上跟帖的言论倾向？请选择，或输入倾向和比例，例如“负面 70%”。",
        "en": "What is the tendency of the replies online? Pick one, or type it with a share, e.g. \"negative 70%\".",
    },
    "field.platform.prompt": {"zh": "在哪个平台发现的？", "en": "On which platform was it found?"},
    "field.link.prompt": {
        "zh": "原帖链接？（以 http:// 或 https:// 开头）",
        "en": "Link to the original post? (starting with http:// or https://)",
    },
    "field.reposts.prompt": {"zh": "转发数？（例如 150、1.2万）", "en": "Number of reposts? (e.g. 150, 1,200)"},
    "field.comments.prompt": {"zh": "评论数？（例如 80、3千）", "en": "Number of comments? (e.g. 80)"},
    "field.views.prompt": {"zh": "阅读（浏览、播放）量？（例如 1.2万）", "en": "Number of views (reads, plays)? (e.g. 12000)"},
    "field.media.prompt": {"zh": "曝光媒体的级别？", "en": "What level is the media that exposed it?"},
    "field.cross_region.prompt": {"zh": "是否跨地区？", "en": "Does it reach beyond your region?"},
    "field.category.prompt": {"zh": "属于哪一类舆情？", "en": "Which category is it?"},
    # short hint: accepted formats
    "field.discovered.hint": {
        "zh": "如 2026-11-24 09:30、11-24 09:30、今天 09:30、昨天 21:00；留空则为开始报送的时间",
        "en": "e.g. 2026-11-24 09:30, 11-24 09:30, today 09:30, yesterday 21:00; empty means when you started the report",
    },
    "field.time.hint": {
        "zh": "如 2026-11-24 09:30、2026年11月24日 9时30分、11-24 09:30、今天 09:30、昨天 21:00",
        "en": "e.g. 2026-11-24 09:30, 11-24 09:30, today 09:30, yesterday 21:00, or ISO 8601",
    },
    "field.place.hint": {"zh": "如 某某学校东门", "en": "e.g. the east gate of the school"},
    "field.unit.hint": {"zh": "如 某某学校后勤处", "en": "e.g. the school's logistics office"},
    "field.process.hint": {"zh": "可写多行", "en": "several lines are fine"},
    "field.result.hint": {"zh": "如 已删帖、尚无结果", "en": "e.g. post deleted, no result yet"},
    "field.sentiment.hint": {
        "zh": "负面、中性或正面，可带比例，如 负面 70%",
        "en": "negative, neutral or positive, optionally with a share, e.g. negative 70%",
    },
    "field.platform.hint": {
        "zh": "微博、微信、抖音、快手、B站、知乎、新闻网站、论坛/贴吧、报纸、电视、广播、其他",
        "en": "Weibo, WeChat, Douyin, Kuaishou, Bilibili, Zhihu, news site, forum, newspaper, TV, radio, other",
    },
    "field.link.hint": {"zh": "http:// 或 https:// 开头的网址", "en": "an address starting with http:// or https://"},
    "field.reposts.hint": {"zh": "非负整数，如 150、1,200、1.2万", "en": "a whole number, e.g. 150, 1,200, 12k"},
    "field.comments.hint": {"zh": "非负整数，如 80、3千", "en": "a whole number, e.g. 80"},
    "field.views.hint": {"zh": "非负整数，如 5000、1.2万、10万+", "en": "a whole number, e.g. 5000, 12k"},
    "field.media.hint": {
        "zh": "中央、省级、市级、县级/本地、自媒体/网民",
        "en": "central, provincial, city, county (local), self-media",
    },
    "field.cross_region.hint": {"zh": "是 或 否", "en": "yes or no"},
    "field.category.hint": {
        "zh": "询问/置疑/诉求、恶意传播/炒作、捏造/歪曲/诽谤/违法、建设性建议",
        "en": "inquiry, hype, fabrication, constructive",
    },
    # display
    "field.line": {"zh": "{label}：{value}", "en": "{label}: {value}"},
    "field.unfilled": {"zh": "（未填）", "en": "(not filled in)"},
    "field.template_hint": {
        "zh": "（前 8 项必填，“发现时间”留空即为现在，其余选填；在冒号后填写，“过程”可写多行）",
        "en": "(The first 8 are required, an empty \"discovered\" means now, the rest are optional. "
              "Write after the colon; \"process\" may span several lines.)",
    },
    # errors, one clear sentence naming the field
    "report.err.empty": {
        "zh": "「{field}」还没有填写内容。",
        "en": "\"{field}\" is empty.",
    },
    "report.err.bad_date": {
        "zh": "「{field}」无法识别“{value}”，请写成 2026-11-24 09:30，或“今天 09:30”。",
        "en": "\"{field}\": \"{value}\" is not a date and time I understand; write e.g. 2026-11-24 09:30 or \"today 09:30\".",
    },
    "report.err.future": {
        "zh": "「{field}」不能晚于现在：您填写的是 {value}，请检查日期。",
        "en": "\"{field}\" cannot be in the future: you wrote {value}; please check the date.",
    },
    "report.err.not_number": {
        "zh": "「{field}」需要一个非负整数，例如 150。",
        "en": "\"{field}\" needs a whole number of 0 or more, e.g. 150.",
    },
    "report.err.negative": {
        "zh": "「{field}」不能是负数，需要一个非负整数，例如 150。",
        "en": "\"{field}\" cannot be negative; it needs a whole number of 0 or more, e.g. 150.",
    },
    "report.err.bad_url": {
        "zh": "「{field}」需要一个以 http:// 或 https:// 开头的网址。",
        "en": "\"{field}\" needs an address starting with http:// or https://.",
    },
    "report.err.too_long": {
        "zh": "「{field}」太长了（{length} 字，最多 {max} 字），请精简。",
        "en": "\"{field}\" is too long ({length} characters, at most {max}); please shorten it.",
    },
    "report.err.bad_choice": {
        "zh": "「{field}」无法识别“{value}”，可选：{choices}。",
        "en": "\"{field}\": \"{value}\" is not one of the choices: {choices}.",
    },
    "report.err.bad_share": {
        "zh": "「{field}」的比例应在 0% 到 100% 之间，例如“负面 70%”。",
        "en": "The share in \"{field}\" must be between 0% and 100%, e.g. \"negative 70%\".",
    },
}

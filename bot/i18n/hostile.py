"""Texts for presses and values the bot refuses: a button not on its card, data it cannot read, a number or
a date outside what it can take."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # a press whose data is not one of the buttons of the message it was pressed on (edited, replayed
    # from another card, or a button the card no longer has)
    "press.not_on_card": {"zh": "该按钮不属于这张卡片（已过期或无效），未作任何更改。",
                          "en": "This button does not belong to this card (out of date or invalid); nothing was changed."},
    # a press the bot cannot read or no longer knows
    "press.stale": {"zh": "该按钮已失效", "en": "This button is no longer valid"},
    # the toast when a press failed inside the bot (the chat also gets error.internal)
    "press.error": {"zh": "处理时出现错误，请稍后再试。", "en": "Something went wrong; please try again later."},
    "report.err.too_early": {
        "zh": "「{field}」的日期过早（“{value}”）：不能早于 {earliest}，请检查日期。",
        "en": "\"{field}\": \"{value}\" is too early — it cannot be before {earliest}; please check the date.",
    },
    "report.err.too_large": {
        "zh": "「{field}」的数字太大（最多 {max}），请检查。",
        "en": "\"{field}\" is too large (at most {max}); please check it.",
    },
}

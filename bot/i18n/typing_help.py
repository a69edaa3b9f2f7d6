"""Texts for what people type loosely (issue 19, part 4): incident numbers, clock words, unknown commands,
plain text and replies that no dialog takes."""

TEXTS: dict[str, dict[str, str]] = {
    # incident numbers (bot/services/numbers.py)
    "lookup.none": {
        "zh": "找不到事件 {number}，请检查编号（例如 YQ-2026-0001，也可只写 2026-1 或 1）。",
        "en": "No incident {number}; check the number (e.g. YQ-2026-0001, or just 2026-1 or 1).",
    },
    "lookup.several": {
        "zh": "“{number}”对应多个事件：{numbers}，请写完整编号，例如 {first}。",
        "en": "\"{number}\" matches several incidents: {numbers}; write the full number, e.g. {first}.",
    },
    # clock words (/done)
    "lookup.clock.unknown": {"zh": "不认识时限“{word}”。", "en": "Unknown deadline \"{word}\"."},  # + the usage
    "lookup.clock.ambiguous": {
        "zh": "“{word}”可能指{clocks}，请写明是哪一个，例如 /done {number} {example}。",
        "en": "\"{word}\" may mean {clocks}; say which one, e.g. /done {number} {example}.",
    },
    "lookup.clock.or": {"zh": "或", "en": " or "},  # before the last candidate
    # /grade to the grade the incident already has
    "typing.grade_unchanged": {
        "zh": "等级未变：{number} 已是「{grade}」，未做任何更改。",
        "en": "Grade unchanged: {number} is already \"{grade}\"; nothing was changed.",
    },
    # an unknown command in a private chat
    "typing.unknown_command": {
        "zh": "我不认识命令 /{command}。您是不是要用 /{closest}（{what}）？发送 /help 查看您可用的命令。",
        "en": "I do not know the command /{command}. Did you mean /{closest} ({what})? Send /help to see your "
              "commands.",
    },
    # plain text outside any dialog, in private: one line, then the person's /help
    "typing.fallback": {
        "zh": "现在没有进行中的报送。要报送舆情，请发送 /report，或直接转发原帖、发送链接或截图。",
        "en": "No report is in progress. To file one, send /report, or just forward the post or send its link "
              "or a screenshot.",
    },
    # a reply to one of the bot's messages that no dialog took
    "typing.reply.buttons": {
        "zh": "这条消息不接受文字回复，请点击它下方的按钮：{buttons}。",
        "en": "That message does not take a text reply; press one of its buttons: {buttons}.",
    },
    "typing.reply.asks_text": {
        "zh": "要{action}，请点击「{button}」按钮，我会再请您写明。",
        "en": "To {action}, press \"{button}\"; I will then ask you to write it.",
    },
    "typing.reply.stale": {
        "zh": "这条消息的提问已经结束（已处理或已过期），您的回复没有被记录。请重新发送相应命令；发送 /help 查看可用命令。",
        "en": "That message's question is over (answered or expired), so your reply was not recorded. Send the "
              "command again; /help lists your commands.",
    },
}

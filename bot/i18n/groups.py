"""Texts of group chats (the office group, the upper office's group, any other group) and of /help by role.

/help is put together from the sections below: each person sees the sections of their roles (HELP_SECTIONS);
"help" is every section, the full reference (tests/test_help.py checks it names every command).
"""

from __future__ import annotations

_LEADERS = ("supervising_leader", "main_leader", "leading_group")

# (section key, the roles that see it — None: everyone registered), in the order shown
HELP_SECTIONS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("help.everyone", None),
    ("help.monitor", ("monitor",)),
    ("help.office_leaders", ("office", *_LEADERS)),
    ("help.office_leaders_admin", ("office", *_LEADERS, "admin")),
    ("help.office", ("office",)),
    ("help.leaders", _LEADERS),
    ("help.handler", ("handler",)),
    ("help.outside", ("office", *_LEADERS, "handler", "spokesperson")),
    ("help.office_admin", ("office", "admin")),
    ("help.admin", ("admin",)),
    ("help.groups", None),
)

_SECTIONS: dict[str, dict[str, str]] = {
    "help.title": {"zh": "可用命令：", "en": "Commands:"},
    "help.title.roles": {"zh": "您（{roles}）可用的命令：", "en": "Commands for you ({roles}):"},
    "help.everyone": {
        "zh": "【所有人】\n"
              "/report 报送舆情：逐项填写，或在同一条消息里粘贴模板\n/template 获取报送模板\n/my 我最近的报送\n"
              "/cancel 放弃当前草稿\n填写过程中可随时发送照片、视频、语音、文件或转发原帖作为证据。\n"
              "/follow YQ-… 报送事件跟进（也可直接回复事件卡片或跟踪提醒）\n"
              "/due [YQ-…] 事件处置时限及剩余时间\n"
              "/tasks 我的督办任务；/tasks YQ-… 事件的任务\n"
              "/duty 当前及下一班值班人；/roster 值班表（图片和文字）\n"
              "/unavailable 开始 结束 [原因] 登记不可值班时段；单独发送 /unavailable 查看和删除"
              "（舆情办公室可用 @姓名 为他人登记）",
        "en": "[Everyone]\n"
              "/report file a report: step by step, or paste the template in the same message\n"
              "/template the blank template\n/my your recent reports\n/cancel discard the current draft\n"
              "While filling in, send photos, videos, voice messages, files or forwarded posts at any time: "
              "they are kept as evidence.\n"
              "/follow YQ-… post a follow-up (or reply to the incident card or a tracking reminder)\n"
              "/due [YQ-…] the incident's deadlines and the time left\n"
              "/tasks your tasks; /tasks YQ-… an incident's tasks\n"
              "/duty who is on duty now and next; /roster the duty roster (image and text)\n"
              "/unavailable START END [reason] declares when you cannot stand duty; /unavailable alone lists "
              "and deletes them (the office declares for others with @name)",
    },
    "help.monitor": {
        "zh": "【值班监测员】/swap 申请换班；/handover 交接内容 填写交接班记录",
        "en": "[Monitors on duty] /swap offers one of your shifts; /handover TEXT writes the handover note",
    },
    "help.office_leaders": {
        "zh": "【舆情办公室、领导】/done YQ-… 时限 [说明] 记录时限事项已完成；/grade YQ-… 等级 理由 调整等级；"
              "/assess YQ-… [性质] [重大影响] 仅关注|回应|全面处置 理由 研判（也可按卡片上的“研判”）；"
              "/reopen YQ-… 理由 重新打开已结案事件；/review YQ-… 复盘报告（Word 文件）；"
              "/dutystart YQ-…、/dutystop YQ-… 手动开始或结束24小时值班；/unit YQ-… 单位 设定涉及单位（其承办人收到事件卡片）；"
              "/charge YQ-… 姓名 指定涉及单位的承办人负责（可起草答复内容）；"
              "/task YQ-… 单位或姓名 任务 [期限] 交办督办任务（事件负责人也可使用）；"
              "/group YQ-… [理由] 建议组建专门工作组，由主要领导确认（一般舆情须写理由）；"
              "/decide 决定 [交办 单位或姓名 任务 [期限]] 在事件话题中记录决定（其他地方：/decide YQ-… 决定）",
        "en": "[The office, leaders] /done YQ-… CLOCK [note] records a deadline's duty as done; "
              "/grade YQ-… GRADE REASON sets the grade; /assess YQ-… [NATURE] [large] watch|respond|full REASON "
              "records the leaders' assessment (or press \"Assess\" on the card); /reopen YQ-… REASON reopens a closed incident; "
              "/review YQ-… the review report (Word file); /dutystart YQ-…, /dutystop YQ-… start or stop "
              "24-hour duty by hand; /unit YQ-… UNIT sets the unit involved (its handlers get the card); "
              "/charge YQ-… NAME puts a handler of that unit in charge (they may then draft the reply); "
              "/task YQ-… UNIT-OR-PERSON WHAT [DUE] gives a task (the incident's person in charge may too); "
              "/group YQ-… [REASON] proposes the working group for the main leader to confirm (a general incident "
              "needs a reason); "
              "/decide TEXT [task: UNIT-OR-PERSON WHAT [DUE]] records a decision in the incident's topic "
              "(elsewhere: /decide YQ-… TEXT)",
    },
    "help.office_leaders_admin": {
        "zh": "【舆情办公室、领导、管理员】/timeline YQ-… 事件时间线；/stats [2026-11] 履职统计",
        "en": "[The office, leaders, admins] /timeline YQ-… the incident's timeline; /stats [2026-11] "
              "statistics for accountability",
    },
    "help.office": {
        "zh": "【舆情办公室】/track YQ-… 跟踪人 指定动态跟踪专人；/close YQ-… 申请结案（原因/传播/处置/教训）；"
              "/release YQ-… 起草权威发布（事件负责人也可）；/publish YQ-… 渠道 链接 标记已发布；"
              "/replied YQ-… [方式] 登记已签署的答复内容已发出（事件负责人也可）；"
              "/invite YQ-… 姓名 向工作组成员私发一次性入群链接",
        "en": "[The office] /track YQ-… PERSON names the tracker; /close YQ-… proposes closing (cause/spread/"
              "handling/lessons); /release YQ-… drafts the authoritative release (the handler in charge too); "
              "/publish YQ-… OUTLET LINK marks it published; /replied YQ-… [how] records the signed reply as sent "
              "(the person in charge too); /invite YQ-… NAME sends a working group member a one-use link to "
              "the office group",
    },
    "help.leaders": {
        "zh": "【领导】/extend YQ-… 天数 理由 延长正式答复时限；/sign YQ-… 主要领导签署已获批准的答复内容",
        "en": "[Leaders] /extend YQ-… DAYS REASON extends the formal reply; /sign YQ-… the main leader signs the "
              "approved reply",
    },
    "help.handler": {
        "zh": "【业务部门承办人】涉及本单位的事件卡片会发给您；/release YQ-… [正文] 为您负责的事件起草答复内容或权威发布，"
              "提交审批；/replied YQ-… [方式] 登记已签署的答复已发出",
        "en": "[Handlers] you get the cards of incidents involving your unit; /release YQ-… [text] drafts the reply "
              "or release of an incident you are in charge of, for approval; /replied YQ-… [how] records the signed "
              "reply as sent",
    },
    "help.office_admin": {
        "zh": "【舆情办公室、管理员】/people 人员名单；/bind office 或 /bind upper_office 在群内把本群绑定为"
              "舆情办公室群或上级舆情办群（须同时是该群管理员），/unbind 解除绑定",
        "en": "[The office, admins] /people the people; /bind office or /bind upper_office, sent in a group, "
              "binds it as the office group or the upper office's group (you must also administer that group), "
              "/unbind undoes it",
    },
    "help.admin": {
        "zh": "【管理员】/invite 角色 生成一次性邀请链接",
        "en": "[Admins] /invite ROLE a one-time invite link",
    },
    "help.groups": {
        "zh": "【群聊】报送和个人命令（/report、/template、/my、/cancel 等）只在与我的私聊中使用；您的其余命令在"
              "舆情办公室群内也可使用，在该群内回复事件卡片即报送跟进，任何已登记的人也可使用 /track、/close、"
              "/reopen。上级舆情办群只提供 /help 和卡片上的回执按钮。",
        "en": "[Group chats] Reports and personal commands (/report, /template, /my, /cancel…) work only in the "
              "private chat with me; your other commands work in the office group too, where a reply to an "
              "incident card is a follow-up and anyone registered may also use /track, /close and /reopen. The "
              "upper office's group has /help and the receipt button on the cards only.",
    },
}

from bot.i18n.interviews import HELP_OUTSIDE  # noqa: E402  (its /help section, kept with its feature)

_SECTIONS["help.outside"] = HELP_OUTSIDE

TEXTS: dict[str, dict[str, str]] = {
    **_SECTIONS,
    # every section: the full reference
    "help": {lang: "\n".join([_SECTIONS["help.title"][lang], *(_SECTIONS[k][lang] for k, _ in HELP_SECTIONS)])
             for lang in ("zh", "en")},
    "help.upper_office": {
        "zh": "本群是上级舆情应急处置办公室群，接收本单位的双重报告（舆情报告卡片）。\n"
              "收到报告后请点卡片上的「📥 上级已收到」确认收到，向上级报告时限随即停止。\n"
              "本群只提供 /help 和这个按钮；其它操作由本单位舆情办公室在其群内或私聊中进行。",
        "en": "This is the upper office's group: it receives the organisation's dual reports (incident report "
              "cards).\nPress \"📥 Receipt acknowledged\" on a card to confirm receipt; the report-upward "
              "deadline then stops.\nThis group has /help and that button only; everything else is done by the "
              "organisation's office, in its group or in private.",
    },
    # group chats
    "groups.private.report": {
        "zh": "请在与我的私聊中报送舆情，群内不受理报送。点下面的按钮打开私聊并开始报送。",
        "en": "Please file reports in a private chat with me; reports are not taken in groups. The button "
              "below opens the private chat and starts a report.",
    },
    "groups.private": {
        "zh": "/{command} 是个人操作，只在与我的私聊中使用。点下面的按钮打开私聊。",
        "en": "/{command} is personal: it works only in the private chat with me. The button below opens it.",
    },
    "groups.private.invite": {
        "zh": "/invite 生成的一次性邀请链接只在私聊中发给您，不在群内公开。点下面的按钮打开私聊。",
        "en": "The one-time link of /invite is given to you in private only, never in a group. The button below "
              "opens the private chat.",
    },
    "groups.btn.report": {"zh": "✍️ 私聊报送", "en": "✍️ Report in private"},
    "groups.btn.private": {"zh": "💬 打开私聊", "en": "💬 Open the private chat"},
    "groups.refused": {
        "zh": "/{command} 仅限{who}使用；您的角色（{roles}）不能使用。",
        "en": "/{command} is for {who} only; your role ({roles}) may not use it.",
    },
    "groups.refused.unavailable": {
        "zh": "/unavailable @某人 为他人登记不可值班时段仅限舆情办公室使用；为自己登记请私聊我。",
        "en": "/unavailable @someone (declaring for someone else) is for the office only; declare your own "
              "in the private chat with me.",
    },
    "groups.not_here": {
        "zh": "/{command} 只在舆情办公室群和与我的私聊中使用。",
        "en": "/{command} works only in the office group and in the private chat with me.",
    },
    "groups.not_here.unbound": {
        "zh": "/{command} 只在舆情办公室群和与我的私聊中使用。尚未绑定舆情办公室群：在该群内发送 /bind office"
              "（舆情办公室成员或管理员，且须是该群管理员）即可绑定。",
        "en": "/{command} works only in the office group and in the private chat with me. No office group is "
              "bound yet: send /bind office in it (an office member or admin who also administers that group).",
    },
    "groups.upper_only_help": {
        "zh": "本群（上级舆情办群）只提供 /help 和卡片上的回执按钮，/{command} 不在本群使用。",
        "en": "This group (the upper office's) has /help and the receipt button on the cards only; /{command} "
              "is not used here.",
    },
    "groups.unknown": {
        "zh": "我不认识命令 /{command}。发送 /help 查看您可用的命令。",
        "en": "I do not know the command /{command}. Send /help to see your commands.",
    },
    "groups.unregistered": {
        "zh": "您还没有登记，不能使用本助手。请私聊我了解如何登记。",
        "en": "You are not registered, so I cannot act for you. Write to me in private to see how to register.",
    },
    "groups.leaders": {"zh": "领导", "en": "leaders"},
    "groups.last_sep": {"zh": "、", "en": " and "},  # before the last of the roles allowed
}

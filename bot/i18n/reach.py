"""Texts of reachability, personal links, group binding, /people and `onduty org status` / `org links`."""

TEXTS: dict[str, dict[str, str]] = {
    # the office is told once per unreachable spell
    "reach.office.never_opened": {
        "zh": "⚠️ {name}尚未打开本助手，通知暂未送达；请将其个人链接发给他（onduty org links），打开后将自动补发。",
        "en": "⚠️ {name} has not opened the bot yet, so notifications are waiting; send them their personal link "
              "(onduty org links) — what waits is delivered once they open it.",
    },
    "reach.office.not_linked": {
        "zh": "⚠️ {name}尚未关联 Telegram 账号，通知暂未送达；请将其个人链接发给他（onduty org links），打开后将自动补发。",
        "en": "⚠️ {name} has no Telegram account linked yet, so notifications are waiting; send them their personal "
              "link (onduty org links) — what waits is delivered once they open it.",
    },
    "reach.office.blocked": {
        "zh": "⚠️ {name}已屏蔽（停用）本助手，通知暂未送达；请联系他重新打开本助手（点「重新开始」或发送 /start），届时将自动补发。",
        "en": "⚠️ {name} has blocked the bot, so notifications are waiting; ask them to open it again (Restart, or "
              "send /start) — what waits is delivered then.",
    },
    "reach.office.deactivated": {
        "zh": "⚠️ {name}的 Telegram 账号已注销，通知无法送达；请为其更新组织文件或发送新的个人链接。",
        "en": "⚠️ {name}'s Telegram account was deleted, so notifications cannot reach them; update the org file or "
              "send them a new personal link.",
    },
    "reach.office.group_removed": {
        "zh": "⚠️ 本助手已被移出{key}（{title}），发往该群的消息暂存；请将本助手重新加入该群并发送 /bind，届时将自动补发。",
        "en": "⚠️ The bot was removed from the {key} ({title}); messages for it are waiting. Add the bot back and "
              "send /bind there — what waits is delivered then.",
    },
    "reach.office.back": {
        "zh": "✅ {name}已打开本助手，暂存的 {n} 条通知已补发。",
        "en": "✅ {name} has opened the bot; the {n} notification(s) that waited are delivered.",
    },
    "reach.office.group_back": {
        "zh": "✅ 本助手已重新加入{group}（{title}），暂存的消息将陆续送达。",
        "en": "✅ The bot is back in the {group} ({title}); the messages that waited are on their way.",
    },
    "reach.closed_meanwhile": {
        "zh": "在您打开本助手之前，以下事件已经办结：{numbers}（可用 /timeline 编号 查看经过）。",
        "en": "Before you opened the bot, these incidents were closed: {numbers} (/timeline NUMBER shows what happened).",
    },
    "reach.escalation_unreached": {
        "zh": "未能送达：{names}（尚未打开本助手）。",
        "en": "Not reached: {names} (they have not opened the bot).",
    },
    "reach.count": {
        "zh": "已通知 {sent} 人，{waiting} 人尚未打开本助手（打开后自动补发）",
        "en": "{sent} notified, {waiting} not reached yet (they have not opened the bot; delivered once they do)",
    },
    "chat.key.office": {"zh": "舆情办公室群", "en": "office group"},
    "chat.key.upper_office": {"zh": "上级办公室群", "en": "upper-office group"},
    # the command menu (Telegram's "/" list), per role; the ones everybody has live in core/tracking
    "cmd.swap": {"zh": "让出我的班次", "en": "Offer one of your shifts"},
    "cmd.handover": {"zh": "交班记录", "en": "Write the handover note"},
    "cmd.grade": {"zh": "定级（附理由）", "en": "Set the grade (with a reason)"},
    "cmd.done": {"zh": "登记时限事项已完成", "en": "Record a deadline's duty as done"},
    "cmd.extend": {"zh": "延长正式答复时限", "en": "Extend the formal reply"},
    "cmd.timeline": {"zh": "事件时间线", "en": "The incident's timeline"},
    "cmd.track": {"zh": "动态跟踪专人", "en": "The incident's tracker"},
    "cmd.release": {"zh": "起草权威发布", "en": "Draft the authoritative release"},
    "cmd.publish": {"zh": "登记已发布", "en": "Record the publication"},
    "cmd.close": {"zh": "提请办结", "en": "Propose closing"},
    "cmd.dutystart": {"zh": "启动24小时值班", "en": "Start 24-hour duty"},
    "cmd.people": {"zh": "人员与可达状态", "en": "People and who can be reached"},
    "cmd.invite": {"zh": "邀请链接", "en": "Invite link"},
    # personal links
    "link.welcome": {
        "zh": "您好，{name}！您的 Telegram 账号已与本单位舆情值班助手关联，角色：{roles}。\n"
              "今后的事件通知、审批和值班提醒都会发到这里。发送 /help 查看可用命令。",
        "en": "Hello, {name}! Your Telegram account is now linked to your organisation's on-duty assistant; "
              "roles: {roles}.\nIncident notifications, approvals and duty reminders will come here. "
              "Send /help to see what you can do.",
    },
    "link.welcome_contact": {
        "zh": "您好！您的 Telegram 账号已登记为「{name}」的联系人。今后需要通报您的事件将发到这里。",
        "en": "Hello! Your Telegram account is registered as the contact “{name}”. Incidents to be referred to you "
              "will be sent here.",
    },
    "link.again": {
        "zh": "您的账号已经关联过了（{name}）。发送 /help 查看可用命令。",
        "en": "Your account is already linked ({name}). Send /help to see what you can do.",
    },
    "link.caught_up": {
        "zh": "您未打开本助手期间有 {n} 条通知等待送达，现在补发（事件卡片为最新状态）。",
        "en": "{n} notification(s) waited for you; they follow now (incident cards as they stand now).",
    },
    "link.err.unknown": {"zh": "这个链接无效。请向本单位舆情办公室索取您的个人链接。",
                         "en": "This link is not valid. Ask your organisation's office for your personal link."},
    "link.err.used": {"zh": "这个个人链接已被另一个账号使用，不能再次使用。办公室已收到通知，请联系办公室处理。",
                      "en": "This personal link was already used by another account and cannot be used again. The "
                            "office has been told; please contact them."},
    "link.err.expired": {"zh": "这个个人链接已过期。办公室已收到通知，请向办公室索取新的链接。",
                         "en": "This personal link has expired. The office has been told; ask them for a new one."},
    "link.err.account_taken": {"zh": "您的 Telegram 账号已登记为本单位的另一位人员，不能再关联。办公室已收到通知。",
                               "en": "Your Telegram account already belongs to another person of the organisation, "
                                     "so it cannot be linked again. The office has been told."},
    "link.office.linked": {"zh": "✅ {name}已打开个人链接（Telegram：{account}），可以接收通知了。",
                           "en": "✅ {name} opened their personal link (Telegram: {account}) and can now be reached."},
    "link.office.used": {"zh": "⚠️ {name}的个人链接被另一个账号（{account}）再次打开，已拒绝。如需更换账号，请用 onduty org links 重新生成。",
                         "en": "⚠️ {name}'s personal link was opened again by another account ({account}) and "
                               "refused. To change the account, make a new link with onduty org links."},
    "link.office.expired": {"zh": "⚠️ {name}打开的个人链接已过期（账号：{account}），请用 onduty org links 生成新链接发给他。",
                            "en": "⚠️ {name} opened an expired personal link (account: {account}); make a new one with "
                                  "onduty org links and send it."},
    "link.office.account_taken": {"zh": "⚠️ 账号 {account} 想关联为{name}，但它已登记为另一位人员，已拒绝。",
                                  "en": "⚠️ The account {account} tried to link as {name} but already belongs to "
                                        "another person; refused."},
    # binding groups
    "bind.hello": {
        "zh": "大家好，我是舆情值班助手。本单位的管理员或舆情办公室成员（须同时是本群管理员）可发送：\n"
              "/bind office —— 设为舆情办公室群\n/bind upper_office —— 设为上级办公室群",
        "en": "Hello, I am the on-duty assistant. An administrator or office member of the organisation who is also an "
              "administrator of this group can send:\n/bind office — make this the office group\n"
              "/bind upper_office — make this the upper-office group",
    },
    "bind.usage": {"zh": "用法：/bind office 或 /bind upper_office（在要绑定的群里发送）。",
                   "en": "Usage: /bind office or /bind upper_office (sent in the group to bind)."},
    "bind.private": {"zh": "/bind 需要在要绑定的群里发送，而不是私聊。请先把本助手加入该群。",
                     "en": "Send /bind in the group you want to bind, not in a private chat. Add the bot to that group first."},
    "bind.not_allowed": {"zh": "只有本单位的管理员或舆情办公室成员可以绑定群。",
                         "en": "Only the organisation's administrators or office members can bind a group."},
    "bind.not_chat_admin": {"zh": "您需要同时是本群的管理员才能绑定本群。",
                            "en": "You must also be an administrator of this group to bind it."},
    "bind.check_failed": {"zh": "暂时无法确认您是否为本群管理员，请稍后再试。",
                          "en": "Could not check whether you administer this group right now; please try again shortly."},
    "bind.done": {"zh": "✅ 本群已绑定为{key}。", "en": "✅ This group is now the {key}."},
    "bind.already": {"zh": "本群已经是{key}。", "en": "This group already is the {key}."},
    "bind.confirm": {
        "zh": "{key}目前绑定的是另一个群（{title}）。确定改为本群吗？原来的群将收到通知。",
        "en": "The {key} is bound to another group now ({title}). Bind this group instead? The other group will be told.",
    },
    "bind.confirm.yes": {"zh": "✅ 改为本群", "en": "✅ Bind this group"},
    "bind.confirm.no": {"zh": "✖ 不改", "en": "✖ Keep it"},
    "bind.kept": {"zh": "未更改，{key}仍是原来的群。", "en": "Nothing changed; the {key} stays as it was."},
    "bind.moved_away": {"zh": "ℹ️ 本群已不再是{key}：{name}已将其改为另一个群（{title}）。",
                        "en": "ℹ️ This group is no longer the {key}: {name} bound another group ({title})."},
    "bind.unbound": {"zh": "本群已解除{key}绑定。", "en": "This group is no longer the {key}."},
    "bind.not_bound": {"zh": "本群没有绑定任何角色。", "en": "This group is not bound to anything."},
    "bind.stale": {"zh": "该确认已过期，请重新发送 /bind。", "en": "This confirmation is out of date; send /bind again."},
    "bind.unknown_title": {"zh": "未命名的群", "en": "an untitled group"},
    # /people and `onduty org status`
    "people.title": {"zh": "👥 人员与可达状态（{n} 人）", "en": "👥 People and whether they can be reached ({n})"},
    "people.line": {"zh": "{icon} {name} · {roles}{unit} · {state}", "en": "{icon} {name} · {roles}{unit} · {state}"},
    "people.unit": {"zh": " · {unit}", "en": " · {unit}"},
    "people.chats": {"zh": "💬 绑定的群：", "en": "💬 Bound groups:"},
    "people.chat_line": {"zh": "{icon} {key}：{title} · {state}", "en": "{icon} {key}: {title} · {state}"},
    "people.no_chats": {"zh": "💬 尚未绑定任何群（在群里发送 /bind office）。",
                        "en": "💬 No group is bound yet (send /bind office in the group)."},
    "people.not_allowed": {"zh": "只有舆情办公室成员和管理员可以查看 /people。",
                           "en": "Only office members and administrators can use /people."},
    "people.summary": {"zh": "可达 {reachable} 人 · 未知 {unknown} 人 · 不可达 {unreachable} 人",
                       "en": "reachable {reachable} · unknown {unknown} · unreachable {unreachable}"},
    # the channel comes first: a person may later be reachable on one messenger and not on another
    "reach.state.reachable": {"zh": "Telegram 可达（{since}起）", "en": "Telegram: reachable (since {since})"},
    "reach.state.unknown": {"zh": "Telegram 未知（尚未确认，自{since}）", "en": "Telegram: unknown (not seen yet, since {since})"},
    "reach.state.unreachable": {"zh": "Telegram 不可达（{since}起）", "en": "Telegram: unreachable (since {since})"},
    "reach.state.not_linked": {"zh": "Telegram 未关联账号（待发送个人链接）",
                               "en": "Telegram: no account linked (send the personal link)"},
    "orgstatus.not_reachable_yet": {"zh": "以下人员尚不可达（请发送个人链接：onduty org links --out links/）：",
                                 "en": "Not reachable yet (send their personal links: onduty org links --out links/):"},
    "orgstatus.line": {"zh": "  🔗 {name} · {state}", "en": "  🔗 {name} · {state}"},
    "orgstatus.refused": {"zh": "未能送达（尚未打开或已屏蔽本助手）", "en": "not reached (has not opened or has blocked the bot)"},
    "orgstatus.links_made": {"zh": "已生成 {n} 个个人链接，用 onduty org links --out links/ 查看并发送。",
                             "en": "{n} personal link(s) made: see and send them with onduty org links --out links/."},
    "orgstatus.all_reachable": {"zh": "所有人员均可达或待确认。", "en": "Everyone is reachable or not yet tried."},
    "orgstatus.chat_change": {"zh": "群绑定变更：{key} {old} → {new}", "en": "chat binding changed: {key} {old} → {new}"},
    # `onduty org links`
    "links.title": {"zh": "个人链接（一次性，{days} 天内有效；请逐一发给本人）：",
                    "en": "Personal links (one-time, valid for {days} days; send each to its person):"},
    "links.line": {"zh": "{name}（{roles}{unit}）：{link}  有效期至 {expires}",
                   "en": "{name} ({roles}{unit}): {link}  valid until {expires}"},
    "links.none": {"zh": "所有人员都已关联账号，无需个人链接。", "en": "Everyone has an account linked; no personal links are needed."},
    "links.no_username": {
        "zh": "（无法取得机器人用户名：未设置 BOT_TOKEN 且尚未运行过 onduty run。请让本人在与机器人的私聊中发送下面的 /start 命令。）",
        "en": "(The bot's username is unknown: no BOT_TOKEN and onduty run has not run yet. Have each person send "
              "the /start line below to the bot in a private chat.)",
    },
    "links.qr": {"zh": "二维码已写入：{dir}（每人一个 PNG）", "en": "QR codes written to {dir} (one PNG per person)"},
    "links.contact": {"zh": "外部联系人", "en": "outside contact"},
}

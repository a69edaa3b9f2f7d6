"""Texts of onboarding, the report flow and common errors."""

TEXTS: dict[str, dict[str, str]] = {
    "list.sep": {"zh": "、", "en": ", "},  # between the items of a list within a sentence
    "list.sep_clause": {"zh": "；", "en": "; "},  # between clauses of a list
    # onboarding
    "start.welcome": {  # {help}: the commands of the person's roles (handlers/onboarding.help_for)
        "zh": "您好，{name}！我是舆情值班助手。\n{help}",
        "en": "Hello, {name}! I am the on-duty assistant.\n{help}",
    },
    "start.unregistered": {
        "zh": "您还没有登记，暂时不能使用本助手。请向本单位舆情办公室或管理员索取邀请链接，点击链接即可完成登记。",
        "en": "You are not registered yet. Ask your organisation's office or administrator for an invite link; "
              "opening it registers you.",
    },
    "start.registered": {
        "zh": "登记成功：{name}，角色：{role}。发送 /help 查看可用命令。",
        "en": "Registered: {name}, role: {role}. Send /help to see what you can do.",
    },
    "invite.err.unknown": {"zh": "邀请链接无效。请向管理员重新索取。", "en": "This invite link is not valid. Ask the administrator for a new one."},
    "invite.err.used": {"zh": "该邀请链接已被使用过（邀请链接只能使用一次）。", "en": "This invite link has already been used (each link works once)."},
    "invite.err.expired": {"zh": "该邀请链接已过期，请向管理员重新索取。", "en": "This invite link has expired. Ask the administrator for a new one."},
    "invite.err.not_admin": {"zh": "只有管理员可以创建邀请链接。", "en": "Only an administrator can create invite links."},
    "invite.usage": {
        "zh": "用法：/invite 角色，例如 /invite monitor。可用角色：{roles}",
        "en": "Usage: /invite ROLE, e.g. /invite monitor. Roles: {roles}",
    },
    "invite.created": {
        "zh": "已创建一次性邀请（角色：{role}），{hours} 小时内有效：\n{link}",
        "en": "One-time invite created (role: {role}), valid for {hours} hours:\n{link}",
    },
    # "help" (every command by who may use it) and its sections by role: bot/i18n/groups.py
    "group.not_here": {
        "zh": "请在与我的私聊中报送舆情，群内不受理报送。",
        "en": "Please file reports in a private chat with me; reports are not taken in groups.",
    },
    "error.internal": {
        "zh": "抱歉，处理时出现错误，您的草稿已保留。请稍后再试，或发送 /report 继续。",
        "en": "Sorry, something went wrong. Your draft is kept; try again in a moment or send /report to continue.",
    },
    # report flow
    "report.started": {
        "zh": "开始报送舆情。逐项回答即可；也可以直接粘贴模板（/template）。随时可发送照片、视频、语音、文件或转发原帖作为证据。",
        "en": "Starting a report. Answer one question at a time, or paste the template (/template). "
              "Send photos, videos, voice messages, files or forwarded posts at any time as evidence.",
    },
    "report.template_intro": {
        "zh": "复制下面的模板，填好后连同 /report 一起发送（或先发 /report 再发模板）：",
        "en": "Copy the template below, fill it in and send it with /report (or send /report first, then the template):",
    },
    "report.filled_from_template": {"zh": "已从模板识别 {count} 项。", "en": "Recognised {count} field(s) from the template."},
    "report.unknown_labels": {
        "zh": "以下标签无法识别，已忽略：{labels}。可用标签见 /template。",
        "en": "These labels are not known and were ignored: {labels}. See /template for the labels.",
    },
    "report.conflict": {
        "zh": "您有一份尚未提交的报送草稿（已填 {filled} 项）。继续填写，还是放弃并重新开始？",
        "en": "You have an unfinished report draft ({filled} field(s) filled). Continue it, or discard it and start again?",
    },
    "report.conflict_hint": {
        "zh": "请先选择：继续填写未提交的草稿，还是放弃它并重新开始？草稿在您选择之前保持不变。",
        "en": "Please choose first: continue the unfinished draft, or discard it and start again? "
              "The draft stays as it is until you choose.",
    },
    "report.btn.resume": {"zh": "继续填写", "en": "Continue"},
    "report.btn.discard": {"zh": "放弃并重新开始", "en": "Discard and restart"},
    "report.btn.back": {"zh": "« 上一步", "en": "« Back"},
    "report.btn.skip": {"zh": "跳过 »", "en": "Skip »"},
    "report.btn.keep": {"zh": "保持不变 »", "en": "Keep »"},
    "report.btn.clear": {"zh": "清空", "en": "Clear"},
    "report.current": {"zh": "当前填写：{value}（不改请点「保持不变」）", "en": "Current answer: {value} (tap \"Keep\" to leave it)"},
    "report.btn.cancel": {"zh": "✖ 取消", "en": "✖ Cancel"},
    "report.btn.confirm": {"zh": "✅ 确认提交", "en": "✅ Confirm"},
    "report.btn.edit": {"zh": "✏️ 修改", "en": "✏️ Edit field"},
    "report.btn.back_to_summary": {"zh": "« 返回摘要", "en": "« Back to summary"},
    "report.step": {"zh": "（{n}/{total}）{prompt}", "en": "({n}/{total}) {prompt}"},
    "report.optional": {"zh": "（选填，可跳过）", "en": "(optional, you may skip)"},
    "report.summary_title": {"zh": "📝 报送摘要 — 请核对后确认", "en": "📝 Report summary — check, then confirm"},
    "report.summary_evidence": {"zh": "证据：{count} 件（{kinds}）", "en": "Evidence: {count} item(s) ({kinds})"},
    "report.summary_no_evidence": {"zh": "证据：无（可继续发送照片、视频、语音、文件或转发原帖）", "en": "Evidence: none (you may still send photos, videos, voice messages, files or forwards)"},
    "report.pick_field": {"zh": "要修改哪一项？", "en": "Which field do you want to change?"},
    "report.cancelled_restorable": {
        "zh": "已取消这份报送（已填 {filled} 项，证据 {evidence} 件）。误点了？点「恢复草稿」即可接着填写；发送 /report 则重新开始。",
        "en": "Report cancelled ({filled} field(s) filled, {evidence} evidence item(s)). Tapped by mistake? "
              "\"Restore draft\" brings it back; /report starts a new one.",
    },
    "report.restore_gone": {"zh": "这份草稿已无法恢复（之后已开始了新的报送）。",
                            "en": "That draft can no longer be restored (a new report was started since)."},
    "report.btn.restore": {"zh": "↩ 恢复草稿", "en": "↩ Restore draft"},
    "report.cancelled": {"zh": "已取消，草稿已丢弃。需要时发送 /report 重新开始。", "en": "Cancelled; the draft was discarded. Send /report to start again."},
    "report.nothing_to_cancel": {"zh": "当前没有进行中的报送。", "en": "There is no report in progress."},
    "report.filed": {
        "zh": "✅ 已提交。事件编号：{number}\n报送 {fields} 项，证据 {evidence} 件。后续进展请引用此编号。",
        "en": "✅ Filed. Incident number: {number}\n{fields} field(s), {evidence} evidence item(s). Quote this number in follow-ups.",
    },
    "report.filed_pending": {
        "zh": "⚠ 报送已保存，但定级和通知未能完成，系统正在自动重试，舆情办公室已收到提醒。",
        "en": "⚠ Your report is saved, but grading and notifications did not go through; they are being retried "
              "and the office has been told.",
    },
    "report.followup_failed": {
        "zh": "⚠ {number} 已报送，但定级、计时和通知未能完成，系统正在自动重试。请先查看该报送（/timeline {number}），必要时电话通知相关领导。",
        "en": "⚠ {number} was filed, but grading, deadlines and notifications did not go through; they are being "
              "retried. Look at the report (/timeline {number}) and phone the leaders concerned if needed.",
    },
    "report.followup_done": {
        "zh": "✅ {number} 的定级、计时和通知已补做完成（等级：{grade}）。",
        "en": "✅ Grading, deadlines and notifications of {number} are done now (grade: {grade}).",
    },
    "report.evidence_added": {
        "zh": "📎 已固定证据（{kind}{hash}），本报送共 {count} 件。",
        "en": "📎 Evidence fixed ({kind}{hash}); {count} item(s) on this report.",
    },
    "report.evidence_failed": {
        "zh": "⚠️ 证据文件暂时无法下载，已记录其文件编号，稍后可补传。",
        "en": "⚠️ The evidence file could not be downloaded now; its file id is recorded — you may send it again later.",
    },
    "report.text_expected": {
        "zh": "这一步需要文字回答（照片、视频、语音、文件可作为证据发送，贴纸等无法识别）。",
        "en": "This step needs a text answer (photos, videos, voice messages and files are taken as evidence; stickers and the like are not understood).",
    },
    "report.use_buttons": {"zh": "请点按钮选择，或直接输入。", "en": "Tap a button, or type the answer."},
    "report.review_hint": {
        "zh": "请使用摘要下方的按钮确认、修改或取消；也可以直接发送“标签：内容”修改某一项，例如“地点：学校东门”。",
        "en": "Use the buttons under the summary to confirm, edit or cancel — or send \"label: value\" to change a "
              "field, e.g. \"place: east gate\".",
    },
    "report.changed": {"zh": "已修改：{fields}。", "en": "Changed: {fields}."},
    "report.taken_as": {"zh": "✓ {label}：{value}", "en": "✓ {label}: {value}"},
    "report.outdated_button": {"zh": "该按钮已过期。", "en": "This button is out of date."},
    "report.started_from_forward": {
        "zh": "已根据您转发/粘贴的内容开始一份报送，原帖已作为证据保存。",
        "en": "Started a report from what you forwarded or pasted; the post is kept as evidence.",
    },
    "report.started_from_file": {
        "zh": "已用您发送的{kind}开始一份报送，它已作为证据固定。",
        "en": "Started a report with the {kind} you sent; it is kept as evidence.",
    },
    "report.kind.photo": {"zh": "照片", "en": "photo"},
    "report.kind.document": {"zh": "文件", "en": "document"},
    "report.kind.video": {"zh": "视频", "en": "video"},
    "report.kind.animation": {"zh": "动图", "en": "animation"},
    "report.kind.video_note": {"zh": "视频消息", "en": "video message"},
    "report.kind.voice": {"zh": "语音", "en": "voice message"},
    "report.kind.audio": {"zh": "音频", "en": "audio"},
    "report.kind.forward": {"zh": "转发原帖", "en": "forwarded post"},
    "report.kind.link": {"zh": "链接", "en": "link"},
    "report.my_empty": {"zh": "您还没有报送记录。发送 /report 开始。", "en": "You have not filed any report yet. Send /report to start."},
    "report.my_title": {"zh": "我最近的报送：", "en": "Your recent reports:"},
    "report.my_line": {"zh": "{number} · {date} · {place} · {unit} · {status}", "en": "{number} · {date} · {place} · {unit} · {status}"},
    "status.reported": {"zh": "已报送", "en": "reported"},
    # the bot's command menu (setMyCommands)
    "cmd.report": {"zh": "报送舆情", "en": "File a report"},
    "cmd.template": {"zh": "报送模板", "en": "Report template"},
    "cmd.my": {"zh": "我的报送", "en": "My reports"},
    "cmd.due": {"zh": "处置时限", "en": "Deadlines"},
    "cmd.duty": {"zh": "当前值班", "en": "Who is on duty"},
    "cmd.roster": {"zh": "值班表", "en": "Duty roster"},
    "cmd.unavailable": {"zh": "登记不能值班的时段", "en": "Declare when you cannot take duty"},
    "cmd.review": {"zh": "事件复盘报告", "en": "Incident review report"},
    "cmd.stats": {"zh": "舆情统计", "en": "Incident statistics"},
    "cmd.cancel": {"zh": "放弃草稿", "en": "Discard the draft"},
    "cmd.help": {"zh": "帮助", "en": "Help"},
}

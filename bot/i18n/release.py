"""Texts of the authoritative release: drafting, approval, publication (release.*)."""

TEXTS: dict[str, dict[str, str]] = {
    # buttons
    "release.btn.submit": {"zh": "📤 提交审批", "en": "📤 Submit for approval"},
    "release.btn.approve": {"zh": "✅ 同意", "en": "✅ Approve"},
    "release.btn.reject": {"zh": "⛔ 驳回", "en": "⛔ Reject"},
    "release.btn.changes": {"zh": "✏️ 退回修改", "en": "✏️ Request changes"},
    "release.stage.review": {"zh": "主要领导审核", "en": "main leader's review"},
    "release.stage.approval": {"zh": "审批", "en": "approval"},
    "release.ungraded": {"zh": "未定级", "en": "ungraded"},
    # the drafter
    "release.usage": {
        "zh": "用法：/release YQ-2026-0001 发布稿正文（也可以先发 /release YQ-2026-0001，再单独发送正文）。",
        "en": "Usage: /release YQ-2026-0001 text of the release (or send /release YQ-2026-0001, then the text).",
    },
    "release.ask_text": {"zh": "请发送 {number} 的权威发布稿正文（不超过 {max} 字）。",
                         "en": "Send the text of the authoritative release for {number} (at most {max} characters)."},
    "release.placeholder.text": {"zh": "发布稿正文", "en": "Text of the release"},
    "release.placeholder.revise": {"zh": "修改后的发布稿正文", "en": "The revised release text"},
    "release.placeholder.reason": {"zh": "理由", "en": "Reason"},
    "release.drafted": {"zh": "📝 {number} 发布稿第 {version} 版已保存（{chars} 字）：\n\n{text}\n\n确认无误后点击“提交审批”。",
                        "en": "📝 {number} release version {version} saved ({chars} characters):\n\n{text}\n\n"
                              "Press “Submit for approval” when it is ready."},
    "release.submitted": {"zh": "📤 {number} 第 {version} 版已提交{stage}，已通知 {approvers} 人。",
                          "en": "📤 {number} version {version} sent for {stage}; {approvers} people notified."},
    "release.no_approvers": {"zh": "⚠️ 该环节目前没有可审批的人员，请联系管理员配置角色。",
                             "en": "⚠️ Nobody can decide at this stage right now; ask the admin to assign the role."},
    "release.blocked": {
        "zh": "⚠️ {number} 第 {version} 版发布稿的{stage}环节需 {needed} 人同意，目前只有 {eligible} 人可以审批{why}。"
              "在此之前该稿不能发布。\n解决办法：在组织文件中为该环节增加人员（{roles}）后执行 onduty org import；"
              "或在 policy.release 中设置 separate_stages: false 后重新导入。导入后，待审批的稿件会自动发给可以审批的人。",
        "en": "⚠️ {number} version {version}: the {stage} needs {needed} approval(s) but only {eligible} person(s) may "
              "approve{why}. Until then it cannot be published.\nTo fix it: add people ({roles}) to that stage in the "
              "org file and run onduty org import, or set separate_stages: false under policy.release and import "
              "again. After the import, the waiting draft goes to whoever may approve it.",
    },
    "release.blocked.why": {"zh": "（{who}）", "en": " ({who})"},
    "release.blocked.reviewed": {"zh": "{name} 已审核该版本，不能兼任审批人", "en": "{name} reviewed this version and cannot "
                                 "also approve it"},
    "release.blocked.drafter": {"zh": "{name} 是起草人，不能审批自己的稿件", "en": "{name} drafted it and cannot approve "
                                "their own draft"},
    # the approver
    "release.card": {
        "zh": "📝 权威发布稿待{stage}：{number} 第 {version} 版（{grade}，需 {needed} 人同意）\n起草：{drafter}\n\n{text}",
        "en": "📝 Release awaiting {stage}: {number} version {version} ({grade}; {needed} approval(s) needed)\n"
              "Drafted by {drafter}\n\n{text}",
    },
    "release.ask_reason": {"zh": "请回复驳回 {number} 第 {version} 版的理由。",
                           "en": "Reply with the reason for rejecting {number} version {version}."},
    "release.ask_changes": {"zh": "请回复对 {number} 第 {version} 版的修改意见，将转给起草人。",
                            "en": "Reply with the changes you want in {number} version {version}; "
                                  "they go to the drafter."},
    "release.decided.passed": {"zh": "已审核通过，转领导小组审批。", "en": "Reviewed; sent on to the leading group."},
    "release.decided.approved": {"zh": "已批准，可以发布。", "en": "Approved; it may be published."},
    "release.decided.counted": {"zh": "已记录同意（{approvals}/{needed}）。", "en": "Approval recorded ({approvals}/{needed})."},
    "release.decided.rejected": {"zh": "已驳回，理由已告知起草人。", "en": "Rejected; the drafter has your reason."},
    "release.decided.changes": {"zh": "修改意见已转给起草人。", "en": "Your comments went to the drafter."},
    # to the drafter (outbox)
    "release.note.passed": {"zh": "✅ {number} 第 {version} 版已通过{stage}（{name}），已转领导小组审批。",
                            "en": "✅ {number} version {version} passed the {stage} ({name}); now with the leading group."},
    "release.note.approved": {
        "zh": "✅ {number} 第 {version} 版已由 {name} 批准。发布后请发送 /publish {number} 渠道 链接。",
        "en": "✅ {number} version {version} was approved by {name}. Once published, send /publish {number} "
              "OUTLET LINK.",
    },
    "release.note.counted": {"zh": "{number} 第 {version} 版：{name} 同意（{approvals}/{needed}）。",
                             "en": "{number} version {version}: {name} approves ({approvals}/{needed})."},
    "release.note.rejected": {"zh": "⛔ {number} 第 {version} 版被 {name} 驳回。理由：{comment}",
                              "en": "⛔ {number} version {version} was rejected by {name}. Reason: {comment}"},
    "release.note.changes": {
        "zh": "✏️ {name} 要求修改 {number} 第 {version} 版：\n{comment}\n\n请直接回复本消息发送修改后的正文（将保存为新版本）。",
        "en": "✏️ {name} asks for changes to {number} version {version}:\n{comment}\n\n"
              "Reply to this message with the revised text (it is saved as a new version).",
    },
    "release.note.published": {"zh": "📢 {number} 第 {version} 版已发布（{outlet}）：{link}（登记人：{name}）",
                               "en": "📢 {number} version {version} published on {outlet}: {link} (marked by {name})"},
    "release.note.published_more": {
        "zh": "📢 {number} 第 {version} 版又在{outlet}发布：{link}（登记人：{name}）",
        "en": "📢 {number} version {version} also published on {outlet}: {link} (marked by {name})"},
    "release.no_link": {"zh": "无链接", "en": "no link"},
    # publishing
    "release.published": {"zh": "📢 已登记发布：{number} 第 {version} 版，{outlet} {link}。{clock}",
                          "en": "📢 Publication recorded: {number} version {version}, {outlet} {link}. {clock}"},
    "release.clock.met": {"zh": "24 小时发布时限已按时完成。", "en": "The 24-hour publishing clock was met."},
    "release.clock.missed": {"zh": "24 小时发布时限已超时。", "en": "The 24-hour publishing clock was missed."},
    "release.clock.none": {"zh": "", "en": ""},
    "release.published_more": {
        "zh": "📢 已登记发布：{number} 第 {version} 版，{outlet} {link}。发布时限以首次发布为准，不受本次影响。",
        "en": "📢 Publication recorded: {number} version {version}, {outlet} {link}. The publishing clock counts the "
              "first publication; this one does not change it."},
    # refusals
    "release.err.publish_usage": {"zh": "用法：/publish YQ-2026-0001 渠道 链接（渠道如 新闻通稿、官方微博、官网、主流媒体；"
                                        "链接以 http:// 或 https:// 开头）。",
                                  "en": "Usage: /publish YQ-2026-0001 OUTLET LINK (an outlet such as press release, "
                                        "official Weibo, website, invited media; the link starts with http:// or "
                                        "https://)."},
    "release.err.link_required": {"zh": "在{outlet}发布须附链接，请发送 /publish {number} {outlet} 链接。",
                                  "en": "A publication on {outlet} needs its link: send /publish {number} {outlet} LINK."},
    "release.err.outlet_already": {"zh": "{number} 第 {version} 版已在{outlet}登记过发布，不再重复登记。",
                                   "en": "{number} version {version} was already recorded as published on {outlet}; "
                                         "not recorded twice."},
    "release.err.not_found": {"zh": "未找到事件 {number}。", "en": "No incident {number}."},
    "release.err.not_drafter": {"zh": "只有舆情办公室或负责该事件的承办人可以起草、提交发布稿。",
                                "en": "Only the office or the handler in charge of the incident can draft releases."},
    "release.err.empty": {"zh": "发布稿正文不能为空，请重新发送。", "en": "The release text is empty; send it again."},
    "release.err.too_long": {"zh": "发布稿过长（{length} 字，上限 {max} 字），请精简后重新发送。",
                             "en": "The release is too long ({length} characters, limit {max}); shorten it and send "
                                   "it again."},
    "release.err.unknown": {"zh": "无效的按钮，已拒绝。", "en": "Invalid button; refused."},
    "release.err.outdated": {"zh": "该版本或环节已过时，已拒绝。", "en": "This version or stage is outdated; refused."},
    "release.err.not_submitted": {"zh": "该版本尚未提交审批。", "en": "This version has not been submitted."},
    "release.err.already_submitted": {"zh": "该版本已经提交过了。", "en": "This version was already submitted."},
    "release.err.already_decided": {"zh": "已有决定，本次操作无效。", "en": "Already decided; refused."},
    "release.err.own_draft": {"zh": "不能审批自己起草的发布稿。", "en": "You cannot approve your own draft."},
    "release.err.not_allowed": {"zh": "您无权审批该环节，已拒绝并记录。",
                                "en": "You may not decide at this stage; refused and logged."},
    "release.err.reviewed": {"zh": "您已在主要领导审核环节同意了该版本，审核与审批须由不同的人完成，您不能再审批。已拒绝并记录。",
                             "en": "You approved this version at the main leader's review; review and approval are "
                                   "separate duties, so you cannot approve it too. Refused and logged."},
    "release.err.not_office": {"zh": "只有舆情办公室可以登记发布。", "en": "Only the office can mark a release published."},
    "release.err.no_draft": {"zh": "该事件还没有发布稿。", "en": "This incident has no release draft."},
    "release.err.not_approved": {"zh": "最新版本发布稿未经批准，不得发布。",
                                 "en": "The latest version is not approved; it cannot be published."},
}

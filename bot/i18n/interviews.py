"""Texts of outside communication (对外沟通): media interview requests authorised through the release's approval
stages, the spokesperson told with the talking points (口径), breaches (擅自向外界透露), their timeline sentences,
statistics and review section."""

from __future__ import annotations

# the /help section (bot/i18n/groups.py HELP_SECTIONS puts it in place)
HELP_OUTSIDE: dict[str, str] = {
    "zh": "【对外沟通】/interview YQ-… 媒体 记者 采访主题 [发言人：姓名] 登记媒体采访申请，由舆情办公室统一协调、"
          "领导小组授权（重大事件须主要领导审核、领导小组审定）后通知网上发言人；"
          "/breach YQ-… 当事人 情况 [链接] 舆情办公室登记未经授权接受采访或对外透露（可附照片，命令写在图片说明里）",
    "en": "[Outside communication] /interview YQ-… MEDIA REPORTER TOPIC [发言人：NAME] registers a media interview "
          "request: the office coordinates, the leading group authorises it (a major incident: the main leader "
          "reviews, the leading group approves), then the spokesperson is told; /breach YQ-… WHO WHAT [LINK] the "
          "office records an interview or disclosure made without authorisation (a photo may carry the command "
          "as its caption)",
}


TEXTS: dict[str, dict[str, str]] = {
    "cmd.interview": {"zh": "登记媒体采访申请（报领导小组授权）", "en": "Register a media interview request"},
    "cmd.breach": {"zh": "登记擅自接受采访或对外透露", "en": "Record an unauthorised interview or disclosure"},
    # /interview
    "interview.usage": {
        "zh": "用法：/interview YQ-2026-0001 媒体 记者 采访主题 [发言人：姓名]\n例如：/interview YQ-2026-0001 "
              "市电视台 李记者 食堂整改进展",
        "en": "Usage: /interview YQ-2026-0001 MEDIA REPORTER TOPIC [发言人：NAME]\nFor example: /interview "
              "YQ-2026-0001 CityTV Li canteen-fixes",
    },
    "interview.err.too_long": {"zh": "内容过长：媒体、记者、姓名各不超过 200 字，主题不超过 2000 字。",
                               "en": "Too long: media, reporter and name 200 characters each, the topic 2000."},
    "interview.err.not_allowed": {
        "zh": "只有舆情办公室、领导、网上发言人或该事件的相关人员可以登记媒体采访申请。",
        "en": "Only the office, a leader, the spokesperson or a person of the incident can register an interview request.",
    },
    "interview.err.unknown_incident": {"zh": "未找到事件 {number}，采访申请未登记。",
                                       "en": "No incident {number}: the interview request was not registered."},
    "interview.err.closed": {"zh": "事件 {number} 已结案，不能再登记媒体采访申请。",
                             "en": "Incident {number} is closed: no interview request can be registered on it."},
    "interview.err.no_speaker": {"zh": "找不到名为「{name}」的人员，请检查受访人姓名。",
                                 "en": "Nobody is called \"{name}\"; please check who is to speak."},
    "interview.err.several_speakers": {"zh": "有多人名为「{name}」，请在组织文件中区分后再登记。",
                                       "en": "Several people are called \"{name}\"; tell them apart in the org file first."},
    "interview.requested": {
        "zh": "🎤 已登记媒体采访申请 #{id}（{number}，{media}），已报{stage}，通知 {approvers} 人。未经授权，任何人不得接受采访。",
        "en": "🎤 Interview request #{id} ({number}, {media}) registered and sent for {stage}: {approvers} asked. "
              "Nobody gives the interview before it is authorised.",
    },
    "interview.nobody": {"zh": "⚠️ 目前没有人可以授权，已告知舆情办公室和主要领导。",
                         "en": "⚠️ Nobody may authorise it now; the office and the main leader were told."},
    "interview.ungraded": {"zh": "未定级", "en": "not graded"},
    "interview.the_spokesperson": {"zh": "网上发言人", "en": "the spokesperson"},
    "interview.card": {
        "zh": "🎤 媒体采访申请 #{id}（{number}，{grade}）待{stage}\n媒体：{media}\n记者：{reporter}\n主题：{topic}\n"
              "拟受访：{speaker}\n登记人：{by}\n未经领导小组授权，任何人不得接受采访。请授权或拒绝（需 {needed} 人同意）。",
        "en": "🎤 Media interview request #{id} ({number}, {grade}) awaiting {stage}\nMedia: {media}\nReporter: "
              "{reporter}\nTopic: {topic}\nTo speak: {speaker}\nRegistered by: {by}\nNobody gives it without the "
              "leading group's authorisation. Authorise or refuse ({needed} needed).",
    },
    "interview.btn.approve": {"zh": "✅ 授权", "en": "✅ Authorise"},
    "interview.btn.refuse": {"zh": "❌ 拒绝", "en": "❌ Refuse"},
    "interview.note.requested": {
        "zh": "🎤 {by} 登记了媒体采访申请 #{id}（{number}）：{media} {reporter}，主题：{topic}；拟受访：{speaker}。"
              "请舆情办公室统一协调，授权前任何人不得接受采访。",
        "en": "🎤 {by} registered interview request #{id} ({number}): {media}, {reporter}, on {topic}; to speak: "
              "{speaker}. The office coordinates it; nobody speaks before it is authorised.",
    },
    "interview.blocked": {
        "zh": "⚠️ 媒体采访申请 #{id}（{number}）的{stage}需 {needed} 人同意，目前只有 {eligible} 人可以审批"
              "（审核与审定须由不同的人）。请调整组织文件中的人员角色后重新导入。",
        "en": "⚠️ Interview request #{id} ({number}) needs {needed} at {stage}, and only {eligible} may decide "
              "(the reviewer may not also approve). Adjust the roles in the org file and import it again.",
    },
    "interview.decided.passed": {"zh": "已审核采访申请 #{id}，转领导小组审定。",
                                 "en": "Interview request #{id} reviewed; it goes to the leading group."},
    "interview.decided.counted": {"zh": "已记录您的同意（{approvals}/{needed}）。",
                                  "en": "Your approval is counted ({approvals}/{needed})."},
    "interview.decided.authorised": {"zh": "已授权采访申请 #{id}，已通知受访人。",
                                      "en": "Interview request #{id} authorised; who speaks was told."},
    "interview.decided.refused": {"zh": "已拒绝采访申请 #{id}，已告知舆情办公室。",
                                  "en": "Interview request #{id} refused; the office was told."},
    "interview.err.unknown": {"zh": "这条采访申请已不存在。", "en": "This interview request no longer exists."},
    "interview.err.outdated": {"zh": "这个按钮已过时（申请已进入其他环节）。",
                               "en": "This button is out of date (the request is at another stage)."},
    "interview.err.already_decided": {"zh": "采访申请 #{id} 已有决定。", "en": "Interview request #{id} is already decided."},
    "interview.err.own_request": {"zh": "不能审批自己登记的采访申请。", "en": "You cannot decide on a request you registered."},
    "interview.err.reviewed": {"zh": "您已审核过此申请：审核与审定须由不同的人。",
                               "en": "You reviewed this request: the reviewer and the approver must be different people."},
    "interview.err.press": {"zh": "您不能审批此采访申请。", "en": "You may not decide on this interview request."},
    "interview.points": {"zh": "口径（已批准的权威发布）：\n{text}", "en": "Talking points (the approved release):\n{text}"},
    "interview.no_points": {"zh": "暂无经批准的口径，请与舆情办公室确认。",
                            "en": "No approved talking points yet; check with the office."},
    "interview.note.authorised": {
        "zh": "🎤 领导小组已授权您接受采访（申请 #{id}，{number}）\n媒体：{media}\n记者：{reporter}\n主题：{topic}\n"
              "授权人：{decider}\n{points}",
        "en": "🎤 The leading group authorised you to give the interview (request #{id}, {number})\nMedia: {media}\n"
              "Reporter: {reporter}\nTopic: {topic}\nAuthorised by: {decider}\n{points}",
    },
    "interview.note.office_authorised": {
        "zh": "✅ 采访申请 #{id}（{number}，{media}）已由 {decider} 授权，已通知 {speaker}。",
        "en": "✅ Interview request #{id} ({number}, {media}) authorised by {decider}; {speaker} was told.",
    },
    "interview.note.office_no_speaker": {
        "zh": "✅ 采访申请 #{id}（{number}，{media}）已由 {decider} 授权，但没有网上发言人，请舆情办公室安排受访人。",
        "en": "✅ Interview request #{id} ({number}, {media}) authorised by {decider}, but there is no spokesperson: "
              "the office arranges who speaks.",
    },
    "interview.note.refused": {
        "zh": "❌ 采访申请 #{id}（{number}，{media} {reporter}）被 {decider} 拒绝：任何人不得接受该采访。",
        "en": "❌ Interview request #{id} ({number}, {media}, {reporter}) refused by {decider}: nobody gives it.",
    },
    # /breach
    "breach.usage": {
        "zh": "用法：/breach YQ-2026-0001 当事人 情况 [链接]\n也可发送照片或文件，并把命令写在说明里作为证据。",
        "en": "Usage: /breach YQ-2026-0001 WHO WHAT [LINK]\nOr send a photo or a file with the command as its caption "
              "as evidence.",
    },
    "breach.err.too_long": {"zh": "内容过长：当事人不超过 200 字，情况不超过 2000 字。",
                            "en": "Too long: who 200 characters, what 2000."},
    "breach.err.breach_not_allowed": {"zh": "只有舆情办公室可以登记擅自接受采访或对外透露。",
                                      "en": "Only the office can record an unauthorised interview or disclosure."},
    "breach.err.unknown_incident": {"zh": "未找到事件 {number}，未登记。", "en": "No incident {number}: nothing recorded."},
    "breach.recorded": {
        "zh": "⚠️ 已登记 {number} 的违规对外透露 #{id}：{who}{evidence}{link}。将按规定追究责任，已告知主要领导。",
        "en": "⚠️ Unauthorised disclosure #{id} on {number} recorded: {who}{evidence}{link}. It is kept for "
              "accountability; the main leader was told.",
    },
    "breach.evidence": {"zh": "，附证据 {n} 件", "en": ", {n} piece(s) of evidence"},
    "breach.link": {"zh": "，链接 {link}", "en": ", link {link}"},
    "breach.no_link": {"zh": "无", "en": "none"},
    "breach.note": {
        "zh": "⚠️ 擅自对外透露（{number}）：{who} — {what}\n登记人：{by}\n链接：{link}\n证据：{evidence} 件\n"
              "按预案，擅自向外界透露的，追究责任。",
        "en": "⚠️ Unauthorised disclosure ({number}): {who} — {what}\nRecorded by: {by}\nLink: {link}\nEvidence: "
              "{evidence}\nThe plan holds an unauthorised disclosure to account.",
    },
    # the timeline
    "audit.kind.interview_requested": {"zh": "登记媒体采访申请", "en": "interview requested"},
    "audit.kind.interview_decided": {"zh": "采访申请审批决定", "en": "interview decision"},
    "audit.kind.interview_authorised": {"zh": "授权接受采访", "en": "interview authorised"},
    "audit.kind.interview_refused": {"zh": "拒绝采访申请", "en": "interview refused"},
    "audit.kind.interview_blocked": {"zh": "采访申请无人可审批", "en": "nobody may decide an interview"},
    "audit.kind.breach_recorded": {"zh": "登记擅自对外透露", "en": "unauthorised disclosure recorded"},
    "audit.s.interview_requested": {"zh": "登记媒体采访申请{media}{topic}{speaker}",
                                    "en": "registered a media interview request{media}{topic}{speaker}"},
    "audit.s.interview_decided": {"zh": "{decision}媒体采访申请{stage}", "en": "{decision} the interview request{stage}"},
    "audit.s.interview_authorised": {"zh": "授权接受采访{media}{speaker}", "en": "authorised the interview{media}{speaker}"},
    "audit.s.interview_refused": {"zh": "拒绝媒体采访申请{media}", "en": "refused the interview request{media}"},
    "audit.s.interview_blocked": {"zh": "媒体采访申请{stage}无人可以审批，已告知舆情办公室",
                                  "en": "nobody may decide the interview request{stage}; the office was told"},
    "audit.s.breach_recorded": {"zh": "登记{who}擅自对外透露{what}{evidence}",
                                "en": "recorded an unauthorised disclosure by {who}{what}{evidence}"},
    "audit.part.media": {"zh": "（{x}）", "en": " ({x})"},
    "audit.part.speaker": {"zh": "，受访人：{x}", "en": "; to speak: {x}"},
    "audit.part.decision.approve": {"zh": "同意", "en": "approved"},
    "audit.part.decision.reject": {"zh": "拒绝", "en": "refused"},
    "audit.refusal.action.interview.request": {"zh": "登记媒体采访申请", "en": "register an interview request"},
    "audit.refusal.action.interview.decide": {"zh": "审批媒体采访申请", "en": "decide an interview request"},
    "audit.refusal.action.breach.record": {"zh": "登记擅自对外透露", "en": "record an unauthorised disclosure"},
    "audit.refusal.reason.own_request": {"zh": "不能审批自己登记的申请", "en": "one may not decide one's own request"},
    "audit.refusal.press.ivwV1": {"zh": "按媒体采访审批按钮", "en": "press an interview decision button"},
    # statistics and the review
    "stats.outside": {
        "zh": "对外沟通：媒体采访申请 {interviews} 件（授权 {authorised}，拒绝 {refused}）；擅自对外透露 {breaches} 起",
        "en": "Outside communication: {interviews} interview request(s) ({authorised} authorised, {refused} "
              "refused); {breaches} unauthorised disclosure(s)",
    },
    "review.h.outside": {"zh": "对外沟通（媒体采访与擅自透露）", "en": "Outside communication (interviews, disclosures)"},
    "review.outside.summary": {
        "zh": "媒体采访申请 {n} 件，授权 {authorised} 件，拒绝 {refused} 件；擅自对外透露 {breaches} 起。",
        "en": "{n} interview request(s), {authorised} authorised, {refused} refused; {breaches} unauthorised "
              "disclosure(s).",
    },
    "review.col.media": {"zh": "媒体 / 记者", "en": "Media / reporter"},
    "review.col.topic": {"zh": "主题", "en": "Topic"},
    "review.col.speaker": {"zh": "受访人", "en": "Speaker"},
    "review.col.interview_result": {"zh": "结果", "en": "Outcome"},
    "review.col.breach_who": {"zh": "当事人", "en": "Who"},
    "review.col.breach_what": {"zh": "情况", "en": "What"},
    "review.col.breach_evidence": {"zh": "证据", "en": "Evidence"},
    "interview.status.in_review": {"zh": "审批中", "en": "in review"},
    "interview.status.authorised": {"zh": "已授权", "en": "authorised"},
    "interview.status.refused": {"zh": "已拒绝", "en": "refused"},
}

"""Texts of the leaders' assessment (评估/研判, issue 22): /assess, the card's button and its guided flow, the
timeline's sentences and the review's lines."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # /assess
    "cmd.assess": {"zh": "研判（性质、影响、应对决定）", "en": "Assess (nature, effect, response)"},
    "assess.usage": {
        "zh": "用法：/assess YQ-2026-0001 [性质] [重大影响] 应对决定 理由\n"
              "性质：询问、炒作、捏造、建议；应对决定：仅关注、回应、全面处置。\n"
              "例：/assess YQ-2026-0001 炒作 重大影响 回应 有组织转发",
        "en": "Usage: /assess YQ-2026-0001 [NATURE] [large] DECISION REASON\n"
              "Nature: inquiry, hype, fabrication, constructive; decision: watch, respond, full.\n"
              "E.g. /assess YQ-2026-0001 hype large respond organised reposting"},
    "assess.done": {"zh": "✅ 已记录对 {number} 的研判：性质 {category}，{effect}，应对决定：{decision}。{changes}",
                    "en": "✅ Assessment of {number} recorded: nature {category}, {effect}, decision: {decision}.{changes}"},
    "assess.effect.large": {"zh": "对形象影响重大", "en": "large effect on the image"},
    "assess.effect.none": {"zh": "未认定重大影响", "en": "no large effect found"},
    "assess.changes.category": {"zh": "\n性质由「{old}」改为「{new}」，处置清单已随之更新（已完成的步骤保留）。",
                                "en": "\nNature changed from \"{old}\" to \"{new}\"; the checklist follows (steps done are kept)."},
    "assess.changes.started": {"zh": "\n开始计时：{clocks}。", "en": "\nStarted: {clocks}."},
    "assess.changes.stopped": {"zh": "\n不再适用、已停止：{clocks}。", "en": "\nNo longer applies, stopped: {clocks}."},
    "assess.changes.grade": {"zh": "\n级别由「{old}」调整为「{new}」。", "en": "\nGrade changed from {old} to {new}."},
    "assess.not_allowed": {"zh": "只有舆情办公室和领导可以研判事件。",
                           "en": "Only the office and the leaders can assess an incident."},
    "assess.closed": {"zh": "{number} 已结案，不能再研判；如需研判请先 /reopen。",
                      "en": "{number} is closed and cannot be assessed; /reopen it first."},
    "assess.stale": {"zh": "未记录：{who}刚刚已对 {number} 作出研判。请查看最新卡片后重新研判，您的理由已记入时间线。",
                     "en": "Not recorded: {who} assessed {number} a moment ago. Look at the current card and assess "
                           "again; your reason is kept on the timeline."},
    "assess.stale.someone": {"zh": "其他人", "en": "someone else"},
    "assess.reason_required": {"zh": "请写明研判理由。", "en": "Please give a reason for the assessment."},
    "assess.bad_input": {"zh": "没有看懂这次研判，请重新开始。", "en": "That assessment could not be read; please start again."},
    "assess.unknown_category": {"zh": "“{word}”不是事件性质；可选：询问、炒作、捏造、建议。",
                                "en": "\"{word}\" is not a nature; choose inquiry, hype, fabrication or constructive."},
    # the card's button and the guided flow
    "card.btn.assess": {"zh": "🧭 研判", "en": "🧭 Assess"},
    "assess.ask.category": {"zh": "🧭 研判 {number}（当前性质：{category}）\n第 1 步：事件性质是？",
                            "en": "🧭 Assessing {number} (nature now: {category})\nStep 1: what is its nature?"},
    "assess.ask.effect": {"zh": "🧭 研判 {number}：性质 {category}\n第 2 步：对本单位形象影响重大吗？",
                          "en": "🧭 Assessing {number}: nature {category}\nStep 2: a large effect on the image?"},
    "assess.ask.decision": {"zh": "🧭 研判 {number}：性质 {category}，{effect}\n第 3 步：应对决定？",
                            "en": "🧭 Assessing {number}: nature {category}, {effect}\nStep 3: the response decision?"},
    "assess.ask.reason": {"zh": "🧭 研判 {number}：性质 {category}，{effect}，{decision}\n最后一步：请回复本消息写明理由。",
                          "en": "🧭 Assessing {number}: nature {category}, {effect}, {decision}\nLast step: reply to "
                                "this message with the reason."},
    "assess.btn.keep": {"zh": "保持不变", "en": "Keep as is"},
    "assess.btn.large": {"zh": "影响重大", "en": "Large effect"},
    "assess.btn.not_large": {"zh": "不重大", "en": "Not large"},
    "assess.btn.cancel": {"zh": "取消", "en": "Cancel"},
    "assess.cancelled": {"zh": "已取消研判，未作任何更改。", "en": "Assessment cancelled; nothing was changed."},
    "assess.placeholder": {"zh": "研判理由", "en": "Reason"},
    "assess.no_category": {"zh": "未定", "en": "not set"},
    # the timeline (bot/audit_sentences.py) and the review
    "audit.kind.assessed": {"zh": "研判", "en": "assessment"},
    "audit.kind.assessment_refused": {"zh": "研判未记录", "en": "assessment refused"},
    "audit.s.assessed": {"zh": "研判：{category}{effect}，应对决定：{decision}{grade}{reason}",
                         "en": "assessed the incident: {category}{effect}, decision: {decision}{grade}{reason}"},
    "audit.s.assessed.category": {"zh": "性质由{old}改为{new}", "en": "nature changed from {old} to {new}"},
    "audit.s.assessed.same": {"zh": "性质为{new}", "en": "nature {new}"},
    "audit.s.assessed.large": {"zh": "，对形象影响重大", "en": ", large effect on the image"},
    "audit.s.assessed.grade": {"zh": "，级别由{old}调整为{new}", "en": ", grade from {old} to {new}"},
    "audit.s.assessment_refused": {"zh": "试图研判，未记录（{why}）{asked}{reason}",
                                   "en": "tried to assess the incident; not recorded ({why}){asked}{reason}"},
    "audit.s.assessment_refused.asked": {"zh": "，所提：{what}", "en": "; asked: {what}"},
    "audit.assess.why.not_allowed": {"zh": "无权限", "en": "not allowed"},
    "audit.assess.why.closed": {"zh": "事件已结案", "en": "the incident is closed"},
    "audit.assess.why.stale": {"zh": "他人已先作出研判", "en": "someone else assessed it first"},
    "audit.assess.why.reason_required": {"zh": "未写理由", "en": "no reason given"},
    "audit.assess.why.bad_input": {"zh": "内容无法识别", "en": "could not be read"},
    "audit.assess.why.other": {"zh": "未能记录", "en": "could not be recorded"},
    "review.assessments.title": {"zh": "领导研判", "en": "The leaders' assessments"},
    "review.assessments.none": {"zh": "本事件没有研判记录。", "en": "No assessment was recorded."},
    "review.assessments.line": {"zh": "{at} {who}：{what}", "en": "{at} {who}: {what}"},
}

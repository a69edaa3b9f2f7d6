"""Texts of departments in the loop (issue 22, items 1 and 3): the unit involved (涉及单位) matched to an org unit,
the office's picker, /unit; a handler of the unit put in charge (/charge); the formal reply (答复内容) signed by
the main leader (/sign) and recorded as sent (/replied). Timeline phrases of these kinds are here too."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- the unit involved
    "unit.pick.none": {
        "zh": "🏢 {number} 的涉及单位“{text}”没有对应到本单位名册中的任何单位。请选择涉及单位（其承办人将收到事件卡片），或发送 /unit {number} 单位名称：",
        "en": "🏢 The unit involved in {number}, “{text}”, matches none of the organisation's units. Choose the unit "
              "(its handlers get the incident card), or send /unit {number} UNIT:",
    },
    "unit.pick.several": {
        "zh": "🏢 {number} 的涉及单位“{text}”可能是以下 {count} 个单位之一，请选择（其承办人将收到事件卡片），或发送 /unit {number} 单位名称：",
        "en": "🏢 The unit involved in {number}, “{text}”, could be any of these {count} units. Choose one (its "
              "handlers get the incident card), or send /unit {number} UNIT:",
    },
    "unit.pick.unsure": {
        "zh": "🏢 {number} 的涉及单位“{text}”未能确定，是否是以下单位？请选择（其承办人将收到事件卡片），"
              "或发送 /unit {number} 单位名称：",
        "en": "🏢 The unit involved in {number}, “{text}”, is not certain; is it one of these? Choose (its handlers "
              "get the incident card), or send /unit {number} UNIT:",
    },
    "unit.btn.none": {"zh": "以上都不是", "en": "None of these"},
    "unit.usage": {
        "zh": "用法：/unit YQ-2026-0001 单位名称（或别名）设定涉及单位；/unit YQ-2026-0001 无 取消；"
              "/unit YQ-2026-0001 查看当前涉及单位。",
        "en": "Usage: /unit YQ-2026-0001 UNIT (a name or alias) sets the unit involved; /unit YQ-2026-0001 none "
              "clears it; /unit YQ-2026-0001 shows it.",
    },
    "unit.set": {"zh": "✅ {number} 的涉及单位已设为 {unit}，已通知其承办人：{handlers}。",
                 "en": "✅ The unit involved in {number} is now {unit}; its handlers were told: {handlers}."},
    "unit.set_nobody": {"zh": "✅ {number} 的涉及单位已设为 {unit}（该单位尚无承办人）。",
                        "en": "✅ The unit involved in {number} is now {unit} (it has no handler yet)."},
    "unit.cleared": {"zh": "{number} 不再指定涉及单位。", "en": "{number} no longer names a unit involved."},
    "unit.already": {"zh": "{number} 的涉及单位已经是 {unit}。", "en": "The unit involved in {number} is already {unit}."},
    "unit.status": {"zh": "🏢 {number} 的涉及单位：{unit}（负责人：{head}）。",
                    "en": "🏢 The unit involved in {number}: {unit} (answered for by {head})."},
    "unit.status_none": {"zh": "{number} 尚未确定涉及单位。设定：/unit {number} 单位名称",
                         "en": "{number} has no unit involved yet. Set it: /unit {number} UNIT"},
    "unit.head_none": {"zh": "未指定", "en": "nobody named"},
    "unit.err.not_allowed": {"zh": "只有舆情办公室或领导可以设定涉及单位。",
                             "en": "Only the office or a leader can set the unit involved."},
    "unit.err.unknown_incident": {"zh": "未找到事件 {number}，请检查编号（如 YQ-2026-0001）。",
                                  "en": "No incident {number}; check the number (e.g. YQ-2026-0001)."},
    "unit.err.no_match": {"zh": "“{text}”没有对应到任何单位。现有单位：{units}。",
                          "en": "“{text}” matches no unit. The units are: {units}."},
    "unit.err.ambiguous": {"zh": "“{text}”可能是以下单位之一：{units}，请写出完整名称。",
                           "en": "“{text}” could be any of: {units}; please give the full name."},
    "unit.err.no_units": {"zh": "本单位名册中还没有任何单位（组织文件的 units:）。",
                          "en": "The organisation has no units yet (units: in the org file)."},
    "unit.picked": {"zh": "已设定 {number} 的涉及单位：{unit}。", "en": "The unit involved in {number} is now {unit}."},
    "unit.err.gone": {"zh": "该单位已不在名册中，请用 /unit 设定涉及单位。",
                      "en": "That unit is no longer listed; set the unit involved with /unit."},
    "unit.picked_none": {"zh": "已记录：{number} 的涉及单位不在名册中。",
                         "en": "Recorded: the unit involved in {number} is not one of the organisation's units."},
    "unit.note.set": {"zh": "🏢 {name} 将 {number} 的涉及单位设为 {unit}。",
                      "en": "🏢 {name} set the unit involved in {number} to {unit}."},
    # a handler's own receipt on their card (the incident stays unacknowledged until a leader or the office)
    "ack.unit_done": {"zh": "已确认收到。本单位已知悉，请开展调查并提出处置建议和答复内容。",
                      "en": "Receipt confirmed. Your unit knows; please investigate and propose the measures and "
                            "the reply."},
    "ack.unit_take_off": {
        "zh": "按本单位规定，事件负责人由舆情办公室或领导指定（/charge），请联系舆情办公室。",
        "en": "Here the office or a leader puts someone in charge (/charge); please ask the office.",
    },
    # the org unit the report's 涉及单位 was matched to (the report's own words stay below it)
    "card.unit": {"zh": "🏢 责任单位：{unit}", "en": "🏢 Unit responsible: {unit}"},
    # ---------------------------------------------------------------- a handler in charge
    "charge.usage": {
        "zh": "用法：/charge YQ-2026-0001 姓名 指定涉及单位的承办人负责此事件（可起草答复内容）。",
        "en": "Usage: /charge YQ-2026-0001 NAME puts a handler of the unit involved in charge (they may then draft "
              "the reply).",
    },
    "charge.set": {"zh": "✅ {name}（{unit}）已负责 {number}，可用 /release {number} 起草答复内容。",
                   "en": "✅ {name} ({unit}) is now in charge of {number} and may draft the reply with /release {number}."},
    "charge.already": {"zh": "{name} 已经负责 {number}。", "en": "{name} is already in charge of {number}."},
    "charge.you": {
        "zh": "📌 {by} 指定您负责 {number}。请开展调查，提出处置建议，并用 /release {number} 起草答复内容，"
              "经审批、由主要领导签署后答复。",
        "en": "📌 {by} put you in charge of {number}. Please investigate, propose the measures and draft the reply "
              "with /release {number}; it is sent once approved and signed by the main leader.",
    },
    "charge.err.not_allowed": {"zh": "只有舆情办公室或领导可以指定事件负责人。",
                               "en": "Only the office or a leader can put someone in charge."},
    "charge.err.unknown_incident": {"zh": "未找到事件 {number}，请检查编号（如 YQ-2026-0001）。",
                                    "en": "No incident {number}; check the number (e.g. YQ-2026-0001)."},
    "charge.err.closed": {"zh": "事件 {number} 已结案。", "en": "Incident {number} is closed."},
    "charge.err.unknown_person": {"zh": "未找到人员“{who}”，请写出姓名。", "en": "Nobody called “{who}”; give a name."},
    "charge.err.ambiguous": {"zh": "“{who}”可能是：{names}，请写出完整姓名。",
                             "en": "“{who}” could be: {names}; give the full name."},
    "charge.err.no_unit": {"zh": "{number} 尚未确定涉及单位，请先用 /unit {number} 单位名称 设定。",
                           "en": "{number} has no unit involved yet; set it first with /unit {number} UNIT."},
    "charge.err.not_handler": {"zh": "{name} 不是{unit}的承办人，不能负责此事件。",
                               "en": "{name} is not a handler of {unit}, so cannot be put in charge of this incident."},
    # ---------------------------------------------------------------- the formal reply (答复内容)
    "sign.usage": {"zh": "用法：/sign YQ-2026-0001 主要领导签署已获批准的答复内容。",
                   "en": "Usage: /sign YQ-2026-0001 — the main leader signs the approved reply."},
    "sign.done": {"zh": "✍️ 已签署 {number} 的答复内容（第 {version} 版），可以答复。",
                  "en": "✍️ You signed the reply of {number} (version {version}); it may be sent."},
    "sign.already": {"zh": "{number} 的答复内容（第 {version} 版）已由 {name} 签署。",
                     "en": "The reply of {number} (version {version}) is already signed by {name}."},
    "sign.note": {"zh": "✍️ {name} 已签署 {number} 的答复内容（第 {version} 版）。答复后请登记：/replied {number}",
                  "en": "✍️ {name} signed the reply of {number} (version {version}). Once sent, record it: "
                        "/replied {number}"},
    "sign.err.not_allowed": {"zh": "答复内容须由{role}签署。", "en": "The reply is signed by the {role}."},
    "sign.err.unknown_incident": {"zh": "未找到事件 {number}，请检查编号（如 YQ-2026-0001）。",
                                  "en": "No incident {number}; check the number (e.g. YQ-2026-0001)."},
    "sign.err.no_draft": {"zh": "{number} 还没有答复内容，请负责人用 /release {number} 起草。",
                          "en": "{number} has no reply drafted yet; the person in charge drafts it with /release {number}."},
    "sign.err.not_approved": {"zh": "{number} 的答复内容（第 {version} 版）尚未获批准，批准后才能签署。",
                              "en": "The reply of {number} (version {version}) is not approved yet; it is signed after approval."},
    "sign.err.own_draft": {"zh": "不能签署自己起草的答复内容。", "en": "You may not sign a reply you drafted."},
    "replied.usage": {"zh": "用法：/replied YQ-2026-0001 [答复方式] 登记已签署的答复内容已经发出（正式答复时限停止）。",
                      "en": "Usage: /replied YQ-2026-0001 [how] records that the signed reply was sent (the formal "
                            "reply deadline stops)."},
    "replied.done": {"zh": "✅ 已登记 {number} 的正式答复（第 {version} 版，{signer} 签署）已发出，正式答复时限停止。",
                     "en": "✅ Recorded: the formal reply of {number} (version {version}, signed by {signer}) was "
                           "sent; the formal reply deadline stops."},
    "replied.already": {"zh": "{number} 的正式答复已登记过。", "en": "The formal reply of {number} is already recorded."},
    "replied.note": {"zh": "📨 {name} 登记：{number} 的正式答复（第 {version} 版，{signer} 签署）已发出。",
                     "en": "📨 {name} recorded that the formal reply of {number} (version {version}, signed by "
                           "{signer}) was sent."},
    "replied.err.not_allowed": {"zh": "只有舆情办公室或事件负责人可以登记答复已发出。",
                                "en": "Only the office or the person in charge can record that the reply was sent."},
    "replied.err.unknown_incident": {"zh": "未找到事件 {number}，请检查编号（如 YQ-2026-0001）。",
                                     "en": "No incident {number}; check the number (e.g. YQ-2026-0001)."},
    "replied.err.no_draft": {"zh": "{number} 还没有答复内容，请负责人用 /release {number} 起草。",
                             "en": "{number} has no reply drafted yet; the person in charge drafts it with /release {number}."},
    "replied.err.not_approved": {"zh": "{number} 的答复内容（第 {version} 版）尚未获批准。",
                                 "en": "The reply of {number} (version {version}) is not approved yet."},
    "replied.err.not_signed": {"zh": "{number} 的答复内容须经{role}签署后才能答复：请{role}发送 /sign {number}。",
                               "en": "The reply of {number} must be signed by the {role} first: the {role} sends "
                                     "/sign {number}."},
    "replied.err.too_long": {"zh": "答复方式请不超过 {max} 个字。", "en": "Say how it was sent in at most {max} characters."},
    # ---------------------------------------------------------------- commands (menus) and the timeline
    "cmd.unit": {"zh": "设定涉及单位", "en": "Set the unit involved"},
    "cmd.charge": {"zh": "指定承办人负责", "en": "Put a handler in charge"},
    "cmd.sign": {"zh": "签署答复内容", "en": "Sign the reply"},
    "cmd.replied": {"zh": "登记答复已发出", "en": "Record the reply as sent"},
    "audit.kind.unit_set": {"zh": "涉及单位", "en": "unit involved"},
    "audit.kind.charge_assigned": {"zh": "指定负责人", "en": "put in charge"},
    "audit.kind.reply_signed": {"zh": "签署答复", "en": "reply signed"},
    "audit.kind.reply_sent": {"zh": "正式答复", "en": "formal reply sent"},
    "audit.s.unit_set": {"zh": "将涉及单位定为{unit}{how}", "en": "set the unit involved to {unit}{how}"},
    "audit.s.unit_set.none": {"zh": "确认涉及单位不在名册中{how}", "en": "found the unit involved is none of the units{how}"},
    "audit.s.unit_set.matched": {"zh": "（按报告中的“{x}”自动对应）", "en": " (matched from “{x}” in the report)"},
    "audit.s.unit_set.picked": {"zh": "（在选择列表中选定）", "en": " (chosen from the list)"},
    "audit.s.charge_assigned": {"zh": "指定{name}负责处置{unit}", "en": "put {name} in charge{unit}"},
    "audit.s.charge_assigned.unit": {"zh": "（{x}）", "en": " ({x})"},
    "audit.s.reply_signed": {"zh": "签署答复内容（{version}）", "en": "signed the reply ({version})"},
    "audit.s.reply_sent": {"zh": "登记正式答复已发出（{version}，{signer}签署）{how}",
                           "en": "recorded the formal reply as sent ({version}, signed by {signer}){how}"},
    "audit.refusal.action.unit.set": {"zh": "设定涉及单位", "en": "set the unit involved"},
    "audit.refusal.action.unit.charge": {"zh": "指定事件负责人", "en": "put someone in charge"},
    "audit.refusal.action.reply.sign": {"zh": "签署答复内容", "en": "sign the reply"},
    "audit.refusal.action.reply.sent": {"zh": "登记答复已发出", "en": "record the reply as sent"},
    "audit.refusal.reason.unit_not_handler": {"zh": "不是涉及单位的承办人", "en": "not a handler of the unit involved"},
    "audit.refusal.reason.ack_unit_take_off": {"zh": "须由舆情办公室或领导指定", "en": "the office or a leader assigns it"},
    "audit.refusal.reason.not_signed": {"zh": "答复内容尚未签署", "en": "the reply is not signed"},
    "audit.refusal.reason.not_signer": {"zh": "不是签署人", "en": "not the one to sign"},
    "audit.refusal.press.unitV1": {"zh": "按涉及单位选择按钮", "en": "press a unit choice button"},
}

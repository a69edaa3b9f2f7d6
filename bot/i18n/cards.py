"""Texts of the incident card, acknowledgements and escalation."""

TEXTS: dict[str, dict[str, str]] = {
    "card.title": {"zh": "🔔 舆情事件 {number}", "en": "🔔 Incident {number}"},
    "card.upward_title": {"zh": "📤 舆情报告（双重报告）{number}", "en": "📤 Incident report to the upper office {number}"},
    "card.waiting": {"zh": "⏳ 待确认：尚无人确认收到", "en": "⏳ Waiting: nobody has acknowledged yet"},
    "card.acknowledged": {"zh": "✅ {name} 已于 {at} 确认收到", "en": "✅ Acknowledged by {name} at {at}"},
    "card.in_charge": {"zh": "🙋 负责人：{name}", "en": "🙋 In charge: {name}"},
    "card.upper_acked": {"zh": "📥 上级舆情办已于 {at} 确认收到", "en": "📥 The upper office acknowledged at {at}"},
    "card.reports": {"zh": "📑 共 {count} 份报告", "en": "📑 {count} reports"},
    "card.btn.ack": {"zh": "✅ 收到", "en": "✅ Acknowledge"},
    "card.btn.take": {"zh": "🙋 我来负责", "en": "🙋 Take charge"},
    "card.btn.upper_ack": {"zh": "📥 上级已收到", "en": "📥 Receipt acknowledged"},
    "ack.done": {"zh": "已确认收到", "en": "Acknowledged"},
    "ack.taken": {"zh": "您已负责此事件", "en": "You are in charge of this incident"},
    "ack.upper_done": {"zh": "已登记上级收到", "en": "Upper office receipt recorded"},
    "ack.already": {"zh": "此前已确认", "en": "Already acknowledged"},
    "ack.refused": {"zh": "您无权执行此操作", "en": "You are not allowed to do this"},
    "ack.closed": {"zh": "该事件已结束", "en": "This incident is closed"},
    "ack.unknown": {"zh": "该按钮已失效", "en": "This button is no longer valid"},
    "esc.remind": {
        "zh": "⏰ 请确认：舆情事件 {number}（{grade}）已报送 {ago}，尚无人确认收到。",
        "en": "⏰ Please acknowledge: incident {number} ({grade}) was reported {ago} ago and nobody has acknowledged it.",
    },
    "esc.escalated": {
        "zh": "🚨 逐级上报：舆情事件 {number}（{grade}）报送 {ago} 仍无人确认，现报{level}。",
        "en": "🚨 Escalated: incident {number} ({grade}) unacknowledged for {ago}; now reported to {level}.",
    },
    "esc.unprogressed": {
        "zh": "⚠️ 舆情事件 {number} 已确认 {ago}，但尚未登记任何处置步骤。",
        "en": "⚠️ Incident {number} was acknowledged {ago} ago but no disposal step has been recorded.",
    },
    "disposal.header": {"zh": "🧭 {number} 分类处置清单（点按登记完成）", "en": "🧭 {number} disposal checklist (tap a step when done)"},
    "disposal.done": {"zh": "已登记", "en": "Recorded"},
    "disposal.already": {"zh": "此步骤此前已登记", "en": "This step was already recorded"},
    "disposal.refused": {"zh": "只有舆情办公室和领导可以登记处置步骤", "en": "Only the office and leaders record disposal steps"},
    "disposal.leader_only": {"zh": "转交外部部门需由领导确认", "en": "A referral to an outside body needs a leader"},
    "disposal.unknown": {"zh": "该步骤已不适用", "en": "This step no longer applies"},
}

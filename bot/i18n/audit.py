"""Texts of the timeline (audit log): event kind labels and the /timeline pages."""

from __future__ import annotations

KINDS: dict[str, tuple[str, str]] = {
    "report_filed": ("报送", "report filed"),
    "graded": ("定级", "graded"),
    "regraded": ("调整级别", "regraded"),
    "notified": ("发出通知", "notification sent"),
    "delivered": ("通知送达", "notification delivered"),
    "acknowledged": ("确认收到", "acknowledged"),
    "escalated": ("逐级上报", "escalated"),
    "checklist_step": ("处置步骤", "checklist step"),
    "card_shown": ("重新发出事件卡片", "incident card posted again"),
    "draft_version": ("稿件版本", "draft version"),
    "approval": ("审批决定", "approval decision"),
    "publication": ("发布", "publication"),
    "refusal": ("拒绝操作", "refused"),
    "clock_started": ("时限开始计时", "clock started"),
    "clock_stopped": ("时限停止计时", "clock stopped"),
    "clock_extended": ("时限延期", "deadline extended"),
    "nudge_sent": ("催办提醒", "nudge sent"),
    "duty_joined": ("纳入24小时值班", "joined the 24-hour duty"),
    "duty_handed": ("接续24小时值班", "took over the 24-hour duty"),
    "closed": ("结案", "closed"),
    "reopened": ("重新打开", "reopened"),
    # the organisation's own chain (`/timeline` without a number): who can be reached, and where
    "person_unreachable": ("人员不可达", "person not reachable"),
    "person_reachable": ("人员恢复可达", "person reachable again"),
    "account_linked": ("关联账号", "account linked"),
    "chat_bound": ("绑定群", "group bound"),
    "chat_unbound": ("解除群绑定", "group unbound"),
    "chat_unreachable": ("群不可达（机器人被移出）", "group not reachable (bot removed)"),
    "chat_reachable": ("群恢复可达", "group reachable again"),
}

TEXTS: dict[str, dict[str, str]] = {
    **{f"audit.kind.{slug}": {"zh": zh, "en": en} for slug, (zh, en) in KINDS.items()},
    "audit.timeline.header": {"zh": "🕒 {number} 时间线（{tz} 时间，第 {page}/{pages} 页）",
                              "en": "🕒 Timeline of {number} ({tz} time, page {page}/{pages})"},
    "audit.timeline.empty": {"zh": "🕒 {number} 暂无时间线记录。", "en": "🕒 No timeline entries for {number} yet."},
    "audit.timeline.global": {"zh": "无关联事件的记录", "en": "events without an incident"},
    "audit.timeline.usage": {"zh": "用法：/timeline YQ-2026-0001", "en": "Usage: /timeline YQ-2026-0001"},
    "audit.timeline.not_found": {"zh": "未找到事件 {number}。", "en": "No incident {number}."},
    "audit.actor.system": {"zh": "系统", "en": "system"},
    "audit.timeline.not_allowed": {"zh": "只有舆情办公室、领导和管理员可以查看事件时间线。",
                                   "en": "Only the office, leaders and admins can see an incident's timeline."},
}

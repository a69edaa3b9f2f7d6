"""Texts of the working group (专门工作组) and its first meeting (碰头会): the proposal, the main leader's edit, the
announcement, the meeting with its agenda, the answers, the invite link, /group and /invite YQ-…, their
timeline sentences and refusals."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # roles in the group
    "wg.role.main_leader": {"zh": "主要领导", "en": "main leader"},
    "wg.role.leading_group": {"zh": "领导小组", "en": "leading group"},
    "wg.role.handler": {"zh": "业务部门承办人", "en": "unit's handler"},
    "wg.role.spokesperson": {"zh": "网上发言人", "en": "spokesperson"},
    "wg.role.office": {"zh": "舆情办公室", "en": "office"},
    "wg.role.tracker": {"zh": "动态跟踪专人", "en": "tracker"},
    "wg.role.added": {"zh": "主要领导指定", "en": "added by the main leader"},
    "wg.line": {"zh": "· {role}：{names}", "en": "· {role}: {names}"},
    "wg.nobody": {"zh": "（暂无成员）", "en": "(no members yet)"},
    # buttons
    "wg.btn.confirm": {"zh": "✅ 确认组建", "en": "✅ Confirm"},
    "wg.btn.edit": {"zh": "✏️ 调整成员", "en": "✏️ Edit"},
    "wg.btn.join": {"zh": "✅ 参加", "en": "✅ Join"},
    "wg.btn.cant": {"zh": "🚫 无法参加", "en": "🚫 Can't"},
    # the proposal to the main leader
    "wg.proposal": {
        "zh": "👥 {number}（{grade}）建议组建专门工作组{reason}，成员如下（可直接确认组建，或调整成员）：\n{members}",
        "en": "👥 {number} ({grade}): a special working group is proposed{reason}. Confirm it or edit its "
              "members:\n{members}"},
    "wg.proposal.reason": {"zh": "（理由：{reason}）", "en": " (reason: {reason})"},
    "wg.no_leader": {"zh": "👥 {number} 建议组建专门工作组，但名册中没有主要领导来确认。请在组织文件中设置主要领导后重新导入。",
                     "en": "👥 A working group is proposed for {number}, but the org file names no main leader to "
                           "confirm it. Add one and import the org file again."},
    # /group
    "cmd.group": {"zh": "建议组建专门工作组", "en": "Propose the working group"},
    "wg.group.usage": {"zh": "用法：/group YQ-2026-0001 [理由]（一般舆情须写明理由）",
                       "en": "Usage: /group YQ-2026-0001 [REASON] (a general incident needs a reason)"},
    "wg.proposed": {"zh": "已将 {number} 的专门工作组建议发给主要领导确认。",
                    "en": "The working group of {number} was proposed to the main leader to confirm."},
    "wg.err.not_allowed": {"zh": "只有舆情办公室或领导可以提议组建专门工作组。",
                           "en": "Only the office or a leader can propose a working group."},
    "wg.err.unknown_incident": {"zh": "未找到事件 {number}。", "en": "No incident {number}."},
    "wg.err.closed": {"zh": "{number} 已结案，不能再组建工作组。", "en": "{number} is closed: no working group now."},
    "wg.err.needs_reason": {
        "zh": "{number} 不是重大舆情，组建专门工作组须写明理由：/group {number} 理由。",
        "en": "{number} is not a major incident: a working group needs a reason, /group {number} REASON."},
    "wg.err.nobody": {"zh": "组织文件中没有可组成 {number} 专门工作组的人员（主要领导、领导小组、承办人、网上发言人、舆情办公室）。",
                      "en": "Nobody in the org file holds a role a working group of {number} is made of (main leader, "
                            "leading group, handler, spokesperson, office)."},
    "wg.err.already": {"zh": "{number} 的专门工作组已确认组建。", "en": "The working group of {number} is already confirmed."},
    "wg.err.gone": {"zh": "该工作组已不存在。", "en": "That working group no longer exists."},
    "wg.err.not_main_leader": {"zh": "只有主要领导可以确认或调整专门工作组。",
                               "en": "Only the main leader can confirm or edit the working group."},
    "wg.err.usage": {"zh": "请用 +姓名 加入、-姓名 移出，例如：+李强 -赵组员",
                     "en": "Use +NAME to add and -NAME to remove, e.g. +Wang Fang -赵组员"},
    # the edit
    "wg.ask.edit": {"zh": "✏️ 调整 {number} 的工作组成员：请回复本消息，+姓名 加入，-姓名 移出（如 +李强 -赵组员）。",
                    "en": "✏️ Edit the working group of {number}: reply to this message with +NAME to add and "
                          "-NAME to remove (e.g. +Wang Fang -赵组员)."},
    "wg.ask.placeholder": {"zh": "+姓名 -姓名", "en": "+NAME -NAME"},
    "wg.edited": {"zh": "已调整：{changes}", "en": "Changed: {changes}"},
    "wg.edited.none": {"zh": "成员没有变化。", "en": "No member changed."},
    "wg.edited.added": {"zh": "加入 {names}", "en": "added {names}"},
    "wg.edited.removed": {"zh": "移出 {names}", "en": "removed {names}"},
    "wg.edited.unknown": {"zh": "找不到：{names}", "en": "not found: {names}"},
    "wg.edited.several": {"zh": "有多人同名，请写全名：{names}", "en": "several people match, use the full name: {names}"},
    # confirmed
    "wg.confirmed": {"zh": "已确认组建 {number} 的专门工作组（{n} 人），碰头会建议时间 {at}。",
                     "en": "The working group of {number} is confirmed ({n} members); first meeting proposed for {at}."},
    "wg.confirmed.office": {
        "zh": "👥 {by} 已确认组建 {number} 专门工作组：\n{members}\n不在本群的成员会在私聊中收到事件卡片；如需邀请入群，"
              "可用 /invite {number} 姓名 发送一次性邀请链接（机器人无法直接拉人入群）。",
        "en": "👥 {by} confirmed the working group of {number}:\n{members}\nMembers outside this group get the "
              "incident's card in private; to bring one in, /invite {number} NAME sends them a one-use invite link "
              "(a bot cannot add people to a group)."},
    "wg.member": {"zh": "👥 您已被列入 {number} 专门工作组（{role}）。成员：\n{members}\n事件卡片会随事件更新发给您。",
                  "en": "👥 You are in the working group of {number} ({role}). Members:\n{members}\nThe incident's "
                        "card follows the incident for you."},
    # the first meeting
    "wg.meeting": {"zh": "📅 {number} 工作组碰头会，建议时间 {at}，请告知能否参加。\n{agenda}",
                   "en": "📅 First meeting of the {number} working group, proposed for {at}. Can you join?\n{agenda}"},
    "wg.meeting.office": {"zh": "📅 {number} 工作组碰头会建议时间 {at}，已请 {n} 位成员回复。\n{agenda}",
                          "en": "📅 First meeting of the {number} working group proposed for {at}; {n} members "
                                "asked.\n{agenda}"},
    "wg.agenda.head": {"zh": "议程（{number}）：", "en": "Agenda ({number}):"},
    "wg.agenda.facts": {"zh": "1. 事件基本情况", "en": "1. The facts"},
    "wg.agenda.grade": {"zh": "2. 级别：{grade}；性质：{category}", "en": "2. Grade: {grade}; category: {category}"},
    "wg.agenda.no_category": {"zh": "待研判", "en": "not assessed yet"},
    "wg.agenda.steps": {"zh": "3. 待办处置步骤：{steps}", "en": "3. Open checklist steps: {steps}"},
    "wg.agenda.clocks": {"zh": "4. 进行中的时限：{clocks}", "en": "4. Running deadlines: {clocks}"},
    "wg.agenda.clock": {"zh": "{name}（{due} 前）", "en": "{name} (by {due})"},
    "wg.agenda.tasks": {"zh": "5. 未完成的督办任务：{tasks}", "en": "5. Open tasks: {tasks}"},
    "wg.agenda.none": {"zh": "无", "en": "none"},
    "wg.answer.join": {"zh": "参加", "en": "joins"},
    "wg.answer.cant": {"zh": "无法参加", "en": "can't join"},
    "wg.answered": {"zh": "已记录：{answer}碰头会（{at}）。", "en": "Recorded: {answer} the meeting at {at}."},
    "wg.answered.join": {"zh": "参加", "en": "you join"},
    "wg.answered.cant": {"zh": "无法参加", "en": "you can't join"},
    "wg.answer.same": {"zh": "已记录过这一回复。", "en": "That answer is already recorded."},
    "wg.err.not_member": {"zh": "您不是该工作组成员。", "en": "You are not in that working group."},
    "wg.answer.office": {"zh": "📅 {number} 碰头会（{at}）：{name} {answer}。\n参加：{joins}\n无法参加：{cants}",
                         "en": "📅 {number} meeting ({at}): {name} {answer}.\nJoining: {joins}\nCan't: {cants}"},
    # /invite YQ-… NAME
    "wg.invite.usage": {"zh": "用法：/invite YQ-2026-0001 姓名（向工作组成员私发一次性入群链接）",
                        "en": "Usage: /invite YQ-2026-0001 NAME (a one-use link to the office group, sent privately)"},
    "wg.invite.you": {"zh": "🔗 舆情办公室邀请您加入办公室群，参与 {number} 工作组：{link}\n（链接仅可使用一次）",
                      "en": "🔗 The office invites you to its group for the {number} working group: {link}\n"
                            "(the link works once)"},
    "wg.invite.sent": {"zh": "已将一次性入群链接私发给 {name}。", "en": "A one-use invite link was sent to {name} in private."},
    "wg.invite.no_rights": {
        "zh": "机器人不是办公室群的管理员，或没有“邀请用户”权限，无法生成邀请链接。请在群设置中授予后重试。",
        "en": "The bot is not an administrator of the office group with the right to invite users, so it cannot "
              "make an invite link. Grant it in the group's settings and try again."},
    "wg.invite.failed": {"zh": "暂时无法生成邀请链接，请稍后重试。", "en": "The invite link could not be made now; try again later."},
    "wg.err.not_office": {"zh": "只有舆情办公室可以发送入群邀请。", "en": "Only the office can send invite links."},
    "wg.err.no_group": {"zh": "{number} 尚未确认组建专门工作组。", "en": "{number} has no confirmed working group."},
    "wg.err.no_match": {"zh": "{number} 工作组中没有名为“{name}”的成员。",
                        "en": "The {number} working group has no member called “{name}”."},
    "wg.err.several": {"zh": "“{name}”对应多位成员：{names}，请写全名。",
                       "en": "“{name}” matches several members: {names}; use the full name."},
    "wg.err.no_office_group": {"zh": "尚未绑定办公室群，无法生成入群链接。", "en": "No office group is bound: no invite link to make."},
    # the timeline
    "audit.kind.group_proposed": {"zh": "建议组建工作组", "en": "working group proposed"},
    "audit.kind.group_edited": {"zh": "调整工作组成员", "en": "working group edited"},
    "audit.kind.group_confirmed": {"zh": "确认组建工作组", "en": "working group confirmed"},
    "audit.kind.group_invited": {"zh": "发送入群邀请", "en": "invite link sent"},
    "audit.kind.meeting_proposed": {"zh": "提议碰头会", "en": "meeting proposed"},
    "audit.kind.meeting_answered": {"zh": "回复碰头会", "en": "meeting answered"},
    "audit.s.group_proposed": {"zh": "建议组建专门工作组{members}{reason}",
                               "en": "proposed a special working group{members}{reason}"},
    "audit.s.group_edited": {"zh": "调整工作组成员{added}{removed}", "en": "edited the working group{added}{removed}"},
    "audit.s.group_edited.added": {"zh": "，加入{names}", "en": ", added {names}"},
    "audit.s.group_edited.removed": {"zh": "，移出{names}", "en": ", removed {names}"},
    "audit.s.group_confirmed": {"zh": "确认组建专门工作组{members}", "en": "confirmed the working group{members}"},
    "audit.s.group_invited": {"zh": "向{member}发送办公室群一次性邀请链接",
                              "en": "sent {member} a one-use invite link to the office group"},
    "audit.s.meeting_proposed": {"zh": "提议工作组碰头会于 {at} 召开", "en": "proposed the working group's meeting at {at}"},
    "audit.s.meeting_answered.join": {"zh": "将参加 {at} 的碰头会", "en": "will join the meeting at {at}"},
    "audit.s.meeting_answered.cant": {"zh": "无法参加 {at} 的碰头会", "en": "cannot join the meeting at {at}"},
    "audit.s.meeting_answered": {"zh": "回复碰头会", "en": "answered the meeting"},
    "audit.refusal.action.group.confirm": {"zh": "确认组建工作组", "en": "confirm the working group"},
    "audit.refusal.action.group.edit": {"zh": "调整工作组成员", "en": "edit the working group"},
    "audit.refusal.action.meeting.answer": {"zh": "回复碰头会", "en": "answer the meeting"},
    "audit.refusal.reason.not_main_leader": {"zh": "不是主要领导", "en": "not the main leader"},
    "audit.refusal.reason.not_member": {"zh": "不是工作组成员", "en": "not in the working group"},
    "audit.refusal.press.wgV1": {"zh": "按工作组按钮", "en": "press a working group button"},
    # the review
    "review.h.group": {"zh": "专门工作组", "en": "Working group"},
    "review.group.summary": {"zh": "{status}，共 {n} 人。", "en": "{status}, {n} members."},
    "review.group.confirmed": {"zh": "于 {at} 确认组建", "en": "Confirmed at {at}"},
    "review.group.proposed": {"zh": "已建议，尚未确认", "en": "Proposed, not confirmed"},
    "review.group.reason": {"zh": "组建理由：{reason}", "en": "Reason: {reason}"},
    "review.group.col.name": {"zh": "成员", "en": "Member"},
    "review.group.col.role": {"zh": "组内角色", "en": "Role in the group"},
    "review.group.col.answer": {"zh": "碰头会", "en": "Meeting"},
    "review.group.meeting": {"zh": "碰头会：{at}；参加 {joins} 人，无法参加 {cants} 人，未回复 {none} 人。",
                             "en": "Meeting: {at}; {joins} joining, {cants} can't, {none} not answered."},
    "review.group.no_answer": {"zh": "未回复", "en": "no answer"},
}

"""Texts of the review report (bot/review/): the DOCX document and the charts."""

TEXTS: dict[str, dict[str, str]] = {
    # document head
    "review.title": {"zh": "舆情事件复盘报告（{no}）", "en": "Incident review report — {no}"},
    "review.meta": {
        "zh": "事件编号：{no}；等级：{grade}；类别：{category}；报告生成时间：{at}",
        "en": "Incident {no}; grade: {grade}; category: {category}; report generated: {at}",
    },
    "review.meta.subject": {"zh": "事件概要：{subject}", "en": "Summary: {subject}"},
    "review.category.none": {"zh": "未分类", "en": "not classified"},
    "review.unknown": {"zh": "未注明", "en": "not stated"},
    # section 1
    "review.h.facts": {"zh": "一、首报基本情况", "en": "1. Facts of the first report"},
    "review.facts.none": {"zh": "没有首报信息。", "en": "There is no first report."},
    "review.col.field": {"zh": "项目", "en": "Item"},
    "review.col.value": {"zh": "内容", "en": "Value"},
    # section 2
    "review.h.timeline": {"zh": "二、关键时间节点", "en": "2. Key events"},
    "review.timeline.none": {"zh": "没有时间线记录。", "en": "The timeline is empty."},
    "review.timeline.shown": {
        "zh": "时间线共 {total} 条记录，此处列出 {shown} 条关键节点；完整记录见附录。",
        "en": "The timeline has {total} entries; {shown} key events are listed here, all of them in the appendix.",
    },
    "review.col.time": {"zh": "时间", "en": "Time"},
    "review.col.actor": {"zh": "人员", "en": "Who"},
    "review.col.kind": {"zh": "类型", "en": "Kind"},
    "review.col.event": {"zh": "事项", "en": "What"},
    # section 3
    "review.h.clocks": {"zh": "三、时限执行情况", "en": "3. Deadlines"},
    "review.clocks.none": {"zh": "本事件没有计时的时限。", "en": "No deadline was running for this incident."},
    "review.clocks.summary": {
        "zh": "共 {total} 项时限：按时完成 {met} 项，超时 {missed} 项，仍在进行 {running} 项。",
        "en": "{total} deadline(s): {met} met, {missed} missed, {running} still running.",
    },
    "review.col.clock": {"zh": "时限", "en": "Deadline"},
    "review.col.started": {"zh": "起算时间", "en": "Started"},
    "review.col.due": {"zh": "截止时间", "en": "Due"},
    "review.col.done": {"zh": "完成时间", "en": "Done"},
    "review.col.result": {"zh": "结果", "en": "Result"},
    "review.clock.met": {"zh": "按时完成", "en": "met"},
    "review.clock.met_early": {"zh": "按时完成（提前 {d}）", "en": "met ({d} early)"},
    "review.clock.missed": {"zh": "超时 {d}", "en": "missed by {d}"},
    "review.clock.missed_plain": {"zh": "超时", "en": "missed"},
    "review.clock.running": {"zh": "进行中", "en": "running"},
    "review.clock.running_left": {"zh": "进行中（剩余 {d}）", "en": "running ({d} left)"},
    "review.clock.running_over": {"zh": "进行中（已超时 {d}）", "en": "running ({d} overdue)"},
    # durations
    "review.dur.dh": {"zh": "{d}天{h}小时", "en": "{d} d {h} h"},
    "review.dur.hm": {"zh": "{h}小时{m}分钟", "en": "{h} h {m} min"},
    "review.dur.m": {"zh": "{m}分钟", "en": "{m} min"},
    # section 4
    "review.h.release": {"zh": "四、审批与发布", "en": "4. Approvals and the release"},
    "review.approvals.none": {"zh": "没有审批记录。", "en": "There is no approval on record."},
    "review.col.approver": {"zh": "审批人", "en": "Approver"},
    "review.col.role": {"zh": "角色", "en": "Role"},
    "review.col.decision": {"zh": "意见", "en": "Decision"},
    "review.col.note": {"zh": "备注", "en": "Note"},
    "review.release.heading": {"zh": "权威发布", "en": "The published release"},
    "review.release.none": {"zh": "尚未发布权威信息。", "en": "No authoritative release was published."},
    "review.release.at": {"zh": "发布时间：{at}", "en": "Published: {at}"},
    "review.release.channel": {"zh": "发布渠道：{channel}", "en": "Channel: {channel}"},
    "review.release.link": {"zh": "链接：{link}", "en": "Link: {link}"},
    # section 5
    "review.h.charts": {"zh": "五、传播分析", "en": "5. How it spread"},
    "review.h.volume": {"zh": "（一）发布量走势与传播阶段", "en": "5.1 Posts over time and phases of spread"},
    "review.h.platform": {"zh": "（二）平台分布", "en": "5.2 Platforms"},
    "review.h.sentiment": {"zh": "（三）媒体与公众情感倾向", "en": "5.3 Sentiment: media and public"},
    "review.h.region": {"zh": "（四）地域热度", "en": "5.4 Regional heat"},
    "review.nodata.volume": {
        "zh": "没有带时间的帖子样本，未生成发布量走势图。",
        "en": "No post sample has a time, so there is no chart of posts over time.",
    },
    "review.nodata.platform": {
        "zh": "帖子样本均未注明平台，未生成平台分布图。",
        "en": "No post sample names its platform, so there is no platform chart.",
    },
    "review.nodata.sentiment": {
        "zh": "没有同时注明媒体级别和情感倾向的帖子样本，未生成情感倾向图。",
        "en": "No post sample states both its media level and its sentiment, so there is no sentiment chart.",
    },
    "review.nodata.region": {
        "zh": "帖子样本均未注明地域，未生成地域热度图。",
        "en": "No post sample names its region, so there is no regional chart.",
    },
    "review.phases.rule": {
        "zh": "阶段划分规则：发布量不低于峰值 {pct}% 且包含峰值的连续时段为爆发期，之前为发展期，之后为延续期。",
        "en": "Rule: the outbreak is the contiguous span around the peak where posts are at least {pct}% of "
              "the peak; development is before it, continuation after it.",
    },
    "review.phases.line": {
        "zh": "{phase}：{start} 至 {end}，共 {n} 条",
        "en": "{phase}: {start} to {end}, {n} post(s)",
    },
    "review.phases.peak": {
        "zh": "峰值：{at} 起的 {hours} 小时内 {n} 条。",
        "en": "Peak: {n} post(s) in the {hours} h from {at}.",
    },
    "review.phase.development": {"zh": "发展期", "en": "development"},
    "review.phase.outbreak": {"zh": "爆发期", "en": "outbreak"},
    "review.phase.continuation": {"zh": "延续期", "en": "continuation"},
    # section 6
    "review.h.words": {"zh": "六、热词", "en": "6. Hot words"},
    "review.words.none": {
        "zh": "帖子样本没有足够的文本，未能提取热词。",
        "en": "The post samples have too little text to extract hot words.",
    },
    "review.words.nocloud": {
        "zh": "未能生成词云图，以下为热词排行。",
        "en": "No word cloud could be drawn; the ranked list follows.",
    },
    "review.col.rank": {"zh": "排名", "en": "Rank"},
    "review.col.word": {"zh": "热词", "en": "Word"},
    "review.col.weight": {"zh": "权重", "en": "Weight"},
    # appendix
    "review.h.appendix": {"zh": "附录：完整时间线", "en": "Appendix: the full timeline"},
    "review.appendix.csv": {
        "zh": "时间线共 {n} 条，超过 {limit} 条，已另存为 CSV 文件“{file}”，与本报告放在同一目录。",
        "en": "The timeline has {n} entries, more than {limit}; it is saved as the CSV file '{file}' "
              "beside this report.",
    },
    # timeline kinds the document translates (any other kind is shown as it is)
    "review.kind.report": {"zh": "报送", "en": "report"},
    "review.kind.followup": {"zh": "跟踪", "en": "follow-up"},
    "review.kind.grade": {"zh": "定级", "en": "grading"},
    "review.kind.report_upward": {"zh": "上报", "en": "report upward"},
    "review.kind.approve": {"zh": "审批", "en": "approval"},
    "review.kind.publish": {"zh": "发布", "en": "release"},
    "review.kind.close": {"zh": "关闭", "en": "closed"},
    "review.kind.nudge": {"zh": "提醒", "en": "reminder"},
    "review.kind.duty": {"zh": "值班", "en": "duty"},
    "review.kind.patrol": {"zh": "巡查", "en": "patrol"},
    # charts
    "review.chart.volume": {"zh": "发布量走势（每 {hours} 小时）", "en": "Posts per {hours} h"},
    "review.chart.platform": {"zh": "平台分布", "en": "Posts by platform"},
    "review.chart.sentiment": {"zh": "媒体与公众情感倾向", "en": "Sentiment of media and public"},
    "review.chart.region": {"zh": "地域热度", "en": "Regional heat"},
    "review.axis.time": {"zh": "时间", "en": "time"},
    "review.axis.posts": {"zh": "帖子数", "en": "posts"},
    "review.axis.engagement": {"zh": "转发+评论", "en": "reposts + comments"},
    "review.axis.share": {"zh": "占比（%）", "en": "share (%)"},
    "review.side.media": {"zh": "媒体", "en": "media"},
    "review.side.public": {"zh": "公众（自媒体/网民）", "en": "public (self-media)"},
    "review.side.n": {"zh": "{side}\n（{n} 条）", "en": "{side}\n(n={n})"},
}

"""A synthetic incident for demos, tests and bench/review_gen.py (deterministic for a seed).

Posts follow a rise–peak–decay curve over `days` (follow-ups carry the running totals of reposts and
comments, as a tracker reports them); the texts are made of phrases about one
invented school-canteen incident; the timeline mixes a few key events with many routine ones.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.review.model import (
    Approval,
    ClockRow,
    PostSample,
    PublishedOutlet,
    Release,
    ReviewData,
    TimelineEvent,
)

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)

PLATFORMS = (("weibo", 40), ("wechat", 20), ("douyin", 15), ("news_site", 10), ("forum", 8), ("zhihu", 4),
             ("bilibili", 2), ("tv", 1))
MEDIA = (("self_media", 70), ("county", 8), ("city", 10), ("provincial", 8), ("central", 2), (None, 2))
REGIONS = (("江苏", 30), ("上海", 14), ("浙江", 12), ("北京", 9), ("广东", 8), ("安徽", 6), ("山东", 5),
           ("四川", 3), ("湖北", 3), ("河南", 2), (None, 8))
SUBJECTS = ("某市第一中学食堂", "学校食堂", "涉事供应商", "市教育局", "市场监管局", "学生家长", "调查组")
ACTIONS = ("被曝使用过期食材", "回应称已成立联合调查组", "暂停供货并接受调查", "发布情况通报", "要求彻查食品安全问题",
           "质疑校园监管不到位", "表示将公开检测结果", "组织家长代表参与陪餐")
TAILS = ("网友热议食品安全。", "家长呼吁加强校园监管。", "事件持续发酵。", "多家媒体跟进报道。", "评论区质疑声较多。",
         "部分网友认为处置及时。", "当地教育部门表示高度重视。")
ROUTINE = (("followup", "跟踪：{p} 转发 {r}、评论 {c}"), ("duty", "值班交接：{who} 接班"),
           ("patrol", "巡查：{p} 新增相关帖子"), ("nudge", "时限提醒已发送"))
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏")


def _pick(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _post_time(rng: random.Random, days: float) -> datetime:
    # gamma-shaped spread: rises for ~16 h, peaks, decays over the remaining days
    hours = min(days * 24 - 0.01, rng.gammavariate(2.2, 9.0))
    return T0 + timedelta(hours=hours)


def synthetic_review(n_posts: int = 400, n_events: int = 600, *, lang: str = "zh", seed: int = 1,
                     days: float = 5.0) -> ReviewData:
    rng = random.Random(seed)
    posts = []
    for i in range(n_posts):
        at = _post_time(rng, days)
        reach = int(rng.paretovariate(1.3) * 20)
        text = f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}，{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}。{rng.choice(TAILS)}"
        posts.append(PostSample(
            at=at, platform=_pick(rng, PLATFORMS), reposts=reach, comments=reach // 2 + rng.randint(0, 9),
            views=reach * 40, sentiment=rng.choices(("negative", "neutral", "positive"), (55, 35, 10))[0],
            sentiment_share=rng.randint(40, 90), media=_pick(rng, MEDIA), region=_pick(rng, REGIONS), text=text,
            source="report" if i % 10 == 0 else "followup"))
    posts.sort(key=lambda p: p.at)
    # follow-ups report the incident's running totals (what a tracker reads off the platforms)
    reposts = comments = 0
    for i, p in enumerate(posts):
        reposts, comments = reposts + (p.reposts or 0), comments + (p.comments or 0)
        if p.source == "followup":
            posts[i] = replace(p, reposts=reposts, comments=comments)

    key = [
        (T0 + timedelta(minutes=20), PEOPLE[0], "report", "监测员报送首报：学校食堂被曝使用过期食材"),
        (T0 + timedelta(minutes=45), PEOPLE[1], "grade", "办公室定级为重大舆情（微博转发超过100条）"),
        (T0 + timedelta(hours=1, minutes=30), PEOPLE[1], "report_upward", "已向上级应急处置办公室报告"),
        (T0 + timedelta(hours=9), PEOPLE[2], "approve", "主要领导审核通过情况通报"),
        (T0 + timedelta(hours=10), PEOPLE[3], "approve", "领导小组批准发布"),
        (T0 + timedelta(hours=26), PEOPLE[1], "publish", "在官方微博发布情况通报"),
        (T0 + timedelta(days=days), PEOPLE[1], "close", "媒体关注结束，事件关闭"),
    ]
    timeline = [TimelineEvent(at, who, kind, text, key=True) for at, who, kind, text in key]
    span = days * 24 * 60
    for i in range(max(0, n_events - len(key))):
        kind, tpl = ROUTINE[i % len(ROUTINE)]
        at = T0 + timedelta(minutes=span * (i + 0.5) / max(1, n_events))
        text = tpl.format(p=rng.choice(("微博", "微信", "抖音")), r=rng.randint(10, 900), c=rng.randint(5, 400),
                          who=rng.choice(PEOPLE))
        timeline.append(TimelineEvent(at, rng.choice(PEOPLE), kind, text))
    timeline.sort(key=lambda e: e.at)

    clocks = [
        ClockRow("report_upward", T0, T0 + timedelta(hours=4), T0 + timedelta(hours=1, minutes=30), "met"),
        ClockRow("publish", T0, T0 + timedelta(hours=24), T0 + timedelta(hours=26), "missed"),
        ClockRow("first_response", T0, T0 + timedelta(hours=3), T0 + timedelta(hours=2, minutes=10), "met"),
        ClockRow("formal_reply", T0, T0 + timedelta(days=7), None, "running"),
    ]
    approvals = [
        Approval(T0 + timedelta(hours=9), PEOPLE[2], "同意" if lang == "zh" else "approved",
                 "主要领导" if lang == "zh" else "main leader", ""),
        Approval(T0 + timedelta(hours=10), PEOPLE[3], "批准发布" if lang == "zh" else "approved",
                 "领导小组" if lang == "zh" else "leading group", "措辞再核实" if lang == "zh" else "check the wording"),
    ]
    release = Release("关于某市第一中学食堂食材问题的情况通报\n经调查，涉事供应商已被暂停供货，检测结果将于三日内公布。",
                      published_at=T0 + timedelta(hours=26), outlets=(
                          PublishedOutlet("官方微博" if lang == "zh" else "official Weibo",
                                          "https://example.org/notice/1", T0 + timedelta(hours=26), PEOPLE[0]),
                          PublishedOutlet("官网" if lang == "zh" else "website",
                                          "https://example.org/news/1", T0 + timedelta(hours=27), PEOPLE[0])))
    first = {"发现时间" if lang == "zh" else "Discovered": "2026-11-24 08:00",
             "地点" if lang == "zh" else "Place": "某市第一中学",
             "涉及单位" if lang == "zh" else "Unit": "学校后勤处、涉事供应商",
             "经过" if lang == "zh" else "What happened": "家长在微博发帖称食堂使用过期食材，配图为过期包装。",
             "结果" if lang == "zh" else "Result": "帖子转发 150 余次，评论以质疑为主。",
             "言论倾向" if lang == "zh" else "Sentiment": "负面 70%" if lang == "zh" else "negative 70%"}
    return ReviewData(incident_no="2026-0042", grade="major", lang=lang, category="inquiry",
                      subject="某市第一中学食堂被曝使用过期食材", first_report=first, timeline=timeline,
                      clocks=clocks, approvals=approvals, release=release, posts=posts,
                      generated_at=T0 + timedelta(days=days, hours=2), tz=TZ)


"""The region (地域) a report's free-text place (地点) belongs to, for the regional heat chart.

Rule: a province-level name at the start of the place wins (江苏省南京市… → 江苏); otherwise the first
administrative unit the text names (…市, …州, …县, …区, …盟) up to that suffix (苏州市工业园区 → 苏州市);
otherwise the place itself, cut to MAX_LEN characters. Follow-ups give region names directly.
"""

from __future__ import annotations

import re

MAX_LEN = 12
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
    "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_UNIT = re.compile(r"^(.{2,8}?(?:市|州|县|区|盟))")


def region_of(place: str | None) -> str | None:
    if not place or not place.strip():
        return None
    text = "".join(place.split())
    for name in PROVINCES:
        if text.startswith(name):
            return name
    m = _UNIT.match(text)
    if m:
        return m.group(1)
    return text[:MAX_LEN]

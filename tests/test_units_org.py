"""Units in the org file (aliases, head) and bot/services/units.py: import, export round trip, matching a
typed unit, the unit's head and handlers."""

from __future__ import annotations

import pytest

from bot.domain.orgfile import OrgFileError, parse_org_file
from bot.services.org import export_org
from bot.services.org_import import import_org
from bot.services.units import match_unit, unit_handlers, unit_head
from tests.conftest import T0

ORG = """
organization: {name: 示范大学}
units:
  - 党委宣传部
  - {name: 后勤管理处, aliases: [后勤, 后勤处, 膳食科], head: 周处长}
  - {name: 学生工作部, aliases: [学工部]}
  - {name: 学生会}
people:
  - {telegram_id: 2001, name: 王晓, roles: [office]}
  - {telegram_id: 4001, name: 孙处长, roles: [handler], unit: 后勤管理处}
  - {telegram_id: 4002, name: 周处长, roles: [main_leader], unit: 后勤管理处}
  - {telegram_id: 4003, name: 钱老师, roles: [monitor], unit: 后勤管理处}
  - {telegram_id: 4004, name: 吴老师, roles: [handler], unit: 学生工作部}
"""


def test_aliases_and_head_parse_and_strings_keep_working() -> None:
    org = parse_org_file(ORG)
    assert [u.name for u in org.units] == ["党委宣传部", "后勤管理处", "学生工作部", "学生会"]
    assert org.units[0].aliases == [] and org.units[0].head is None
    assert org.units[1].aliases == ["后勤", "后勤处", "膳食科"] and org.units[1].head == "周处长"


@pytest.mark.parametrize(("change", "words", "said"), [
    ("head: 周处长}", "head: 李主任}", "后勤管理处 names head '李主任', who is not under people:"),
    ("aliases: [学工部]", "aliases: ['']", "an alias must be 1 to 200 characters"),
])
def test_a_bad_unit_is_refused_naming_it(change: str, words: str, said: str) -> None:
    with pytest.raises(OrgFileError) as e:
        parse_org_file(ORG.replace(change, words))
    assert said in str(e.value)


def test_a_head_two_people_share_a_name_with_is_refused() -> None:
    text = ORG + "  - {telegram_id: 4005, name: 周处长, roles: [monitor]}\n"
    with pytest.raises(OrgFileError, match="周处长"):
        parse_org_file(text)


def test_a_unit_listed_twice_is_refused() -> None:
    with pytest.raises(OrgFileError, match="学生会 appears twice"):
        parse_org_file(ORG.replace("  - {name: 学生会}", "  - {name: 学生会}\n  - 学生会"))


async def test_import_export_round_trip_and_the_unit_service(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(ORG), now=T0)
    async with sessions() as s, s.begin():
        exported = await export_org(s, now=T0)
        assert exported["units"] == [
            {"name": "党委宣传部"}, {"name": "后勤管理处", "aliases": ["后勤", "后勤处", "膳食科"], "head": "周处长"},
            {"name": "学生工作部", "aliases": ["学工部"]}, {"name": "学生会"}]
        import yaml
        await import_org(s, parse_org_file(yaml.safe_dump(exported, allow_unicode=True)), now=T0)
        assert await export_org(s, now=T0) == exported

        assert [u.name for u in await match_unit(s, "学校膳食科（东区食堂）")] == ["后勤管理处"]
        assert [u.name for u in await match_unit(s, "学工部")] == ["学生工作部"]
        assert [u.name for u in await match_unit(s, "学生")] == ["学生工作部", "学生会"]
        assert await match_unit(s, "图书馆") == []
        logistics = (await match_unit(s, "后勤"))[0]
        head = await unit_head(s, logistics.id)
        assert head is not None and head.name == "周处长" and head.unit == "后勤管理处"
        assert [p.name for p in await unit_handlers(s, logistics.id)] == ["孙处长"]  # not the monitor, not the head
        assert await unit_head(s, None) is None and await unit_handlers(s, None) == []

        # the head's line removed from the file: the unit has no head any more; aliases replaced, not merged
        await import_org(s, parse_org_file(ORG.replace(", head: 周处长}", "}").replace("后勤处, 膳食科", "总务")), now=T0)
        logistics = (await match_unit(s, "总务"))[0]
        assert logistics.aliases == ("后勤", "总务") and await unit_head(s, logistics.id) is None

"""/start and /help show each person the commands of their roles, in their language — through the real
dispatcher; and the sections by role, without it."""

from __future__ import annotations

import re

import pytest

from bot.demo.harness import BotProcess
from bot.i18n import t
from bot.i18n.groups import HELP_SECTIONS
from bot.services.dto import PersonDTO
from handlers.onboarding import help_for
from tests.bot.chat import Chat


def commands(text: str) -> set[str]:
    return set(re.findall(r"/([a-z]+)", text))


async def test_a_monitor_does_not_see_office_commands_and_an_office_member_does(running: BotProcess, api) -> None:  # noqa: ANN001
    monitor = (await Chat(api, 1001).send("/help"))[0]
    assert {"report", "my", "due", "follow", "swap", "handover"} <= commands(monitor)
    assert not {"grade", "done", "timeline", "stats", "publish", "extend", "invite", "people"} & commands(monitor)
    assert "监测员" in monitor
    office = (await Chat(api, 2001).send("/help"))[0]  # office and admin
    assert {"report", "grade", "done", "timeline", "stats", "track", "close", "release", "publish", "invite",
            "people", "bind"} <= commands(office)
    assert "extend" not in commands(office)  # leaders only
    assert "舆情办公室" in office and "管理员" in office


async def test_leaders_and_handlers_see_their_own_commands(running: BotProcess, api) -> None:  # noqa: ANN001
    leader = (await Chat(api, 3002).send("/help"))[0]
    assert {"extend", "grade", "review", "timeline"} <= commands(leader)
    assert not {"publish", "invite", "swap"} & commands(leader)
    handler = (await Chat(api, 4001).send("/help"))[0]
    assert "release" in commands(handler) and "业务部门承办人" in handler
    assert not {"grade", "publish", "timeline"} & commands(handler)


async def test_help_is_in_the_persons_language(running: BotProcess, api) -> None:  # noqa: ANN001
    english = (await Chat(api, 1003, language_code="en").send("/help"))[0]  # Wang Fang: language en
    assert english.startswith("Commands for you (monitor):") and "[Everyone]" in english
    assert "grade" not in commands(english)
    by_phone = (await Chat(api, 1001, language_code="en").send("/help"))[0]  # no preference: the phone's
    assert by_phone.startswith("Commands for you")


async def test_start_greets_with_the_commands_of_ones_roles(running: BotProcess, api) -> None:  # noqa: ANN001
    monitor = (await Chat(api, 1001).send("/start"))[0]
    assert monitor.startswith("您好，张敏！") and "/report" in monitor and "/grade" not in monitor
    leader = (await Chat(api, 3002).send("/start"))[0]
    assert "/extend" in leader and "/grade" in leader


def _person(*roles: str) -> PersonDTO:
    return PersonDTO(id=1, telegram_id=1, name="x", roles=roles, unit=None, language=None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_everyone_together_sees_the_full_reference(lang) -> None:  # noqa: ANN001
    everybody = _person("monitor", "office", "supervising_leader", "handler", "admin")
    assert commands(help_for(everybody, lang)) == commands(t("help", lang))


def test_every_section_is_seen_by_someone_and_every_role_sees_something_of_its_own() -> None:
    for role in ("monitor", "office", "supervising_leader", "main_leader", "leading_group", "handler", "admin"):
        own = [k for k, who in HELP_SECTIONS if who is not None and role in who]
        assert own, role

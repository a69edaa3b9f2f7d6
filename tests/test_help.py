"""/help names every command the dispatcher answers, in both languages, with who may use it."""

from __future__ import annotations

import re

import pytest
from aiogram.filters import Command

from bot.i18n import t
from handlers import build_router

SILENT = {"start", "help"}  # /start comes with an invite link; /help is where the reader already is


def registered_commands() -> set[str]:
    found: set[str] = set()
    stack = [build_router()]
    while stack:
        router = stack.pop()
        stack.extend(router.sub_routers)
        for observer in router.observers.values():
            for handler in observer.handlers:
                for f in handler.filters or []:
                    if isinstance(f.callback, Command):
                        found |= {c for c in f.callback.commands if isinstance(c, str)}
    return found - SILENT


def test_the_dispatcher_answers_the_commands_of_every_area():
    assert {"report", "follow", "track", "close", "reopen", "duty", "roster", "swap", "handover", "unavailable",
            "review", "stats"} <= registered_commands()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_names_every_command(lang):
    named = set(re.findall(r"/([a-z]+)", t("help", lang)))
    missing = sorted(registered_commands() - named)
    assert not missing, missing


@pytest.mark.parametrize(("lang", "group", "commands"), [
    ("zh", "【舆情办公室、领导】", ("/reopen", "/review", "/done")),
    ("zh", "【舆情办公室、领导、管理员】", ("/stats", "/timeline")),
    ("zh", "【舆情办公室】", ("/track", "/close")),
    ("zh", "【值班监测员】", ("/swap", "/handover")),
    ("zh", "【所有人】", ("/duty", "/roster", "/unavailable", "/follow")),
    ("en", "[The office, leaders]", ("/reopen", "/review", "/done")),
    ("en", "[The office, leaders, admins]", ("/stats", "/timeline")),
    ("en", "[The office]", ("/track", "/close")),
    ("en", "[Monitors on duty]", ("/swap", "/handover")),
    ("en", "[Everyone]", ("/duty", "/roster", "/unavailable", "/follow")),
])
def test_help_says_who_may(lang, group, commands):
    # each command sits in the paragraph of the people allowed to use it (README's command tables)
    text = t("help", lang)
    sections = re.split(r"(?=【|\[(?:Everyone|Monitors|The office|Leaders|Admins))", text)
    section = next(s for s in sections if s.startswith(group))
    for command in commands:
        assert re.search(re.escape(command) + r"\b", section), (group, command)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_menu_offers_only_answered_commands_each_described(lang):
    from bot.runtime import COMMANDS

    assert set(COMMANDS) <= registered_commands() | {"help"}
    # everyone's menu holds what everyone may use; /review, /stats… are in the office's and leaders' own menus
    assert {"report", "my", "due", "duty", "roster", "unavailable"} <= set(COMMANDS)
    assert not {"review", "stats", "grade"} & set(COMMANDS)
    for command in COMMANDS:
        description = t(f"cmd.{command}", lang)
        assert description and description != f"cmd.{command}" and len(description) <= 256, command


@pytest.mark.parametrize("roles", [("monitor",), ("office",), ("supervising_leader",), ("main_leader", "leading_group"),
                                   ("handler",), ("admin",), ("office", "admin")])
def test_each_roles_menu_offers_only_answered_commands_each_described(roles):
    from bot.domain.menus import group_menu, private_menu

    for menu in (private_menu(roles), group_menu(roles)):
        assert set(menu) <= registered_commands() | {"help"}, roles
        for command in menu:
            assert t(f"cmd.{command}", "zh") != f"cmd.{command}"
    assert ("grade" in private_menu(roles)) == bool({"office", "supervising_leader", "main_leader"} & set(roles))

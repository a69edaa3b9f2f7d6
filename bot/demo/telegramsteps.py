"""Demo steps about Telegram's own rules, played on the fake Telegram (bot/fakeapi/chats.py), and the CLI:

    strict | unopened ID           who has opened the bot (a bot cannot write first: Telegram answers 403)
    group-limits                   from here a group gets Telegram's 20 messages a minute (a burst of 3)
    block ID | unblock ID          the user blocks the bot / presses Restart (my_chat_member)
    in CHAT as ID[ reply]: TEXT    a message in a group, subject to privacy mode
    add-bot CHAT TITLE by ID       the bot is added to a group (my_chat_member) …
    remove-bot CHAT by ID          … or removed (sends there then answer 403)
    admin CHAT ID                  ID is an administrator of CHAT
    migrate CHAT NEWCHAT           the group becomes a supergroup (service messages; 400 with the new id after)
    cli ARGS…                      `onduty ARGS…` run in-process on the demo's database; output and exit code
    open-link ID NAME              ID opens NAME's personal link from the last `cli` output (/start TOKEN)
    menu ID                        the command menu ID sees in the private chat
    forum CHAT                     the group is a forum (Topics on) and the bot may manage topics
    in CHAT#TOPIC as ID: TEXT      a message in the group's forum topic whose name contains TOPIC
    delete-topic CHAT#TOPIC        a person deletes that topic

After a step that pushes updates the runner lets the bot process them and prints what it said.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import shlex
import threading
from pathlib import Path
from typing import Any

from bot.demo.harness import DEMO_TOKEN
from bot.demo.script import ScriptError, Step
from bot.demo.transcript import render_event, render_group, render_menu, render_user

_CLI_LOCK = threading.Lock()  # the CLI runs with the process's cwd, environment and stdout: one at a time
_LINK = (re.compile(r"\?start=([\w-]+)"), re.compile(r"/start\s+([\w-]+)"))


def _lang(player: Any, user: int) -> str:
    return player.langs.get(user, "zh-hans")


def _first(player: Any, user: int) -> str:
    return player.names.get(user, "User")


async def strict(player: Any, st: Step) -> None:
    player.api.set_strict(True)
    player.say("\n" + render_event("strict"))


async def group_limits(player: Any, st: Step) -> None:
    player.proc.limit_groups()
    player.say("\n" + render_event("group-limits"))


async def unopened(player: Any, st: Step) -> None:
    player.api.mark_unopened(st.user)
    player.say("\n" + render_event("unopened", user=player._name(st.user)))


async def block(player: Any, st: Step) -> None:
    player.say("\n" + render_event("block", user=player._name(st.user)))
    await player._push_event(player.api.block(st.user, _first(player, st.user)))


async def unblock(player: Any, st: Step) -> None:
    player.say("\n" + render_event("unblock", user=player._name(st.user)))
    await player._push_event(player.api.unblock(st.user, _first(player, st.user)))


def _topic(player: Any, st: Step) -> tuple[int, str]:
    """The forum topic of the step's group whose name contains its TOPIC (the latest such), with its name."""
    found = [(thread, t["name"]) for thread, t in player.api.topics.get(st.chat, {}).items() if st.topic in t["name"]]
    if not found:
        raise ScriptError(f"line {st.line}: no topic containing {st.topic!r} in {st.chat}")
    return found[-1]


async def _group_say(player: Any, st: Step, reply: bool) -> None:
    user, chat = st.user, st.chat
    kw: dict[str, Any] = {"language_code": _lang(player, user), "first_name": _first(player, user)}
    where = player._chat_name(chat)
    if getattr(st, "topic", None):
        kw["message_thread_id"], name = _topic(player, st)
        where += f" › 🧵 {name}"
    if reply:
        mine = [m for m in player.api.chat_messages(chat) if m.get("from", {}).get("is_bot")]
        if not mine:
            raise ScriptError(f"line {st.line}: the bot has said nothing in {chat} to reply to")
        kw["reply_to"] = mine[-1]["message_id"]
    uid = player.api.group_message(chat, user, st.arg, **kw)
    player.say("")
    player.say(render_group(where, player._name(user), st.arg, seen=uid is not None, reply=reply,
                            bot_in_group=player.api.bot_status(chat) not in ("kicked", "left")))
    if uid is not None:
        await player._push(uid)


async def group(player: Any, st: Step) -> None:
    await _group_say(player, st, reply=False)


async def group_reply(player: Any, st: Step) -> None:
    await _group_say(player, st, reply=True)


async def add_bot(player: Any, st: Step) -> None:
    player.names.setdefault(st.chat, st.arg)
    old = player.api.bot_status(st.chat, default="left")
    uid = player.api.add_bot_to_group(st.chat, st.user, st.arg)
    player.say("\n" + render_event("add-bot", user=player._name(st.user), chat=player._chat_name(st.chat),
                                   extra=f"{old} → member"))
    await player._push_event(uid)


async def remove_bot(player: Any, st: Step) -> None:
    old = player.api.bot_status(st.chat)
    uid = player.api.remove_bot_from_group(st.chat, st.user)
    player.say("\n" + render_event("remove-bot", user=player._name(st.user), chat=player._chat_name(st.chat),
                                   extra=f"{old} → kicked"))
    await player._push_event(uid)


async def admin(player: Any, st: Step) -> None:
    player.api.set_admin(st.chat, st.user)
    player.say("\n" + render_event("admin", user=player._name(st.user), chat=player._chat_name(st.chat)))


async def migrate(player: Any, st: Step) -> None:
    new = int(st.arg)
    if st.chat in player.names:
        player.names.setdefault(new, player.names[st.chat])
    player.say("\n" + render_event("migrate", chat=player._chat_name(st.chat), extra=player._chat_name(new)))
    for uid in player.api.migrate_group(st.chat, new):
        await player._push(uid)


async def menu(player: Any, st: Step) -> None:
    commands, scope = player.api.menu(st.user, language_code=_lang(player, st.user).split("-")[0])
    text = render_menu(player._name(st.user), commands, scope)
    player.say("\n" + text)
    player.last_replies = [text]


# ----------------------------------------------------------------------------- the CLI
def _cli_argv(player: Any, args: list[str]) -> list[str]:
    """Input files named relative to the script are passed as absolute paths; everything else as written
    (the CLI runs in the demo's folder, so output paths land there)."""
    out = []
    for a in args:
        p = Path(a)
        out.append(str((player.script_dir / p).resolve()) if not p.is_absolute() and (player.script_dir / p).is_file()
                   else a)
    return out


def _run_cli(player: Any, argv: list[str]) -> tuple[int, str]:
    if player.cli is None:
        raise ScriptError("a `cli` step needs the demo to be played with the CLI (play(..., cli=bot.cli.main))")
    main = player.cli
    env = {"DATABASE_URL": player.settings.database_url, "BOT_TOKEN": DEMO_TOKEN,
           "TELEGRAM_API_URL": player.settings.telegram_api_url, "EVIDENCE_DIR": player.settings.evidence_dir,
           "TIMEZONE": player.settings.timezone, "LOG_LEVEL": "WARNING",
           "ONDUTY_DEMO_NOW": player.clock.now().isoformat()}  # the demo's virtual time, for commands that honour it
    buf = io.StringIO()
    with _CLI_LOCK:
        saved_env = {k: os.environ.get(k) for k in env}
        cwd = os.getcwd()
        os.environ.update(env)
        os.chdir(player.workdir)
        try:
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                try:
                    code = main(argv) or 0
                except SystemExit as e:  # argparse: usage errors exit 2
                    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        finally:
            os.chdir(cwd)
            for k, v in saved_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    text = buf.getvalue()
    for base in {str(player.workdir), str(Path(player.workdir).resolve())}:
        text = text.replace(base + os.sep, "").replace(base, ".")
    return code, text.rstrip()


async def cli(player: Any, st: Step) -> None:
    argv = _cli_argv(player, shlex.split(st.arg))
    player.say(f"\n$ onduty {st.arg}")
    code, text = await asyncio.to_thread(_run_cli, player, argv)
    if text:
        player.say(text)
    if code:
        player.say(f"(exit {code})")
    player.last_cli = text
    await player.proc.tick()  # whatever the command queued (e.g. messages in the outbox) goes out
    player._flush_calls()
    player.last_replies = [text, f"exit {code}", *player.last_replies]


def personal_link_token(output: str | None, name: str) -> str | None:
    """The token on the last line of ``output`` that names ``name`` and carries ?start=TOKEN or /start TOKEN."""
    for line in reversed((output or "").splitlines()):
        if name in line:
            for pattern in _LINK:
                if m := pattern.search(line):
                    return m.group(1)
    return None


async def open_link(player: Any, st: Step) -> None:
    if player.last_cli is None:
        raise ScriptError(f"line {st.line}: `open-link` reads the links printed by a `cli` step; none ran yet")
    token = personal_link_token(player.last_cli, st.arg)
    if token is None:
        raise ScriptError(f"line {st.line}: no line naming {st.arg!r} with ?start=TOKEN or /start TOKEN "
                          "in the last `cli` output")
    user = st.user
    player.user = user
    player.names.setdefault(user, st.arg)
    player.say("")
    player.say(render_user("say", player._name(user), f"/start {token}") + f"\n   (opened {st.arg}'s personal link)")
    await player._push(player.api.user_message(user, f"/start {token}", language_code=_lang(player, user),
                                                first_name=_first(player, user)))


async def forum(player: Any, st: Step) -> None:
    player.api.make_forum(st.chat)
    player.api.grant_topics(st.chat)
    player.say("\n" + render_event("forum", chat=player._chat_name(st.chat)))


async def delete_topic(player: Any, st: Step) -> None:
    thread, name = _topic(player, st)
    player.api.delete_topic(st.chat, thread)
    player.say("\n" + render_event("delete-topic", chat=player._chat_name(st.chat), extra=name))

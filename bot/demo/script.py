"""The demo script language: one step a line.

    # comment
    clock 2026-11-24T10:00+08:00   set the virtual clock (before the first message)
    org FILE | org example         import an org file (path relative to the script)
    lang 1001 en                   the user's Telegram language
    as 1001: /report               a message from user 1001 (lines indented below it continue the text)
    as 1001                        the next steps act as user 1001 (nothing is sent)
    reply TEXT                     the current user answers the bot's last message with a reply (force-reply)
    open-invite USER               USER opens the last invite link the bot gave the current user (/start TOKEN)
    photo [caption]                the current user sends a photo (made up on the spot)
    video [caption]                ... a short video
    voice                          ... a voice message
    document NAME                  the current user sends a file
    forward ORIGIN: TEXT           the current user forwards a post from ORIGIN
    press LABEL                    the current user presses the button whose label contains LABEL
    press LABEL @ CHAT             ... on the last card in another chat (a group, or a replayed button)
    forge LABEL of TEXT [@ CHAT]   a tampered client: presses the last card in CHAT (default: the user's chat)
                                   sending the data of the button LABEL of the latest message, in any chat,
                                   that contains TEXT (another incident's card, a card of another chat)
    advance 30m                    move the virtual clock (s, m, h, d) so timers fire
    expect TEXT                    the bot's replies since the last user step contain TEXT
    restart                        stop the bot and start a new one on the same database
    export                         show the incidents as `onduty export` sees them
    due CLOCK START [GRADE]        what `onduty due` answers, with the demo organisation's calendar
    fault METHOD KIND [N] [@ CHAT] the fake Telegram answers the next N calls of METHOD (to CHAT) with KIND
                                   (429, 502, timeout, blocked, chat_not_found)
    edits CHAT                     the fake Telegram's log of the edits of the incident card in CHAT, with the
                                   card's rows in the outbox: no older state after a newer one, none superseded
    outbox                         what `onduty outbox` shows
    audit                          what `onduty audit verify` says
    tamper YQ-… SEQ                edit one timeline row directly in the database (as an intruder would)
    review YQ-… [en]               what `onduty review` writes: the DOCX's headings, tables and images
    stats D1 D2                    what `onduty stats --from D1 --to D2 --csv` prints, with the CSV
    health                         GET /healthz (the real endpoint, served for the demo): status and report
    metrics                        GET /metrics: the onduty_* samples

  Telegram's rules about who may be written to, and groups (the fake Telegram applies them as the real one):
    strict                         from here every user starts as not having opened the bot: the bot cannot write
                                   to them until they write to it (Telegram answers 403); put it at the top
    unopened 3002                  this one user has not opened the bot (without `strict` everyone else has)
    block 3002 | unblock 3002      the user blocks the bot / presses Restart (my_chat_member: kicked / member)
    in -100123 as 1001: TEXT       user 1001 writes TEXT in the group -100123 (indented lines continue it);
                                   privacy mode: the bot sees only commands (/cmd, /cmd@its_name), replies to
                                   its messages and service messages; the transcript marks what it did not see
    in -100123 as 1001 reply: TEXT ... as a reply to the bot's last message in that group
    add-bot -100123 TITLE by 1001  user 1001 adds the bot to the group TITLE (my_chat_member left → member)
    remove-bot -100123 by 1001     user 1001 removes the bot (my_chat_member → kicked; sends there then fail)
    admin -100123 1001             user 1001 is an administrator of the group (getChatMember says so)
    migrate -4001 -1004001         the group becomes a supergroup: sends to the old id answer 400 with the new
    cli ARGS…                      run `onduty ARGS…` on the demo's database and show its output and exit code
                                   (input files relative to the script; output paths land in the demo's folder)
    open-link 3002 NAME            user 3002 opens the personal link printed for NAME by the last `cli`
                                   (the last line naming NAME with ?start=TOKEN or /start TOKEN): /start TOKEN
    menu 3002                      the command menu user 3002 sees in the private chat (from setMyCommands)

  Forum topics (an incident's room in the office group, bot/fakeapi/topics.py):
    forum -100123                  the group is a forum supergroup (Topics on) and the bot an administrator allowed
                                   to manage topics
    in -100123#YQ-2026-0001 as 2001: TEXT
                                   user 2001 writes TEXT in the group's topic whose name contains YQ-2026-0001
    delete-topic -100123#YQ-2026-0001
                                   a person deletes that topic (with its messages): sends to it answer 400
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class ScriptError(ValueError):
    pass


@dataclass
class Step:
    line: int
    verb: str
    arg: str = ""
    user: int | None = None
    chat: int | None = None  # the group of `in`, `add-bot`, `remove-bot`, `admin`, `migrate`
    topic: str | None = None  # `in CHAT#TOPIC …`, `delete-topic CHAT#TOPIC`: the forum topic whose name contains it


def parse_duration(text: str) -> timedelta:
    m = _DURATION.match(text.strip())
    if not m:
        raise ScriptError(f"not a duration: {text!r} (use e.g. 30m, 2h, 1d)")
    return timedelta(**{UNITS[m.group(2)]: int(m.group(1))})


def parse_script(text: str) -> list[Step]:
    steps: list[Step] = []
    for no, raw in enumerate(text.splitlines(), 1):
        if raw.strip().startswith("#") or not raw.strip():
            continue
        if raw[:1] in (" ", "\t"):
            if not steps or steps[-1].verb not in ("say", "group", "group-reply"):
                raise ScriptError(f"line {no}: an indented line continues only an `as ID:` or `in CHAT as ID:` message")
            steps[-1].arg += "\n" + raw.strip()
            continue
        verb, _, arg = raw.strip().partition(" ")
        if verb == "as":
            m = re.match(r"^(\d+)\s*:\s?(.*)$", arg)
            if re.fullmatch(r"\d+", arg.strip()):
                steps.append(Step(no, "user", "", int(arg.strip())))  # switch to this user, say nothing
                continue
            if not m:
                raise ScriptError(f"line {no}: expected `as USER_ID: text` or `as USER_ID`")
            steps.append(Step(no, "say", m.group(2), int(m.group(1))))
        elif verb in ("photo", "video", "voice", "document", "forward", "press", "expect", "org", "lang", "clock",
                      "reply"):
            if verb in ("press", "expect", "org", "lang", "clock", "forward", "reply") and not arg.strip():
                raise ScriptError(f"line {no}: `{verb}` needs an argument")
            steps.append(Step(no, verb, arg.strip()))
        elif verb == "advance":
            parse_duration(arg)
            steps.append(Step(no, verb, arg.strip()))
        elif verb == "open-invite":
            if not arg.strip().isdigit():
                raise ScriptError(f"line {no}: expected `open-invite USER_ID`")
            steps.append(Step(no, verb, arg.strip()))
        elif verb == "forge":
            if not re.match(r"^.+? of .+$", arg.strip()):
                raise ScriptError(f"line {no}: expected `forge LABEL of TEXT [@ CHAT]`")
            steps.append(Step(no, verb, arg.strip()))
        elif verb == "edits":
            if not re.match(r"^-?\d+$", arg.strip()):
                raise ScriptError(f"line {no}: expected `edits CHAT_ID`")
            steps.append(Step(no, verb, arg.strip()))
        elif verb in ("due", "fault"):
            if len(arg.split()) < 2:
                raise ScriptError(f"line {no}: `{verb}` needs two arguments or more")
            steps.append(Step(no, verb, arg.strip()))
        elif verb in ("review", "stats"):
            if not arg.strip():
                raise ScriptError(f"line {no}: `{verb}` needs an argument")
            steps.append(Step(no, verb, arg.strip()))
        elif verb == "tamper":
            if len(arg.split()) != 2 or not arg.split()[1].isdigit():
                raise ScriptError(f"line {no}: expected `tamper YQ-2026-0001 SEQ`")
            steps.append(Step(no, verb, arg.strip()))
        elif verb in TELEGRAM_VERBS:
            steps.append(_telegram_step(no, verb, arg.strip()))
        elif verb in ("restart", "export", "outbox", "audit", "health", "metrics"):
            steps.append(Step(no, verb))
        else:
            raise ScriptError(f"line {no}: unknown step {verb!r}")
    return steps


TELEGRAM_VERBS = ("strict", "group-limits", "unopened", "block", "unblock", "menu", "in", "add-bot", "remove-bot", "admin", "migrate",
                  "cli", "open-link", "forum", "delete-topic")
_GROUP_SAY = re.compile(r"^(-\d+)(?:#(\S+))?\s+as\s+(\d+)(\s+reply)?\s*:\s?(.*)$")
_CHAT_TOPIC = re.compile(r"^(-\d+)#(\S+)$")
_ADD_BOT = re.compile(r"^(-\d+)\s+(.+?)\s+by\s+(\d+)$")
_REMOVE_BOT = re.compile(r"^(-\d+)\s+by\s+(\d+)$")
_TWO_CHATS = re.compile(r"^(-\d+)\s+(-\d+)$")
_CHAT_USER = re.compile(r"^(-\d+)\s+(\d+)$")
_USER_NAME = re.compile(r"^(\d+)\s+(\S.*)$")


def _telegram_step(no: int, verb: str, arg: str) -> Step:
    """The steps about Telegram's rules: private chats opened or blocked, groups, migration, the CLI, links."""
    usage = {"unopened": "unopened USER_ID", "block": "block USER_ID", "unblock": "unblock USER_ID",
             "menu": "menu USER_ID", "in": "in CHAT_ID as USER_ID: text", "add-bot": "add-bot CHAT_ID TITLE by USER_ID",
             "remove-bot": "remove-bot CHAT_ID by USER_ID", "admin": "admin CHAT_ID USER_ID",
             "migrate": "migrate OLD_CHAT_ID NEW_CHAT_ID", "cli": "cli ARGS…", "open-link": "open-link USER_ID NAME",
             "forum": "forum CHAT_ID", "delete-topic": "delete-topic CHAT_ID#TOPIC"}
    bad = ScriptError(f"line {no}: expected `{usage.get(verb, verb)}`")
    if verb in ("strict", "group-limits"):
        if arg:
            raise ScriptError(f"line {no}: `{verb}` takes no argument")
        return Step(no, verb)
    if verb in ("unopened", "block", "unblock", "menu"):
        if not arg.isdigit():
            raise bad
        return Step(no, verb, "", int(arg))
    if verb == "in":
        if not (m := _GROUP_SAY.match(arg)):
            raise bad
        return Step(no, "group-reply" if m.group(4) else "group", m.group(5), int(m.group(3)), int(m.group(1)),
                    topic=m.group(2))
    if verb == "forum":
        if not re.fullmatch(r"-\d+", arg):
            raise bad
        return Step(no, verb, "", None, int(arg))
    if verb == "delete-topic":
        if not (m := _CHAT_TOPIC.match(arg)):
            raise bad
        return Step(no, verb, "", None, int(m.group(1)), topic=m.group(2))
    if verb == "add-bot":
        if not (m := _ADD_BOT.match(arg)):
            raise bad
        return Step(no, verb, m.group(2), int(m.group(3)), int(m.group(1)))
    if verb == "remove-bot":
        if not (m := _REMOVE_BOT.match(arg)):
            raise bad
        return Step(no, verb, "", int(m.group(2)), int(m.group(1)))
    if verb == "admin":
        if not (m := _CHAT_USER.match(arg)):
            raise bad
        return Step(no, verb, "", int(m.group(2)), int(m.group(1)))
    if verb == "migrate":
        if not (m := _TWO_CHATS.match(arg)):
            raise bad
        return Step(no, verb, m.group(2), None, int(m.group(1)))
    if verb == "cli":
        import shlex

        try:
            if not shlex.split(arg):
                raise bad
        except ValueError as e:
            raise ScriptError(f"line {no}: `cli`: {e}") from None
        return Step(no, verb, arg)
    if not (m := _USER_NAME.match(arg)):  # open-link
        raise bad
    return Step(no, verb, m.group(2).strip(), int(m.group(1)))

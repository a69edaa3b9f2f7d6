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
    advance 30m                    move the virtual clock (s, m, h, d) so timers fire
    expect TEXT                    the bot's replies since the last user step contain TEXT
    restart                        stop the bot and start a new one on the same database
    export                         show the incidents as `onduty export` sees them
    due CLOCK START [GRADE]        what `onduty due` answers, with the demo organisation's calendar
    fault METHOD KIND [N]          the fake Telegram answers the next N calls of METHOD with KIND
                                   (429, 502, timeout, blocked, chat_not_found)
    outbox                         what `onduty outbox` shows
    audit                          what `onduty audit verify` says
    tamper YQ-… SEQ                edit one timeline row directly in the database (as an intruder would)
    review YQ-… [en]               what `onduty review` writes: the DOCX's headings, tables and images
    stats D1 D2                    what `onduty stats --from D1 --to D2 --csv` prints, with the CSV
    health                         GET /healthz (the real endpoint, served for the demo): status and report
    metrics                        GET /metrics: the onduty_* samples
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
            if not steps or steps[-1].verb != "say":
                raise ScriptError(f"line {no}: an indented line continues only an `as ID:` message")
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
        elif verb in ("restart", "export", "outbox", "audit", "health", "metrics"):
            steps.append(Step(no, verb))
        else:
            raise ScriptError(f"line {no}: unknown step {verb!r}")
    return steps

"""Group chats. The office works in its bound group (chats.office): the commands of the office and leaders are
answered there for people whose roles allow them, anyone else is refused naming the command and why. The upper
office's group (chats.upper_office) gets /help (and its receipt buttons, which are callbacks and never come here).
The report dialog and other personal commands stay private: in any group they get a button opening the private
chat (`/start report` there starts the report dialog as /report does).

In a group the bot never answers plain text (a reply to one of its own messages goes on: follow-ups on incident
cards, answers to its questions), ignores a bare command it does not know (another bot may own it) and one
addressed to another bot, and answers an unknown command only when it is addressed to it (/foo@bot).

`router` sees every message first; what it lets through goes on to the other routers unchanged (a command the
gate passed is one some router answers). `tail`, the last router, swallows whatever group message nobody took.
Nothing here reads or writes dialog state: in a group the FSM key is (group, person), the private draft is not
touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Router
from aiogram.enums import ContentType
from aiogram.filters import Command, CommandObject, Filter
from aiogram.filters.command import CommandException
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.lookup import closest_command
from bot.domain.menus import group_menu
from bot.domain.vocab import LEADER_ROLES, ROLES
from bot.i18n import t
from bot.services import org as org_sv
from bot.services.dto import OrgDTO, PersonDTO
from handlers.onboarding import help_for


class InGroup(Filter):
    """A message outside a private chat: a plain attribute test, since every private message passes this router
    (a magic filter costs several times more calls per update)."""

    async def __call__(self, message: Message) -> bool:
        return message.chat.type != "private"


router = Router(name="groups")
router.message.filter(InGroup())
tail = Router(name="groups_tail")
tail.message.filter(InGroup())

LEADERS = tuple(sorted(LEADER_ROLES))
OFFICE_LEADERS = ("office", *LEADERS)

PRIVATE, OFFICE, EVERY_GROUP, PASS = "private", "office", "every_group", "pass"
# `/start PAYLOAD` in private that does what the group pointed to (the button of a personal command)
START_PAYLOADS = ("report", "my", "template")


@dataclass(frozen=True)
class Rule:
    where: str = OFFICE                    # OFFICE: in the office group (and in private); PRIVATE: personal,
    #                                        the private chat only; EVERY_GROUP: answered in any group;
    #                                        PASS: another router's, in any group (/bind, /unbind)
    roles: tuple[str, ...] | None = None   # who may, in the office group; None: everyone registered


# Every command the bot answers, and where (README's command tables). The handlers and services keep their own
# checks (the handler in charge of an incident for /release, the tracker for /track…): this is the gate only.
RULES: dict[str, Rule] = {
    # personal: the private chat
    "report": Rule(PRIVATE), "template": Rule(PRIVATE), "my": Rule(PRIVATE), "cancel": Rule(PRIVATE),
    "swap": Rule(PRIVATE), "handover": Rule(PRIVATE),
    "invite": Rule(PRIVATE),  # a one-time link is not posted where everyone can open it
    # any group
    "start": Rule(EVERY_GROUP), "help": Rule(EVERY_GROUP),
    # the lead's handlers/linking.py: how a group becomes bound, so in any group and for anyone (it checks)
    "bind": Rule(PASS), "unbind": Rule(PASS),
    # the office group: everyone registered
    "due": Rule(), "duty": Rule(), "roster": Rule(), "follow": Rule(),
    "track": Rule(), "close": Rule(), "reopen": Rule(),  # anyone registered writing in the office chat (README)
    "task": Rule(), "tasks": Rule(),  # the service checks who may give tasks (office, leaders, the one in charge)
    "interview": Rule(),  # the service checks who may register (the office, leaders, the incident's people)
    "breach": Rule(roles=("office",)),
    "decide": Rule(),  # in an incident's topic of the office group; the service checks who may (bot/services/room.py)
    # the office group: by role
    "done": Rule(roles=OFFICE_LEADERS), "grade": Rule(roles=OFFICE_LEADERS), "review": Rule(roles=OFFICE_LEADERS),
    "assess": Rule(roles=OFFICE_LEADERS),
    "group": Rule(roles=OFFICE_LEADERS),  # the working group: proposed by the office or a leader
    "dutystart": Rule(roles=OFFICE_LEADERS), "dutystop": Rule(roles=OFFICE_LEADERS),
    "extend": Rule(roles=LEADERS),
    "timeline": Rule(roles=(*OFFICE_LEADERS, "admin")), "stats": Rule(roles=(*OFFICE_LEADERS, "admin")),
    "release": Rule(roles=("office", "handler")), "publish": Rule(roles=("office",)),
    "people": Rule(roles=("office", "admin")),
    # /unavailable: declaring for someone else (@name) is the office's, in its group; for oneself, private
    "unavailable": Rule(PRIVATE),
}
UNAVAILABLE_FOR_OTHERS = Rule(roles=("office",))
INVITE_TO_GROUP = Rule(roles=("office",))  # /invite YQ-… NAME: the link itself goes to the member in private


# service messages go on: the routers that follow a group's life (handlers/linking.py) need them
SERVICE = frozenset({
    ContentType.MIGRATE_TO_CHAT_ID, ContentType.MIGRATE_FROM_CHAT_ID, ContentType.NEW_CHAT_MEMBERS,
    ContentType.LEFT_CHAT_MEMBER, ContentType.GROUP_CHAT_CREATED, ContentType.SUPERGROUP_CHAT_CREATED,
    ContentType.NEW_CHAT_TITLE,
})


@dataclass(frozen=True)
class Verdict:
    kind: str   # ignore | unregistered | unknown | help | upper_help | upper_only | private | not_here | refused
    command: str = ""
    rule: Rule | None = None


def rule_for(command: CommandObject) -> Rule | None:
    if command.command == "unavailable" and (command.args or "").lstrip().startswith(("@", "＠")):
        return UNAVAILABLE_FOR_OTHERS
    if command.command == "invite" and re.match(r"^\s*(yq-?\d|\d)", command.args or "", re.IGNORECASE):
        return INVITE_TO_GROUP
    return RULES.get(command.command)


async def place_of(session: AsyncSession, chat_id: int) -> str | None:
    """"office", "upper_office" or None (any other group)."""
    for key in ("office", "upper_office"):
        if chat_id == await org_sv.chat_id(session, key):
            return key
    return None


def verdict_for(command: CommandObject, *, addressed: bool, place: str | None,
                person: PersonDTO | None) -> Verdict | None:
    """What the gate does with a command in a group (None: let it through to its handler)."""
    name, rule = command.command, rule_for(command)
    if rule is not None and rule.where == PASS:
        return None
    if rule is None and not addressed:
        return Verdict("ignore")  # a bare /foo may be another bot's
    if place == "upper_office":  # /help and the receipt buttons only, whoever asks
        return Verdict("upper_help" if name in ("help", "start") else "upper_only", name)
    if person is None:
        return Verdict("unregistered", name)
    if rule is None:
        return Verdict("unknown", name)
    if rule.where == EVERY_GROUP:
        return Verdict("help", name)
    if rule.where == PRIVATE:
        return Verdict("private", name)
    if place != "office":
        return Verdict("not_here", name)
    if rule.roles is not None and not person.has(*rule.roles):
        return Verdict("refused", name, rule)
    return None


class GroupGate(Filter):
    """A message in a group the gate answers or swallows: {"verdict": …}; False for a message that goes on (any
    message in a private chat, a reply to the bot, a command allowed here)."""

    async def __call__(self, message: Message, bot: Bot, session: AsyncSession | None = None,
                       person: PersonDTO | None = None) -> bool | dict[str, Any]:
        if message.content_type in SERVICE:
            return False  # service messages (a group upgraded, members added) are for handlers/linking.py
        if message.from_user is None or message.from_user.is_bot:
            return {"verdict": Verdict("ignore")}
        text = message.text or message.caption or ""
        if not text.startswith("/"):
            reply = message.reply_to_message
            if (reply is not None and reply.from_user is not None and reply.from_user.id == bot.id
                    and (session is None or await place_of(session, message.chat.id) != "upper_office")):
                return False  # a follow-up on a card, an answer to the bot's question (not upstairs: help only)
            return {"verdict": Verdict("ignore")}
        try:
            command = Command.extract_command(text)
        except CommandException:
            return {"verdict": Verdict("ignore")}
        if command.mention:
            me = await bot.me()
            if command.mention.lower() != (me.username or "").lower():
                return {"verdict": Verdict("ignore")}  # another bot's
        place = await place_of(session, message.chat.id) if session is not None else None
        verdict = verdict_for(command, addressed=bool(command.mention), place=place, person=person)
        return {"verdict": verdict} if verdict is not None else False


def _button(text: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=text, url=url)]])


async def private_link(bot: Bot, command: str) -> str:
    """The link that opens the private chat with the bot — for /report (/my, /template) one that also does it."""
    if command in START_PAYLOADS:
        return await create_start_link(bot, command)
    return f"https://t.me/{(await bot.me()).username}"


def who_label(roles: tuple[str, ...], lang: str) -> str:
    """The roles allowed, as people say them: the three leader roles are "leaders"."""
    names: list[str] = []
    for r in roles:
        name = t("groups.leaders", lang) if r in LEADER_ROLES else ROLES.label(r, lang)
        if name not in names:
            names.append(name)
    if len(names) < 2:
        return "".join(names)
    return t("list.sep", lang).join(names[:-1]) + t("groups.last_sep", lang) + names[-1]


def _unknown(name: str, person: PersonDTO | None, lang: str) -> str:
    """An unknown command, with the closest one the person may use in the office group."""
    closest = closest_command(name, group_menu(person.roles) if person is not None else ())
    if closest is None:
        return t("groups.unknown", lang, command=name)
    return t("typing.unknown_command", lang, command=name, closest=closest, what=t(f"cmd.{closest}", lang))


@router.message(GroupGate())
async def on_group_message(message: Message, verdict: Verdict, bot: Bot, person: PersonDTO | None,
                           lang: str, session: AsyncSession | None = None) -> None:
    kind, name = verdict.kind, verdict.command
    if kind == "ignore":
        return
    if kind == "upper_help":
        await message.reply(t("help.upper_office", lang))
    elif kind == "upper_only":
        await message.reply(t("groups.upper_only_help", lang, command=name))
    elif kind == "unregistered":
        await message.reply(t("groups.unregistered", lang),
                            reply_markup=_button(t("groups.btn.private", lang), await private_link(bot, "")))
    elif kind == "unknown":
        await message.reply(_unknown(name, person, lang))
    elif kind == "help":
        await message.reply(help_for(person, lang))
    elif kind == "private":
        if name == "report":
            text, label = t("groups.private.report", lang), t("groups.btn.report", lang)
        else:
            key = "groups.private.invite" if name == "invite" else "groups.private"
            text, label = t(key, lang, command=name), t("groups.btn.private", lang)
        await message.reply(text, reply_markup=_button(label, await private_link(bot, name)))
    elif kind == "not_here":
        # how to bind the office group is told only while none is bound
        bound = await org_sv.chat_id(session, "office") if session is not None else None
        await message.reply(t("groups.not_here" if bound else "groups.not_here.unbound", lang, command=name))
    elif kind == "refused":
        if name == "unavailable":
            await message.reply(t("groups.refused.unavailable", lang))
            return
        roles = t("list.sep", lang).join(ROLES.label(r, lang) for r in person.roles if r in ROLES)
        await message.reply(t("groups.refused", lang, command=name, who=who_label(verdict.rule.roles, lang),
                              roles=roles or "-"))


async def start_payload(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                        state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    """The private chat opened from a group's button: /start report starts the report dialog as /report does
    (a draft under way is offered to continue), /start my and /start template do as /my and /template."""
    from handlers.misc import cmd_my
    from handlers.report_entry import cmd_report, cmd_report_again, cmd_template
    from handlers.states import ReportStates

    if person is None:
        await message.answer(t("start.unregistered", lang))
        return
    if command.args == "my":
        await cmd_my(message, session, person, lang, org)
    elif command.args == "template":
        await cmd_template(message, lang)
    elif await state.get_state() in ReportStates.__all_states_names__:
        await cmd_report_again(message, state, lang)
    else:
        await cmd_report(message, CommandObject(prefix="/", command="report"), state, lang, org, clock)


@tail.message()
async def swallow(message: Message, bot: Bot, lang: str) -> None:
    """A group message nobody took. A text reply to one of the bot's messages with buttons (a card, an
    approval: what asks for a press) is told why it cannot be taken and what to press; a reply to a plain
    message ("好的" under a notice) is the group's own chatter, and is left alone."""
    reply = message.reply_to_message
    if message.text and reply is not None and reply.from_user is not None and reply.from_user.id == bot.id \
            and not message.text.startswith("/") and reply.reply_markup is not None:
        from handlers.misc import why_not_taken

        await message.reply(why_not_taken(reply, lang))

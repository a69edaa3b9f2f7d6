"""/decide in an incident's topic of the office group (or `/decide YQ-… TEXT` anywhere): a decision recorded, and a
task given when the text carries one (`交办 UNIT-OR-PERSON WHAT [DUE]`). Every check is in bot/services/room.py."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import TELEGRAM, Address
from bot.clock import Clock
from bot.i18n import t
from bot.services import room
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import listing

router = Router(name="room")


def where_typed(message: Message) -> Address:
    """The chat, and the forum topic when the message was typed in one (not the General topic)."""
    thread = message.message_thread_id if message.is_topic_message else None
    return Address(TELEGRAM, str(message.chat.id), None if thread is None else str(thread))


@router.message(Command("decide"))
async def cmd_decide(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                     lang: str, org: OrgDTO, clock: Clock) -> None:
    if not (command.args or "").strip():
        await message.answer(t("decide.usage", lang))
        return
    r = await room.decide(session, to=where_typed(message), text=command.args or "", person=person, org=org,
                          now=clock.now())
    if not r.ok:
        await message.answer(t(f"decide.err.{r.code}", lang, **r.info))
        return
    lines = [t("decide.done", lang, number=r.info["number"], text=r.info["text"])]
    if task := r.info["task"]:
        lines.append(t("decide.task", lang, owner=task["owner"], what=task["what"], due=task["due"]))
    elif failed := r.info["task_error"]:
        info = {k: listing(v, lang) if isinstance(v, list) else v for k, v in failed["info"].items()}
        code = failed["code"]
        why = t("task.usage", lang) if code == "usage" else t("decide.task_several", lang, **info) \
            if code == "several" else t(f"task.err.{code}", lang, **info)
        lines.append(t("decide.task_failed", lang, why=why))
    await message.answer("\n".join(lines))

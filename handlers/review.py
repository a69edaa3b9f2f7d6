"""/review YQ-… and the review button (rvV1) of a closed incident's card: the review DOCX, sent as a file.

The records are read in the update's session; the charts, hot words and the document (CPU-bound, a few
seconds for a large incident) are made in a worker thread while the chat shows "sending a file…".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from pathlib import Path

from aiogram import Bot, Router
from aiogram.enums import ChatAction
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, FSInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import t
from bot.presses import review as presses
from bot.review.docx_writer import csv_path_for, write_review
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.review import load_review, may_review
from bot.telegram.callbacks import ReviewCB
from bot.telegram.outcome import press_of, show

router = Router(name="review")
log = logging.getLogger(__name__)
ACTION_EVERY = 4.0  # seconds: Telegram shows a chat action for about 5 s


async def _keep_action(bot: Bot, chat_id: int, done: asyncio.Event) -> None:
    while not done.is_set():
        with contextlib.suppress(Exception):  # a lost chat action only loses the "sending a file…" hint
            await bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), ACTION_EVERY)


async def send_review(bot: Bot, chat_id: int, number: str, *, session: AsyncSession, org: OrgDTO, lang: str,
                      clock: Clock) -> None:
    data = await load_review(session, number, org=org, lang=lang, now=clock.now())
    if data is None:
        await bot.send_message(chat_id, t("review.not_found", lang, number=number.strip()))
        return
    await session.commit()  # nothing to write: end the read before the long part, no lock held meanwhile
    done = asyncio.Event()
    action = asyncio.create_task(_keep_action(bot, chat_id, done))
    with tempfile.TemporaryDirectory(prefix="onduty-review-") as tmp:
        out = Path(tmp) / f"{data.incident_no}-review-{lang}.docx"
        try:
            path = await asyncio.to_thread(write_review, data, out)
        except Exception:
            log.exception("review of %s failed", data.incident_no)
            done.set()
            await action
            await bot.send_message(chat_id, t("review.failed", lang))
            return
        done.set()
        await action
        caption = t("review.caption", lang, number=data.incident_no, events=len(data.timeline), posts=len(data.posts))
        await bot.send_document(chat_id, FSInputFile(path, filename=path.name), caption=caption)
        csv = csv_path_for(path)
        if csv.exists():
            await bot.send_document(chat_id, FSInputFile(csv, filename=csv.name),
                                    caption=t("review.caption.csv", lang, number=data.incident_no))


@router.message(Command("review"))
async def cmd_review(message: Message, command: CommandObject, bot: Bot, session: AsyncSession,
                     person: PersonDTO | None, org: OrgDTO, lang: str, clock: Clock) -> None:
    if not may_review(person):
        await message.answer(t("review.not_allowed", lang))
        return
    if not (command.args or "").strip():
        await message.answer(t("review.usage", lang))
        return
    await send_review(bot, message.chat.id, command.args.split()[0], session=session, org=org, lang=lang, clock=clock)


@router.callback_query(ReviewCB.filter())
async def press_review(query: CallbackQuery, bot: Bot, session: AsyncSession, person: PersonDTO | None, org: OrgDTO,
                       lang: str, clock: Clock) -> None:
    press = press_of(query, person, lang)
    out = await presses.handle(session, press, org=org, now=clock.now())
    await show(query, out)
    if out.then == "send_review":
        await send_review(bot, press.chat_id, out.info["number"], session=session, org=org, lang=lang, clock=clock)

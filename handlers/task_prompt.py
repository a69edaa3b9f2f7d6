"""The incident card's 📌 交办 button: the office, a leader or whoever is in charge is asked, under the card, for
the unit or person, what and when; the reply is given as `/task` with the incident filled in (the same checks,
the same picker when a name matches several). A reply missing a part keeps the question open."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.domain.tasks import split_due
from bot.i18n import t
from bot.services import tasks
from bot.services.dto import OrgDTO, PersonDTO
from bot.telegram.render import force_reply
from handlers import pending
from handlers.tasks import DESTINY, answer_assign

router = Router(name="task_prompt")
NEW = "new"


async def ask_task(where: Message, state: FSMContext, clock: Clock, *, number: str, lang: str) -> None:
    await pending.ask(state, DESTINY, clock, kind=NEW, number=number)
    sent = await where.answer(t("task.ask.new", lang, number=number),
                              reply_markup=force_reply(t("task.ask.placeholder", lang)))
    await pending.asked(state, DESTINY, sent)


@router.message(pending.Pending(DESTINY, (NEW,), ttl=timedelta(hours=1)))
async def on_task_text(message: Message, prompt: dict, session: AsyncSession, person: PersonDTO | None,
                       state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    words, number = (message.text or "").split(), str(prompt.get("number") or "")
    if len(words) < 2:  # the question stays open: a reply with both parts still answers it
        sent = await message.answer(t("task.ask.usage", lang), reply_markup=force_reply(t("task.ask.placeholder", lang)))
        await pending.asked(state, DESTINY, sent)
        return
    now = clock.now()
    who, rest = await tasks.split_target(session, words)
    what, due = split_due(rest, now=now, tz=org.tz)
    r = await tasks.assign(session, number=number, target=who, what=" ".join(what), due=due, person=person, org=org,
                           now=now)
    await answer_assign(message, r, state, clock, lang,
                        pick={"number": number, "what": " ".join(what), "due": due.isoformat() if due else None})

"""A question the bot asked and is waiting for (a follow-up, a summary part, a reason), kept in the
person's FSM record under its own destiny so it never disturbs a report dialog in progress."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.telegram.refs import answers_one_of

PROMPT_TTL = timedelta(hours=24)  # an abandoned question expires
LATEST = "pending"  # which destiny asked last: a plain (non-reply) message answers that one only


def ctx_for(state: FSMContext, destiny: str) -> FSMContext:
    return FSMContext(storage=state.storage, key=dataclasses.replace(state.key, destiny=destiny))


async def ask(state: FSMContext, destiny: str, clock: Clock, **data: Any) -> None:
    """Open (or renew) the question; `asked` then names the bot's message(s) a reply must answer. Asking the
    same thing again (an error, the next part) keeps the earlier messages answerable."""
    ctx = ctx_for(state, destiny)
    old = await ctx.get_data()
    same = old.get("kind") == data.get("kind") and all(old.get(k) == data.get(k) for k in ("number", "proposal"))
    await ctx.set_data({**data, "msgs": list(old.get("msgs") or []) if same else [], "at": clock.now().isoformat()})
    await ctx_for(state, LATEST).set_data({"destiny": destiny})


async def asked(state: FSMContext, destiny: str, message: Message | None) -> None:
    """The bot's question was sent as `message`: a reply to it answers the pending question."""
    if message is None:
        return
    ctx = ctx_for(state, destiny)
    data = await ctx.get_data()
    if data.get("kind"):
        await ctx.update_data(msgs=[*(data.get("msgs") or []), message.message_id][-10:])


async def clear(state: FSMContext, destiny: str) -> None:
    await ctx_for(state, destiny).set_data({})
    if (await ctx_for(state, LATEST).get_data()).get("destiny") == destiny:
        await ctx_for(state, LATEST).set_data({})


async def load(state: FSMContext, destiny: str, clock: Clock, ttl: timedelta = PROMPT_TTL) -> dict[str, Any]:
    data = await ctx_for(state, destiny).get_data()
    if not data.get("kind") or clock.now() - datetime.fromisoformat(data["at"]) > ttl:
        return {}
    return data


class Pending(Filter):
    """A message answering the pending question of `destiny`: a reply to the very message that asked it
    (within PROMPT_TTL), or — in a private chat with no other dialog open, when this is the question asked
    last, within `ttl` — any message. Commands never answer; a reply to any other message never does."""

    def __init__(self, destiny: str, kinds: tuple[str, ...], *, media: bool = False, ttl: timedelta = PROMPT_TTL):
        self.destiny = destiny
        self.kinds = kinds  # the questions that take a message (others wait for a button)
        self.media = media
        self.ttl = ttl

    async def __call__(self, message: Message, clock: Clock, session: AsyncSession,
                       state: FSMContext | None = None) -> bool | dict[str, Any]:
        text = message.text or message.caption or ""
        if state is None or text.startswith("/"):
            return False
        if not message.text and not (self.media and (message.photo or message.document or message.forward_origin)):
            return False
        data = await load(state, self.destiny, clock)
        if not data or data["kind"] not in self.kinds:
            return False
        if message.reply_to_message is not None:
            return {"prompt": data} if await answers_one_of(message, session, list(data.get("msgs") or [])) else False
        fresh = clock.now() - datetime.fromisoformat(data["at"]) <= self.ttl
        if not fresh or message.chat.type != "private" or await state.get_state() is not None:
            return False
        if (await ctx_for(state, LATEST).get_data()).get("destiny", self.destiny) != self.destiny:
            return False  # a later question of another dialog is the one open
        return {"prompt": data}

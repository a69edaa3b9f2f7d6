"""/task and /tasks, a task's buttons (Accept, Done, Need help: bot/presses/tasks.py), the pick among several
matching targets and the owner's answer to "how was it done" (a note, a photo or a file as evidence). Every check
happens in bot/services/tasks.py."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tasks import pick_buttons
from bot.clock import Clock
from bot.config import Settings
from bot.domain.tasks import split_due
from bot.i18n import t
from bot.presses import tasks as presses
from bot.services import tasks
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import Result, listing
from bot.telegram.callbacks import TaskAction, TaskCB
from bot.telegram.outcome import press_of, show
from bot.telegram.render import force_reply, inline_keyboard
from handlers import pending
from handlers.evidence import capture

router = Router(name="tasks")
DESTINY = "task"


def assigned_text(r: Result, lang: str) -> str:
    i = r.info
    target = t("task.target_unit", lang, unit=i["unit"], owner=i["owner"]) if i["unit"] else i["owner"]
    text = t("task.assigned", lang, target=target, number=i["number"], id=i["id"], what=i["what"], due=i["due"])
    return text + ("\n" + t("task.waits", lang, owner=i["owner"]) if i["waits"] else "")


async def answer_assign(message: Message, r: Result, state: FSMContext, clock: Clock, lang: str,
                         pick: dict | None = None) -> None:
    if r.ok:
        await pending.clear(state, DESTINY)
        await message.answer(assigned_text(r, lang))
        return
    if r.code == "several" and pick is not None:
        await pending.ask(state, DESTINY, clock, kind="pick", **pick,
                          candidates=[[k, i] for k, i, _ in r.info["candidates"]])
        await message.answer(t("task.err.several", lang, who=r.info["who"], names=listing(r.info["names"], lang)),
                             reply_markup=inline_keyboard(pick_buttons(r.info["candidates"], lang)))
        return
    info = {k: listing(v, lang) if isinstance(v, list) else v for k, v in r.info.items() if k != "candidates"}
    await message.answer(t(f"task.err.{r.code}", lang, **info))


@router.message(Command("task"))
async def cmd_task(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                   state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    words = (command.args or "").split()
    if len(words) < 3:
        await message.answer(t("task.usage", lang))
        return
    now = clock.now()
    number = words[0]
    who, rest = await tasks.split_target(session, words[1:])
    what, due = split_due(rest, now=now, tz=org.tz)
    r = await tasks.assign(session, number=number, target=who, what=" ".join(what), due=due, person=person, org=org,
                           now=now)
    await answer_assign(message, r, state, clock, lang,
                         pick={"number": number, "what": " ".join(what), "due": due.isoformat() if due else None})


# The assigner's pick among several matching targets stays a handler of its own: the candidates it is checked
# against are held in this chat's dialog (FSM), not in the database, so the neutral press (bot/presses/tasks.py)
# only names it as a dialog step (then="pick"); tasks.assign re-checks the assignment itself.
@router.callback_query(TaskCB.filter(F.action.in_({TaskAction.PICK_UNIT, TaskAction.PICK_PERSON})))
async def on_pick(query: CallbackQuery, callback_data: TaskCB, session: AsyncSession, person: PersonDTO | None,
                  state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    kind = "unit" if callback_data.action == TaskAction.PICK_UNIT else "person"
    data = await pending.load(state, DESTINY, clock)
    if data.get("kind") != "pick" or [kind, callback_data.ref] not in (data.get("candidates") or []):
        await query.answer(t("task.err.pick_gone", lang), show_alert=True)
        return
    due = datetime.fromisoformat(data["due"]) if data.get("due") else None
    r = await tasks.assign(session, number=data["number"], target=tasks.Target(kind, callback_data.ref),
                           what=data["what"], due=due, person=person, org=org, now=clock.now())
    await query.answer()
    await answer_assign(query.message, r, state, clock, lang)


@router.message(Command("tasks"))
async def cmd_tasks(message: Message, command: CommandObject, session: AsyncSession, person: PersonDTO | None,
                    lang: str, org: OrgDTO, clock: Clock) -> None:
    now = clock.now()
    if person is None:
        await message.answer(t("task.err.not_allowed", lang))
        return
    if command.args and command.args.strip():
        r = await tasks.of_incident(session, number=command.args.strip(), person=person, now=now)
        if not r.ok:
            await message.answer(t(f"tasks.err.{r.code}", lang, **r.info))
            return
        rows, title = r.info["rows"], t("tasks.incident", lang, number=r.info["number"])
        if not rows:
            await message.answer(t("tasks.incident_none", lang, number=r.info["number"]))
            return
    else:
        rows, title = await tasks.mine(session, person=person, now=now), t("tasks.mine", lang)
        if not rows:
            await message.answer(t("tasks.mine_none", lang))
            return
    lines = [title] + [t("tasks.line", lang, id=x.id, number=x.number, what=x.what, owner=x.owner,
                         unit=t("tasks.unit", lang, unit=x.unit) if x.unit else "",
                         due=x.due_at.astimezone(org.tz).strftime("%Y-%m-%d %H:%M"),
                         status=t(f"task.status.{x.status}", lang),
                         late=t("tasks.overdue", lang) if x.overdue else t("tasks.late", lang) if x.late else "")
                       for x in rows[:50]]
    await message.answer("\n".join(lines))


@router.callback_query(TaskCB.filter(F.action.in_({TaskAction.ACCEPT, TaskAction.HELP})))
async def on_accept_or_help(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, lang: str,
                            org: OrgDTO, clock: Clock) -> None:
    await show(query, await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now()))


@router.callback_query(TaskCB.filter(F.action == TaskAction.DONE))
async def on_done(query: CallbackQuery, session: AsyncSession, person: PersonDTO | None, state: FSMContext, lang: str,
                  org: OrgDTO, clock: Clock) -> None:
    out = await presses.handle(session, press_of(query, person, lang), org=org, now=clock.now())
    if out.then != "ask_note" or query.message is None:
        await show(query, out)
        return
    await pending.ask(state, DESTINY, clock, kind="done", number=out.info["number"], task=out.info["task"])
    await show(query, out)
    sent = await query.message.answer(t("task.ask_note", lang, id=out.info["task"], number=out.info["number"]),
                                      reply_markup=force_reply(t("task.note_placeholder", lang)))
    await pending.asked(state, DESTINY, sent)


@router.message(pending.Pending(DESTINY, ("done",), media=True))
async def on_note(message: Message, prompt: dict, session: AsyncSession, person: PersonDTO | None,
                  state: FSMContext, bot: Bot, lang: str, org: OrgDTO, clock: Clock, settings: Settings) -> None:
    now = clock.now()
    item = await capture(message, bot, evidence_dir=settings.evidence_dir, now=now)
    note = "" if item is not None and item.get("kind") == "forward" else (message.text or message.caption or "")
    r = await tasks.done(session, task_id=prompt["task"], person=person, note=note, evidence=[item] if item else [],
                         org=org, now=now)
    if not r.ok:
        if r.code != "note_required":
            await pending.clear(state, DESTINY)
        await message.answer(t(f"task.err.{r.code}", lang, **r.info))
        return
    await pending.clear(state, DESTINY)
    n = r.info["evidence"]
    await message.answer(t("task.done", lang, id=r.info["id"], number=r.info["number"],
                           evidence=t("task.done_evidence", lang, n=n) if n else "",
                           late=t("task.late_mark", lang) if r.info["late"] else ""))

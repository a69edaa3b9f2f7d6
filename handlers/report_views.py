"""Rendering the report dialog: the next question, or the summary card with its buttons."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot.domain import report as rf
from bot.domain.draft import Draft
from bot.i18n import t
from bot.telegram.keyboards import question_keyboard, restore_keyboard, review_keyboard
from bot.telegram.replies import immediate
from bot.textsplit import split_text
from handlers.states import ReportStates

CARD = "card"  # FSM data key, in review: the summary card's message id, so added evidence can update it


async def save(state: FSMContext, draft: Draft, *, card: int | None = None) -> None:
    await state.set_data({**draft.dump(), CARD: card} if card else draft.dump())


DISCARDED = "discarded"  # FSM data key: the draft last cancelled, until a new one is started


async def put_aside(state: FSMContext, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """Cancel the dialog but keep a draft worth keeping where "Restore draft" finds it: one mis-tap next to
    Confirm must not lose a whole report and its evidence. Returns the reply and its keyboard."""
    draft = Draft.load(await state.get_data())
    await state.clear()
    if draft is None or not (draft.filled or draft.evidence):
        return t("report.cancelled", lang), None
    await state.set_data({DISCARDED: draft.dump()})
    return (t("report.cancelled_restorable", lang, filled=draft.filled, evidence=len(draft.evidence)),
            restore_keyboard(lang, draft.token()))


async def ask_or_review(message: Message, state: FSMContext, draft: Draft, lang: str, tz: ZoneInfo, *,
                        lead: str | None = None) -> None:
    """Ask the draft's current question, or show the summary when nothing is left to ask. `lead` (what was
    recognised, what was wrong) opens the same message: the draft is saved before anything is said, and the
    monitor gets one message rather than two."""
    if draft.step is None:
        await state.set_state(ReportStates.review)
        await save(state, draft)
        await show_summary(message, state, draft, lang, tz, lead=lead)
        return
    await state.set_state(ReportStates.filling)
    await save(state, draft)
    n, total = draft.progress()
    prompt = rf.prompt(draft.step, lang)
    if draft.step not in rf.REQUIRED:
        prompt = f"{prompt}\n{t('report.optional', lang)}"
    current = draft.current()
    if current is not None:
        prompt = f"{prompt}\n{t('report.current', lang, value=rf.format_value(draft.step, current, lang, tz))}"
    # editing one field from the summary: no counter (one question), and Keep goes back to the summary where
    # Back would wander off it
    question = prompt if draft.editing else t("report.step", lang, n=n, total=total, prompt=prompt)
    await _send(message, _opened(lead, question),
                question_keyboard(draft.step, lang, can_back=bool(draft.history) and not draft.editing,
                                  answered=current is not None))


def summary_text(draft: Draft, lang: str, tz: ZoneInfo) -> str:
    lines = [t("report.summary_title", lang), ""]
    lines += rf.summary_lines(draft.parsed(), lang, tz)
    lines.append("")
    if draft.evidence:
        kinds = t("list.sep", lang).join(sorted({t(f"report.kind.{e['kind']}", lang) for e in draft.evidence}))
        lines.append(t("report.summary_evidence", lang, count=len(draft.evidence), kinds=kinds))
    else:
        lines.append(t("report.summary_no_evidence", lang))
    return "\n".join(lines)


async def show_summary(message: Message, state: FSMContext, draft: Draft, lang: str, tz: ZoneInfo, *,
                       lead: str | None = None) -> None:
    """Send the summary card (the draft is saved already) and note which message it is."""
    card = await _send(message, _opened(lead, summary_text(draft, lang, tz)), review_keyboard(lang))
    await save(state, draft, card=card.message_id)


async def refresh_summary(message: Message, state: FSMContext, draft: Draft, lang: str, tz: ZoneInfo, *,
                          card: int | None) -> None:
    """Evidence added while the summary is shown: the card says so too, edited in place (it is what Confirm is
    pressed on). A card that cannot be edited (unknown, too long to fit one message, gone) is sent anew."""
    parts = split_text(summary_text(draft, lang, tz))
    if card and len(parts) == 1:
        try:
            with immediate():  # a card that cannot be edited is sent anew: the refusal must be heard here
                await message.bot.edit_message_text(chat_id=message.chat.id, message_id=card, text=parts[0],
                                                    reply_markup=review_keyboard(lang))
            return
        except TelegramAPIError:  # not found, too old to edit, an outage: the new card says it all the same
            pass
    await show_summary(message, state, draft, lang, tz)


def _opened(lead: str | None, text: str) -> str:
    return f"{lead}\n\n{text}" if lead else text


async def _send(message: Message, text: str, reply_markup: InlineKeyboardMarkup) -> Message:
    """Within Telegram's length limit (a long lead or summary is split); the buttons go on the last part,
    which is returned."""
    parts = split_text(text)
    for part in parts[:-1]:
        await message.answer(part)
    return await message.answer(parts[-1], reply_markup=reply_markup)

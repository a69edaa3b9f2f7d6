"""The summary card: Confirm files the report, Edit jumps back to one field, Cancel discards."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.crashpoints import crash_point
from bot.domain import report as rf
from bot.domain.draft import Draft
from bot.domain.grading import render_rules
from bot.i18n import t
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.reports import file_report
from bot.telegram.callbacks import ReportAction as A
from bot.telegram.callbacks import ReportCB
from bot.telegram.keyboards import conflict_keyboard, fields_keyboard
from handlers.report_views import ask_or_review, put_aside, show_summary
from handlers.states import ReportStates

router = Router(name="report_review")


@router.callback_query(ReportCB.filter(F.action == A.CONFIRM), ReportStates.review)
async def on_confirm(query: CallbackQuery, state: FSMContext, session: AsyncSession, person: PersonDTO,
                     lang: str, org: OrgDTO, clock: Clock) -> None:
    draft = Draft.load(await state.get_data()) or Draft()
    values = draft.parsed()
    if rf.missing(values):
        await query.answer()
        draft.step = None
        draft.advance()
        await ask_or_review(query.message, state, draft, lang, org.tz)
        return
    filed = await file_report(session, person=person, values=values, evidence=draft.evidence,
                              source=draft.mode, now=clock.now(), tz=org.tz, org=org)
    crash_point("report_filed")  # tests: killed before the report, its draft and its inbox row commit
    await state.clear()  # same transaction as the report: both commit or neither
    await query.answer(filed.number)
    await query.message.edit_reply_markup(reply_markup=None)
    text = t("report.filed", lang, number=filed.number, fields=len(values), evidence=filed.evidence)
    if filed.grade is not None:
        text += "\n" + render_rules(filed.grade, lang)
    elif filed.pending:
        text += "\n" + t("report.filed_pending", lang)
    await query.message.answer(text)


@router.callback_query(ReportCB.filter(F.action == A.EDIT), ReportStates.review)
async def on_edit(query: CallbackQuery, lang: str) -> None:
    await query.answer()
    await query.message.answer(t("report.pick_field", lang), reply_markup=fields_keyboard(lang))


@router.callback_query(ReportCB.filter(F.action == A.FIELD), ReportStates.review)
async def on_field(query: CallbackQuery, callback_data: ReportCB, state: FSMContext, lang: str, org: OrgDTO) -> None:
    draft = Draft.load(await state.get_data()) or Draft()
    if callback_data.value not in rf.FIELDS:
        await query.answer(t("report.outdated_button", lang))
        return
    await query.answer()
    draft.edit(callback_data.value)
    await ask_or_review(query.message, state, draft, lang, org.tz)


@router.callback_query(ReportCB.filter(F.action == A.REVIEW), ReportStates.review)
async def on_back_to_summary(query: CallbackQuery, state: FSMContext, lang: str, org: OrgDTO) -> None:
    await query.answer()
    await show_summary(query.message, state, Draft.load(await state.get_data()) or Draft(), lang, org.tz)


@router.callback_query(ReportCB.filter(F.action == A.CANCEL), StateFilter(ReportStates))
async def on_cancel(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    text, keyboard = await put_aside(state, lang)
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(text, reply_markup=keyboard)


@router.message(ReportStates.review, F.text)
async def on_review_text(message: Message, state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    """Labelled lines typed at the summary ("地点：西门") change those fields; a wrong value is asked again,
    its old answer kept meanwhile. Anything else gets the hint."""
    parsed = rf.parse_template(message.text, now=clock.now(), tz=org.tz, window=org.policy.reports.date_window())
    sep = t("list.sep", lang)
    notes = [t("report.unknown_labels", lang, labels=sep.join(parsed.unknown_labels))] if parsed.unknown_labels else []
    if not parsed.recognised:
        await message.answer("\n".join([*notes, t("report.review_hint", lang)]))
        return
    draft = Draft.load(await state.get_data()) or Draft()
    for name, value in parsed.values.items():
        draft.set(name, value)
    if parsed.values:
        notes.insert(0, t("report.changed", lang, fields=sep.join(rf.FIELDS[n].label(lang) for n in parsed.values)))
    notes += [rf.render_error(err, lang) for err in parsed.errors.values()]
    if parsed.errors:
        draft.edit(next(iter(parsed.errors)))
    else:
        draft.step = None
    await ask_or_review(message, state, draft, lang, org.tz, lead="\n".join(notes))


@router.message(ReportStates.review)
async def on_review_other(message: Message, lang: str) -> None:
    await message.answer(t("report.review_hint", lang))


@router.message(ReportStates.conflict)
async def on_conflict_text(message: Message, lang: str) -> None:
    """Not an answer for the draft (which is kept as it is): the choice comes first, asked again here."""
    await message.answer(t("report.conflict_hint", lang), reply_markup=conflict_keyboard(lang))


@router.callback_query(ReportCB.filter())
async def on_stale(query: CallbackQuery, lang: str) -> None:
    """A button from an old card, or one whose step has passed: say so, change nothing."""
    await query.answer(t("report.outdated_button", lang))

"""Answering the draft's questions: typed text, choice buttons, Back / Skip / Cancel, evidence."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.domain import report as rf
from bot.domain.draft import Draft
from bot.i18n import t
from bot.services.dto import OrgDTO
from bot.telegram.callbacks import ReportAction as A
from bot.telegram.callbacks import ReportCB
from handlers.evidence import EVIDENCE, capture
from handlers.report_entry import apply_template
from handlers.report_views import CARD, ask_or_review, refresh_summary, save
from handlers.states import ReportStates

router = Router(name="report_dialog")


async def _draft(state: FSMContext) -> Draft:
    return Draft.load(await state.get_data()) or Draft()


@router.message(StateFilter(ReportStates), EVIDENCE)
async def on_evidence(message: Message, state: FSMContext, raw_state: str | None, bot: Bot, lang: str,
                      clock: Clock, settings: Settings, org: OrgDTO) -> None:
    """Photos, videos, voice messages, files and forwards are attached to the draft in any report state."""
    data = await state.get_data()
    draft = Draft.load(data) or Draft()
    item = await capture(message, bot, evidence_dir=settings.evidence_dir, now=clock.now())
    if item is None:
        return
    before = len(draft.evidence)
    count = draft.add_evidence(item)
    await save(state, draft, card=data.get(CARD))
    short = f" · SHA-256 {item['sha256'][:12]}…" if item.get("sha256") else ""
    await message.answer(t("report.evidence_added", lang, kind=t(f"report.kind.{item['kind']}", lang),
                           hash=short, count=count))
    if item.get("download_error"):
        await message.answer(t("report.evidence_failed", lang))
    if raw_state == ReportStates.review.state and count > before:  # the same file twice changes nothing
        await refresh_summary(message, state, draft, lang, org.tz, card=data.get(CARD))


@router.message(ReportStates.filling, F.text)
async def on_answer(message: Message, state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    draft = await _draft(state)
    now, window = clock.now(), org.policy.reports.date_window()
    parsed = rf.parse_template(message.text, now=now, tz=org.tz, window=window)
    if parsed.recognised >= 2:
        lead = apply_template(draft, parsed, lang)
        draft.step = None
        draft.advance()
        await ask_or_review(message, state, draft, lang, org.tz, lead=lead)
        return
    try:
        value = rf.parse_field(draft.step, message.text, now=now, tz=org.tz, window=window)
    except rf.FieldError as err:
        await ask_or_review(message, state, draft, lang, org.tz, lead=rf.render_error(err, lang))
        return
    name = draft.step
    draft.set(name, value)
    draft.advance()
    # a time is shown back as understood: "两个半小时前" as a date and hour, "下午两点" typed at noon as yesterday's
    lead = (t("report.taken_as", lang, label=rf.FIELDS[name].label(lang), value=rf.format_value(name, value, lang, org.tz))
            if rf.FIELDS[name].kind == "datetime" else None)
    await ask_or_review(message, state, draft, lang, org.tz, lead=lead)


@router.message(ReportStates.filling)
async def on_non_text(message: Message, state: FSMContext, lang: str, org: OrgDTO) -> None:
    await ask_or_review(message, state, await _draft(state), lang, org.tz, lead=t("report.text_expected", lang))


@router.callback_query(ReportCB.filter(F.action == A.SET), ReportStates.filling)
async def on_choice(query: CallbackQuery, callback_data: ReportCB, state: FSMContext, lang: str,
                    org: OrgDTO, clock: Clock) -> None:
    draft = await _draft(state)
    vocab = rf.CHOICE_FIELDS.get(draft.step or "")
    if vocab is None or callback_data.value not in vocab:
        await query.answer(t("report.outdated_button", lang))
        return
    await query.answer(vocab.label(callback_data.value, lang))
    value = rf.parse_field(draft.step, callback_data.value, now=clock.now(), tz=org.tz,
                           window=org.policy.reports.date_window())
    draft.set(draft.step, value)
    draft.advance()
    await ask_or_review(query.message, state, draft, lang, org.tz)


@router.callback_query(ReportCB.filter(F.action.in_({A.BACK, A.SKIP, A.KEEP})), ReportStates.filling)
async def on_nav(query: CallbackQuery, callback_data: ReportCB, state: FSMContext, lang: str, org: OrgDTO) -> None:
    draft = await _draft(state)
    if callback_data.action == A.KEEP and not draft.keep(callback_data.value):
        await query.answer(t("report.outdated_button", lang))  # a Keep from an earlier question
        return
    await query.answer()
    if callback_data.action == A.BACK:
        draft.back()
    elif callback_data.action == A.SKIP and draft.skip():
        draft.advance()
    await ask_or_review(query.message, state, draft, lang, org.tz)

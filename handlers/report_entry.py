"""Starting a report: /report (alone or with the template), /template, /cancel, a forward or a pasted link."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
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
from bot.telegram.keyboards import conflict_keyboard
from handlers.evidence import EVIDENCE, FILE_KINDS, capture
from handlers.report_views import DISCARDED, ask_or_review, put_aside
from handlers.states import ReportStates

router = Router(name="report_entry")


def apply_template(draft: Draft, result: rf.TemplateResult, lang: str) -> str:
    """Fill the draft from parsed labelled lines; return what was recognised, what was ignored, what is wrong."""
    draft.merge_template(result)
    notes = [t("report.filled_from_template", lang, count=len(result.values))]
    if result.unknown_labels:
        notes.append(t("report.unknown_labels", lang, labels=t("list.sep", lang).join(result.unknown_labels)))
    notes += [rf.render_error(err, lang) for err in result.errors.values()]
    return "\n".join(notes)


@router.message(Command("template"))
async def cmd_template(message: Message, lang: str) -> None:
    await message.answer(t("report.template_intro", lang))
    await message.answer(rf.blank_template(lang))


@router.message(Command("report"), StateFilter(ReportStates))
async def cmd_report_again(message: Message, state: FSMContext, lang: str) -> None:
    draft = Draft.load(await state.get_data()) or Draft()
    await state.set_state(ReportStates.conflict)
    await message.answer(t("report.conflict", lang, filled=draft.filled), reply_markup=conflict_keyboard(lang))


@router.message(Command("report"))
async def cmd_report(message: Message, command: CommandObject, state: FSMContext, lang: str, org: OrgDTO,
                     clock: Clock) -> None:
    now = clock.now()
    draft = Draft.start(now)
    window = org.policy.reports.date_window()
    parsed = rf.parse_template(command.args, now=now, tz=org.tz, window=window) if command.args else None
    if parsed is not None and parsed.recognised >= 2:
        lead = apply_template(draft, parsed, lang)
    else:
        lead = t("report.started", lang)
    draft.advance()
    await ask_or_review(message, state, draft, lang, org.tz, lead=lead)


@router.callback_query(ReportCB.filter(F.action == A.RESUME), ReportStates.conflict)
async def on_resume(query: CallbackQuery, state: FSMContext, lang: str, org: OrgDTO) -> None:
    await query.answer()
    draft = Draft.load(await state.get_data()) or Draft()
    if draft.step is None:
        draft.advance()
    await ask_or_review(query.message, state, draft, lang, org.tz)


@router.callback_query(ReportCB.filter(F.action == A.DISCARD), ReportStates.conflict)
async def on_discard(query: CallbackQuery, state: FSMContext, lang: str, org: OrgDTO, clock: Clock) -> None:
    await query.answer()
    await state.clear()
    draft = Draft.start(clock.now())
    draft.advance()
    await ask_or_review(query.message, state, draft, lang, org.tz, lead=t("report.started", lang))


@router.message(Command("cancel"))
async def cmd_cancel(message: Message, state: FSMContext, lang: str) -> None:
    if await state.get_state() is None:
        await message.answer(t("report.nothing_to_cancel", lang))  # a draft put aside stays restorable
        return
    text, keyboard = await put_aside(state, lang)
    await message.answer(text, reply_markup=keyboard)


@router.callback_query(ReportCB.filter(F.action == A.RESTORE))
async def on_restore(query: CallbackQuery, callback_data: ReportCB, state: FSMContext, lang: str,
                     org: OrgDTO) -> None:
    put = (await state.get_data()).get(DISCARDED) if await state.get_state() is None else None
    draft = Draft.load(put) if put else None
    if draft is None or draft.token() != callback_data.value:
        # a report started since replaced it (the dialog under way is left as it is), or this button is older
        await query.answer(t("report.restore_gone", lang), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await ask_or_review(query.message, state, draft, lang, org.tz)


# private only: in a group a link or a photo (say, in a reply to the bot) never starts a report
@router.message(F.chat.type == "private", StateFilter(None), EVIDENCE | F.text.regexp(r"https?://", mode="search"))
async def forward_or_link(message: Message, state: FSMContext, bot: Bot, lang: str, org: OrgDTO, clock: Clock,
                          settings: Settings) -> None:
    """A forwarded post, a photo, a video, a voice message, a file or a pasted link starts a report prefilled
    with it."""
    now = clock.now()
    draft = Draft.start(now)
    text = message.text or message.caption or ""
    item = await capture(message, bot, evidence_dir=settings.evidence_dir, now=now)
    link = rf.extract_link(text)
    if item is None and link:
        item = {"kind": "link", "url": link, "captured_at": now.isoformat(), "captured_by": message.from_user.id}
    if item:
        draft.add_evidence(item)
    if link:
        draft.set("link", link)
        platform = rf.detect_platform(link)
        if platform:
            draft.set("platform", platform)
    lead = [t("report.started_from_file", lang, kind=t(f"report.kind.{item['kind']}", lang))
            if item and item["kind"] in FILE_KINDS and not message.forward_origin
            else t("report.started_from_forward", lang)]
    parsed = rf.parse_template(text, now=now, tz=org.tz, window=org.policy.reports.date_window())
    if parsed.recognised >= 2:
        lead.append(apply_template(draft, parsed, lang))
    draft.advance()
    await ask_or_review(message, state, draft, lang, org.tz, lead="\n".join(lead))

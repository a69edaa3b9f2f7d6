"""Inline keyboards, labelled through the i18n catalogue."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain import report as rf
from bot.i18n import t
from bot.telegram.callbacks import ReportAction as A
from bot.telegram.callbacks import ReportCB


def _btn(text: str, action: A, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=ReportCB(action=action, value=value).pack())


def question_keyboard(field: str, lang: str, *, can_back: bool, answered: bool = False) -> InlineKeyboardMarkup:
    """The choices (if the field has a fixed set), then Keep when it has an answer already, then Back,
    Skip (Clear, when there is an answer to clear) and Cancel."""
    kb = InlineKeyboardBuilder()
    vocab = rf.CHOICE_FIELDS.get(field)
    if vocab is not None:
        for term in vocab.terms:
            kb.add(_btn(term.label(lang), A.SET, term.slug))
        kb.adjust(3)
    if answered:
        kb.row(_btn(t("report.btn.keep", lang), A.KEEP, field))
    nav = []
    if can_back:
        nav.append(_btn(t("report.btn.back", lang), A.BACK))
    if field not in rf.REQUIRED:
        nav.append(_btn(t("report.btn.clear" if answered else "report.btn.skip", lang), A.SKIP))
    nav.append(_btn(t("report.btn.cancel", lang), A.CANCEL))
    kb.row(*nav)
    return kb.as_markup()


def review_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        _btn(t("report.btn.confirm", lang), A.CONFIRM),
        _btn(t("report.btn.edit", lang), A.EDIT),
        _btn(t("report.btn.cancel", lang), A.CANCEL),
    ]])


def fields_keyboard(lang: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for name in rf.FIELD_NAMES:
        kb.add(_btn(rf.FIELDS[name].label(lang), A.FIELD, name))
    kb.adjust(3)
    kb.row(_btn(t("report.btn.back_to_summary", lang), A.REVIEW))
    return kb.as_markup()


def restore_keyboard(lang: str, token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_btn(t("report.btn.restore", lang), A.RESTORE, token)]])


def conflict_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        _btn(t("report.btn.resume", lang), A.RESUME),
        _btn(t("report.btn.discard", lang), A.DISCARD),
    ]])

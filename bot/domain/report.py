"""The incident report's fields: definitions, forgiving parsing, validation, display.

Pure domain code. Definitions live in report_fields, parsing in report_parse and report_template; this
module is the API the handlers use (and re-exports the others).

Value types: datetime fields → aware datetime in the organisation's time zone;
sentiment → Sentiment(slug, share); choice fields → slug; cross_region → bool;
counts → int; link and text fields → str.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.report_fields import (
    CHOICE_FIELDS,
    ERROR_CODES,
    FIELD_NAMES,
    FIELDS,
    LABELS,
    MULTILINE,
    REQUIRED,
    FieldError,
    FieldSpec,
    Sentiment,
    field_of_label,
    norm_label,
)
from bot.domain.report_parse import (
    FUTURE_SLACK,
    detect_platform,
    extract_link,
    parse_field,
)
from bot.domain.report_template import TemplateResult, parse_template
from bot.domain.vocab import YES_NO
from bot.i18n import t

__all__ = [
    "CHOICE_FIELDS", "ERROR_CODES", "FIELDS", "FIELD_NAMES", "FUTURE_SLACK", "LABELS", "MULTILINE", "REQUIRED",
    "FieldError", "FieldSpec", "Sentiment", "TemplateResult", "blank_template", "detect_platform", "extract_link",
    "field_of_label", "format_value", "from_json", "hint", "i18n_keys", "is_filled", "missing", "norm_label",
    "parse_field", "parse_template", "prompt", "render_error", "summary_lines", "to_json",
]


def is_filled(value: Any) -> bool:
    return value is not None and value != ""


def missing(values: dict[str, Any]) -> list[str]:
    """Required fields not yet filled, in FIELD_NAMES order."""
    return [n for n in FIELD_NAMES if n in REQUIRED and not is_filled(values.get(n))]


# ---------------------------------------------------------------- JSON
def to_json(values: dict[str, Any]) -> dict[str, Any]:
    """A JSON-safe copy (datetimes as ISO 8601 with offset, sentiment as {"slug", "share"}).

    Idempotent: values already in JSON form pass through. Keys that are not fields are kept as they are.
    """
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, datetime):
            out[name] = value.isoformat()
        elif isinstance(value, Sentiment):
            out[name] = {"slug": value.slug, "share": value.share}
        else:
            out[name] = value
    return out


def from_json(data: dict[str, Any]) -> dict[str, Any]:
    """The parsed values back from to_json's form (also accepts values already parsed)."""
    out: dict[str, Any] = {}
    for name, value in (data or {}).items():
        spec = FIELDS.get(name)
        if spec is None or value is None:
            out[name] = value
        elif spec.kind == "datetime" and isinstance(value, str):
            out[name] = datetime.fromisoformat(value)
        elif spec.kind == "sentiment" and isinstance(value, dict):
            share = value.get("share")
            out[name] = Sentiment(str(value["slug"]), None if share is None else int(share))
        elif spec.kind == "sentiment" and isinstance(value, str):
            out[name] = Sentiment(value, None)
        elif spec.kind == "count" and isinstance(value, str | float) and not isinstance(value, bool):
            out[name] = int(value)
        else:
            out[name] = value
    return out


# ---------------------------------------------------------------- display
def _label(name: str, lang: str) -> str:
    return FIELDS[name].label(lang)


SHOWN_LABELS = ["field.cross_region.shown"]


def shown_label(name: str, lang: str) -> str:
    """The label a reader sees: the template's, unless that is a slug in the language (cross_region)."""
    key = f"field.{name}.shown"
    return t(key, lang) if key in SHOWN_LABELS else _label(name, lang)


def format_value(name: str, value: Any, lang: str, tz: ZoneInfo) -> str:
    """How a value is shown: "负面 70%", "2026-11-24 09:30" (in tz), 是/否, a choice's label."""
    if not is_filled(value):
        return t("field.unfilled", lang)
    kind = FIELDS[name].kind
    if kind == "datetime":
        try:
            dt = datetime.fromisoformat(value) if isinstance(value, str) else value
            if dt.tzinfo is not None:
                dt = dt.astimezone(tz)
        except (OverflowError, ValueError, TypeError):  # a value kept from before dates were bounded (year 1)
            return str(value)
        return f"{dt.year:04d}-{dt:%m-%d %H:%M}"
    if kind == "sentiment":
        sent = from_json({name: value})[name]
        label = _choice_label(name, sent.slug, lang)
        return label if sent.share is None else f"{label} {sent.share}%"
    if kind == "bool":
        return YES_NO.label("yes" if value else "no", lang)
    if kind == "choice":
        return _choice_label(name, value, lang)
    if kind == "count":
        return f"{int(value):,}"
    return str(value)


def _choice_label(name: str, slug: str, lang: str) -> str:
    vocab = CHOICE_FIELDS[name]
    return vocab.label(slug, lang) if slug in vocab else str(slug)


def summary_lines(values: dict[str, Any], lang: str, tz: ZoneInfo) -> list[str]:
    """"label: value" per field for the summary card; required ones always, optional ones when filled."""
    lines = []
    for name in FIELD_NAMES:
        value = values.get(name)
        if not is_filled(value) and name not in REQUIRED:
            continue
        lines.append(t("field.line", lang, label=shown_label(name, lang), value=format_value(name, value, lang, tz)))
    return lines


def blank_template(lang: str) -> str:
    """The hint line, then every field as "label: " one per line, required first."""
    lines = [t("field.template_hint", lang)]
    lines += [t("field.line", lang, label=_label(n, lang), value="") for n in FIELD_NAMES]
    return "\n".join(lines)


def prompt(name: str, lang: str) -> str:
    """The guided dialog's question for a field."""
    return t(f"field.{name}.prompt", lang)


def hint(name: str, lang: str) -> str:
    """A short line on what the field accepts."""
    return t(f"field.{name}.hint", lang)


def render_error(err: FieldError, lang: str) -> str:
    """One sentence in the user's language naming the field and what is wrong."""
    params: dict[str, Any] = {"value": "", "max": "", "length": "", "choices": ""}
    params.update(err.params)
    value = str(params["value"])
    params["value"] = value if len(value) <= 60 else value[:57] + "…"
    vocab = CHOICE_FIELDS.get(err.field)
    if err.code == "bad_choice" and vocab is not None:
        params["choices"] = ("、" if lang != "en" else ", ").join(term.label(lang) for term in vocab.terms)
    label = _label(err.field, lang) if err.field in FIELDS else err.field
    return t(f"report.err.{err.code}", lang, **{**params, "field": label})


def i18n_keys() -> list[str]:
    """Every catalogue key this module may use (checked by the tests in both languages)."""
    keys = ["field.line", "field.unfilled", "field.template_hint"]
    for name in FIELD_NAMES:
        keys += [f"field.{name}", f"field.{name}.prompt", f"field.{name}.hint"]
    keys += [f"report.err.{code}" for code in ERROR_CODES]
    return keys + SHOWN_LABELS

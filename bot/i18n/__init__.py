"""The one place for user-facing text.

Each module under bot/i18n/ defines TEXTS = {key: {"zh": ..., "en": ...}}; they are merged
here. Values are str.format templates. Chinese is the default language.
"""

from __future__ import annotations

import importlib
import pkgutil

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for mod in pkgutil.iter_modules(__path__):
        texts = getattr(importlib.import_module(f"{__name__}.{mod.name}"), "TEXTS", None)
        if not texts:
            continue
        dup = merged.keys() & texts.keys()
        if dup:
            raise RuntimeError(f"i18n keys defined twice: {sorted(dup)}")
        merged.update(texts)
    return merged


CATALOG = _load()


def lang_of(code: str | None) -> str:
    """Telegram language_code → our language: English speakers get English, everyone else Chinese."""
    return "en" if code and code.lower().startswith("en") else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, /, **kw: object) -> str:
    entry = CATALOG[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**kw) if kw else text

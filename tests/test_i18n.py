"""Every text exists in Chinese and English, and every key the code names exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from bot.i18n import CATALOG, LANGS, lang_of, t

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    fmt = string.Formatter()
    for key, entry in CATALOG.items():
        assert set(entry) >= set(LANGS), key
        fields = [{f for _, f, _, _ in fmt.parse(entry[lang]) if f} for lang in LANGS]
        assert fields[0] == fields[1], key


def test_keys_used_in_code_exist() -> None:
    used: set[str] = set()
    for path in list((ROOT / "handlers").glob("*.py")) + list((ROOT / "bot").rglob("*.py")):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in CATALOG)
    assert not missing, missing


def test_language_choice() -> None:
    assert lang_of("en-US") == "en" and lang_of("zh-hans") == "zh" and lang_of(None) == "zh"
    assert t("report.btn.confirm", "en") != t("report.btn.confirm", "zh")

"""Forgiving matching of a typed name against named candidates (units today: 涉及单位 against `units:` with their
aliases). Pure: no database, no aiogram.

A report says "后勤处" or "学校 后勤管理处（食堂）" where the org file says 后勤管理处; so both sides are
normalised (NFKC, casefolded, without spaces and punctuation) and compared — an exact name or alias first; else
containment either way (the typed text holds a name, or a name holds the typed text). Several candidates may
match: the caller asks a person to choose, it never guesses."""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits fold to ASCII), casefolded, without whitespace, punctuation or symbols."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZSC")


def match_names(text: str, candidates: Iterable[tuple[K, Sequence[str]]]) -> list[K]:
    """The keys of the candidates `text` names, in the candidates' order: those with a name or alias equal to it
    (after normalise); else those one of whose names contains it or is contained in it — where one matched name
    lies inside another matched one (教务处 inside 教务处招生办 for "教务处招生办公室"), the longer wins.
    An empty text matches nothing."""
    t = normalise(text)
    if not t:
        return []
    names = [(key, [n for n in (normalise(x) for x in names) if n]) for key, names in candidates]
    exact = [key for key, ns in names if t in ns]
    if exact:
        return _unique(exact)
    hits: list[tuple[K, str]] = []  # the candidate and the longest of its names that matched
    for key, ns in names:
        matched = [n for n in ns if n in t or t in n]
        if matched:
            hits.append((key, max(matched, key=len)))
    inside_text = [n for _, n in hits if n in t]
    kept = [key for key, n in hits
            if not (n in t and any(n != m and n in m for m in inside_text))]
    return _unique(kept)


def suggest_names(text: str, candidates: Iterable[tuple[K, Sequence[str]]], *, min_run: int = 2) -> list[K]:
    """When match_names finds nothing: the candidates sharing a run of at least `min_run` characters with the text
    (后勤 in "学校后勤食堂" and 后勤管理处), the longest shared run first. Only a suggestion to choose from."""
    t = normalise(text)
    scored = []
    for i, (key, names) in enumerate(candidates):
        run = max((_longest_run(t, normalise(n)) for n in names), default=0)
        if run >= min_run:
            scored.append((-run, i, key))
    return _unique([key for _, _, key in sorted(scored, key=lambda x: (x[0], x[1]))])


def _longest_run(a: str, b: str) -> int:
    """The length of the longest common substring (names are short: the quadratic table is fine)."""
    best, prev = 0, [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def _unique(keys: list[K]) -> list[K]:
    return list(dict.fromkeys(keys))

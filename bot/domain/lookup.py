"""What people type where a command expects a thing, read loosely (issue 19: "people type Chinese, short and
loose"): an incident number without its zero padding or prefix, a clock by any of its labels or short forms,
a mistyped command. Pure: the services look the candidates up, the handlers word the answer.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.vocab import CLOCK_NAMES

PREFIX = "YQ"

# separators people type between the parts: ASCII and full-width hyphens (NFKC folds the latter), dashes a
# Chinese input method produces, underscores, slashes, dots, spaces
_SEP = r"[\s\-_/.·‐‑‒–—―]"
_NUMBER_RE = re.compile(rf"#?(?P<prefix>yq)?(?P<sep>{_SEP}*)(?P<first>\d+)(?:{_SEP}+(?P<second>\d+))?",
                        re.IGNORECASE)
_MAX_BARE = 6  # digits of a bare counter; more is a typo or a phone number, unless it reads YQ20260001


def format_number(year: int, counter: int) -> str:
    """The incident number as it is stored and shown (docs/names.md): YQ-2026-0001."""
    return f"{PREFIX}-{year}-{counter:04d}"


@dataclass(frozen=True)
class NumberQuery:
    """An incident number as typed: the counter, and the year when one was given."""

    counter: int
    year: int | None = None

    @property
    def exact(self) -> str | None:
        """The one number meant, when the year was given."""
        return format_number(self.year, self.counter) if self.year is not None else None

    def number(self, year: int) -> str:
        """The number this query means in `year` (a bare counter is this year's)."""
        return format_number(self.year if self.year is not None else year, self.counter)

    @property
    def suffix(self) -> str:
        """How every year's number with this counter ends: `-0001`."""
        return f"-{self.counter:04d}"

    def matches(self, number: str) -> bool:
        """Whether a stored number is one this query may mean."""
        return number == self.exact if self.year is not None else (
            number.startswith(f"{PREFIX}-") and number.endswith(self.suffix) and number.count("-") == 2)


def parse_number(text: str | None) -> NumberQuery | None:
    """`YQ-2026-0001`, `yq-2026-1`, `YQ2026-1`, `YQ20260001`, `2026-1`, `#1`, `1` (a bare counter: this year's,
    when unambiguous — the service decides); any case, full-width forms too. None when it is no number."""
    m = _NUMBER_RE.fullmatch(unicodedata.normalize("NFKC", text or "").strip())
    if m is None:
        return None
    first, second = m["first"], m["second"]
    if second is not None:
        year, counter = (int(first), int(second)) if len(first) == 4 else (None, 0)
    elif len(first) >= 5 and _plausible_year(first[:4]) and (m["prefix"] and not m["sep"] or len(first) >= 8):
        year, counter = int(first[:4]), int(first[4:])  # YQ20261, YQ20260001, 20260001: the year glued on
    elif len(first) <= _MAX_BARE:
        year, counter = None, int(first)
    else:
        return None
    if counter == 0 or (year is not None and not _plausible_year(str(year))):
        return None
    return NumberQuery(counter, year)


def _plausible_year(digits: str) -> bool:
    return len(digits) == 4 and 2000 <= int(digits) <= 2999


def choose(query: NumberQuery, found: Iterable[str], this_year: int | None) -> tuple[str | None, tuple[str, ...]]:
    """Which of the stored numbers `found` the query means: (the number, ()) when one; (None, ()) when none;
    (None, the candidates, newest first) when several. A bare counter means this year's incident when there
    is one; failing that, the one other year's with that counter (early January: last year's), else it is
    ambiguous."""
    numbers = sorted({n for n in found if query.matches(n)}, reverse=True)
    if query.exact is not None:
        return (query.exact, ()) if query.exact in numbers else (None, ())
    if this_year is not None and query.number(this_year) in numbers:
        return query.number(this_year), ()
    if len(numbers) == 1:
        return numbers[0], ()
    return None, tuple(numbers)


# ------------------------------------------------------------------------------------------- clocks

@dataclass(frozen=True)
class ClockWord:
    """What a clock word in a command means: `slugs` is () unknown, one clock, or several (ambiguous);
    `word` is what was read as the clock, `rest` what follows it (a note)."""

    word: str
    slugs: tuple[str, ...]
    rest: str = ""

    @property
    def clock(self) -> str | None:
        return self.slugs[0] if len(self.slugs) == 1 else None


_MAX_LABEL_WORDS = 6  # the longest English label ("publish authoritative information" and the like)


def take_clock(text: str) -> ClockWord:
    """The clock at the start of `text` and the note after it. English labels have several words: the longest
    run of leading words that is exactly a label, slug or short form wins; otherwise the first word is read
    loosely (Vocabulary.resolve: a fragment of one clock's label, or several clocks)."""
    words = (text or "").split()
    if not words:
        return ClockWord("", ())
    for n in range(min(len(words), _MAX_LABEL_WORDS), 0, -1):
        head = " ".join(words[:n])
        slug = CLOCK_NAMES.parse(head)
        if slug is not None:
            return ClockWord(head, (slug,), " ".join(words[n:]))
    return ClockWord(words[0], CLOCK_NAMES.resolve(words[0]), " ".join(words[1:]))


def resolve_clock(text: str) -> tuple[str, ...]:
    """The clocks a word may mean (see Vocabulary.resolve)."""
    return CLOCK_NAMES.resolve(text)


# ------------------------------------------------------------------------------------------- commands

def closest_command(typed: str, known: Iterable[str]) -> str | None:
    """The known command most like a mistyped one (`dne` → `done`), or None when none is close enough."""
    word = typed.strip().lstrip("/").partition("@")[0].casefold()
    known = list(dict.fromkeys(known))
    if not word or not known:
        return None
    if word in known:
        return word  # /DONE: Telegram commands are matched case-sensitively
    found = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    if found:
        return found[0]
    prefixed = [k for k in known if k.startswith(word[:3])]  # /rep, /rev…: a command's start
    return prefixed[0] if len(prefixed) == 1 else None

"""What people type loosely (bot/domain/lookup.py, vocab.CLOCK_NAMES): clock words in either language and any
case, incident numbers without padding or prefix, mistyped commands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.lookup import NumberQuery, choose, closest_command, format_number, parse_number, take_clock
from bot.domain.menus import private_menu
from bot.domain.vocab import CLOCK_NAMES, CLOCKS
from bot.i18n import LANGS, t

_LABELS = [(slug, lang, CLOCK_NAMES.label(slug, lang)) for slug in CLOCKS for lang in LANGS]
_WORDS = [(term.slug, word) for term in CLOCK_NAMES.terms for word in (term.slug, term.zh, term.en, *term.synonyms)]


def _any_case(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(word, flips, strict=True))


@st.composite
def typed_label(draw: st.DrawFn) -> tuple[str, str]:
    """A clock's label in zh or en, in any case, with spaces around it."""
    slug, _, label = draw(st.sampled_from(_LABELS))
    pad = st.text(alphabet=" \t\u3000", max_size=3)
    return slug, draw(pad) + _any_case(draw, label) + draw(pad)


@given(typed_label())
def test_any_label_of_any_clock_in_any_case_resolves_to_that_clock(case: tuple[str, str]) -> None:
    slug, typed = case
    assert CLOCK_NAMES.resolve(typed) == (slug,)
    assert CLOCK_NAMES.parse(typed) == slug


@given(typed_label(), st.text(alphabet="已电话回复网民 note", max_size=12))
def test_a_label_at_the_start_of_done_args_is_the_clock_and_the_rest_the_note(case: tuple[str, str],
                                                                             note: str) -> None:
    slug, typed = case
    said = take_clock(f"{typed} {note}")
    assert said.clock == slug, said
    assert said.rest == " ".join(note.split())


@given(st.sampled_from(_WORDS), st.data())
def test_every_slug_label_and_short_form_means_its_clock_only(case: tuple[str, str], data: st.DataObject) -> None:
    slug, word = case
    assert CLOCK_NAMES.resolve(_any_case(data.draw, word)) == (slug,)


def test_the_clock_labels_are_the_catalogues() -> None:
    assert tuple(CLOCK_NAMES.slugs) == CLOCKS
    for slug, lang, label in _LABELS:
        assert label == t(f"clock.name.{slug}", lang)


@pytest.mark.parametrize(("typed", "slug"), [
    ("首次回应", "first_response"), ("正式答复", "formal_reply"), ("向上级报告", "report_upward"),
    ("发布", "publish"), ("当日答复", "inquiry_same_day"), ("上报", "report_upward"), ("延期", "extension_max"),
    ("FIRST RESPONSE", "first_response"), ("first", "first_response"), ("formal_reply", "formal_reply"),
    ("首次回应网民时限", "first_response"), ("ＦＯＲＭＡＬ ＲＥＰＬＹ", "formal_reply"),
])
def test_short_forms(typed: str, slug: str) -> None:
    assert CLOCK_NAMES.resolve(typed) == (slug,)


def test_a_word_of_several_clocks_is_ambiguous_and_names_them_all() -> None:
    assert CLOCK_NAMES.resolve("答复") == ("formal_reply", "extension_max", "inquiry_same_day")
    assert CLOCK_NAMES.resolve("reply") == ("formal_reply", "extension_max", "inquiry_same_day")
    said = take_clock("答复 已回复")
    assert said.clock is None and len(said.slugs) == 3 and said.word == "答复"


def test_unknown_clock_words() -> None:
    assert CLOCK_NAMES.resolve("") == () and CLOCK_NAMES.resolve("回") == ()
    assert CLOCK_NAMES.resolve("吃饭") == ()
    assert take_clock("").slugs == () and take_clock("吃饭 x").word == "吃饭"


def test_english_labels_of_several_words_are_taken_whole() -> None:
    said = take_clock("publish authoritative information posted on Weibo")
    assert (said.clock, said.rest) == ("publish", "posted on Weibo")
    assert take_clock("same-day reply to an inquiry ok").clock == "inquiry_same_day"


# ------------------------------------------------------------------------------------- numbers

@pytest.mark.parametrize(("typed", "query"), [
    ("YQ-2026-0001", NumberQuery(1, 2026)), ("yq-2026-1", NumberQuery(1, 2026)), ("YQ2026-1", NumberQuery(1, 2026)),
    ("YQ20260001", NumberQuery(1, 2026)), ("2026-1", NumberQuery(1, 2026)), ("  yq-2026-0012 ", NumberQuery(12, 2026)),
    ("ＹＱ－２０２６－１", NumberQuery(1, 2026)), ("YQ—2026—3", NumberQuery(3, 2026)), ("yq 2026 12", NumberQuery(12, 2026)),
    ("1", NumberQuery(1)), ("#7", NumberQuery(7)), ("0001", NumberQuery(1)), ("YQ-1", NumberQuery(1)),
    ("YQ-2026-12345", NumberQuery(12345, 2026)),
])
def test_number_forms(typed: str, query: NumberQuery) -> None:
    assert parse_number(typed) == query


@pytest.mark.parametrize("typed", ["", "abc", "YQ-2026-0", "0", "1999-1", "YQ-26-1", "13800138000", "YQ-2026-x",
                                   "首次回应"])
def test_not_numbers(typed: str) -> None:
    assert parse_number(typed) is None


@given(st.integers(2000, 2999), st.integers(1, 99999), st.sampled_from(["YQ-", "yq-", "YQ", "yq ", ""]),
       st.sampled_from(["-", " ", "—", "－"]), st.integers(0, 4))
def test_any_spelling_of_a_number_reads_as_it(year: int, counter: int, prefix: str, sep: str, pad: int) -> None:
    typed = f"{prefix}{year}{sep}{counter:0{pad}d}"
    assert parse_number(typed) == NumberQuery(counter, year)
    assert parse_number(typed).exact == format_number(year, counter)
    assert parse_number(format_number(year, counter).lower()) == NumberQuery(counter, year)


@given(st.integers(1, 999999))
def test_a_bare_counter_is_a_counter(counter: int) -> None:
    q = parse_number(str(counter))
    assert q == NumberQuery(counter) and q.exact is None
    assert q.matches(format_number(2026, counter)) and q.matches(format_number(2025, counter))
    assert not q.matches(format_number(2026, counter + 1))


def test_choose_prefers_this_year_then_the_only_one_else_lists() -> None:
    one = NumberQuery(1)
    stored = ["YQ-2026-0001", "YQ-2025-0001", "YQ-2026-0010", "YQ-2024-0001"]
    assert choose(one, stored, 2026) == ("YQ-2026-0001", ())
    assert choose(one, ["YQ-2025-0001", "YQ-2026-0010"], 2026) == ("YQ-2025-0001", ())  # early January
    assert choose(one, ["YQ-2025-0001", "YQ-2024-0001"], 2026) == (None, ("YQ-2025-0001", "YQ-2024-0001"))
    assert choose(NumberQuery(99), stored, 2026) == (None, ())
    assert choose(NumberQuery(1, 2025), stored, 2026) == ("YQ-2025-0001", ())
    assert choose(NumberQuery(1, 2023), stored, 2026) == (None, ())
    assert not NumberQuery(1).matches("YQ-2026-10001")


# ------------------------------------------------------------------------------------- commands

def test_closest_command_is_one_of_the_persons_own() -> None:
    office, monitor = private_menu(["office"]), private_menu(["monitor"])
    assert closest_command("foo", office) == "follow"
    assert closest_command("dne", office) == "done"
    assert closest_command("dne", monitor) == "due"  # /done is not a monitor's
    assert closest_command("DONE", office) == "done"
    assert closest_command("tiemline", office) == "timeline"
    assert closest_command("xyz", office) is None
    assert closest_command("", office) is None

"""bot.domain.name_match: forgiving, and never a guess between several."""

from __future__ import annotations

from bot.domain.name_match import match_names, normalise

UNITS = [(1, ["党委宣传部", "宣传部"]), (2, ["学生工作部", "学工部"]), (3, ["后勤管理处", "后勤"]),
         (4, ["教务处"]), (5, ["教务处招生办"]), (6, ["Logistics Office"])]


def test_normalise_folds_width_case_space_and_punctuation() -> None:
    assert normalise(" 后勤　管理处（食堂）!") == "后勤管理处食堂"
    assert normalise("ＬＯＧＩＳＴＩＣＳ  office.") == "logisticsoffice"
    assert normalise("  ，。 ") == ""


def test_exact_name_or_alias_first() -> None:
    assert match_names("学工部", UNITS) == [2]
    assert match_names("学生 工作部", UNITS) == [2]
    assert match_names("教务处", UNITS) == [4]  # exact beats 教务处招生办 containing it
    assert match_names("logistics office", UNITS) == [6]


def test_containment_either_way() -> None:
    assert match_names("学校后勤管理处食堂", UNITS) == [3]  # the text holds a name
    assert match_names("宣传", UNITS) == [1]  # a name holds the text
    assert match_names("logistics", UNITS) == [6]


def test_the_longer_name_inside_the_text_wins() -> None:
    assert match_names("教务处招生办公室", UNITS) == [5]


def test_several_or_none() -> None:
    assert match_names("宣传部和学工部联合通知", UNITS) == [1, 2]
    assert match_names("部", UNITS) == [1, 2]
    assert match_names("图书馆", UNITS) == []
    assert match_names("", UNITS) == []
    assert match_names("——", UNITS) == []


def test_a_shared_alias_is_ambiguous_not_a_guess() -> None:
    assert match_names("办公室", [(1, ["校长办公室", "办公室"]), (2, ["党委办公室", "办公室"])]) == [1, 2]


def test_suggestions_share_part_of_a_name_longest_first() -> None:
    from bot.domain.name_match import suggest_names

    assert match_names("学校后勤（食堂）", UNITS[:2] + [(3, ["后勤管理处"])]) == []
    assert suggest_names("学校后勤（食堂）", UNITS[:2] + [(3, ["后勤管理处"])]) == [3]
    assert suggest_names("学生会宣传部门", [(1, ["党委宣传部"]), (2, ["学生工作部"])]) == [1, 2]  # 宣传部 > 学生
    assert suggest_names("图书馆", UNITS) == []

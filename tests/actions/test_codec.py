"""bot/actions packs every action byte for byte as aiogram's CallbackData factories did (so every button already
sent keeps working), parses only exactly such strings, and refuses bad data the way `DbId` does."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.actions.codec import Action
from bot.actions.duty import DutyAct, DutyAction, PatrolAct, PatrolAction
from bot.actions.incident import ChecklistAct, IncidentAct, IncidentAction
from bot.actions.release import RelAct, RelAction
from bot.actions.report import ReportAct, ReportAction
from bot.actions.review import ReviewAct
from bot.actions.tracking import CloseAct, CloseAction, TrackAct, TrackAction
from bot.actions.unavail import UnavailAct, UnavailAction
from bot.domain.bounds import INT4_MAX
from bot.telegram.callbacks import (
    ChecklistCB,
    CloseCB,
    DutyCB,
    IncidentCB,
    PatrolCB,
    RelV1,
    ReportCB,
    ReviewCB,
    TrackCB,
    UnavailCB,
)

# every action kind: its neutral class and the aiogram factory the handlers filter with
KINDS: list[tuple[type[Action], type[CallbackData]]] = [
    (ReportAct, ReportCB), (IncidentAct, IncidentCB), (ChecklistAct, ChecklistCB), (DutyAct, DutyCB),
    (PatrolAct, PatrolCB), (RelAct, RelV1), (ReviewAct, ReviewCB), (TrackAct, TrackCB), (CloseAct, CloseCB),
    (UnavailAct, UnavailCB),
]
IDS = (1, 12, 999_999, INT4_MAX)
TEXTS = ("", "review", "approval", "media_contact", "地点", "x" * 20)


def samples(kind: type[Action]) -> list[dict[str, Any]]:
    """Every enum value, with ids at the bounds and texts (empty, unicode) for each kind's fields."""
    out: list[dict[str, Any]] = [{}]
    for name, convert in kind._spec():
        if isinstance(convert, type) and issubclass(convert, Enum):
            values: tuple[Any, ...] = tuple(convert)
        elif convert is str:
            values = TEXTS
        else:
            values = IDS
        out = [{**o, name: v} for o in out for v in values]
    return out


def test_every_kind_is_covered() -> None:
    assert len({k.prefix for k, _ in KINDS}) == len(KINDS)
    for kind, factory in KINDS:
        assert kind.prefix == factory.__prefix__
        assert [n for n, _ in kind._spec()] == list(factory.model_fields)


@pytest.mark.parametrize(("kind", "factory"), KINDS, ids=[k.__name__ for k, _ in KINDS])
def test_pack_is_aiograms_byte_for_byte_and_parses_back(kind: type[Action], factory: type[CallbackData]) -> None:
    for values in samples(kind):
        try:
            expected = factory(**values).pack()
        except ValueError:  # over 64 bytes for aiogram: over for us too
            with pytest.raises(ValueError):
                kind(**values).pack()
            continue
        packed = kind(**values).pack()
        assert packed == expected, values
        assert kind.parse(packed) == kind(**values)
        assert factory.unpack(packed) == factory(**values)  # and the handlers' filter reads it as before


def test_defaults_pack_as_empty_fields() -> None:
    assert ReportAct(ReportAction.CANCEL).pack() == ReportCB(action=ReportAction.CANCEL).pack() == "rpV1:cancel:"
    assert RelAct(RelAction.SUBMIT, 7).pack() == RelV1(action=RelAction.SUBMIT, draft=7).pack() == "relV1:sub:7:"
    assert RelAct.parse("relV1:sub:7:") == RelAct(RelAction.SUBMIT, 7, "")
    assert ReportAct.parse("rpV1:set:") == ReportAct(ReportAction.SET, "")


def test_known_strings() -> None:
    assert IncidentAct(IncidentAction.ACK, 12).pack() == "incV1:ack:12"
    assert DutyAct(DutyAction.CHECKIN, 3).pack() == "dutyV1:in:3"
    assert PatrolAct(PatrolAction.REPORT, 4).pack() == "patV1:rep:4"
    assert ReviewAct(5).pack() == "rvV1:5"
    assert TrackAct(TrackAction.FOLLOW, 6).pack() == "trkV1:follow:6"
    assert CloseAct(CloseAction.REFUSE, 8).pack() == "clsV1:no:8"
    assert UnavailAct(UnavailAction.KEEP, 9).pack() == "unavV1:keep:9"
    assert ChecklistAct(10, "report_up").pack() == "chkV1:10:report_up"
    assert IncidentAct("take", 1).pack() == "incV1:take:1"  # a plain value for an enum field, as pydantic took it


@pytest.mark.parametrize("data", [
    "incV1:ack:-1", "incV1:ack:0", f"incV1:ack:{INT4_MAX + 1}", f"incV1:ack:{2**64}", f"incV1:ack:{10**30}",
    "incV1:ack:", "incV1:ack:+1", "incV1:ack: 1", "incV1:ack:1 ", "incV1:ack:012", "incV1:ack:1_0", "incV1:ack:١",
    "incV1:ack:1.0", "incV1:nope:1", "incV1:ACK:1", "incV1:ack", "incV1:ack:1:2", "incV2:ack:1", "trkV1:follow:1",
    "incV1", "", ":ack:1", "incV1:ack:1" + "0" * 60,
])
def test_bad_incident_data_is_refused(data: str) -> None:
    assert IncidentAct.parse(data) is None


@pytest.mark.parametrize("data", ["dutyV1:in:-5", f"dutyV1:in:{2**64}", "patV1:ok:0", "relV1:ok:1", "relV1:ok:x:review",
                                  "rvV1:-1", "rvV1:", "clsV1:ok:2147483648", "unavV1:del:1:", "chkV1:0:step",
                                  "rpV1:nope:", "rpV1:set"])
def test_bad_data_of_every_kind_is_refused(data: str) -> None:
    assert all(kind.parse(data) is None for kind, _ in KINDS), data


def test_over_64_bytes_is_refused_both_ways() -> None:
    step = "步" * 19  # 57 bytes of UTF-8: "chkV1:1:" + it is 65
    with pytest.raises(ValueError):
        ChecklistCB(incident=1, step=step).pack()
    with pytest.raises(ValueError):
        ChecklistAct(1, step).pack()
    assert ChecklistAct.parse(f"chkV1:1:{step}") is None
    fits = "步" * 18
    assert ChecklistAct(1, fits).pack() == ChecklistCB(incident=1, step=fits).pack()
    assert ChecklistAct.parse(f"chkV1:1:{fits}") == ChecklistAct(1, fits)
    assert ChecklistAct.parse(None) is None  # type: ignore[arg-type]


def test_the_separator_and_bad_values_are_refused_on_pack() -> None:
    for kind, factory, values in [(ChecklistAct, ChecklistCB, {"incident": 1, "step": "a:b"}),
                                  (ReportAct, ReportCB, {"action": ReportAction.SET, "value": "x:y"})]:
        with pytest.raises(ValueError):
            factory(**values).pack()
        with pytest.raises(ValueError):
            kind(**values).pack()
    for bad in (0, -1, INT4_MAX + 1, 2**64, True, "1"):
        with pytest.raises(ValueError):
            IncidentAct(IncidentAction.ACK, bad).pack()  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        IncidentAct("nope", 1).pack()  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        class Bad(Action, prefix="a:b"):
            pass
